"""SIGKILL during an index build or update, and several processes indexing and bookmarking one
library at once: afterwards search works, without a traceback, and finds what a clean build finds;
no bookmark is lost. (SIGKILL during a bookmark write: tests/test_bookmarks_kill.py.)

The long loop is bench/kill_index.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from _helpers_index_faults import clean_build_ids, kill_index_rounds, make_index_library, search_ids, time_rebuild
from kliping.bookmarks import BookmarkStore

HELPER = Path(__file__).parent / "_helpers_index_faults.py"


def test_sigkill_during_index_rebuild_and_update_leaves_a_searchable_index(tmp_path: Path) -> None:
    library = make_index_library(tmp_path / "library", 150)
    longest = time_rebuild(library)
    report = kill_index_rounds(library, rounds=8, seed=20241206, longest=longest)
    assert report.problems == []
    assert report.killed_while_running >= 2  # the loop did kill builds, not only finished commands
    assert report.articles_added > 0


@pytest.mark.parametrize("processes", [2, 4])
def test_processes_indexing_and_bookmarking_at_once_lose_nothing(tmp_path: Path, processes: int) -> None:
    library = make_index_library(tmp_path / "library", 40)
    rounds = 4
    children = [
        subprocess.Popen(
            [sys.executable, str(HELPER), str(library), str(worker), str(rounds)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for worker in range(processes)
    ]
    added: set[str] = set()
    for child in children:
        out, err = child.communicate(timeout=300)
        assert child.returncode == 0 and "Traceback" not in err, err
        lines = out.splitlines()
        assert [line for line in lines if line.startswith("failed")] == []
        added |= {line.split()[1] for line in lines if line.startswith("added")}
    assert len(added) == processes * rounds
    store = BookmarkStore.for_library(library)
    assert store.problem is None
    assert {b.id for b in store.all()} == added
    outcome = search_ids(library)
    assert outcome.code == 0 and "Traceback" not in outcome.err, outcome.err
    assert outcome.ids == clean_build_ids(library)
