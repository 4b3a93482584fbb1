"""How long the reader takes to open a 2 MB article, for four shapes of article.

Shapes (plain-text articles of about ``--megabytes`` MB of CLICK-ID words, title line first):

- ``one-word paragraphs``: 200k paragraphs of one word each (blank lines between);
- ``one paragraph``: sentences of 8-25 words, all in one paragraph on one line;
- ``normal paragraphs``: the same sentences, three to six to a paragraph;
- ``one-word lines``: one word a line, no blank lines (one paragraph of 200k lines).

For each shape, each run starts the app (headless, 120x40) on a library holding only that
article, its catalog and search index already built (as at any start but the first), with a
new data folder (so the article is not reopened at start as the last one read, and its file
is not parsed before Enter), waits for the catalog and search index, then times, from asking
to open the article (Enter in the list) to: the article being shown (read and parsed in the worker, laid out, first
screen drawn), and then the passage cursor having moved to the next sentence (``)``: sentence
splitting happens on first use). Wall and CPU seconds (``time.process_time``, all threads) are
medians of ``--runs`` runs; the load average is printed, since the machine is shared. A last
row times a 2 KB article of normal paragraphs the same way: what opening costs whatever the
size (the app's own work on Enter and a focus change, and the harness's), to read the other
rows against.

``--profile SHAPE`` instead prints a cProfile of one open of that shape (the UI thread only).

Usage: python -m bench.open_article [--runs 5] [--megabytes 2] [--shapes "one paragraph" ...]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gzip
import json
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "clickid-2019.jsonl.gz"
SIZE = (120, 40)
TITLE = "Artikel Raksasa Untuk Uji Kecepatan"
BASELINE = "2 KB (baseline)"


def corpus_words(count: int) -> list[str]:
    words: list[str] = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            words += json.loads(line).get("content", "").replace(",", " ").split()
            if len(words) >= count:
                break
    return words[:count]


def article_shapes(size: int, words: list[str] | None = None) -> dict[str, str]:
    """The four shapes, of about ``size`` characters, made of ``words`` (CLICK-ID's by default)."""
    words = words if words is not None else corpus_words(size // 5)
    rng = random.Random(1)
    sentences, i = [], 0
    while i < len(words):
        n = rng.randint(8, 25)
        sentences.append(" ".join(words[i : i + n]).capitalize() + ".")
        i += n
    paragraphs, i = [], 0
    while i < len(sentences):
        n = rng.randint(3, 6)
        paragraphs.append(" ".join(sentences[i : i + n]))
        i += n
    short = [word[:8] for word in words]
    bodies = {
        "one-word paragraphs": "\n\n".join(short[i % len(short)] for i in range(size // 10)),
        "one paragraph": " ".join(sentences),
        "normal paragraphs": "\n\n".join(paragraphs),
        "one-word lines": "\n".join(short[i % len(short)] for i in range(size // 9)),
    }
    return {name: f"{TITLE}\n\n{body[:size]}\n" for name, body in bodies.items()}


async def _wait(condition, timeout: float = 900.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there")
        await asyncio.sleep(0.001)


def open_once(root: Path, profile: cProfile.Profile | None = None) -> dict[str, float]:
    os.environ["KLIPING_DATA_DIR"] = tempfile.mkdtemp(prefix="data-", dir=root.parent)
    from kliping.library.folder import Library
    from kliping.tui.app import ReaderApp
    from kliping.tui.widgets.article_list import ArticleList
    from kliping.tui.widgets.reader_pane import ReaderPane

    figures: dict[str, float] = {}

    async def run() -> None:
        app = ReaderApp(Library(root))
        async with app.run_test(size=SIZE) as pilot:
            await _wait(lambda: app.session.entries and app.session.index is not None)
            await app.workers.wait_for_complete()
            reader = app.main.query_one(ReaderPane)
            article_list = app.main.query_one(ArticleList)
            await _wait(lambda: article_list.rows)
            wall, cpu = time.perf_counter(), time.process_time()
            if profile is not None:
                profile.enable()
            await pilot.press("enter")
            await _wait(lambda: reader.article is not None and app.focused is reader)
            await pilot.pause()  # the first screen is drawn
            figures["shown_wall"], figures["shown_cpu"] = time.perf_counter() - wall, time.process_time() - cpu
            first = reader.passage
            await pilot.press("right_parenthesis")
            await _wait(lambda: reader.passage != first)
            await pilot.pause()
            if profile is not None:
                profile.disable()
            figures["cursor_wall"], figures["cursor_cpu"] = time.perf_counter() - wall, time.process_time() - cpu
            assert reader.article is not None
            figures["chars"] = len(reader.article.text)
            figures["lines"] = len(reader.body_lines)

    asyncio.run(run())
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--megabytes", type=float, default=2.0)
    parser.add_argument("--shapes", nargs="*")
    parser.add_argument("--profile", metavar="SHAPE")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kliping-open-bench-"))
    os.environ.update(
        KLIPING_CACHE_DIR=str(work / "cache"), KLIPING_DATA_DIR=str(work / "data"), KLIPING_CONFIG_DIR=str(work / "config")
    )
    os.environ.pop("KLIPING_LIBRARY", None)
    shapes = article_shapes(int(args.megabytes * 1_000_000))
    shapes[BASELINE] = article_shapes(2_000)["normal paragraphs"]
    chosen = [args.profile] if args.profile else (args.shapes or list(shapes))
    roots = {}
    for name in chosen:
        root = work / name.replace(" ", "-")
        root.mkdir(parents=True)
        (root / "giant.txt").write_text(shapes[name], "utf-8")
        roots[name] = root
        open_once(root)  # builds the catalog and the search index
    if args.profile:
        profile = cProfile.Profile()
        print(open_once(roots[args.profile], profile))
        pstats.Stats(profile).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(30)
        return
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {args.runs} runs, median")
    print(f"{'shape':<20} {'chars':>10} {'lines':>8} {'shown wall':>11} {'cpu':>7} {'cursor wall':>12} {'cpu':>7}")
    for name in chosen:
        runs = [open_once(roots[name]) for _ in range(args.runs)]
        med = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        print(
            f"{name:<20} {int(med['chars']):>10,} {int(med['lines']):>8,} {med['shown_wall']:>10.3f}s"
            f" {med['shown_cpu']:>6.3f}s {med['cursor_wall']:>11.3f}s {med['cursor_cpu']:>6.3f}s",
            flush=True,
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
