"""Every test runs against temporary data, config and cache directories, never the real home."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support import REPO, SEEDS_DIR


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("KLIPING_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("KLIPING_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("KLIPING_CACHE_DIR", str(home / "cache"))
    monkeypatch.delenv("KLIPING_LIBRARY", raising=False)
    monkeypatch.setenv("HOME", str(home))
    # Child processes import tests.support (helpers run with `python -m`) from the repository root.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    return home


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS_DIR


@pytest.fixture
def seed_library(tmp_path: Path) -> Path:
    """A temporary library folder holding copies of the five bundled seed articles."""
    library = tmp_path / "library"
    library.mkdir()
    for seed in sorted(SEEDS_DIR.glob("*.txt")):
        (library / seed.name).write_bytes(seed.read_bytes())
    return library
