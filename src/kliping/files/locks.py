"""An exclusive lock on a file, waited for up to a deadline.

The bookmarks file and the search index are each written by one process at a time: a writer holds
an ``flock`` on a lock file beside them. A lock held by another process is tried again every few
milliseconds rather than waited for in the kernel, so that a process that never lets go (stopped
with ^Z, or stuck on a dead disk) costs a waiter a bounded wait and a message, never a hang. The
kernel drops the lock when its holder exits, however it exits: a killed writer leaves no stale lock.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType


class HeldLock:
    """The lock on one lock file, held until :meth:`release` (or the end of a ``with`` block)."""

    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    def release(self) -> None:
        """Let go of the lock; releasing it twice is harmless."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the file is what releases an flock

    def __enter__(self) -> HeldLock:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.release()


def acquire(path: Path, *, timeout: float, poll: float) -> HeldLock | None:
    """Lock ``path`` (made, with its folder, if missing) within ``timeout`` seconds, trying again
    every ``poll`` seconds; None if another process still holds it by then (a timeout of 0 tries
    once). OSError when the lock file cannot be made or opened."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return HeldLock(fd)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return None
                time.sleep(poll)
    except BaseException:
        os.close(fd)
        raise
