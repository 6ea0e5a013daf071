"""The first run's overlap: ingest reads the raw folder while the engine warms up, then gets a
head start on the batches it made.

Loading Kiwi takes seconds and holds the interpreter lock all along, so a thread cannot overlap
it; a first run has seconds of reading to do as well. The words used for it, here and in the
engines (pipeline/engine/protocol.py):

- *reading*: ingest's plan (read the raw folder, write the documents of the new batches). It
  runs in a forked child, which reports its progress (throttled, so it never waits) and its
  result through a pipe.
- *warm-up*: `Engine.warm_up`, the engine loading in this process what its workers will share
  (what the stages declare: `Stage.warm`). Only an engine whose workers are forked from this
  process afterwards has one worth overlapping (`Engine.shares_warm_up`).
- *ready*: the warm-up is over (an event the child polls).
- *head start*: the reading is over and the warm-up is not: the child runs the stages that
  load no model (`Stage.model`; detect) on the new batches, one after another, until ready.
- *head-started*: the batches the head start finished, with their results; the runner does not
  send them for those stages again, and counts them in the run's report.

Only a run that reads every file overlaps (a first run, or one after --force or a change of
ingest's settings): a run that finds nothing new should not load a model it will not use.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import time
from collections.abc import Callable
from typing import Any, TypeVar

from pipeline.context import Context
from pipeline.engine.protocol import BatchJob, BatchResult, Engine
from pipeline.engine.worker import run_batch, worker_init
from pipeline.errors import NewspipeError
from pipeline.progress import Progress
from pipeline.registry import stage
from pipeline.stages import ingest as ingest_stage

T = TypeVar("T")
U = TypeVar("U")

HeadStarted = dict[str, BatchResult]  # batch id -> the results of the stages its head start ran
# More work for the child after the reading, on its result, until ready() turns true.
HeadStart = Callable[[T, Callable[[], bool]], U]

_EVERY = 0.1  # seconds between progress messages from the child


def ingest(
    ctx: Context, fingerprint: str, job: BatchJob, engine: Engine, progress: Progress
) -> tuple[ingest_stage.Plan, HeadStarted]:
    """ingest's plan, and the batches head-started; overlapped with the warm-up on a first run."""
    ingest_stage.check_raw(ctx)  # at once, not after the models have loaded
    state = ingest_stage.last_state(ctx, fingerprint)  # read once: it lists every raw file
    reading = functools.partial(ingest_stage.plan, ctx, fingerprint, state=state)
    if job.stages and not state and engine.shares_warm_up:
        first = head_start_stages(job.stages)
        head_start = functools.partial(_head_start, job, first) if first else None
        plan, started = beside(
            reading, functools.partial(engine.warm_up, job), progress, head_start
        )
        return plan, started or {}
    return reading(progress), {}


def head_start_stages(stages: tuple[str, ...]) -> tuple[str, ...]:
    """The job's stages before the first whose warm-up loads a model."""
    first: list[str] = []
    for name in stages:
        if stage(name).model:
            break
        first.append(name)
    return tuple(first)


def _head_start(
    job: BatchJob, stages: tuple[str, ...], plan: ingest_stage.Plan, ready: Callable[[], bool]
) -> HeadStarted:
    """The stages on the plan's new batches, one batch after another, until ready() says stop."""
    alone = dataclasses.replace(job, stages=stages)
    started: HeadStarted = {}
    for batch in plan.new_batches:
        if ready():
            break
        started[batch.id] = run_batch(alone, batch)
    return started


class _Relay:
    """The child's progress: phases at once, advances gathered and sent now and then."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._pending = 0
        self._sent = float("-inf")

    def phase(self, name: str, total: int, unit: str, at: float | None = None) -> None:
        self.flush()
        self._conn.send(("phase", ((name, total, unit), time.monotonic())))
        self._sent = float("-inf")  # a phase's first step is sent at once

    def advance(self, n: int = 1, at: float | None = None) -> None:
        self._pending += n
        if time.monotonic() - self._sent >= _EVERY:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self._conn.send(("advance", (self._pending, time.monotonic())))
            self._pending = 0
        self._sent = time.monotonic()

    def close(self) -> None:
        self.flush()


def _child(
    reading: Callable[[Progress], Any],
    head_start: Callable[[Any, Callable[[], bool]], Any] | None,
    ready: Any,
    conn: Any,
    parent: int,
) -> None:
    worker_init(parent)
    relay = _Relay(conn)
    try:
        result = reading(relay)
        started = None if head_start is None else head_start(result, ready.is_set)
    except BaseException as exc:  # everything goes back to the parent, which raises it
        relay.close()
        try:
            conn.send(("error", exc))
        except Exception:  # an exception that does not pickle goes back as its message
            conn.send(("error", NewspipeError(f"{type(exc).__name__}: {exc}")))
    else:
        relay.close()
        conn.send(("done", (result, started)))
    finally:
        conn.close()


def beside(
    reading: Callable[[Progress], T],
    warm_up: Callable[[], None],
    progress: Progress,
    head_start: HeadStart[T, U] | None = None,
) -> tuple[T, U | None]:
    """reading(progress) in a forked child while warm_up() runs here; its result or its error.

    A child done before warm_up() goes on with head_start(result, ready), where ready() turns
    true once warm_up() has returned; its result comes back with the reading's (None without).
    """
    import multiprocessing as mp

    context = mp.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    ready = context.Event()
    child = context.Process(
        target=_child, args=(reading, head_start, ready, send, os.getpid()), daemon=True
    )
    child.start()
    send.close()
    try:
        warm_up()
        ready.set()
        while True:
            try:
                kind, value = receive.recv()
            except EOFError:
                child.join()
                raise NewspipeError(
                    f"the ingest process died (exit status {child.exitcode})"
                ) from None
            if kind == "phase":  # replayed with the child's times (the clock is system-wide)
                (name, total, unit), at = value
                progress.phase(name, total, unit, at=at)
            elif kind == "advance":
                n, at = value
                progress.advance(n, at=at)
            elif kind == "error":
                raise value
            else:
                return value
    finally:
        receive.close()
        if child.is_alive():
            child.terminate()
        child.join()
