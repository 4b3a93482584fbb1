"""What the benchmarks share: a home of their own, and the arguments of the kill loops.

Each benchmark runs the reader against folders it makes, never the user's: the KLIPING_*_DIR
variables point the data, config and cache folders into its work folder (as the tests' conftest
does), and the child processes it starts inherit them.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def isolate_home(folder: Path) -> None:
    """Point the reader's data, config and cache folders into ``folder`` (this process and its children)."""
    for name in ("DATA", "CONFIG", "CACHE"):
        os.environ[f"KLIPING_{name}_DIR"] = str(folder / name.lower())


@contextmanager
def isolated_home(prefix: str | None = None) -> Iterator[Path]:
    """A temporary work folder, removed afterwards, that the reader's folders point into (:func:`isolate_home`)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        work = Path(tmp)
        isolate_home(work)
        yield work


def kill_loop_arguments(description: str) -> argparse.ArgumentParser:
    """The options every kill loop takes: how many rounds, and the seed that picks the kill times."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    return parser
