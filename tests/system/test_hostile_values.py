"""Values a type cannot take, in the settings file and in a theme, end to end: `reader list`,
`reader search`, `reader themes` and the app each say so in one line naming the file, the line
and the key, run on, and leave the file byte-for-byte as it was.

Two kinds: YAML that builds no value (`2024-02-30` is a timestamp no calendar has, `!!int abc`),
and values of a valid YAML type the setting cannot take (a date where a number belongs, huge
numbers, NaN, a list where text belongs, bytes where text belongs).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kliping.config.settings import load_settings, settings_path
from kliping.library.folder import Library
from kliping.themes import DEFAULT_THEME
from kliping.themes.loader import BUILTIN_DIR, load_themes, user_themes_dir
from kliping.tui.app import ReaderApp
from kliping.tui.textual_internals import notifications
from tests.support.hardening import assert_clean_failure_lines, reader
from tests.support.tui import make_library, run_async, settle

# name -> (settings file text, the line and the key the one-line problem must name)
SETTINGS_VALUES = {
    "impossible date": ("theme: sepia\ncreated: 2024-02-30\n", 2, "created"),
    "!!int abc": ("theme: sepia\nreading_width: !!int abc\n", 2, "reading_width"),
    "date for a number": ("theme: sepia\nreading_width: 2024-01-01\n", 2, "reading_width"),
    "huge number": ("theme: sepia\nreading_width: " + "9" * 40 + "\n", 2, "reading_width"),
    "5000 digits": ("theme: sepia\nreading_width: " + "9" * 5000 + "\n", 2, "reading_width"),
    "NaN": ("theme: sepia\nsearch:\n  limit: .nan\n", 3, "search.limit"),
    "infinity": ("theme: sepia\nsearch:\n  debounce_ms: -.inf\n", 3, "search.debounce_ms"),
    "list for text": ("sort: title\ntheme: [sepia, paper]\n", 2, "theme"),
    "bytes for text": ("theme: sepia\nlibrary: !!binary aGVsbG8=\n", 2, "library"),
    "date for text": ("theme: sepia\nkeymap:\n  app.help: 2024-01-01\n", 3, "keymap.app.help"),
}


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def _names_line_and_key(problem: str, path: Path, line: int, key: str) -> bool:
    return str(path) in problem and f"line {line}" in problem and repr(key)[1:-1] in problem


@pytest.mark.parametrize("name", list(SETTINGS_VALUES))
def test_settings_value_in_process_is_one_line_with_file_line_and_key(name: str) -> None:
    text, line, key = SETTINGS_VALUES[name]
    path = _write(settings_path(), text)
    loaded = load_settings()
    [problem] = loaded.problems
    assert _names_line_and_key(problem, path, line, key) and "\n" not in problem, problem
    assert loaded.settings.reading_width == 80 and loaded.settings.library is None
    assert path.read_text("utf-8") == text


@pytest.mark.parametrize("name", list(SETTINGS_VALUES))
@pytest.mark.parametrize("command", [["list"], ["search", "gencatan"]])
def test_settings_value_through_the_commands(name: str, command: list[str]) -> None:
    text, line, key = SETTINGS_VALUES[name]
    path = _write(settings_path(), text)
    run = reader(*command)
    assert run.code == 0, run.err
    assert_clean_failure_lines(run.err)
    problems = [p for p in run.err.splitlines() if str(path) in p]
    assert len(problems) == 1 and _names_line_and_key(problems[0], path, line, key), run.err
    assert path.read_text("utf-8") == text


@pytest.mark.parametrize("name", ["impossible date", "5000 digits", "NaN", "list for text", "bytes for text"])
@run_async
async def test_settings_value_through_the_app_is_named_and_the_file_kept(name: str, tmp_path: Path) -> None:
    text, line, key = SETTINGS_VALUES[name]
    path = _write(settings_path(), text)
    loaded = load_settings()
    app = ReaderApp(Library(make_library(tmp_path / "library")), theme=loaded.settings.theme,
                    startup_problems=loaded.problems, remember_theme=True, remember_sort=True)
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(pilot, app)
        notes = [str(n.message) for n in notifications(app)]
        assert [n for n in notes if _names_line_and_key(n, path, line, key)], notes
        await pilot.press("T")  # choosing a theme would save it to the settings file
        await settle(pilot, app)
        await pilot.press(*"paper", "enter")
        await settle(pilot, app)
        assert app.theme == "paper"
        assert any("not saving settings" in str(n.message) for n in notifications(app))
        await pilot.press("q")
    assert path.read_text("utf-8") == text


# -- theme files -----------------------------------------------------------------------------------

SEPIA = (BUILTIN_DIR / "sepia.yaml").read_text("utf-8").replace("name: sepia", "name: milikku")
# name -> (an extra line for the theme, the key the problem must name); the line is the last one.
THEME_VALUES = {
    "impossible date": ("created: 2024-02-30", "created"),
    "!!float x": ("text_alpha: !!float x", "text_alpha"),
    "date for a number": ("luminosity_spread: 2024-01-01", "luminosity_spread"),
    "huge number": ("luminosity_spread: " + "9" * 40, "luminosity_spread"),
    "5000 digits": ("text_alpha: " + "9" * 5000, "text_alpha"),
    "NaN": ("text_alpha: .nan", "text_alpha"),
    "list for text": ("author: [satu, dua]", "author"),
    "bytes for text": ("author: !!binary AAAA", "author"),
    "date for a flag": ("ansi: 2024-01-01", "ansi"),
}


def _theme(name: str) -> tuple[Path, str, int, str]:
    extra, key = THEME_VALUES[name]
    text = SEPIA.rstrip("\n") + "\n" + extra + "\n"
    return _write(user_themes_dir() / "milikku.yaml", text), text, text.count("\n"), key


@pytest.mark.parametrize("name", list(THEME_VALUES))
def test_theme_value_is_skipped_with_file_line_and_key(name: str) -> None:
    path, text, line, key = _theme(name)
    catalog = load_themes()
    assert "milikku" not in catalog.themes and DEFAULT_THEME in catalog.themes
    [problem] = catalog.problems
    assert _names_line_and_key(problem, path, line, key) and "theme skipped" in problem, problem
    assert path.read_text("utf-8") == text


@pytest.mark.parametrize("name", list(THEME_VALUES))
def test_theme_value_through_the_themes_commands(name: str) -> None:
    path, text, line, key = _theme(name)
    listed = reader("themes")
    assert listed.code == 0 and DEFAULT_THEME in listed.out and "milikku" not in listed.out
    assert [p for p in listed.err.splitlines() if _names_line_and_key(p, path, line, key)], listed.err
    checked = reader("themes", "check", str(path))
    assert checked.code == 1 and checked.err.count("\n") == 1, checked.err
    assert _names_line_and_key(checked.err, path, line, key), checked.err
    assert_clean_failure_lines(listed.err + checked.err)
    assert path.read_text("utf-8") == text
