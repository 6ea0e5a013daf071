"""Pick the engine a command line asks for, and split the cores between processes and threads."""

from __future__ import annotations

import os

from pipeline.engine.local import InProcess, LocalProcesses
from pipeline.engine.protocol import Engine
from pipeline.errors import UsageError


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def make_engine(kind: str, workers: int | None, scheduler: str | None) -> Engine:
    """The engine for `--engine/--workers/--scheduler`, with its `kiwi_threads` set."""
    if workers is not None and workers < 1:
        raise UsageError("--workers must be at least 1")
    n = workers or cores()
    if kind == "dask":
        from pipeline.engine.dask import DaskEngine

        return DaskEngine(scheduler, workers)
    if scheduler:
        raise UsageError("--scheduler needs --engine dask")
    if n == 1:
        return InProcess(kiwi_threads=1)
    return LocalProcesses(n, kiwi_threads=1)
