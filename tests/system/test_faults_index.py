"""SIGKILL during an index build or update, and several processes indexing and bookmarking one
library at once: afterwards search works, without a traceback, and finds what a clean build finds;
no bookmark is lost. (SIGKILL during a bookmark write: tests/test_bookmarks_kill.py.)

The long loop is bench/kill_index.py.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage

from kliping.bookmarks.store import BookmarkStore
from kliping.cli import main
from tests.support.hardening import small_tmpfs
from tests.support.index_faults import (
    clean_build_ids,
    flood_library,
    kill_index_rounds,
    make_index_library,
    refuse_index_writes,
    search_ids,
    time_rebuild,
)

HELPER = (sys.executable, "-m", "tests.support.index_faults")


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
            [*HELPER, str(library), str(worker), str(rounds)],
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


# --- an index that cannot be written ----------------------------------------------------------------


def test_an_index_that_cannot_be_written_is_said_and_never_searched_as_no_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    library = flood_library(tmp_path / "library", 60)
    refuse_index_writes(monkeypatch)
    assert main(["--library", str(library), "index"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    cache = os.environ["KLIPING_CACHE_DIR"]
    assert "could not be built in " + cache in line and "No space left on device" in line

    assert main(["--library", str(library), "search", "banjir"]) == 1
    captured = capsys.readouterr()
    assert "No articles match" not in captured.out and "another process" not in captured.err
    (line,) = captured.err.splitlines()  # said once, though both the open and the search know it
    assert "could not be built" in line and "No space left on device" in line

    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("banjir\nwarga\n"))
    assert main(["--library", str(library), "search", "--batch", "-"]) == 1
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 2 and all("No space left on device" in r["error"] and r["ids"] == [] for r in records)

    monkeypatch.undo()  # space again: the next search builds the index and finds every article
    assert main(["--library", str(library), "search", "banjir", "--json", "--limit", "100"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 60


def test_a_failed_build_leaves_no_half_built_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A half-built index left behind would hold on to the space a full disk needs back.
    library = flood_library(tmp_path / "library", 60)
    real_create_file = FileStorage.create_file
    created = []

    def fail_after_some(self, name, *args, **kwargs):
        created.append(name)
        if len(created) > 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.path.join(self.folder, name))
        return real_create_file(self, name, *args, **kwargs)

    monkeypatch.setattr(FileStorage, "create_file", fail_after_some)
    assert main(["--library", str(library), "index"]) == 1
    cache = Path(os.environ["KLIPING_CACHE_DIR"])
    assert len(created) > 3
    assert not [path for path in cache.rglob("index.building*")]


@pytest.fixture
def small_cache(tmp_path: Path):
    """A cache folder on a tmpfs big enough for the library's catalog, not for its index."""
    with small_tmpfs(tmp_path / "cache", "the monkeypatched test covers it") as mount_point:
        yield mount_point


def test_a_full_disk_under_the_cache_is_said_by_index_and_search(tmp_path: Path, small_cache: Path) -> None:
    library = flood_library(tmp_path / "library", 60)
    env = {**os.environ, "KLIPING_CACHE_DIR": str(small_cache)}
    command = [sys.executable, "-m", "kliping", "--library", str(library)]
    built = subprocess.run([*command, "index"], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert built.returncode == 1 and "Traceback" not in built.stderr
    (line,) = built.stderr.splitlines()
    assert f"could not be built in {small_cache}" in line and "No space left on device" in line
    searched = subprocess.run([*command, "search", "banjir"], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert searched.returncode == 1 and "Traceback" not in searched.stderr
    assert "No articles match" not in searched.stdout and "another process" not in searched.stderr
    (line,) = searched.stderr.splitlines()
    assert f"could not be built in {small_cache}" in line and "No space left on device" in line
