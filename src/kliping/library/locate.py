"""Which library to open: the folder named on the command line, in the environment or in the
settings, else the default one, which is seeded with the bundled articles on first use."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from kliping.files import paths
from kliping.files.atomic import write_atomic
from kliping.library.folder import Library


def resolve_library_dir(option: str | None, warn: Callable[[str], None] | None = None) -> Path:
    """Which library to open: `--library`, then $KLIPING_LIBRARY, then settings, then the default.

    ``warn`` hears each problem of the settings file when it is consulted: a broken file means the
    default library, and a command must not say nothing about that."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get("KLIPING_LIBRARY")
    if env:
        return Path(env).expanduser()
    from kliping.config.settings import load_settings

    loaded = load_settings()
    if warn is not None:
        for problem in loaded.problems:
            warn(problem)
    if loaded.settings.library:
        return Path(loaded.settings.library).expanduser()
    return paths.default_library_dir()


def open_library(option: str | None = None, warn: Callable[[str], None] | None = None) -> Library:
    """Open the library the user asked for; the default one is seeded with the bundled articles."""
    root = resolve_library_dir(option, warn)
    if root == paths.default_library_dir():
        seed_default_library(root)
    return Library(root)


def seed_default_library(root: Path) -> None:
    """On first run, copy the bundled seed articles into the default library (never overwrite)."""
    marker = root / ".seeded"
    if marker.exists():
        return
    from importlib.resources import files

    root.mkdir(parents=True, exist_ok=True)
    seeds = files("kliping") / "seeds"
    for seed in sorted(seeds.iterdir(), key=lambda p: p.name):
        if seed.name.endswith(".txt"):
            target = root / seed.name
            if not target.exists():
                write_atomic(target, seed.read_bytes())
    marker.write_text("The bundled articles were copied here once; delete them freely.\n", "utf-8")
