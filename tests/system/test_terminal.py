"""The reader in awkward terminals: tiny and huge sizes, rapid resizes, a non-UTF-8 locale."""

from __future__ import annotations

from pathlib import Path

from kliping.library.folder import Library
from kliping.tui.app import ReaderApp
from kliping.tui.widgets.article_list import ArticleList
from kliping.tui.widgets.reader_pane import ReaderPane
from tests.support.tmux import Terminal, needs_tmux
from tests.support.tui import make_library, run_async, settle, wait_for


@run_async
async def test_a_20x6_terminal_still_searches_opens_and_scrolls(tmp_path: Path) -> None:
    app = ReaderApp(Library(make_library(tmp_path / "library", long=True, hostile=True)))
    async with app.run_test(size=(20, 6)) as pilot:
        await settle(pilot, app)
        await wait_for(pilot, app, lambda: app.session.index is not None)
        await pilot.press("slash", *"gencatan", "enter")
        await wait_for(pilot, app, lambda: app.main.query_one(ArticleList).searching)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.main.query_one(ReaderPane).article is not None
        await pilot.press("n", "N", "space", "G", "g", "tab", "j", "k", "s", "question_mark")
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.is_running


@run_async
async def test_rapid_resizes_between_extremes_keep_the_app_working(tmp_path: Path) -> None:
    app = ReaderApp(Library(make_library(tmp_path / "library", long=True)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("G", "enter")  # the long article (last in date order)
        await settle(pilot, app)
        reader = app.main.query_one(ReaderPane)
        assert reader.article is not None
        for width, height in [(300, 100), (20, 6), (80, 24), (1, 1), (300, 100), (47, 13), (120, 40)] * 3:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
        await settle(pilot, app)
        await pilot.press("tab", "space", "space")
        await settle(pilot, app)
        assert app.is_running
        assert reader.article is not None
        # A 300-column terminal centres the reading measure rather than stretching the text.
        await pilot.resize_terminal(300, 100)
        await settle(pilot, app)
        longest = max(len(line.text.strip()) for line in reader.body_lines)
        assert longest <= app.measure


@needs_tmux
def test_a_non_utf8_locale_does_not_crash_the_reader(tmp_path: Path, isolated_dirs: Path) -> None:
    library = make_library(tmp_path / "library")
    locale = "-u LC_CTYPE LANG=C LC_ALL=C PYTHONUTF8=0 PYTHONCOERCECLOCALE=0"
    with Terminal(f"--library {library}", width=100, height=30, env=locale) as term:
        screen = term.wait_for("5 articles")
        assert "\\u2502" not in screen and "│" in screen  # box drawing drawn, not escaped as text
        term.keys("/", "perdamaian")
        term.wait_for(r"\d+ hits?")
        term.keys("Enter", "Enter")
        term.wait_for(r"─ 1/\d+ ")
        term.keys("q")
        term.wait_until_closed()  # a traceback would stay on screen
