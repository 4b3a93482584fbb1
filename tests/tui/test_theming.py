"""Every kliping theme converts to a Textual Theme and works on a bare App."""

from __future__ import annotations

import asyncio
from dataclasses import fields
from pathlib import Path

import pytest
from textual.app import App
from textual.color import Color
from textual.theme import Theme

from kliping.themes import DEFAULT_THEME, READER_VARIABLES, load_builtin_themes, load_themes
from kliping.tui.theming import choose_theme, reader_variable_defaults, register_themes, to_textual_theme

SPECS = load_builtin_themes().specs()


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_every_field_is_carried_over(spec) -> None:
    theme = to_textual_theme(spec)
    for f in fields(Theme):
        if f.name == "variables":
            assert theme.variables == {**spec.textual_variables, **spec.reader_variables()}
        else:
            assert getattr(theme, f.name) == getattr(spec, f.name), f.name
    # Textual parses every colour the theme uses.
    for value in spec.colours().values():
        Color.parse(value)
    # And its colour system builds, with the reader's variables on top.
    generated = {**theme.to_color_system().generate(), **theme.variables}
    assert set(READER_VARIABLES) <= set(generated)


class Bare(App[None]):
    CSS = "Screen { background: $search-hit-background; color: $metadata-foreground; }"

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return reader_variable_defaults()


def test_every_theme_registers_and_applies_on_an_app() -> None:
    asyncio.run(_switch_through_every_theme())


async def _switch_through_every_theme() -> None:
    app = Bare()
    assert register_themes(app) == []
    async with app.run_test() as pilot:
        for spec in SPECS:
            app.theme = spec.name
            await pilot.pause()
            assert app.current_theme.name == spec.name
            assert app.get_css_variables()["search-hit-background"] == spec.reader_variables()["search-hit-background"]
        # Textual's own themes still work thanks to the defaults.
        app.theme = "textual-light"
        await pilot.pause()
        assert app.get_css_variables()["bookmark-mark"] == reader_variable_defaults()["bookmark-mark"]


def test_register_reports_broken_user_themes(isolated_dirs: Path) -> None:
    themes_dir = isolated_dirs / "config" / "themes"
    themes_dir.mkdir(parents=True)
    (themes_dir / "broken.yaml").write_text("name: broken\nprimary: nope\n", encoding="utf-8")
    app = Bare()
    [problem] = register_themes(app)
    assert "broken.yaml" in problem
    assert app.get_theme("broken") is None
    assert app.get_theme("paper") is not None


def test_choose_theme_falls_back_to_the_default() -> None:
    app = Bare()
    register_themes(app, load_themes())
    assert choose_theme(app, "sepia") is None and app.theme == "sepia"
    problem = choose_theme(app, "no-such-theme")
    assert app.theme == DEFAULT_THEME and "no-such-theme" in problem
    assert choose_theme(app, None) is None and app.theme == DEFAULT_THEME
