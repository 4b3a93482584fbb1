"""How import, indexing, start-up and search grow with the library: 20k, 50k and 100k articles.

    python -m bench.make_variations --count 100000 --output /tmp/kliping-scale/articles.jsonl
    python -m bench.scale --dataset /tmp/kliping-scale/articles.jsonl [--sizes 20000,50000,100000]

The library grows step by step: each step imports the next slice of the dataset (`reader import`
in a child process), brings the catalog and the search index up to date
(`SearchIndex.open(library).update()`), then measures the index size on disk, the time until the
full-screen reader has its article list (headless, through Textual's Pilot), and 30 queries.
Every step runs in its own child process, which reports its own peak RSS (getrusage), so each
RSS figure is that one process's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import isolate_home

QUERIES = [
    "presiden", "jokowi", "banjir jakarta", "harga beras", "timnas indonesia", "korupsi kpk",
    "gempa bumi", "pemilu 2019", "demo mahasiswa", "kebakaran hutan", "\"revisi uu kpk\"",
    "polisi menangkap", "sepak bola", "film terbaru", "artis menikah", "ekonomi melambat",
    "papua", "wiranto", "bank indonesia suku bunga", "harga minyak", "kesehatan anak",
    "jakarta -banjir", "menteri kabinet baru", "pendidikan guru", "teknologi 5g", "liga inggris",
    "bunga", "makan*", "kabut asap riau", "pariwisata bali",
]


def _child(code: str, *args: str) -> tuple[dict, float, float, float]:
    """Run ``code`` in a child Python; returns (the JSON it printed last, wall seconds, its CPU
    seconds (user + sys, which a shared machine's load does not inflate), its peak RSS in MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, check=False)
    seconds = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # children run one at a time: the difference is this one's
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if proc.returncode != 0:
        raise SystemExit(f"child failed ({proc.returncode}):\n{proc.stderr.decode(errors='replace')[-3000:]}")
    lines = [ln for ln in proc.stdout.decode().splitlines() if ln.startswith("{")]
    data = json.loads(lines[-1]) if lines else {}
    return data, seconds, cpu, data.get("peak_rss_mb", 0.0)


_PEAK = "import resource; peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"

IMPORT = _PEAK + """
import json, sys
from pathlib import Path
from kliping.ingest.importer import import_paths
summary = import_paths(Path(sys.argv[1]), [Path(sys.argv[2])])
print(json.dumps({"line": summary.line(), "failed": summary.failed[:3], "peak_rss_mb": peak()}))
"""

INDEX = _PEAK + """
import json, sys, time
from pathlib import Path
from kliping.library.folder import Library
from kliping.search import SearchIndex
began = time.perf_counter()
library = Library(Path(sys.argv[1]))
changes = library.refresh()
catalog = time.perf_counter() - began
began = time.perf_counter()
index = SearchIndex.open(library)
report = index.update()
indexing = time.perf_counter() - began
count = index.doc_count()
index.close()
print(json.dumps({"catalog_s": catalog, "index_s": indexing, "docs": count, "entries": len(library.entries()),
                  "errors": len(changes.errors), "peak_rss_mb": peak()}))
"""

SEARCH = _PEAK + """
import json, sys, time
from pathlib import Path
from kliping.library.folder import Library
from kliping.search import SearchIndex
began = time.perf_counter()
library = Library(Path(sys.argv[1]))
library.entries()
index = SearchIndex.open(library)
opened = time.perf_counter() - began
queries = json.loads(sys.argv[2])
index.search(queries[0], limit=50)  # the first search loads the reader's caches
times, totals = [], []
for query in queries:
    began = time.perf_counter()
    results = index.search(query, limit=50)
    times.append((time.perf_counter() - began) * 1000)
    totals.append(results.total)
index.close()
print(json.dumps({"open_s": opened, "times_ms": times, "totals": totals, "peak_rss_mb": peak()}))
"""

FIRST_PAINT = _PEAK + """
import asyncio, json, sys, time
began = time.perf_counter()
from pathlib import Path
from kliping.library.folder import Library
from kliping.tui.app import ReaderApp

async def main():
    library = Library(Path(sys.argv[1]))
    app = ReaderApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        while len(app.session.entries) < int(sys.argv[2]):
            await pilot.pause(0.01)
            if time.perf_counter() - began > 300:
                raise SystemExit("the list never filled")
        ready = time.perf_counter() - began
        await pilot.pause()
        return ready

ready = asyncio.run(main())
print(json.dumps({"ready_s": ready, "peak_rss_mb": peak()}))
"""


def _tui_importable() -> bool:
    try:
        import kliping.tui.app  # noqa: F401
    except Exception:  # any failure means the column is skipped
        return False
    return True


def _directory_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _slices(dataset: Path, sizes: list[int], work: Path) -> list[Path]:
    """The dataset cut into the slices each step adds: [0, 20k), [20k, 50k), [50k, 100k)."""
    paths = [work / f"slice-{size}.jsonl" for size in sizes]
    with open(dataset, encoding="utf-8") as source:
        previous = 0
        for size, path in zip(sizes, paths, strict=False):
            with open(path, "w", encoding="utf-8") as out:
                for _ in range(size - previous):
                    line = source.readline()
                    if not line:
                        raise SystemExit(f"{dataset} has fewer than {size} records")
                    out.write(line)
            previous = size
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, required=True)
    parser.add_argument("--sizes", default="20000,50000,100000")
    parser.add_argument("--work", type=Path, help="where the library and caches go (default: a temp dir)")
    parser.add_argument("--measure-only", action="store_true",
                        help="only start-up, queries and RSS on the library already in --work (after a change)")
    args = parser.parse_args()
    if args.measure_only:
        return measure_only(args.work)
    sizes = [int(s) for s in args.sizes.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="kliping-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    isolate_home(work)
    library = work / "library"
    tui = _tui_importable()
    print(f"work directory: {work}", flush=True)
    header = (f"{'articles':>9} {'import':>9} {'CPU':>8} {'RSS':>6} {'catalog':>8} {'index':>8} {'CPU':>8} {'RSS':>6} "
              f"{'index MB':>9} "
              f"{'open':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'RSS':>6} {'list ready':>10} {'RSS':>6}")
    rows = []
    for size, part in zip(sizes, _slices(args.dataset, sizes, work), strict=False):
        imported, import_s, import_cpu, import_rss = _child(IMPORT, str(library), str(part))
        indexed, _, index_cpu, index_rss = _child(INDEX, str(library))
        searched, _, _, search_rss = _child(SEARCH, str(library), json.dumps(QUERIES))
        times = sorted(searched["times_ms"])
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        if tui:
            painted, _, _, paint_rss = _child(FIRST_PAINT, str(library), str(indexed["entries"]))
            paint = f"{painted['ready_s']:>9.1f}s {paint_rss:>5.0f}M"
        else:
            paint = f"{'(no TUI)':>10} {'':>6}"
        index_mb = _directory_size(Path(os.environ["KLIPING_CACHE_DIR"])) / 1e6
        row = (f"{indexed['entries']:>9,} {import_s:>8.1f}s {import_cpu:>7.1f}s {import_rss:>5.0f}M "
               f"{indexed['catalog_s']:>7.1f}s {indexed['index_s']:>7.1f}s {index_cpu:>7.1f}s {index_rss:>5.0f}M "
               f"{index_mb:>9.0f} {searched['open_s']:>5.1f}s "
               f"{p50:>7.0f} {p95:>7.0f} {times[-1]:>7.0f} {search_rss:>5.0f}M {paint}")
        rows.append(row)
        print(f"step {size:,}: {imported['line']}; catalog problems {indexed['errors']}", flush=True)
        print(header, *rows, sep="\n", flush=True)
    slowest = sorted(zip(searched["times_ms"], QUERIES, strict=False), reverse=True)[:5]
    print("slowest queries at the largest size:", ", ".join(f"{q!r} {t:.0f} ms" for t, q in slowest))
    print("(import: `reader import` of the step's new slice; catalog+index: update for that slice, wall; CPU:"
          " user+sys seconds of that process; load average now " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + ";"
          " index MB:"
          " catalog and index on disk; open/p50/p95/max: search process; list ready: headless start-up)")
    return 0


def measure_only(work: Path) -> int:
    isolate_home(work)
    library = work / "library"
    searched, _, _, search_rss = _child(SEARCH, str(library), json.dumps(QUERIES))
    times = sorted(searched["times_ms"])
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"open {searched['open_s']:.1f} s, query p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
          f"max {times[-1]:.0f} ms, search process peak RSS {search_rss:.0f} MB", flush=True)
    if _tui_importable():
        count = len(list(library.glob("*.md")))
        painted, _, _, paint_rss = _child(FIRST_PAINT, str(library), str(count))
        print(f"list ready {painted['ready_s']:.1f} s, peak RSS {paint_rss:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
