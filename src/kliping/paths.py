"""Where kliping keeps its files: the user's data, config and cache directories.

Each can be moved with an environment variable so that tests (and people with unusual set-ups)
never touch the real home directory.
"""

from __future__ import annotations

import hashlib
import os
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
