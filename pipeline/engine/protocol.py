"""What an engine is: something that runs a job's stages on batches and hands back small counts.

A job is plain data (paths, settings, stage names, fingerprints), so it pickles to any process or
machine; the tables never travel: each worker reads and writes its batch's parts through the
catalog itself (pipeline/engine/worker.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from pipeline.catalog import Batch
from pipeline.config import Config


@dataclass(frozen=True)
class BatchJob:
    """What a worker needs to run stages on batches: paths, names and fingerprints, no objects."""

    raw: str
    out: str
    config: Config  # the settings as the command line made them (a file, overrides, defaults)
    stages: tuple[str, ...]
    fingerprints: tuple[tuple[str, str], ...]
    force: bool
    kiwi_threads: int
    done: frozenset[tuple[str, str]] = frozenset()  # (stage, batch id) made earlier in this run


# per stage: (ran, rows written per dataset, seconds)
BatchResult = dict[str, tuple[bool, dict[str, int], float]]


class Engine(Protocol):
    kiwi_threads: int  # Kiwi threads in each process that runs batches
    # True where the workers are forked from this process after `warm_up`, and so share what it
    # loaded: the first run's overlap (pipeline/runner/overlap.py) then warms up while ingest
    # reads. False where workers load their own, with their first batch.
    shares_warm_up: bool
    # How many processes of the runner's machine a corpus stage may spread its pure work over
    # (pipeline/engine/spread.py): the local pool's size; 1 where the workers are elsewhere.
    corpus_processes: int

    def warm_up(self, job: BatchJob) -> None:
        """Load here what the job's stages declare they need (registry: Stage.warm)."""
        ...

    def run(self, job: BatchJob, batches: list[Batch]) -> Iterator[BatchResult]:
        """Each batch's result, in the order of `batches`."""
        ...

    def close(self) -> None: ...
