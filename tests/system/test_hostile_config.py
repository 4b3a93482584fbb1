"""Hostile settings, theme and bookmarks files, and a data directory that refuses writes.

Every kind of broken file is read in-process (load_settings, load_themes, BookmarkStore) and by
the real app through Pilot: nothing raises, one line names the file, the built-in defaults are
used, and the file on disk is byte-for-byte what it was, even after an action that saves.
"""

from __future__ import annotations

import errno
import os
import pathlib
import random
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from kliping.bookmarks.model import Bookmark, BookmarkError, BookmarksReadOnly
from kliping.bookmarks.store import BookmarkStore
from kliping.config.settings import SettingsSaveError, load_settings, save_settings, settings_path
from kliping.files import paths
from kliping.library.folder import Library
from kliping.themes import DEFAULT_THEME
from kliping.themes.loader import load_themes, user_themes_dir
from kliping.tui.app import ReaderApp
from kliping.tui.screens.note_dialog import NoteDialog
from kliping.tui.textual_internals import notifications
from kliping.tui.widgets.reader_pane import ReaderPane
from tests.support.tui import make_library, run_async, running, settle, wait_for

SIZE = (110, 32)
HUGE = 20 * 1024 * 1024


def hostile_kinds(marker: Path) -> dict[str, tuple[bytes, bytes, bytes]]:
    """kind -> (settings file, theme file, bookmarks file). Each is refused as a whole; the "tag"
    files would create ``marker`` if they were ever loaded unsafely."""
    rng = random.Random(11)
    deep = b"[" * 60_000 + b"]" * 60_000
    tag = f'!!python/object/apply:os.system ["touch {marker}"]'.encode()
    return {
        "truncated": (
            b'theme: "sepi',
            b'name: cut\ndark: true\ncolors:\n  primary: "#12',
            b"version: 1\nbookmarks:\n  - id: abc123\n    article_id: x\n    quote: 'Sebuah kut",
        ),
        "invalid": (
            b"theme: [sepia\nreading_width: 80\n",
            b"name: x\n  dark: [true\n",
            b"version: 1\nbookmarks: [\n  - {id: a\n",
        ),
        "wrong-types": (
            b"- theme\n- sepia\n",
            b"name: [1, 2]\ndark: maybe\n",
            b"version: 1\nbookmarks:\n  - id: abc123\n    article_id: x\n    quote: kutipan\n    start: awal\n    end: 5\n",
        ),
        "huge": (
            b"theme: sepia\nnote: " + b"a" * HUGE + b"\n",
            b"name: besar\nnote: " + b"a" * HUGE + b"\n",
            b"version: 1\nbookmarks: " + b"a" * HUGE + b"\n",
        ),
        "deep": (deep, b"name: " + deep, b"version: 1\nbookmarks: " + deep),
        "binary": (rng.randbytes(4096), b"\x89PNG\r\n\x1a\n" + rng.randbytes(4096), b"\x00" * 4096),
        "tag": (
            b"theme: " + tag + b"\nreading_width: 70\n",
            b"name: jahat\ndark: " + tag + b"\n",
            b"version: 1\nbookmarks:\n  - " + tag + b"\n",
        ),
    }


KINDS = list(hostile_kinds(Path("/marker")))


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _theme_path() -> Path:
    return user_themes_dir() / "hostile.yaml"


def _bookmarks_path(library_root: Path) -> Path:
    return BookmarkStore.for_library(library_root).path


def _a_bookmark() -> Bookmark:
    return Bookmark.new("artikel", "Satu kalimat. Dua kalimat.", 0, 13)


