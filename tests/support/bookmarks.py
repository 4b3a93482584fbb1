"""Shared pieces of the bookmark tests, and the child processes the kill and concurrency tests run.

Run as a script: ``python -m tests.support.bookmarks add-loop FILE TAG`` adds bookmarks until killed,
printing each id only after ``add()`` returned; ``python -m tests.support.bookmarks churn FILE TAG N``
adds N bookmarks and deletes every third one (and the ids given after N, early on), printing
``added ID`` / ``deleted ID`` once each change is saved.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# Run as a child process: `[*HELPER, command, ...]` (the repository root is on PYTHONPATH).
HELPER = (sys.executable, "-m", "tests.support.bookmarks")

ARTICLE_TEXT = (
    "Menteri Luar Negeri Rusia Sergey Lavrov menerima delegasi Hamas di Moskow. "
    "Pertemuan itu membahas gencatan senjata di Gaza dan bantuan kemanusiaan.\n\n"
    "Harga beras naik menjadi Rp 14.600 per kilogram, kata M. Yusuf dari Bulog. "
    "Pemerintah berjanji menambah pasokan, dll. Kenaikan ini terjadi di banyak daerah.\n\n"
    "\u201cKami mendukung perjuangan rakyat Palestina,\u201d ujar Lavrov kepada wartawan."
)


def one_article_library(root: Path, title: str) -> Path:
    """A library folder at ``root`` holding one article, ``title`` over ARTICLE_TEXT."""
    root.mkdir()
    (root / "lavrov.txt").write_text(f"{title}\n\n{ARTICLE_TEXT}\n", "utf-8")
    return root


def span_of(text: str, passage: str) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)


@dataclass
class KillReport:
    rounds: int = 0
    confirmed: set[str] = field(default_factory=set)
    killed_mid_write: int = 0  # rounds that left a temp file behind: the kill landed inside a save
    unconfirmed_saved: int = 0  # saved but killed before it could say so: allowed, never more than one a round
    problems: list[str] = field(default_factory=list)


def bookmark_on(passage: str, article_id: str = "a1", **kwargs):
    """A new bookmark on ``passage`` of ARTICLE_TEXT."""
    from kliping.bookmarks.model import Bookmark

    start, end = span_of(ARTICLE_TEXT, passage)
    return Bookmark.new(article_id, ARTICLE_TEXT, start, end, **kwargs)


def kill_rounds(path: Path, rounds: int, seed: int, max_delay: float = 0.25) -> KillReport:
    """SIGKILL a bookmark-adding child at random moments, ``rounds`` times, checking the file after each."""
    from kliping.bookmarks.store import BookmarkStore

    rng = random.Random(seed)
    report = KillReport()
    for number in range(rounds):
        child = subprocess.Popen(
            [*HELPER, "add-loop", str(path), f"round{number}"],
            stdout=subprocess.PIPE,
            text=True,
        )
        # Kill at a random moment after the first save, so every round kills the loop, not Python's start-up.
        assert child.stdout is not None  # asked for above
        first = child.stdout.readline()
        time.sleep(rng.uniform(0.0, max_delay))
        child.kill()
        output, _ = child.communicate()
        report.confirmed.update((first + output).split())
        if list(path.parent.glob(f".{path.name}.*.tmp")):
            report.killed_mid_write += 1
        report.rounds += 1
        store = BookmarkStore(path)
        if store.problem:
            report.problems.append(f"round {number}: {store.problem}")
            break
        saved = {b.id for b in store.all()}
        lost = report.confirmed - saved
        if lost:
            report.problems.append(f"round {number}: lost {sorted(lost)}")
        report.unconfirmed_saved = len(saved - report.confirmed)
        if report.unconfirmed_saved > report.rounds:
            report.problems.append(f"round {number}: {report.unconfirmed_saved} bookmarks nobody added")
    return report


def _add_loop(path: Path, tag: str) -> None:
    from kliping.bookmarks.model import Bookmark
    from kliping.bookmarks.store import BookmarkStore

    store = BookmarkStore(path)
    start, end = span_of(ARTICLE_TEXT, "Pertemuan itu membahas gencatan senjata di Gaza")
    number = 0
    while True:
        number += 1
        bookmark = store.add(
            Bookmark.new(f"article-{number % 3}", ARTICLE_TEXT, start, end, note=f"{tag} #{number}\nline two", tags=[tag])
        )
        print(bookmark.id, flush=True)


def _churn(path: Path, tag: str, count: int, delete_first: list[str]) -> None:
    from kliping.bookmarks.model import Bookmark
    from kliping.bookmarks.store import BookmarkStore

    store = BookmarkStore(path)
    for number in range(count):
        if number == 1:
            for bookmark_id in delete_first:
                store.delete(bookmark_id)
                print("deleted", bookmark_id, flush=True)
        start = (number * 7) % 200
        bookmark = store.add(Bookmark.new(f"article-{tag}", ARTICLE_TEXT, start, start + 20, note=f"{tag} {number}"))
        print("added", bookmark.id, flush=True)
        if number % 3 == 2:
            store.delete(bookmark.id)
            print("deleted", bookmark.id, flush=True)


if __name__ == "__main__":
    command, file_name, tag, *rest = sys.argv[1:]
    if command == "add-loop":
        _add_loop(Path(file_name), tag)
    elif command == "churn":
        _churn(Path(file_name), tag, int(rest[0]), rest[1:])
    else:
        raise SystemExit(f"unknown command {command!r}")
