"""Key names in the keymap setting: a name that is not a key is one line naming the file, line and
key when the settings are read; whatever the footer and the help screen show of a key is inert."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from kliping.config.settings import load_settings, settings_path
from kliping.library.folder import Library
from kliping.tui.app import ReaderApp
from kliping.tui.screens.help import HelpScreen
from kliping.tui.textual_internals import FooterKey, notifications
from tests.support.hardening import FORBIDDEN_OUTPUT
from tests.support.tmux import Terminal, needs_tmux
from tests.support.tui import make_library, run_async, running, settle, wait_for

SIZE = (110, 32)
# YAML's own escapes (\e is ESC, \a BEL, \x9b the 8-bit CSI): how a control reaches a value,
# since the file itself may not hold raw control characters.
HOSTILE_KEYMAP = (
    "theme: sepia\n"
    "keymap:\n"
    "  app.help: h\n"
    '  app.quit: "\\e]0;pwned\\aq"\n'
    '  app.search: "[bold]s[/bold]"\n'
    '  app.bookmarks: "\\x9b2J"\n'
    "  app.theme: quit\n"
)


def _write_settings(text: str) -> Path:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def _inert(text: str) -> bool:
    return not any(c in text for c in FORBIDDEN_OUTPUT)


def test_names_that_are_not_keys_are_one_line_each_with_file_line_and_key() -> None:
    path = _write_settings(HOSTILE_KEYMAP)
    before = path.read_bytes()
    loaded = load_settings()
    assert loaded.settings.theme == "sepia"
    assert loaded.settings.keymap == {"app.help": "h"}  # the good remap is kept
    wrong = {
        4: "keymap.app.quit",
        5: "keymap.app.search",
        6: "keymap.app.bookmarks",
        7: "keymap.app.theme",
    }
    assert len(loaded.problems) == len(wrong), loaded.problems
    for problem, (line, key) in zip(loaded.problems, wrong.items(), strict=True):
        assert problem.startswith(f"{path}, line {line}: {key}: "), problem
        assert "is not a key name" in problem and "\n" not in problem and _inert(problem), problem
    assert path.read_bytes() == before


def test_a_name_that_is_not_a_key_in_the_environment_is_named_and_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KLIPING_KEYMAP", '{"app.quit": "\\u001b[31mq", "app.help": "h"}')
    loaded = load_settings()
    assert loaded.settings.keymap == {"app.help": "h"}
    [problem] = loaded.problems
    assert problem.startswith("KLIPING_KEYMAP__APP.QUIT: ") and "is not a key name" in problem and _inert(problem)


def _footer_text(app: ReaderApp) -> list[str]:
    return [key.render().plain for key in app.screen.query(FooterKey)]


@run_async
async def test_the_footer_and_help_show_a_remapped_key_inert_whatever_reaches_them(tmp_path: Path) -> None:
    """Settings refuse such names; this is the second wall, for a keymap set any other way."""
    app = ReaderApp(Library(make_library(tmp_path / "library")))
    app.set_keymap({"app.quit": "\x1b]0;pwned\x07q", "app.help": "[bold]h[/bold],\u202eg"})
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, app, lambda: bool(app.session.entries))
        await settle(pilot, app)
        shown = _footer_text(app)
        assert any("Quit" in text for text in shown) and any("[bold]h[/bold]" in text for text in shown), shown
        assert all(_inert(text) for text in shown), shown
        app.action_help()
        await wait_for(pilot, app, lambda: isinstance(app.screen, HelpScreen))
        await settle(pilot, app)
        help_text = app.screen.query_one("#help-text", Static).render().plain
        assert "[bold]h[/bold]" in help_text and "Quit" in help_text
        assert _inert(help_text), [c for c in help_text if c in FORBIDDEN_OUTPUT]
        assert all(_inert(text) for text in _footer_text(app))


@run_async
async def test_the_app_says_which_keymap_lines_are_wrong_and_keeps_the_default_keys(tmp_path: Path) -> None:
    path = _write_settings(HOSTILE_KEYMAP)
    loaded = load_settings()
    app = ReaderApp(Library(make_library(tmp_path / "library")), theme=loaded.settings.theme,
                    startup_problems=loaded.problems)
    app.set_keymap(loaded.settings.keymap)
    async with running(app, SIZE) as pilot:
        notes = [str(n.message) for n in notifications(app)]
        assert [n for n in notes if str(path) in n and "line 4" in n and "keymap.app.quit" in n], notes
        assert all(_inert(n) for n in notes), notes
        shown = _footer_text(app)
        assert any(text.split() == ["q", "Quit"] for text in shown), shown
        await pilot.press("h")
        await wait_for(pilot, app, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("q")
        await settle(pilot, app)
    assert app.return_code in (0, None)


@needs_tmux
def test_a_title_change_in_a_key_name_never_reaches_a_real_terminal(tmp_path: Path) -> None:
    """What only a terminal shows: an OSC 0 in a key name would retitle the tmux pane."""
    _write_settings(HOSTILE_KEYMAP)
    library = make_library(tmp_path / "library")
    with Terminal(f"--library {library}") as term:
        term.wait_for(r"Quit")
        term.wait_for(r"is not a")  # the notification quotes the name inert: '\x1b]0;pwned\x07q'
        assert "pwned" not in term.tmux("display-message", "-p", "-t", term.session, "#{pane_title}")
        term.keys("h")  # the valid remap from the same file works
        term.wait_for(r"Keys")
        term.keys("q", "q")  # closes the help, then quits
        term.wait_until_closed()
