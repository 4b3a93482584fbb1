"""A library folder of many tiny files: how long listing the folder and the first and second
refresh take.

    python -m bench.many_files [--count 100000]

The test suite runs 5,000 (tests/test_hostile_articles.py::test_many_files).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from tests.support.hardening import make_many_files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["KLIPING_CACHE_DIR"] = str(Path(tmp) / "cache")
        from kliping.library.folder import Library

        root = Path(tmp) / "library"
        began = time.perf_counter()
        make_many_files(root, args.count)
        print(f"files:                 {args.count:,}")
        print(f"generate:              {time.perf_counter() - began:.1f} s")
        began = time.perf_counter()
        found = Library(root).files()
        print(f"Library.files():       {time.perf_counter() - began:.1f} s ({len(found):,} found)")
        began = time.perf_counter()
        changes = Library(root).refresh()
        print(f"first refresh:         {time.perf_counter() - began:.1f} s ({len(changes.added):,} added, "
              f"{len(changes.errors)} problems)")
        began = time.perf_counter()
        library = Library(root)
        changes = library.refresh()
        print(f"unchanged refresh:     {time.perf_counter() - began:.1f} s ({len(library.entries()):,} entries)")
        print(f"peak RSS:              {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
