"""A soak: scripted use of the reader through Pilot for a long time, with its memory sampled.

    python -m bench.soak [--minutes 30] [--sample-every 60] [--library DIR] [--articles 500]

Each round searches, opens the first hit, steps through matches, pages, moves the sentence cursor,
bookmarks a sentence and deletes it again, opens the bookmarks screen and switches theme (see
tests/_helpers_soak.py). RSS is read from /proc/self/statm at the start and every
--sample-every seconds; the verdict compares the median of the last third of the samples with
the first third's. Data, config and cache directories are temporary, so a real library given
with --library is only read. tests/test_soak_short.py runs the same rounds for 20 seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

from bench.harness import isolated_home
from tests.support.index_faults import make_index_library
from tests.support.soak import growth_verdict, soak


async def run(library_root: Path, seconds: float, sample_every: float) -> int:
    from kliping.library.folder import Library
    from kliping.tui.app import ReaderApp

    app = ReaderApp(Library(library_root), search_delay=0.01)
    began = time.monotonic()

    def show(elapsed: float, rss: int) -> None:
        print(f"  {elapsed / 60:6.1f} min  {rss / 2**20:7.1f} MB", flush=True)

    async with app.run_test(size=(120, 40)) as pilot:
        while app.session.index is None or app.session.bookmark_store is None:
            await pilot.pause(0.1)
        ready = time.monotonic() - began
        print(f"library {library_root}: {len(app.session.entries)} articles, ready in {ready:.1f} s", flush=True)
        print("  elapsed     RSS", flush=True)
        report = await soak(pilot, app, seconds, sample_every, on_sample=show)
    bounded, verdict = growth_verdict(report.samples)
    print(f"rounds: {report.rounds} in {report.seconds / 60:.1f} min ({report.bookmarked} with a bookmark made and deleted)")
    print(f"verdict: {verdict}")
    return 0 if bounded else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--sample-every", type=float, default=60.0, metavar="SECONDS")
    parser.add_argument("--library", type=Path, help="an existing library (default: the seeds and generated articles)")
    parser.add_argument("--articles", type=int, default=500, help="generated articles for the default library")
    args = parser.parse_args()
    with isolated_home(prefix="kliping-soak-") as work:
        library = args.library or make_index_library(work / "library", args.articles)
        return asyncio.run(run(library, args.minutes * 60, args.sample_every))


if __name__ == "__main__":
    raise SystemExit(main())
