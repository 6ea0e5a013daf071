"""One run at a time per output folder: an exclusive lock that dies with its process."""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import time
from pathlib import Path
from types import TracebackType

from pipeline.errors import NewspipeError


class LockHeldError(NewspipeError):
    """Another run holds the output folder's lock."""

    exit_code = 3


# Descriptors of the locks this process holds: a forked worker closes its copies (see
# release_inherited), or a worker outliving a killed parent would keep the lock held.
HELD: set[int] = set()


def release_inherited() -> None:
    """In a forked child: close the lock descriptors it inherited (the parent keeps the lock)."""
    for fd in list(HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    HELD.clear()


class RunLock:
    """flock on `<out>/.newspipe.lock`: the kernel drops it if the holder dies, even by kill -9."""

    def __init__(self, out: Path) -> None:
        self.path = out / ".newspipe.lock"
        self._fd: int | None = None

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise LockHeldError(f"{self.path.parent} is locked by the run of {holder}") from None
        os.ftruncate(fd, 0)
        started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        os.pwrite(
            fd, f"pid {os.getpid()} on {socket.gethostname()}, started {started}\n".encode(), 0
        )
        self._fd = fd
        HELD.add(fd)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._fd is not None:
            HELD.discard(self._fd)
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
