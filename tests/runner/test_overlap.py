"""The first run's overlap: the reading in a forked child while this process warms up; its result,
progress and errors; the head start; which stages get one."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from typing import Any

import pytest

from pipeline.errors import NewspipeError, RawFolderError
from pipeline.progress import Progress
from pipeline.runner.overlap import beside, head_start_stages


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


def test_the_reading_runs_in_a_child_and_its_progress_comes_back_with_its_times() -> None:
    warmed: list[int] = []
    seen = Recorder()
    result, started = beside(_count, lambda: warmed.append(os.getpid()), seen)
    assert started is None
    assert result["files"] == 1000 and result["pid"] != os.getpid()
    assert warmed == [os.getpid()]
    assert seen.events[0] == ("phase", "ingest", 1000, "files", True)
    advances = [e for e in seen.events if e[0] == "advance"]
    assert sum(e[1] for e in advances) == 1000 and all(e[2] for e in advances)


def _fail(progress: Progress) -> None:
    raise RawFolderError("raw folder /nowhere not found")


def test_an_error_in_the_child_is_raised_here_as_itself() -> None:
    with pytest.raises(RawFolderError, match="raw folder /nowhere not found"):
        beside(_fail, lambda: None, Recorder())


class Unpicklable(Exception):
    def __reduce__(self) -> Any:
        raise TypeError("no")


def _fail_oddly(progress: Progress) -> None:
    raise Unpicklable("odd")


def test_an_error_that_does_not_pickle_comes_back_as_its_message() -> None:
    with pytest.raises(NewspipeError, match="Unpicklable: odd"):
        beside(_fail_oddly, lambda: None, Recorder())


def _die(progress: Progress) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_child_that_dies_is_a_one_line_error() -> None:
    with pytest.raises(NewspipeError, match=r"the ingest process died \(exit status -9\)"):
        beside(_die, lambda: None, Recorder())


def _until_ready(result: dict[str, int], ready: Callable[[], bool]) -> list[int]:
    done = []
    while not ready():  # one step at a time, as a batch at a time
        done.append(result["files"])
        time.sleep(0.01)
    return done


def test_a_child_done_first_gets_a_head_start_until_this_process_is_ready() -> None:
    result, started = beside(_count, lambda: time.sleep(0.5), Recorder(), _until_ready)
    assert result["files"] == 1000
    assert started and set(started) == {1000}  # it ran while this process was busy, and stopped


def test_a_head_start_that_finds_this_process_ready_does_nothing() -> None:
    slow_work = lambda progress: time.sleep(0.3) or {"files": 1}  # noqa: E731
    _, started = beside(slow_work, lambda: None, Recorder(), _until_ready)
    assert started == []


def test_the_head_start_runs_the_stages_before_the_first_that_loads_a_model() -> None:
    """tokenize declares a model (Kiwi); detect declares none, so it runs while Kiwi loads."""
    assert head_start_stages(("detect", "tokenize", "strip", "export")) == ("detect",)
    assert head_start_stages(("detect",)) == ("detect",)
    assert head_start_stages(("tokenize", "strip")) == ()
