"""Where kliping keeps its files: the user's data, config and cache directories.

Each can be moved with an environment variable so that tests (and people with unusual set-ups)
never touch the real home directory.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "kliping"


def _dir(env_var: str, default: str) -> Path:
    value = os.environ.get(env_var)
    return Path(value).expanduser() if value else Path(default)


def data_dir() -> Path:
    """User data: the default library, bookmarks, reading state."""
    return _dir("KLIPING_DATA_DIR", platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Settings and user themes."""
    return _dir("KLIPING_CONFIG_DIR", platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Derived data that can always be rebuilt: the search index and the catalog."""
    return _dir("KLIPING_CACHE_DIR", platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def expand_user(text: str) -> Path:
    """``text`` as a path with `~` expanded; ValueError, with a one-line reason, for `~nosuchuser`
    (pathlib raises RuntimeError, which no caller expects from a file name)."""
    try:
        return Path(text).expanduser()
    except RuntimeError:
        raise ValueError(f"{text}: no such user, so no home folder to put it in") from None


def default_library_dir() -> Path:
    return data_dir() / "library"


def library_key(library_root: Path) -> str:
    """A short stable name for a library folder, so each library has its own caches and state."""
    resolved = str(Path(library_root).expanduser().resolve())
    name = Path(resolved).name or "root"
    digest = hashlib.sha1(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return f"{name}-{digest}"


def library_cache_dir(library_root: Path) -> Path:
    return cache_dir() / "libraries" / library_key(library_root)


def library_data_dir(library_root: Path) -> Path:
    """Per-library user data (bookmarks, reading state) lives in the data dir, not in the cache."""
    return data_dir() / "libraries" / library_key(library_root)


# -- finding a library's data again after its folder moved ---------------------------------------

# Per-library data is kept under a key made from the folder's path, so a renamed or moved folder
# would seem to have lost its bookmarks. Each data directory records which folder it belongs to:
# its path, and its identity (device and inode, which a rename or a move within one file system
# keeps).
LIBRARY_RECORD = "library.json"
_RECORD_LIMIT = 64 * 1024


def _identity(library_root: Path) -> dict:
    resolved = Path(library_root).expanduser().resolve()
    status = os.stat(resolved)
    return {"path": str(resolved), "device": status.st_dev, "inode": status.st_ino}


def _read_record(path: Path) -> dict | None:
    """A data directory's record, or None if it has none or it is not one kliping wrote."""
    from kliping.files.regular_file import read_regular

    try:
        record = json.loads(read_regular(path, _RECORD_LIMIT).decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("path"), str):
        return None
    return record


def record_library(library_root: Path) -> None:
    """Note in the library's data directory (if it has one) which folder it belongs to."""
    from kliping.files.atomic import write_atomic
    from kliping.files.sanitize import json_line

    directory = library_data_dir(library_root)
    try:
        identity = _identity(library_root)
        if not directory.is_dir() or _read_record(directory / LIBRARY_RECORD) == identity:
            return
        write_atomic(directory / LIBRARY_RECORD, json_line(identity) + "\n")
    except OSError:
        pass  # only finding this library again after a move depends on it


@dataclass(frozen=True)
class MovedLibraryData:
    """What :func:`find_moved_library_data` found for a folder that has no data directory."""

    moved_from: str | None = None  # the old path of this very folder, whose data now is this one's
    problem: str | None = None  # why that data could not be moved here
    gone: tuple[tuple[Path, str], ...] = ()  # (data directory, old path) of other folders that are gone


# What a caller that does not tell the user found (the reading state, opened before the bookmarks),
# kept for the one that does, so the move is searched for once and still said.
_untold: dict[Path, MovedLibraryData] = {}


def find_moved_library_data(library_root: Path, *, tell: bool = True) -> MovedLibraryData:
    """For a library folder without a data directory: if the data of this same folder under an
    old path is found (its recorded path is gone and its identity is this folder's), rename it to
    this folder's key; else list the data of library folders that are gone, for the user.
    ``tell=False``: the caller will not tell the user; the next caller that does gets the finding."""
    target = library_data_dir(library_root)
    if tell and target in _untold:
        return _untold.pop(target)
    found = _find_moved(library_root, target)
    if not tell:
        _untold[target] = found
    return found


def _find_moved(library_root: Path, target: Path) -> MovedLibraryData:
    try:
        if target.exists():
            return MovedLibraryData()
        identity = _identity(library_root)
        candidates = sorted((data_dir() / "libraries").iterdir())
    except OSError:
        return MovedLibraryData()
    gone: list[tuple[Path, str]] = []
    for candidate in candidates:
        record = _read_record(candidate / LIBRARY_RECORD)
        if record is None or os.path.lexists(record["path"]):
            continue
        if (record.get("device"), record.get("inode")) == (identity["device"], identity["inode"]):
            try:
                os.rename(candidate, target)  # one rename: everything moves, nothing is copied or lost
            except OSError as exc:
                return MovedLibraryData(record["path"], f"cannot move {candidate} to {target}: {exc.strerror or exc}")
            record_library(library_root)
            return MovedLibraryData(record["path"])
        gone.append((candidate, record["path"]))
    return MovedLibraryData(gone=tuple(gone))
