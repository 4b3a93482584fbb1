"""Reading the user's files without ever blocking on, or draining, something that is not a file.

A settings file, a bookmarks file, the catalog or an article can be a FIFO (open blocks until a
writer comes, so the app freezes at start), a link to /dev/zero (a read never ends) or a device.
Every read of such a file goes through here: the file is opened without blocking, checked with
``fstat`` to be a regular file, and read up to a size limit, so the caller can say what is wrong.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO


class NotARegularFile(OSError):
    """The path is a FIFO, a device, a socket or a folder; ``strerror`` says which."""


class FileTooLarge(OSError):
    """The file holds more than the caller's limit; nothing beyond the limit was read."""


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def kind_of(mode: int) -> str:
    """What a file of this `st_mode` is, in words: `a named pipe (FIFO)`, `a folder`..."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def open_regular(path: Path | str) -> BinaryIO:
    """Open ``path`` for reading in binary; raise NotARegularFile (an OSError) unless it is a
    regular file. O_NONBLOCK keeps the open of a FIFO from waiting for a writer; it is cleared
    again, since it means nothing for a regular file."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = kind_of(mode)
            raise NotARegularFile(errno.EINVAL, f"is {kind}, not a regular file; not read", str(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file ``path``; FileTooLarge (an OSError) past ``limit`` bytes."""
    with open_regular(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(errno.EFBIG, f"larger than {_size(limit)}, far more than such a file holds; not read", str(path))
    return data


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit / 1024:g} KB"
