"""Faults while importing: SIGKILL at random moments, several importers at once, a read-only
library and a full disk. The library stays whole, nothing is duplicated, and the user is told."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from kliping.files.atomic import write_atomic
from kliping.ingest.importer import import_paths
from kliping.library.folder import Library
from tests.support.hardening import (
    GOOD_ARTICLE,
    assert_clean_failure_lines,
    kill_import_rounds,
    make_dataset,
    mount,
    reader,
    small_tmpfs,
    visible_article_problems,
)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("dataset") / "berita.jsonl"
    return path, make_dataset(path, copies=20)


def article_files(library: Path) -> list[Path]:
    return sorted(library.glob("*.md"))


def test_sigkill_during_import_leaves_a_usable_library_and_reimport_completes(tmp_path: Path) -> None:
    path = tmp_path / "berita.jsonl"
    count = make_dataset(path, copies=100)
    library = tmp_path / "lib"
    report = kill_import_rounds(library, path, rounds=10, seed=20261121)
    assert report.problems == []
    assert report.killed_while_running >= 6  # the kills landed in running processes, not after them
    partial = len(article_files(library))
    assert partial < count
    listed = reader("--library", str(library), "list")
    assert listed.code == 0 and "Traceback" not in listed.err
    assert len(listed.out.splitlines()) == partial + 1
    final = reader("--library", str(library), "import", str(path))
    assert final.code == 0
    assert final.err == f"imported {count - partial}, updated 0, skipped as duplicate {partial}, failed 0\n"
    assert len(article_files(library)) == count  # one file per record: no duplicates
    assert not [p for p in library.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]
    entries = Library(library).entries()
    assert len(entries) == count and len({e.title for e in entries}) == count


@pytest.mark.parametrize("processes", [2, 4])
def test_concurrent_imports_of_the_same_dataset(tmp_path: Path, dataset, processes: int) -> None:
    path, count = dataset
    library = tmp_path / "lib"
    library.mkdir()
    children = [
        subprocess.Popen([sys.executable, "-m", "kliping", "--library", str(library), "import", str(path)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(processes)
    ]
    lister = subprocess.Popen([sys.executable, "-m", "kliping", "--library", str(library), "list"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for child in [*children, lister]:
        _, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
        assert_clean_failure_lines(err.decode())
    assert len(article_files(library)) == count
    assert visible_article_problems(library) == []
    assert not [p for p in library.iterdir() if p.name.startswith(".")]
    entries = Library(library).entries()
    assert len(entries) == count and len({e.title for e in entries}) == count


# --- a library that cannot be written --------------------------------------------------------------


@pytest.fixture
def read_only_library(tmp_path: Path):
    """A library folder holding one article, seen through a read-only bind mount."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "ada.txt").write_text(GOOD_ARTICLE, "utf-8")
    view = tmp_path / "lib"
    view.mkdir()
    if not (mount("--bind", str(source), str(view)) and mount("-o", "remount,bind,ro", str(view))):
        subprocess.run(["umount", str(view)], capture_output=True, check=False)
        pytest.skip("cannot make a read-only bind mount here (not permitted); the in-process test covers it")
    try:
        yield view
    finally:
        subprocess.run(["umount", str(view)], check=True)


def test_import_into_a_read_only_library_says_why_and_listing_works(read_only_library: Path, dataset) -> None:
    path, _ = dataset
    run = reader("--library", str(read_only_library), "import", str(path))
    assert run.code == 1
    assert run.err.splitlines() == [
        f"{read_only_library}: cannot save articles here: Read-only file system; nothing more was imported",
        "imported 0, updated 0, skipped as duplicate 0, failed 1",
    ]
    listed = reader("--library", str(read_only_library), "list")
    assert listed.code == 0 and listed.err == "" and "Harga Beras Naik" in listed.out


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_refused_writes_stop_the_import_with_one_line(tmp_path: Path, dataset, monkeypatch, code: int) -> None:
    path, _ = dataset
    import tempfile

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    summary = import_paths(tmp_path / "lib", [path])
    assert summary.imported == 0
    assert summary.failed == [
        f"{tmp_path / 'lib'}: cannot save articles here: {os.strerror(code)}; nothing more was imported"
    ]


# --- a full disk -------------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path):
    with small_tmpfs(tmp_path / "small", "the in-process test covers it") as mount_point:
        yield mount_point


def test_disk_full_write_atomic_keeps_the_old_file(small_disk: Path) -> None:
    target = small_disk / "bookmarks.yaml"
    write_atomic(target, "lama: 1\n")
    with pytest.raises(OSError) as caught:
        write_atomic(target, "x" * 200_000)
    assert caught.value.errno == errno.ENOSPC
    assert target.read_text() == "lama: 1\n"
    assert sorted(p.name for p in small_disk.iterdir()) == ["bookmarks.yaml"]


def test_disk_full_during_import_keeps_what_was_there_and_says_so(small_disk: Path, dataset, tmp_path: Path) -> None:
    path, _ = dataset
    library = small_disk / "lib"
    library.mkdir()
    (library / "ada.txt").write_text(GOOD_ARTICLE, "utf-8")
    run = reader("--library", str(library), "import", str(path))
    assert "Traceback" not in run.err
    lines = run.err.splitlines()
    assert f"{library}: cannot save articles here: No space left on device; nothing more was imported" in lines
    assert (library / "ada.txt").read_text("utf-8") == GOOD_ARTICLE
    assert visible_article_problems(library) == []
    assert not [p for p in library.iterdir() if p.name.startswith(".")]
    listed = reader("--library", str(library), "list")
    assert listed.code == 0 and "Harga Beras Naik" in listed.out


def test_disk_full_in_process_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "catatan.yaml"
    write_atomic(target, "lama: 1\n")
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(fd, mode="r", *args, **kwargs):
        handle = real_fdopen(fd, mode, *args, **kwargs)
        return FullDisk(handle) if "w" in mode else handle  # reads (open_regular's too) still work

    monkeypatch.setattr(os, "fdopen", fdopen)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, "baru: 2\n")
    assert target.read_text() == "lama: 1\n" and [p.name for p in tmp_path.iterdir()] == ["catatan.yaml"]
    summary = import_paths(tmp_path / "lib", [_one_article(tmp_path)])
    assert summary.failed == [
        f"{tmp_path / 'lib'}: cannot save articles here: No space left on device; nothing more was imported"
    ]
    assert list((tmp_path / "lib").iterdir()) == []


def _one_article(tmp_path: Path) -> Path:
    path = tmp_path / f"{uuid.uuid4().hex}.txt"
    path.write_text(GOOD_ARTICLE, "utf-8")
    return path
