"""Killing `reader index` at random moments, and what a search must give afterwards.

Shared by tests/system/test_faults_index.py (a few rounds) and bench/kill_index.py (fifty and more).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.support import CLICKID_SAMPLE, SEEDS_DIR
from tests.support.hardening import kill_if_running

QUERY = "gencatan"

_CEASEFIRE = "Kedua pihak membahas gencatan senjata di wilayah perbatasan pada pertemuan nomor {n}."


def add_articles(library: Path, start: int, count: int) -> list[Path]:
    """``count`` plain-text articles made from the CLICK-ID sample, every third one about a
    ceasefire, so the query has hits among new files too."""
    records = [json.loads(line) for line in CLICKID_SAMPLE.read_text("utf-8").splitlines() if line.strip()]
    made = []
    for number in range(start, start + count):
        record = records[number % len(records)]
        body = f"Salinan nomor {number}. {record['content']}"
        if number % 3 == 0:
            body += "\n\n" + _CEASEFIRE.format(n=number)
        path = library / f"gen_{number:05d}.txt"
        path.write_text(f"{record['title']} ({number})\n\n{body}\n", "utf-8")
        made.append(path)
    return made


def make_index_library(root: Path, count: int) -> Path:
    """The five seeds (three mention `gencatan`) and ``count`` generated articles."""
    root.mkdir(parents=True, exist_ok=True)
    for seed in sorted(SEEDS_DIR.glob("*.txt")):
        (root / seed.name).write_bytes(seed.read_bytes())
    add_articles(root, 0, count)
    return root


def flood_library(root: Path, count: int) -> Path:
    """``count`` short articles, every one of them about a flood (`banjir`)."""
    root.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (root / f"banjir_{number:03d}.txt").write_text(
            f"Banjir Melanda Desa {number}\n\nBanjir setinggi {number} sentimeter merendam rumah warga di desa nomor {number}.\n",
            "utf-8",
        )
    return root


def refuse_index_writes(monkeypatch) -> None:
    """Every index file Whoosh creates fails as on a full disk (``monkeypatch``: pytest's)."""
    import errno

    from whoosh.filedb.filestore import FileStorage

    def full_disk(self, name, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.path.join(self.folder, name))

    monkeypatch.setattr(FileStorage, "create_file", full_disk)


def _command(library: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kliping", "--library", str(library), *args]


@dataclass
class SearchOutcome:
    code: int
    ids: frozenset[str]
    err: str


def search_ids(library: Path, env: dict[str, str] | None = None, timeout: float = 300) -> SearchOutcome:
    """Every article id `reader search gencatan` finds, as a separate process."""
    proc = subprocess.run(
        _command(library, "search", QUERY, "--json", "--limit", "1000"),
        capture_output=True, text=True, timeout=timeout, env=env, check=False,
    )
    ids = frozenset(json.loads(line)["id"] for line in proc.stdout.splitlines() if line.strip())
    return SearchOutcome(proc.returncode, ids, proc.stderr)


def clean_build_ids(library: Path) -> frozenset[str]:
    """What a search finds after building catalog and index from nothing, in a fresh cache."""
    with tempfile.TemporaryDirectory(prefix="kliping-clean-cache-") as cache:
        outcome = search_ids(library, env={**os.environ, "KLIPING_CACHE_DIR": cache})
    if outcome.code != 0 or not outcome.ids:
        raise RuntimeError(f"the clean build did not search: {outcome.err[-500:]}")
    return outcome.ids


def time_rebuild(library: Path) -> float:
    began = time.perf_counter()
    subprocess.run(_command(library, "index", "--rebuild"), capture_output=True, check=True, timeout=300)
    return time.perf_counter() - began


@dataclass
class IndexKillReport:
    rounds: int = 0
    killed_while_running: int = 0  # kills that landed before the command finished
    repaired: int = 0  # searches after a kill that said they rebuilt or repaired the index
    articles_added: int = 0
    problems: list[str] = field(default_factory=list)


def kill_index_rounds(library: Path, rounds: int, seed: int, longest: float) -> IndexKillReport:
    """SIGKILL `reader index --rebuild` (odd rounds) or `reader index` after adding articles (even
    rounds) somewhere in its first ``longest`` seconds, ``rounds`` times. After each kill
    `reader search gencatan` must exit 0 without a traceback and find what a clean build finds."""
    rng = random.Random(seed)
    report = IndexKillReport()
    next_number = 100_000
    expected: frozenset[str] | None = None
    for round_number in range(rounds):
        report.rounds += 1
        if round_number % 2:
            command = _command(library, "index", "--rebuild")
        else:
            added = rng.randint(1, 8)
            add_articles(library, next_number, added)
            next_number += added
            report.articles_added += added
            expected = None  # the library changed: a new reference is needed
            command = _command(library, "index")
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.0, longest))
        killed, err = kill_if_running(child)
        report.killed_while_running += killed
        if "Traceback" in err:
            report.problems.append(f"round {round_number}: the killed command: {err[-400:]}")
        outcome = search_ids(library)
        if outcome.code != 0 or "Traceback" in outcome.err:
            report.problems.append(f"round {round_number}: search after the kill: exit {outcome.code}: {outcome.err[-400:]}")
            continue
        if "rebuil" in outcome.err.lower() or "repair" in outcome.err.lower():
            report.repaired += 1
        if expected is None:
            expected = clean_build_ids(library)
        if outcome.ids != expected:
            report.problems.append(
                f"round {round_number}: {len(outcome.ids)} hits, a clean build finds {len(expected)}: "
                f"missing {sorted(expected - outcome.ids)[:5]}, extra {sorted(outcome.ids - expected)[:5]}"
            )
    return report


def index_and_bookmark(library_root: Path, worker: int, rounds: int) -> None:
    """One of several processes working on the same library at once: each round it adds a
    bookmark (printing ``added <id>`` once it is saved), updates the index after adding an
    article (every other round; a full rebuild once), and puts the bookmarks into the index."""
    from kliping.bookmarks.model import Bookmark
    from kliping.bookmarks.store import BookmarkStore
    from kliping.library.folder import Library
    from kliping.search import SearchIndex

    library = Library(library_root)
    store = BookmarkStore.for_library(library_root)
    library.refresh()
    entry = library.entries()[0]
    article = library.article(entry.id)
    assert article is not None, entry.id
    text = article.text
    for number in range(rounds):
        start = (number * 7) % max(1, len(text) - 20)
        bookmark = store.add(Bookmark.new(entry.id, text, start, start + 12, note=f"worker {worker} round {number}"))
        print("added", bookmark.id, flush=True)
        if number % 2:
            add_articles(library_root, 200_000 + worker * 1000 + number, 1)
            library.refresh()
        index = SearchIndex.open(library, rebuild=number == rounds // 2)
        try:
            for report in (index.report, index.index_bookmarks(store.search_items())):
                if report.failed:
                    print("failed", " ".join((report.message or "").split()), flush=True)
        finally:
            index.close()


if __name__ == "__main__":
    index_and_bookmark(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
