"""Atomic file writes: the old file survives intact until the new one is complete on disk."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: str | bytes, *, backup: bool = False, durable: bool = True) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory, flush, fsync and rename.

    Readers (and a process killed mid-write) see the old file or the new one, never a part of it.
    ``durable=False`` skips the fsyncs, for bulk writers that sync once at the end: a power cut may
    then leave the newest files empty, a kill still cannot. With ``backup`` the previous version is
    kept beside it as ``<name>.bak``. Any OSError
    (disk full, read-only folder) leaves the old file untouched and propagates to the caller,
    who tells the user.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    # The pid in the name lets a later run tell a dead writer's leftovers from a live one's.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if backup and path.exists():
            backup_path = path.with_name(path.name + ".bak")
            try:
                os.unlink(backup_path)
            except FileNotFoundError:
                pass
            os.link(path, backup_path)
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    if durable:
        _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    # Make the rename itself durable; not every platform lets a directory be opened.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
