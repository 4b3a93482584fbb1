"""The library catalog at scale: how long an unchanged library takes to open and what it costs in memory.

    python -m bench.catalog --library DIR [--cache DIR] [--runs 5]

Each run is a fresh process that opens the library (its catalog must already be built, e.g. by
`reader list`) and reports, medians over --runs:

- load: reading the catalog file into memory (`load_catalog`, no folder scan);
- load + scan: a library's first `refresh()` and `entries()` as the reader calls them (the catalog
  loaded, the folder checked for changed files, the list sorted);
- resident: what the loaded catalog adds to the process's resident memory (/proc/self/statm), and
  the process's peak RSS (getrusage). The catalog loaded alone is dropped before the library
  loads it again, so the peak holds one catalog.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = """
import json, os, resource, sys, time
from pathlib import Path
page = os.sysconf("SC_PAGE_SIZE")
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * page / 1e6
from kliping.library.catalog import load_catalog
from kliping.library.folder import Library
before = rss()
library = Library(Path(sys.argv[1]))
began = time.perf_counter()
catalog = load_catalog(library.catalog_path)
loaded = time.perf_counter() - began
resident = rss() - before
del catalog
began = time.perf_counter()
changes = library.refresh()
count = len(library.entries())
opened = time.perf_counter() - began
assert not changes.any, "the catalog was not up to date: run `reader list` on the library first"
print(json.dumps({"load_s": loaded, "load_scan_s": opened, "entries": count, "resident_mb": resident,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, required=True)
    parser.add_argument("--cache", type=Path, help="KLIPING_CACHE_DIR for the child processes")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = dict(os.environ)
    if args.cache:
        env["KLIPING_CACHE_DIR"] = str(args.cache)
    runs = []
    for _ in range(args.runs):
        proc = subprocess.run([sys.executable, "-c", CHILD, str(args.library)], env=env,
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-2000:])
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))

    def median(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    print(f"{runs[0]['entries']:,} entries: load {median('load_s'):.2f} s, load + scan "
          f"{median('load_scan_s'):.2f} s, catalog resident {median('resident_mb'):.0f} MB, "
          f"peak RSS {median('peak_mb'):.0f} MB (median of {args.runs})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
