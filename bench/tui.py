"""How fast the reader feels: first paint, opening a 1 MB article, search-as-you-type.

Figures (each phase in a fresh process, so timings are its own):

- start -> first paint: from just before the process is started to the app's Ready event
  (headless, 120x40), and on to the article list being filled; for the five seeds and for the
  21,940-article CLICK-ID library (catalog and index already built). Median of --runs.
- open a 1 MB article: from asking to open it to the reader having laid it out (file read and
  parsed in the worker, wrapped, highlights drawn), first open and re-open; and the time to draw
  one screen of it in the middle. Median of --runs.
- keystroke -> updated results on the large library: six queries typed one key at a time (a
  character entering the search bar, as a key press does), each key waiting for its results to
  be in the list; p50/p95 over all keys. Includes the 40 ms typing pause the app waits for
  before it searches.

The large library is imported once with `reader import` (or copied from --from-library) into
--workdir and kept between runs.

Usage: python -m bench.tui [--workdir DIR] [--runs 5] [--from-library DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "clickid-2019.jsonl.gz"
SEEDS = ROOT / "src" / "kliping" / "seeds"
SIZE = (120, 40)
QUERIES = ["jokowi", "gempa bumi", "banjir jakarta", "korupsi kpk", "timnas indonesia", "mahasiswa demo"]


def child_env(workdir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        KLIPING_CACHE_DIR=str(workdir / "cache"),
        KLIPING_DATA_DIR=str(workdir / "data"),
        KLIPING_CONFIG_DIR=str(workdir / "config"),
    )
    env.pop("KLIPING_LIBRARY", None)
    return env


def run_child(workdir: Path, phase: str, library: Path) -> dict:
    started = time.time()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", phase, "--library", str(library), "--started", repr(started)],
        env=child_env(workdir),
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{phase} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- the phases, each run in its own process ---------------------------------------------------


def child_paint(library_root: Path, started: float) -> dict:
    from kliping.library.folder import Library
    from kliping.tui.app import ReaderApp
    from kliping.tui.widgets.article_list import ArticleList

    figures: dict = {}

    class TimedApp(ReaderApp):
        def on_ready(self) -> None:  # called beside the app's own Ready handler
            figures["first_paint"] = time.time() - started
            self.set_interval(0.002, self._check_list)

        def _check_list(self) -> None:
            if self.main.query_one(ArticleList).rows and "list_shown" not in figures:
                figures["list_shown"] = time.time() - started
                self.exit()

    app = TimedApp(Library(library_root))
    app.run(headless=True, size=SIZE)
    if "list_shown" not in figures:
        raise SystemExit("the app stopped before it showed the list")
    return figures


async def _wait(pilot, condition, timeout: float = 600.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there")
        await asyncio.sleep(0.001)


def child_open(library_root: Path) -> dict:
    from kliping.library.folder import Library
    from kliping.tui.app import ReaderApp
    from kliping.tui.widgets.reader_pane import ReaderPane

    library = Library(library_root)
    entry = max(library.entries(), key=lambda e: e.words)
    figures: dict = {"words": entry.words}

    async def run() -> None:
        app = ReaderApp(library)
        async with app.run_test(size=SIZE) as pilot:
            await _wait(pilot, lambda: app.session.entries and app.session.index is not None)  # start-up work done
            reader = app.main.query_one(ReaderPane)
            for label in ("first_open", "reopen"):
                reader.show_article(None)
                started = time.perf_counter()
                app.main.open_article(entry.id, position=0)
                await _wait(pilot, lambda: reader.article is not None and reader.article.id == entry.id)
                figures[label] = time.perf_counter() - started
            assert reader.article is not None
            figures["chars"] = len(reader.article.text)
            reader.scroll_to(y=reader.max_scroll_y // 2, animate=False, force=True)
            started = time.perf_counter()
            reader.notify_style_update()  # drops the rendered lines: the screen is drawn cold
            for y in range(reader.scrollable_content_region.height):
                reader.render_line(y)
            figures["draw_screen_mid_article"] = time.perf_counter() - started

    asyncio.run(run())
    return figures


def child_search(library_root: Path) -> dict:
    from kliping.library.folder import Library
    from kliping.tui.app import ReaderApp
    from kliping.tui.search_input import SearchInput

    latencies: list[float] = []

    async def run() -> None:
        app = ReaderApp(Library(library_root))
        async with app.run_test(size=SIZE) as pilot:
            await _wait(pilot, lambda: app.session.index is not None)
            search = app.main.query_one(SearchInput)
            for query in QUERIES:
                await pilot.press("slash")
                for char in query:
                    before = app.main.last_results
                    started = time.perf_counter()
                    search.insert_text_at_cursor(char)  # what a key press in the bar does
                    await _wait(pilot, lambda: app.main.last_results is not before, timeout=30)  # noqa: B023 - awaited here
                    latencies.append(time.perf_counter() - started)
                    await asyncio.sleep(0.05)  # let the list be drawn, as between real key presses
                search.value = ""
                await _wait(pilot, lambda: app.main.last_results is None)
                await pilot.press("escape")

    asyncio.run(run())
    latencies.sort()
    return {
        "keys": len(latencies),
        "p50": statistics.median(latencies),
        "p95": latencies[max(0, round(0.95 * len(latencies)) - 1)],
        "max": latencies[-1],
    }


# -- preparing the libraries ---------------------------------------------------------------------


def ensure_large_library(workdir: Path, source: Path | None) -> Path:
    library = workdir / "clickid"
    marker = workdir / "clickid.imported"
    if marker.exists():
        return library
    if library.exists():
        shutil.rmtree(library)
    if source is not None:
        shutil.copytree(source, library)
    else:
        library.mkdir(parents=True)
        _reader_import(library, CORPUS, workdir)
    marker.write_text("done\n")
    return library


def _reader_import(library: Path, source: Path, workdir: Path) -> None:
    """`reader import` of ``source`` into ``library``, in a child process as a person runs it."""
    command = [sys.executable, "-m", "kliping", "--library", str(library), "import", str(source)]
    subprocess.run(command, env=child_env(workdir), check=True)


def ensure_big_article_library(workdir: Path) -> Path:
    """The seeds plus one article of about 1 MB (seed paragraphs repeated), brought in with
    `reader import` as a person would (it becomes a clean Markdown file)."""
    library = workdir / "big"
    marker = workdir / "big.imported"
    if marker.exists():
        return library
    library.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS.glob("*.txt"):
        shutil.copyfile(seed, library / seed.name)
    paragraphs = [p for seed in sorted(SEEDS.glob("*.txt")) for p in seed.read_text("utf-8").splitlines() if len(p) > 80]
    body, size, n = [], 0, 0
    while size < 1_000_000:
        paragraph = f"({n}) {paragraphs[n % len(paragraphs)]}"
        body.append(paragraph)
        size += len(paragraph.encode()) + 2
        n += 1
    staged = workdir / "satu-megabita.txt"
    staged.write_text("Artikel Satu Megabita Untuk Uji Kecepatan\n\n" + "\n\n".join(body) + "\n", "utf-8")
    _reader_import(library, staged, workdir)
    marker.write_text("done\n")
    return library


def ensure_seed_library(workdir: Path) -> Path:
    library = workdir / "seeds"
    if not library.exists():
        shutil.copytree(SEEDS, library)
    return library


def warm(workdir: Path, library: Path) -> None:
    """Build the catalog and the index once, so the timed runs measure an already built library."""
    code = (
        "import sys; from kliping.library.folder import Library; from kliping.search import SearchIndex; "
        "SearchIndex.open(Library(sys.argv[1])).close()"
    )
    subprocess.run([sys.executable, "-c", code, str(library)], env=child_env(workdir), check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kliping-bench-tui"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--from-library", type=Path, help="copy this already imported CLICK-ID library")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--library", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--started", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        handlers = {
            "paint": lambda: child_paint(args.library, args.started),
            "open": lambda: child_open(args.library),
            "search": lambda: child_search(args.library),
        }
        print(json.dumps(handlers[args.child]()))
        return

    workdir = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    seeds = ensure_seed_library(workdir)
    big = ensure_big_article_library(workdir)
    large = ensure_large_library(workdir, args.from_library)
    for library in (seeds, big, large):
        warm(workdir, library)

    def median_of(phase: str, library: Path, keys: tuple[str, ...]) -> dict:
        runs = [run_child(workdir, phase, library) for _ in range(args.runs)]
        return {key: statistics.median(run[key] for run in runs) for key in keys}

    paint_seeds = median_of("paint", seeds, ("first_paint", "list_shown"))
    paint_large = median_of("paint", large, ("first_paint", "list_shown"))
    opened = median_of("open", big, ("first_open", "reopen", "draw_screen_mid_article", "chars"))
    typed = run_child(workdir, "search", large)
    articles = sum(1 for _ in large.rglob("*.md"))

    ms = lambda seconds: f"{seconds * 1000:.0f} ms"  # noqa: E731
    print(
        f"start -> first paint, seeds (5 articles):        {ms(paint_seeds['first_paint'])}"
        f" (list shown {ms(paint_seeds['list_shown'])})"
    )
    print(
        f"start -> first paint, CLICK-ID ({articles:,} articles): {ms(paint_large['first_paint'])}"
        f" (list shown {ms(paint_large['list_shown'])})"
    )
    print(
        f"open a {opened['chars'] / 1e6:.1f} MB article: first {ms(opened['first_open'])}, again {ms(opened['reopen'])};"
        f" one screen mid-article drawn in {opened['draw_screen_mid_article'] * 1000:.1f} ms"
    )
    print(
        f"keystroke -> updated results, CLICK-ID ({typed['keys']} keys): p50 {ms(typed['p50'])},"
        f" p95 {ms(typed['p95'])}, max {ms(typed['max'])}"
    )
    print(f"(median of {args.runs} runs each for paint and open; workdir {workdir})")


if __name__ == "__main__":
    main()
