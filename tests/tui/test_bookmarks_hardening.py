"""The bookmarks file under hostile conditions, through the running app (Textual's Pilot): an export
onto an existing file asks first and keeps its mode, a new export follows the umask, and a hand
edit that puts an impossible date in the file makes bookmarks read-only with one line, never a
crash, and leaves the file as the user wrote it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kliping.bookmarks.store import BookmarkStore
from kliping.library.folder import Library
from kliping.tui.app import ReaderApp
from kliping.tui.screens.bookmarks import BookmarksScreen
from kliping.tui.screens.export_dialog import ExportDialog
from kliping.tui.textual_internals import notifications
from kliping.tui.widgets.reader_pane import ReaderPane
from tests.support.tui import make_library, run_async, running, settle, wait_for, widget_text

SIZE = (120, 40)


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return Library(make_library(tmp_path / "library"))


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def messages(app: ReaderApp) -> list[str]:
    return [str(n.message) for n in notifications(app)]


def on_disk(library: Library) -> BookmarkStore:
    return BookmarkStore.for_library(library.root)


async def bookmark_first_article(pilot, app: ReaderApp, library: Library, note: str) -> None:
    await settle(pilot, app)
    await wait_for(pilot, app, lambda: app.session.bookmark_store is not None)
    await pilot.press("enter")
    reader = app.main.query_one(ReaderPane)
    await wait_for(pilot, app, lambda: reader.article is not None and app.focused is reader)
    await pilot.press("b", *note, "ctrl+o")
    await wait_for(pilot, app, lambda: [b.note for b in on_disk(library).all()] == [note])
    await settle(pilot, app)


async def open_export_dialog(pilot, app: ReaderApp, target: Path | str) -> ExportDialog:
    await pilot.press("B")
    await wait_for(pilot, app, lambda: isinstance(app.screen, BookmarksScreen) and app.screen.loaded)
    await pilot.press("tab", "x")
    await wait_for(pilot, app, lambda: isinstance(app.screen, ExportDialog))
    app.screen.query_one("#export-path").value = str(target)
    return app.screen


async def export_after_bookmarking(pilot, app: ReaderApp, library: Library, note: str, target: Path) -> ExportDialog:
    """Bookmark the first article with ``note``, then ask to export to ``target`` (Enter once)."""
    await bookmark_first_article(pilot, app, library, note)
    dialog = await open_export_dialog(pilot, app, target)
    await pilot.press("enter")
    await settle(pilot, app)
    return dialog


@run_async
async def test_export_onto_an_existing_file_asks_first_and_keeps_its_mode(library: Library, tmp_path: Path) -> None:
    target = tmp_path / "laporan.md"
    target.write_text("tulisan saya sendiri\n", "utf-8")
    os.chmod(target, 0o640)
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await export_after_bookmarking(pilot, app, library, "catatan ekspor", target)
        assert app.screen is dialog  # not exported yet: it asks
        assert "already exists" in widget_text(dialog.query_one("#export-confirm"))
        assert target.read_text("utf-8") == "tulisan saya sendiri\n"
        await pilot.press("escape")  # cancel: nothing written
        await settle(pilot, app)
        assert target.read_text("utf-8") == "tulisan saya sendiri\n"
        await pilot.press("escape")  # back to the reader, to open the dialog anew
        await settle(pilot, app)
        dialog = await open_export_dialog(pilot, app, target)
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("enter")  # the second Enter on the same file replaces it
        await wait_for(pilot, app, lambda: "catatan ekspor" in target.read_text("utf-8"))
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@run_async
async def test_changing_the_path_after_the_warning_asks_again(library: Library, tmp_path: Path) -> None:
    first, second = tmp_path / "satu.md", tmp_path / "dua.md"
    first.write_text("satu\n", "utf-8")
    second.write_text("dua\n", "utf-8")
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await export_after_bookmarking(pilot, app, library, "catatan", first)
        dialog.query_one("#export-path").value = str(second)
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is dialog and "already exists" in widget_text(dialog.query_one("#export-confirm"))
    assert (first.read_text("utf-8"), second.read_text("utf-8")) == ("satu\n", "dua\n")


@run_async
async def test_a_new_export_follows_the_umask(library: Library, tmp_path: Path, umask_022) -> None:
    target = tmp_path / "baru.md"
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await bookmark_first_article(pilot, app, library, "catatan")
        await open_export_dialog(pilot, app, target)
        await pilot.press("enter")
        await wait_for(pilot, app, lambda: target.exists())
        await wait_for(pilot, app, lambda: any(str(target) in m for m in messages(app)))
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


@run_async
async def test_a_folder_is_refused_in_the_dialog(library: Library, tmp_path: Path) -> None:
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await export_after_bookmarking(pilot, app, library, "catatan", tmp_path)
        assert app.screen is dialog
        assert "folder" in widget_text(dialog.query_one("#export-confirm"))


@run_async
async def test_the_home_of_a_user_that_does_not_exist_is_said_in_the_dialog(library: Library) -> None:
    # pathlib raised RuntimeError for ~nosuchuser, which ended the app.
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await bookmark_first_article(pilot, app, library, "catatan")
        dialog = await open_export_dialog(pilot, app, "~tiada-pengguna-ini/x.md")
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is dialog
        assert "no such user" in widget_text(dialog.query_one("#export-confirm"))


@pytest.mark.parametrize("bad", ["created: 2024-02-30", "start: !!int abc", "text_hash: 2024-01-01"])
@run_async
async def test_a_hand_edit_with_an_impossible_value_makes_bookmarks_read_only_with_one_line(
    library: Library, bad: str
) -> None:
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await bookmark_first_article(pilot, app, library, "catatan")
        path = on_disk(library).path
        key = bad.split(":")[0]
        lines = path.read_text("utf-8").splitlines(keepends=True)
        lines = [f"  {bad}\n" if line.startswith(f"  {key}:") else line for line in lines]
        edited = "".join(lines)
        path.write_text(edited, "utf-8")
        await pilot.press("B")  # re-reads the file the user just edited
        await wait_for(pilot, app, lambda: isinstance(app.screen, BookmarksScreen) and app.screen.loaded)
        screen = app.screen
        await wait_for(pilot, app, lambda: screen.problem is not None)
        assert str(path) in screen.problem and f"key {key!r}" in screen.problem and "\n" not in screen.problem
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("b")  # would add a bookmark
        await wait_for(pilot, app, lambda: any("Cannot save bookmarks" in m for m in messages(app)))
        assert app.is_running
    assert path.read_text("utf-8") == edited


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
@run_async
async def test_a_bookmarks_file_that_is_no_file_leaves_the_app_running_read_only(library: Library, kind: str) -> None:
    path = on_disk(library).path
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    app = ReaderApp(library)
    async with running(app, SIZE) as pilot:
        await wait_for(pilot, app, lambda: app.session.bookmark_store is not None)
        assert app.session.bookmark_store.read_only
        await wait_for(pilot, app, lambda: any(str(path) in m and "not a regular file" in m for m in messages(app)))
    assert stat.S_ISFIFO(os.lstat(path).st_mode) if kind == "fifo" else path.is_symlink()
