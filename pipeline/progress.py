"""Progress bars for people at a terminal; nothing at all for pipes, --quiet and JSON logs."""

from __future__ import annotations

import logging
import sys
from typing import Any, Protocol


class Progress(Protocol):
    def phase(self, name: str, total: int, unit: str) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def close(self) -> None: ...


class Silent:
    """No output: what a scheduler or a pipe gets."""

    def phase(self, name: str, total: int, unit: str) -> None:
        pass

    def advance(self, n: int = 1) -> None:
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
        )
        self._bars.start()
        self._task: Any = None
        self._unit = ""

    def phase(self, name: str, total: int, unit: str) -> None:
        self._unit = unit
        self._task = self._bars.add_task(name, total=total, rate="")

    def advance(self, n: int = 1) -> None:
        if self._task is None:
            return
        self._bars.advance(self._task, n)
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
