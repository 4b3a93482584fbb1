"""How the bookmarks file scales: load, add, update, delete and `reader bookmarks list` at N bookmarks.

    python -m bench.bookmarks_scale [--counts 1000 20000 100000] [--runs 5] [--profile]

Bookmarks are made on passages of CLICK-ID articles (quotes of one to three sentences, a note on
every third, tags on every other), written once as a full file. Each figure is the median of
``--runs`` runs, wall time beside CPU time (the machine is shared: the load average is printed
before and after). ``--profile`` prints where the time of one load and one add goes (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import os
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

CORPUS = Path("/work/shared/corpora/clickid-2019.jsonl.gz")


def corpus_texts(limit: int = 400) -> list[tuple[str, str]]:
    """(article id, text) of the first ``limit`` CLICK-ID articles long enough to quote."""
    found: list[tuple[str, str]] = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            text = " ".join(json.loads(line).get("content", "").split())
            if len(text) > 600:
                found.append((f"clickid-{number:05d}", text))
            if len(found) >= limit:
                break
    return found


def make_bookmarks(count: int, seed: int = 1) -> list:
    from kliping.bookmarks.model import Bookmark

    rng = random.Random(seed)
    texts = corpus_texts()
    made = []
    for number in range(count):
        article_id, text = texts[number % len(texts)]
        start = rng.randrange(0, len(text) - 400)
        end = start + rng.randrange(60, 380)
        note = f"Catatan {number}: penting untuk bab {rng.randrange(1, 9)}.\nBaris kedua." if number % 3 == 0 else ""
        tags = ("ekonomi", f"bab{number % 7}") if number % 2 == 0 else ()
        made.append(Bookmark.new(article_id, text, start, end, note=note, tags=tags))
    return made


def timed(action, *args, **kwargs) -> tuple[float, float]:
    """(wall, CPU) seconds of ``action(*args, **kwargs)``."""
    wall, cpu = time.perf_counter(), time.process_time()
    action(*args, **kwargs)
    return time.perf_counter() - wall, time.process_time() - cpu


def children_run(argv: list[str], env: dict) -> tuple[float, float, float]:
    """(wall, CPU, peak RSS MB) of a child process; the CPU and RSS are the child's alone."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024  # the largest child so far: runs only grow with N


def median_pair(pairs: Sequence[tuple[float, ...]]) -> str:
    return " / ".join(f"{statistics.median(column):.3f}" for column in zip(*pairs, strict=False))


def measure(count: int, runs: int, profile: bool) -> None:
    from kliping.bookmarks.file_format import dump_bookmarks
    from kliping.bookmarks.model import Bookmark
    from kliping.bookmarks.store import BookmarkStore

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        os.environ["KLIPING_DATA_DIR"] = str(data_dir)
        library = Path(tmp) / "library"
        library.mkdir()
        (library / "satu.txt").write_text("Judul\n\nSatu kalimat saja.\n", "utf-8")
        path = BookmarkStore.for_library(library).path
        path.parent.mkdir(parents=True)
        made = make_bookmarks(count)
        path.write_text(dump_bookmarks(made), "utf-8")
        size_mb = path.stat().st_size / 1e6
        extra_text = "Sebuah kalimat baru untuk ditandai. " * 4

        loads, adds, updates, deletes = [], [], [], []
        loaded: list[BookmarkStore] = []  # what each timed load made
        for run in range(runs):
            loads.append(timed(lambda: loaded.append(BookmarkStore(path))))
            store = loaded.pop()
            fresh = Bookmark.new(f"baru-{run}", extra_text, 0, 35)
            adds.append(timed(store.add, fresh))
            updates.append(timed(store.update, made[run].id, note=f"diubah {run}"))
            deletes.append(timed(store.delete, fresh.id))
        env = {**os.environ, "KLIPING_DATA_DIR": str(data_dir)}
        cli = [sys.executable, "-m", "kliping", "--library", str(library), "bookmarks", "list"]
        listed = [children_run(cli, env) for _ in range(max(1, runs // 2))]
        peak = max(rss for _, _, rss in listed)

        print(f"{count:>7} bookmarks, {size_mb:6.1f} MB file (wall / CPU s, median of {runs}):")
        print(f"    load              {median_pair(loads)}")
        print(f"    add one           {median_pair(adds)}")
        print(f"    edit one note     {median_pair(updates)}")
        print(f"    delete one        {median_pair(deletes)}")
        print(
            f"    bookmarks list    {median_pair([(w, c) for w, c, _ in listed])}  (peak RSS {peak:.0f} MB, {len(listed)} runs)"
        )
        if profile:
            for name, action in (
                ("load", lambda: BookmarkStore(path)),
                ("add", lambda: BookmarkStore(path).add(Bookmark.new("profil", extra_text, 0, 35))),
            ):
                profiler = cProfile.Profile()
                profiler.runcall(action)
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(14)
                print(f"--- profile of {name} ---")
                print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:4000])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 20000, 100000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for count in args.counts:
        measure(count, args.runs, args.profile)
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
