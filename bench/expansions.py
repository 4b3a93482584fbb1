"""Queries whose prefixes and fuzzy words expand into thousands of terms, and quitting during one.

On the CLICK-ID corpus (21,940 articles, ../shared/corpora), imported and indexed once under
--workdir (kept between runs: `reader import` then `reader index`, several minutes of CPU):

- wall and CPU seconds (median of --runs) of 64 two-letter prefixes OR'ed, 64 `word~2` OR'ed,
  and everyday prefix and fuzzy queries, with their hit counts and the notice the search gives;
- how long the reader takes to exit after `q` is pressed while the 64-prefix search runs, from
  the key to the end of the process's event loop (what a terminal waits for), median of --runs.

The machine may be shared: the load average is printed with the figures.

Usage: python -m bench.expansions [--workdir /tmp/clickid-h4] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "clickid-2019.jsonl.gz"

PREFIXES = " OR ".join(f"{a}{b}*" for a in "bdkmprst" for b in "aeioulrn")
FUZZY_WORDS = (
    "banjir gempa korupsi presiden menteri polisi warga pemerintah daerah kota jalan rumah sekolah "
    "anak harga pasar bandara kereta kapal pesawat hutan sungai gunung pantai hujan angin kebakaran "
    "asap listrik internet telepon media berita artikel partai pemilu suara calon kandidat dewan "
    "rakyat hukum hakim jaksa penjara kasus saksi korban pelaku tersangka bencana bantuan relawan "
    "rumah sakit dokter obat vaksin virus penyakit petani nelayan buruh pekerja gaji"
).split()[:64]
FUZZY = " OR ".join(f"{word}~2" for word in FUZZY_WORDS)
QUERIES = [
    ("64 two-letter prefixes OR'ed", PREFIXES),
    ("64 word~2 OR'ed", FUZZY),
    ("evakuasi*", "evakuasi*"),
    ("presid*", "presid*"),
    ("ba*", "ba*"),
    ("jokowi~", "jokowi~"),
    ("banjir~2", "banjir~2"),
    ("korupsi -kpk", "korupsi -kpk"),
]


def prepare(workdir: Path) -> None:
    """Point kliping at --workdir, importing and indexing the corpus the first time."""
    for name in ("data", "config", "cache"):
        os.environ[f"KLIPING_{name.upper()}_DIR"] = str(workdir / name)
    if not (workdir / "data" / "library").is_dir():
        subprocess.run([sys.executable, "-m", "kliping", "import", str(CORPUS)], check=True)
    subprocess.run([sys.executable, "-m", "kliping", "index"], check=True)


def time_queries(runs: int) -> None:
    from kliping.library.locate import open_library
    from kliping.search import SearchIndex

    index = SearchIndex.open(open_library(None))
    print(f"{index.doc_count():,} documents in the index")
    print(f"{'query':<30} {'wall s':>8} {'cpu s':>8} {'hits':>7}  notice")
    try:
        for label, text in QUERIES:
            walls, cpus = [], []
            for _ in range(runs):
                wall, cpu = time.perf_counter(), time.process_time()
                results = index.search(text, limit=50, snippets=True)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            notice = (results.message or "")[:110]
            print(f"{label:<30} {statistics.median(walls):>8.3f} {statistics.median(cpus):>8.3f} {results.total:>7,}  {notice}")
    finally:
        index.close()


async def _quit_during_search() -> float:
    """Seconds from `q` to the app's exit, pressed while the 64-prefix search is running."""
    from textual.widgets import Input

    from kliping.library.locate import open_library
    from kliping.tui.app import ReaderApp

    app = ReaderApp(open_library(None))
    async with app.run_test(size=(120, 40)) as pilot:
        while app.session.index is None:
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        search = app.main.query_one("#search", Input)
        search.value = ""  # the last run's query comes back at start: a new value starts a search
        await pilot.pause()
        search.value = PREFIXES  # as if typed; the focus stays on the list
        while not any(worker.group == "search" and worker.is_running for worker in app.workers):
            await pilot.pause(0.01)
        await asyncio.sleep(0.5)  # well inside the search
        pressed = time.perf_counter()
        await pilot.press("q")
    return pressed


def time_quit(runs: int) -> None:
    waits = []
    for _ in range(runs):
        pressed = asyncio.run(_quit_during_search())  # asyncio.run waits for worker threads, as `reader` does
        waits.append(time.perf_counter() - pressed)
    print(f"quit during the 64-prefix search: {statistics.median(waits):.2f} s to exit (median of {runs}; "
          f"min {min(waits):.2f}, max {max(waits):.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/clickid-h4"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-quit", action="store_true", help="only time the queries")
    args = parser.parse_args()
    prepare(args.workdir)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    time_queries(args.runs)
    if not args.skip_quit:
        time_quit(args.runs)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