# -- in-process ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_settings_file_gives_defaults_one_line_and_is_never_written(kind: str, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = _write(settings_path(), hostile_kinds(marker)[kind][0])
    before = path.read_bytes()
    loaded = load_settings()
    assert loaded.settings.theme == DEFAULT_THEME and loaded.settings.reading_width == 80
    assert len(loaded.problems) == 1 and str(path) in loaded.problems[0], loaded.problems
    assert "\n" not in loaded.problems[0] and len(loaded.problems[0]) < 400
    with pytest.raises(SettingsSaveError, match="not saving settings"):
        save_settings({"theme": "paper"})
    assert path.read_bytes() == before
    assert not marker.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_theme_file_is_skipped_with_one_line(kind: str, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = _write(_theme_path(), hostile_kinds(marker)[kind][1])
    catalog = load_themes()
    assert DEFAULT_THEME in catalog.themes and len(catalog.themes) >= 5  # the built-ins all load
    assert len(catalog.problems) == 1 and str(path) in catalog.problems[0], catalog.problems
    assert "\n" not in catalog.problems[0] and len(catalog.problems[0]) < 600
    assert not marker.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_bookmarks_file_makes_the_store_read_only_and_is_never_written(kind: str, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = _write(tmp_path / "data" / "bookmarks.yaml", hostile_kinds(marker)[kind][2])
    before = path.read_bytes()
    store = BookmarkStore(path)
    assert store.read_only and store.all() == []
    assert str(path) in store.problem and "\n" not in store.problem and len(store.problem) < 400, store.problem
    with pytest.raises(BookmarksReadOnly):
        store.add(_a_bookmark())
    assert path.read_bytes() == before
    assert not marker.exists()


def _unreadable(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """Reading ``target`` fails as it does for a file without read permission (tests run as root,
    who may read anything)."""
    real_open = pathlib.Path.open
    real_os_open = os.open

    def refusing_open(self: Path, *args, **kwargs):
        if Path(self) == target:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_open(self, *args, **kwargs)

    def refusing_os_open(path, *args, **kwargs):  # kliping.files.regular_file opens with os.open
        if isinstance(path, (str, Path)) and Path(path) == target:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", refusing_open)
    monkeypatch.setattr(os, "open", refusing_os_open)


def test_unreadable_settings_theme_and_bookmarks_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _write(settings_path(), b"theme: sepia\n")
    theme = _write(_theme_path(), b"name: mine\ndark: true\n")
    bookmarks = _write(tmp_path / "bookmarks.yaml", b"version: 1\nbookmarks: []\n")
    for path in (settings, theme, bookmarks):
        _unreadable(monkeypatch, path)
    loaded = load_settings()
    assert loaded.settings.theme == DEFAULT_THEME
    assert [p for p in loaded.problems if str(settings) in p and "Permission denied" in p], loaded.problems
    with pytest.raises(SettingsSaveError):
        save_settings({"theme": "paper"})
    catalog = load_themes()
    assert [p for p in catalog.problems if str(theme) in p and "Permission denied" in p], catalog.problems
    store = BookmarkStore(bookmarks)
    assert store.read_only and str(bookmarks) in store.problem and "Permission denied" in store.problem
    with pytest.raises(BookmarksReadOnly):
        store.add(_a_bookmark())
    monkeypatch.undo()
    assert settings.read_bytes() == b"theme: sepia\n"
    assert bookmarks.read_bytes() == b"version: 1\nbookmarks: []\n"


def test_nesting_by_indentation_alone_is_reported_not_raised(tmp_path: Path) -> None:
    """No nesting marks, so the cheap depth check passes it on; the pure-Python loader's
    RecursionError must still come out as one line."""
    text = "".join(" " * depth + "a:\n" for depth in range(600)) + " " * 600 + "a: 1\n"
    path = _write(settings_path(), text.encode())
    loaded = load_settings()
    assert loaded.settings.theme == DEFAULT_THEME
    assert len(loaded.problems) == 1 and "nested too deeply" in loaded.problems[0]
    assert path.read_text("utf-8") == text


# -- through the app -------------------------------------------------------------------------------


def _app_from_settings(library_root: Path) -> ReaderApp:
    """Build the app the way `reader` does from the settings file (see tui/launch.py)."""
    loaded = load_settings()
    return ReaderApp(
        Library(library_root),
        sort=loaded.settings.sort,
        theme=loaded.settings.theme,
        startup_problems=loaded.problems,
        remember_theme=True,
        remember_sort=True,
    )


SETTINGS, THEME, BOOKMARKS = range(3)  # which file of a hostile kind (hostile_kinds)


@contextmanager
def _hostile_file(path: Path, kind: str, which: int, tmp_path: Path) -> Iterator[Path]:
    """Write the hostile file of ``kind`` at ``path``; once the block is done the file must be
    as written, and nothing in it ran (a YAML tag that runs code would leave a marker)."""
    marker = tmp_path / "ran"
    path = _write(path, hostile_kinds(marker)[kind][which])
    before = path.read_bytes()
    yield path
    assert path.read_bytes() == before
    assert not marker.exists()


@asynccontextmanager
async def _app_with_hostile_file(
    library_root: Path, path: Path, kind: str, which: int, tmp_path: Path
) -> AsyncIterator[tuple[ReaderApp, Pilot, Path]]:
    """The app built from the settings on ``library_root``, started and settled, with the hostile
    file of ``kind`` at ``path`` (kept as written and never run, see :func:`_hostile_file`)."""
    with _hostile_file(path, kind, which, tmp_path) as written:
        app = _app_from_settings(library_root)
        async with running(app, SIZE) as pilot:
            yield app, pilot, written


def _notifications(app: ReaderApp) -> list[str]:
    return [str(n.message) for n in notifications(app)]


async def _pick_theme(pilot, app: ReaderApp, name: str) -> None:
    await pilot.press("T")
    await settle(pilot, app)
    await pilot.press(*name, "enter")
    await settle(pilot, app)
    assert app.theme == name


async def _open_first_article(pilot, app: ReaderApp) -> ReaderPane:
    await settle(pilot, app)
    await wait_for(pilot, app, lambda: app.session.bookmark_store is not None and bool(app.session.entries))
    await pilot.press("enter")
    reader = app.main.query_one(ReaderPane)
    await wait_for(pilot, app, lambda: reader.article is not None and app.focused is reader)
    return reader


# The slow kinds (20 MB, 120 KB of brackets) are read in-process above; here the app must start
# and say so for each kind of mistake a person or a crash makes.
APP_KINDS = ["truncated", "invalid", "wrong-types", "deep", "binary", "tag"]


@pytest.mark.parametrize("kind", APP_KINDS)
@run_async
async def test_app_starts_with_a_hostile_settings_file_says_so_and_never_overwrites_it(kind: str, tmp_path: Path) -> None:
    library = make_library(tmp_path / "library")
    async with _app_with_hostile_file(library, settings_path(), kind, SETTINGS, tmp_path) as (app, pilot, path):
        assert any(str(path) in m for m in _notifications(app)), _notifications(app)
        await _pick_theme(pilot, app, "paper")  # would save the theme to the settings file
        assert any("not saving settings" in m for m in _notifications(app)), _notifications(app)


@pytest.mark.parametrize("kind", ["invalid", "deep", "binary", "tag"])
@run_async
async def test_app_starts_with_a_hostile_theme_file_and_says_which(kind: str, tmp_path: Path) -> None:
    library = make_library(tmp_path / "library")
    async with _app_with_hostile_file(library, _theme_path(), kind, THEME, tmp_path) as (app, pilot, path):
        assert app.theme == DEFAULT_THEME
        assert any(str(path) in m and "theme skipped" in m for m in _notifications(app)), _notifications(app)
        await _pick_theme(pilot, app, "sepia")


@pytest.mark.parametrize("kind", APP_KINDS)
@run_async
async def test_app_opens_with_a_hostile_bookmarks_file_read_only_and_keeps_it(kind: str, tmp_path: Path) -> None:
    library = make_library(tmp_path / "library")
    async with _app_with_hostile_file(library, _bookmarks_path(library), kind, BOOKMARKS, tmp_path) as (app, pilot, path):
        await _open_first_article(pilot, app)
        assert any(str(path) in m for m in _notifications(app)), _notifications(app)
        await pilot.press("b")  # would add a bookmark
        await settle(pilot, app)
        assert app.screen is app.main
        assert any("Cannot save bookmarks" in m for m in _notifications(app)), _notifications(app)
        await pilot.press("B")  # the bookmarks screen opens on the read-only store
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("q")


# -- a data directory that refuses writes ----------------------------------------------------------


def _refuse_writes_under(monkeypatch: pytest.MonkeyPatch, *folders: Path) -> list[str]:
    """Every atomic write into ``folders`` fails at its rename as on a read-only file system
    (root writes through permissions, and a real read-only mount needs privileges); returns the
    list of refused targets."""
    refused: list[str] = []
    real_replace = os.replace

    def read_only_replace(src, dst, *args, **kwargs):
        if any(Path(dst).is_relative_to(folder) for folder in folders):
            refused.append(str(dst))
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", read_only_replace)
    return refused


@run_async
async def test_read_only_data_directory_opens_for_reading_and_says_why_nothing_is_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = make_library(tmp_path / "library")
    settings = _write(settings_path(), b"theme: sepia\n")
    refused = _refuse_writes_under(monkeypatch, paths.data_dir(), paths.config_dir())
    app = _app_from_settings(library)
    exit_messages: list[str] = []
    real_exit = app.exit
    monkeypatch.setattr(app, "exit", lambda *a, message=None, **k: (exit_messages.append(str(message)), real_exit(*a, **k)))
    async with app.run_test(size=SIZE) as pilot:
        reader = await _open_first_article(pilot, app)
        assert reader.article is not None and app.theme == "sepia"
        # Opening an article saves the reading position: refused, and said why.
        await wait_for(pilot, app, lambda: any("reading position" in m for m in _notifications(app)))
        assert any("Read-only file system" in m and "reading position" in m for m in _notifications(app))
        await pilot.press("b")
        await wait_for(pilot, app, lambda: any("cannot save bookmarks" in m for m in _notifications(app)))
        assert any("Read-only file system" in m for m in _notifications(app) if "cannot save bookmarks" in m)
        if isinstance(app.screen, NoteDialog):
            await pilot.press("escape")
            await settle(pilot, app)
        await _pick_theme(pilot, app, "paper")
        assert any("could not save settings" in m and "Read-only file system" in m for m in _notifications(app))
        await pilot.press("space", "n")  # still reading
        await settle(pilot, app)
        await pilot.press("q")
        await settle(pilot, app)
    assert app.return_code in (0, None)
    # What quitting could not save is said on the terminal once the screen is gone.
    assert any("reading position" in m and "Read-only file system" in m for m in exit_messages), exit_messages
    monkeypatch.undo()
    assert settings.read_bytes() == b"theme: sepia\n"
    assert BookmarkStore.for_library(library).all() == []
    assert any(target.endswith("bookmarks.yaml") for target in refused)
    assert any(target.endswith("reading-state.json") for target in refused)


def test_store_and_settings_say_why_they_cannot_save_to_a_read_only_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = BookmarkStore(tmp_path / "data" / "bookmarks.yaml")
    _refuse_writes_under(monkeypatch, tmp_path, paths.config_dir())
    with pytest.raises(BookmarkError, match="cannot save bookmarks: Read-only file system"):
        store.add(_a_bookmark())
    assert store.all() == []  # memory stays as the disk is
    with pytest.raises(SettingsSaveError, match=r"could not save settings .*Read-only file system"):
        save_settings({"theme": "paper"})
    assert not settings_path().exists()


@pytest.mark.parametrize("command", [["list"], ["search", "gencatan"], ["bookmarks", "list"], ["index"]])
def test_commands_say_the_settings_file_is_broken_and_run_on_defaults(command: list[str]) -> None:
    from tests.support.hardening import assert_clean_failure_lines, reader

    path = _write(settings_path(), b"library: [unclosed\ntheme: 3\n")
    before = path.read_bytes()
    run = reader(*command)
    assert run.code == 0, run.err
    problems = [line for line in run.err.splitlines() if str(path) in line]
    assert len(problems) == 1, run.err  # one line naming the file, not a silent fall back to defaults
    assert_clean_failure_lines(run.err)
    assert path.read_bytes() == before
