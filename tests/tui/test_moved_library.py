"""A library folder that is renamed or moved keeps its bookmarks (they are kept under a key made
from the folder's path), and when they cannot be matched the user is told where they are."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kliping.bookmarks.model import Bookmark
from kliping.bookmarks.store import BookmarkStore
from kliping.cli import main
from kliping.files import paths
from kliping.tui.textual_internals import notifications
from tests.support.bookmarks import ARTICLE_TEXT, span_of
from tests.support.tui import run_async, running


def _library(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "lavrov.txt").write_text(f"Lavrov\n\n{ARTICLE_TEXT}\n", "utf-8")
    return root


def _bookmark(root: Path) -> Bookmark:
    start, end = span_of(ARTICLE_TEXT, "Harga beras naik")
    return BookmarkStore.for_library(root).add(Bookmark.new("lavrov", ARTICLE_TEXT, start, end, note="jangan hilang"))


def _bookmark_copy_and_remove(old: Path, copy: Path) -> Path:
    """Bookmark ``old``, copy it to ``copy`` and remove it; where its bookmarks file is."""
    _bookmark(old)
    bookmarks_file = paths.library_data_dir(old) / "bookmarks.yaml"
    shutil.copytree(old, copy)
    shutil.rmtree(old)
    return bookmarks_file


def test_a_renamed_library_folder_finds_its_bookmarks(tmp_path: Path) -> None:
    old = _library(tmp_path / "kliping-lama")
    saved = _bookmark(old)
    old_data = paths.library_data_dir(old)
    new = old.rename(tmp_path / "kliping-baru")
    store = BookmarkStore.for_library(new)
    assert [b.id for b in store.all()] == [saved.id] and store.get(saved.id).note == "jangan hilang"
    assert store.notice is not None and str(old) in store.notice and str(new) in store.notice and "\n" not in store.notice
    assert not old_data.exists() and (paths.library_data_dir(new) / "bookmarks.yaml").exists()
    # Found once: the next open is an ordinary one.
    assert BookmarkStore.for_library(new).notice is None


def test_a_library_moved_into_another_folder_finds_its_bookmarks(tmp_path: Path) -> None:
    old = _library(tmp_path / "a" / "koleksi")
    saved = _bookmark(old)
    (tmp_path / "b").mkdir()
    new = old.rename(tmp_path / "b" / "koleksi")
    assert [b.id for b in BookmarkStore.for_library(new).all()] == [saved.id]


def test_a_library_that_still_exists_keeps_its_own_bookmarks(tmp_path: Path) -> None:
    first = _library(tmp_path / "satu")
    _bookmark(first)
    second = _library(tmp_path / "dua")
    store = BookmarkStore.for_library(second)
    assert len(store) == 0 and store.notice is None
    assert len(BookmarkStore.for_library(first)) == 1


def test_a_copied_library_whose_original_is_gone_is_told_where_the_bookmarks_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A copy is another folder (no identity to match): the bookmarks are not taken over, but the
    user learns where they are."""
    old = _library(tmp_path / "asli")
    copy = tmp_path / "salinan"
    old_file = _bookmark_copy_and_remove(old, copy)
    store = BookmarkStore.for_library(copy)
    assert len(store) == 0
    assert store.notice is not None and str(old_file) in store.notice and str(old) in store.notice
    assert old_file.exists()
    code = main(["--library", str(copy), "bookmarks", "list"])
    err = capsys.readouterr().err
    assert code == 0 and str(old_file) in err


def test_a_broken_library_record_is_ignored(tmp_path: Path) -> None:
    old = _library(tmp_path / "lama")
    _bookmark(old)
    record = paths.library_data_dir(old) / paths.LIBRARY_RECORD
    assert record.exists()
    record.write_bytes(b"\xff\x00 bukan json")
    new = old.rename(tmp_path / "baru")
    store = BookmarkStore.for_library(new)
    assert len(store) == 0 and store.problem is None


@run_async
async def test_the_app_says_where_the_bookmarks_of_a_gone_library_are(tmp_path: Path) -> None:
    from kliping.library.folder import Library
    from kliping.tui.app import ReaderApp
    from tests.support.tui import make_library, wait_for

    old = make_library(tmp_path / "asli")
    copy = tmp_path / "salinan"
    old_file = _bookmark_copy_and_remove(old, copy)
    app = ReaderApp(Library(copy))
    async with running(app, (110, 32)) as pilot:
        await wait_for(pilot, app, lambda: app.session.bookmark_store is not None)
        await wait_for(pilot, app, lambda: any(str(old_file) in str(n.message) for n in notifications(app)))
    assert old_file.exists()


def test_the_reading_state_saved_first_does_not_hide_the_moved_bookmarks(tmp_path: Path) -> None:
    from kliping.library.reading_state import ReadingState, ReadingStateStore

    old = _library(tmp_path / "kliping-lama")
    saved = _bookmark(old)
    ReadingStateStore.for_library(old).save(ReadingState(last_article="lavrov", read={"lavrov"}))
    new = old.rename(tmp_path / "kliping-baru")
    # The app may save the reading place before its bookmarks worker has run.
    state_store = ReadingStateStore.for_library(new)
    assert state_store.load().read == {"lavrov"}
    state_store.save(ReadingState(last_article="lavrov", read={"lavrov"}, positions={"lavrov": 3}))
    store = BookmarkStore.for_library(new)
    assert [b.id for b in store.all()] == [saved.id]
    assert store.notice is not None and str(old) in store.notice  # still said, though found first by the state
