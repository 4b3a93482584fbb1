"""The app with settings, themes and keymaps: choices persist, mistakes are reported, never fatal."""

from __future__ import annotations

from pathlib import Path

import yaml

from kliping.config.settings import load_settings
from kliping.files import paths
from kliping.library.folder import Library
from kliping.tui.app import ReaderApp
from kliping.tui.keys import default_bindings
from kliping.tui.textual_internals import notifications
from kliping.tui.widgets.article_list import ArticleList
from tests.support.tui import make_library, run_async, running, settle

SIZE = (110, 32)


def _app_from_settings(library_root: Path) -> ReaderApp:
    """Build the app the way `reader` does from the settings file (see tui/launch.py)."""
    settings = load_settings().settings
    return ReaderApp(
        Library(library_root),
        sort=settings.sort,
        theme=settings.theme,
        startup_problems=load_settings().problems,
        remember_theme=True,
        remember_sort=True,
    )


def _settings_file() -> Path:
    return paths.config_dir() / "settings.yaml"


def _notifications(app: ReaderApp) -> list[str]:
    return [str(n.message) for n in notifications(app)]


@run_async
async def test_theme_chosen_in_the_palette_is_saved_and_restored(tmp_path: Path) -> None:
    library = make_library(tmp_path / "library")
    app = _app_from_settings(library)
    assert app.theme == "kliping-dark"
    async with running(app, SIZE) as pilot:
        await pilot.press("ctrl+p", *"Theme: sepia")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.theme == "sepia"
    assert yaml.safe_load(_settings_file().read_text("utf-8"))["theme"] == "sepia"

    restarted = _app_from_settings(library)
    async with running(restarted, SIZE) as pilot:
        assert restarted.theme == "sepia"


@run_async
async def test_theme_key_opens_the_theme_picker(tmp_path: Path) -> None:
    app = _app_from_settings(make_library(tmp_path / "library"))
    async with running(app, SIZE) as pilot:
        await pilot.press("T")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "CommandPalette"
        await pilot.press(*"paper", "enter")
        await settle(pilot, app)
        assert app.theme == "paper"
    assert yaml.safe_load(_settings_file().read_text("utf-8"))["theme"] == "paper"


@run_async
async def test_starting_does_not_write_a_settings_file(tmp_path: Path) -> None:
    app = _app_from_settings(make_library(tmp_path / "library"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
    assert not _settings_file().exists()


@run_async
async def test_sort_order_is_saved(tmp_path: Path) -> None:
    library = make_library(tmp_path / "library")
    app = _app_from_settings(library)
    async with running(app, SIZE) as pilot:
        app.main.set_focus(app.main.query_one(ArticleList))
        await pilot.press("s")
        await settle(pilot, app)
        assert app.main.query_one(ArticleList).order == "title"
    assert load_settings().settings.sort == "title"
    restarted = _app_from_settings(library)
    async with running(restarted, SIZE) as pilot:
        assert restarted.main.query_one(ArticleList).order == "title"


@run_async
async def test_broken_user_theme_is_reported_and_the_default_used(tmp_path: Path) -> None:
    themes = paths.config_dir() / "themes"
    themes.mkdir(parents=True)
    (themes / "rusak.yaml").write_text("name: rusak\nprimary: not-a-colour\n", "utf-8")
    _settings_file().write_text("theme: rusak\n", "utf-8")
    app = _app_from_settings(make_library(tmp_path / "library"))
    async with running(app, SIZE):
        notes = _notifications(app)
        assert any("rusak.yaml" in n for n in notes), notes
        assert app.theme == "kliping-dark"
        assert len(app.main.query_one(ArticleList).rows) == 5


@run_async
async def test_invalid_settings_file_is_reported_and_not_overwritten(tmp_path: Path) -> None:
    broken = "theme: paper\nreading_width: [unclosed\n"
    _settings_file().parent.mkdir(parents=True, exist_ok=True)
    _settings_file().write_text(broken, "utf-8")
    app = _app_from_settings(make_library(tmp_path / "library"))
    async with running(app, SIZE) as pilot:
        notes = _notifications(app)
        assert any("settings.yaml" in n and "line" in n for n in notes), notes
        await pilot.press("T", *"sepia", "enter")  # a change the app cannot save over a broken file
        await settle(pilot, app)
        assert any("settings.yaml" in n for n in _notifications(app)[len(notes) :])
    assert _settings_file().read_text("utf-8") == broken


@run_async
async def test_keymap_from_settings_remaps_by_binding_id(tmp_path: Path) -> None:
    _settings_file().parent.mkdir(parents=True, exist_ok=True)
    _settings_file().write_text("keymap:\n  app.help: h\n", "utf-8")
    settings = load_settings().settings
    app = _app_from_settings(make_library(tmp_path / "library"))
    app.set_keymap(settings.keymap)
    async with running(app, SIZE) as pilot:
        await pilot.press("h")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "HelpScreen"


def test_every_binding_has_an_id_and_a_tooltip() -> None:
    bindings = default_bindings()
    assert {"app.quit", "app.search", "app.theme", "reader.next-match", "list.open"} <= set(bindings)
    from textual.binding import Binding
    from textual.dom import DOMNode

    pending: list[type] = [DOMNode]
    missing = []
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("kliping.tui"):
            for binding in cls.__dict__.get("BINDINGS", ()):
                if not isinstance(binding, Binding) or not binding.id or not binding.tooltip:
                    missing.append(f"{cls.__name__}: {binding}")
    assert missing == []
