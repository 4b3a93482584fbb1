"""Killing a process in the middle of saving bookmarks loses nothing, and concurrent writers lose nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

from kliping.bookmarks.model import Bookmark
from kliping.bookmarks.store import BookmarkStore
from tests.support.bookmarks import ARTICLE_TEXT, HELPER, kill_rounds


def test_sigkill_at_random_moments_never_loses_a_saved_bookmark(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.yaml"
    report = kill_rounds(path, rounds=20, seed=20241206)
    assert report.problems == []
    assert len(report.confirmed) >= 20  # each round saved at least once before the kill
    # Litter from writes cut short is removed by the next writer.
    store = BookmarkStore(path)
    assert {b.id for b in store.all()} >= report.confirmed
    assert store.problem is None
    backup = BookmarkStore(path.with_name("bookmarks.yaml.bak"))
    assert backup.problem is None
    BookmarkStore(path).add(Bookmark.new("a", ARTICLE_TEXT, 0, 10))
    assert not list(tmp_path.glob(".bookmarks.yaml.*.tmp"))


def test_concurrent_writers_adding_and_deleting_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.yaml"
    seeded = BookmarkStore(path)
    shared = [seeded.add(Bookmark.new("shared", ARTICLE_TEXT, i * 10, i * 10 + 8)).id for i in range(4)]
    # Each child starts with all four shared bookmarks in memory; two of them delete one each.
    commands = [
        [*HELPER, "churn", str(path), "p0", "15", shared[0]],
        [*HELPER, "churn", str(path), "p1", "15", shared[1]],
        [*HELPER, "churn", str(path), "p2", "15"],
        [*HELPER, "churn", str(path), "p3", "15"],
    ]
    children = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    added: set[str] = set(shared)
    deleted: set[str] = set()
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        for line in out.splitlines():
            action, bookmark_id = line.split()
            (added if action == "added" else deleted).add(bookmark_id)
    assert len(added) == 4 + 4 * 15 and len(deleted) == 2 + 4 * 5
    final = {b.id for b in BookmarkStore(path).all()}
    assert final == added - deleted
