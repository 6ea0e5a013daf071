"""A first run's ingest in a forked child while the parent loads models: result, progress, errors."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from typing import Any

import pytest

from pipeline.engine.beside import run_beside
from pipeline.errors import NewspipeError, RawFolderError
from pipeline.progress import Progress


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[Any, ...]] = []

    def phase(self, name: str, total: int, unit: str, at: float | None = None) -> None:
        self.events.append(("phase", name, total, unit, at is not None))

    def advance(self, n: int = 1, at: float | None = None) -> None:
        self.events.append(("advance", n, at is not None))

    def close(self) -> None:
        pass


def _count(progress: Progress) -> dict[str, int]:
    progress.phase("ingest", 1000, "files")
    for _ in range(1000):
        progress.advance()
    return {"pid": os.getpid(), "files": 1000}


def test_the_work_runs_in_a_child_and_its_progress_comes_back_with_its_times() -> None:
    meanwhile: list[int] = []
    seen = Recorder()
    result, extra = run_beside(_count, lambda: meanwhile.append(os.getpid()), seen)
    assert extra is None
    assert result["files"] == 1000 and result["pid"] != os.getpid()
    assert meanwhile == [os.getpid()]
    assert seen.events[0] == ("phase", "ingest", 1000, "files", True)
    advances = [e for e in seen.events if e[0] == "advance"]
    assert sum(e[1] for e in advances) == 1000 and all(e[2] for e in advances)


def _fail(progress: Progress) -> None:
    raise RawFolderError("raw folder /nowhere not found")


def test_an_error_in_the_child_is_raised_here_as_itself() -> None:
    with pytest.raises(RawFolderError, match="raw folder /nowhere not found"):
        run_beside(_fail, lambda: None, Recorder())


class Unpicklable(Exception):
    def __reduce__(self) -> Any:
        raise TypeError("no")


def _fail_oddly(progress: Progress) -> None:
    raise Unpicklable("odd")


def test_an_error_that_does_not_pickle_comes_back_as_its_message() -> None:
    with pytest.raises(NewspipeError, match="Unpicklable: odd"):
        run_beside(_fail_oddly, lambda: None, Recorder())


def _die(progress: Progress) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_child_that_dies_is_a_one_line_error() -> None:
    with pytest.raises(NewspipeError, match=r"the ingest process died \(exit status -9\)"):
        run_beside(_die, lambda: None, Recorder())


def _until_ready(result: dict[str, int], ready: Callable[[], bool]) -> list[int]:
    done = []
    while not ready():  # one step at a time, as a batch at a time
        done.append(result["files"])
        time.sleep(0.01)
    return done


def test_a_child_done_first_goes_on_with_spare_work_until_this_process_is_ready() -> None:
    result, extra = run_beside(_count, lambda: time.sleep(0.5), Recorder(), _until_ready)
    assert result["files"] == 1000
    assert extra and set(extra) == {1000}  # it ran while this process was busy, and stopped


def test_spare_work_that_finds_this_process_ready_does_nothing() -> None:
    slow_work = lambda progress: time.sleep(0.3) or {"files": 1}  # noqa: E731
    _, extra = run_beside(slow_work, lambda: None, Recorder(), _until_ready)
    assert extra == []
