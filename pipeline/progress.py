"""Progress bars for people at a terminal; nothing at all for pipes, --quiet and JSON logs."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, Protocol


class Progress(Protocol):
    """Phases with a known total, advanced as work is done.

    `at` is when it happened (time.monotonic()) if that was not now: progress made in another
    process and relayed keeps its own times, so rates and time left stay true.
    """

    def phase(self, name: str, total: int, unit: str, at: float | None = None) -> None: ...

    def advance(self, n: int = 1, at: float | None = None) -> None: ...

    def close(self) -> None: ...


class Silent:
    """No output: what a scheduler or a pipe gets."""

    def phase(self, name: str, total: int, unit: str, at: float | None = None) -> None:
        pass

    def advance(self, n: int = 1, at: float | None = None) -> None:
        pass

    def close(self) -> None:
        pass


class Bars:
    """One bar per phase on stderr: done/total, rate, time left (rich)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichProgress

        self.console = Console(stderr=True)
        self._at: float | None = None
        self._bars = RichProgress(
            TextColumn("{task.description:<22}"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
            get_time=self._now,
        )
        self._bars.start()
        self._task: Any = None
        self._unit = ""

    def _now(self) -> float:
        return time.monotonic() if self._at is None else self._at

    def phase(self, name: str, total: int, unit: str, at: float | None = None) -> None:
        self._unit = unit
        self._at = at
        self._task = self._bars.add_task(name, total=total, rate="")
        self._at = None

    def advance(self, n: int = 1, at: float | None = None) -> None:
        if self._task is None:
            return
        self._at = at
        self._bars.advance(self._task, n)
        self._at = None
        speed = self._bars.tasks[self._task].speed
        self._bars.update(self._task, rate=f"{speed:,.0f} {self._unit}/s" if speed else "")

    def close(self) -> None:
        self._bars.stop()

    def log_handler(self) -> logging.Handler:
        """A handler that prints log lines above the bars instead of through them."""
        from rich.logging import RichHandler

        return RichHandler(console=self.console, show_path=False, show_level=True)


def make_progress(enabled: bool) -> Progress:
    """Bars when asked for and stderr is a terminal, else silence."""
    return Bars() if enabled and sys.stderr.isatty() else Silent()
