"""Atomic file writes: the old file survives intact until the new one is complete on disk."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path

# Why os.link may refuse where a copy still works: no hard links on this file system (FAT, some
# network and FUSE mounts), a link count at its limit, or a kernel that protects hard links.
_NO_HARD_LINKS = frozenset(
    {errno.EPERM, errno.EACCES, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS}
)


def write_atomic(path: Path, data: str | bytes, *, backup: bool = False, durable: bool = True) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory, flush, fsync and rename.

    Readers (and a process killed mid-write) see the old file or the new one, never a part of it.
    ``durable=False`` skips the fsyncs, for bulk writers that sync once at the end: a power cut may
    then leave the newest files empty, a kill still cannot. With ``backup`` the previous version is
    kept beside it as ``<name>.bak`` (a hard link, or a copy where links are refused). A file
    that existed keeps its permission bits; a new one gets 0666 less the umask, like any other
    file the user creates (mkstemp alone would make it 0600). Any OSError (disk full, read-only
    folder) leaves the old file and its backup untouched and propagates to the caller, who tells
    the user.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = None
    # The pid in the name lets a later run tell a dead writer's leftovers from a live one's.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(fd, mode if mode is not None else 0o666 & ~_umask())
            handle.write(payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if backup and mode is not None:
            _keep_backup(path)
        os.replace(tmp_name, path)
    except BaseException:
        _remove(tmp_name)
        raise
    if durable:
        _fsync_dir(path.parent)


def _umask() -> int:
    """The process's umask. Linux shows it in /proc; elsewhere it can only be read by setting it,
    which for a moment applies to files other threads create, hence the preference."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def _keep_backup(path: Path) -> None:
    """``path`` as it is now becomes ``<name>.bak``; the old backup stays until the new one is whole."""
    backup_path = path.with_name(path.name + ".bak")
    try:
        if os.path.samefile(path, backup_path):
            # A write killed after keeping the backup left it as a second link to the file: it
            # holds this version already (and rename() between two links of one file does nothing).
            return
    except FileNotFoundError:
        pass
    fd, staged = tempfile.mkstemp(prefix=f".{backup_path.name}.{os.getpid()}-", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        os.unlink(staged)  # mkstemp only reserved a name no one else takes; a link needs it free
        try:
            os.link(path, staged)
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:
                raise
            shutil.copy2(path, staged)
        os.replace(staged, backup_path)
    except BaseException:
        _remove(staged)
        raise


def _remove(name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name)


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
