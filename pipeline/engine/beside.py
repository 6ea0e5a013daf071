"""Run one piece of work in a forked child while this process loads what its workers will share.

Loading Kiwi takes seconds and holds the interpreter lock all along, so a thread cannot overlap
it. A first run has seconds of ingest to do as well: the child reads the raw files while the
parent loads the model, and the pool is forked from the parent afterwards. The child reports
its progress (throttled, so it never waits on the parent) and its result through a pipe. Ingest
ends before the model has loaded: the child spends the time left on spare work (the runner
gives it detect, which needs no model) until the parent is ready.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from pipeline.errors import NewspipeError
from pipeline.progress import Progress

if TYPE_CHECKING:
    from pipeline.engine import Spare

T = TypeVar("T")
U = TypeVar("U")

_EVERY = 0.1  # seconds between progress messages from the child


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
    work: Callable[[Progress], Any],
    spare: Callable[[Any, Callable[[], bool]], Any] | None,
    ready: Any,
    conn: Any,
    parent: int,
) -> None:
    from pipeline.engine import _worker_init

    _worker_init(parent)
    relay = _Relay(conn)
    try:
        result = work(relay)
        extra = None if spare is None else spare(result, ready.is_set)
    except BaseException as exc:  # everything goes back to the parent, which raises it
        relay.close()
        try:
            conn.send(("error", exc))
        except Exception:  # an exception that does not pickle goes back as its message
            conn.send(("error", NewspipeError(f"{type(exc).__name__}: {exc}")))
    else:
        relay.close()
        conn.send(("done", (result, extra)))
    finally:
        conn.close()


def run_beside(
    work: Callable[[Progress], T],
    meanwhile: Callable[[], None],
    progress: Progress,
    spare: Spare[T, U] | None = None,
) -> tuple[T, U | None]:
    """work(progress) in a forked child while meanwhile() runs here; work's result or its error.

    A child done before meanwhile() goes on with spare(result, ready), where ready() turns true
    once meanwhile() has returned; spare's result comes back with work's (None without spare).
    """
    import multiprocessing as mp

    context = mp.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    ready = context.Event()
    child = context.Process(
        target=_child, args=(work, spare, ready, send, os.getpid()), daemon=True
    )
    child.start()
    send.close()
    try:
        meanwhile()
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
