"""Snapshots of the reader at a fixed size: the main screen, a search, the help screen.

Regenerate after an intended change with `pytest tests/test_tui_snapshots.py --snapshot-update`
and look at the SVGs in tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kliping.library.folder import Library
from kliping.tui.app import ReaderApp
from kliping.tui.search_input import SearchInput
from kliping.tui.widgets.article_list import ArticleList
from kliping.tui.widgets.reader_pane import ReaderPane
from tests.support.tui import make_library, settle, wait_for

SIZE = (110, 32)


@pytest.fixture
def app(tmp_path: Path) -> ReaderApp:
    return ReaderApp(Library(make_library(tmp_path / "library")))


async def _ready(pilot) -> None:
    app = pilot.app
    await settle(pilot, app)
    await wait_for(pilot, app, lambda: app.session.index is not None)
    app.main.query_one(SearchInput).cursor_blink = False
    await settle(pilot, app)


def test_main_screen_with_an_article_open(snap_compare, app: ReaderApp) -> None:
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("j", "enter")
        await settle(pilot, pilot.app)
        await pilot.press("tab")  # back to the list so its cursor shows focused

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_search_with_hits_and_the_first_match_open(snap_compare, app: ReaderApp) -> None:
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("slash", *"gencatan senjata")
        await wait_for(pilot, pilot.app, lambda: pilot.app.main.query_one(ArticleList).searching)
        await settle(pilot, pilot.app)
        await pilot.press("enter", "j", "enter")
        await settle(pilot, pilot.app)
        # The open article's matches are found in a worker after it shows: wait for them, or `n`
        # may land before there is anything to move to.
        reader = pilot.app.main.query_one(ReaderPane)
        await wait_for(pilot, pilot.app, lambda: reader.current_match == 0)
        await pilot.press("n")
        await wait_for(pilot, pilot.app, lambda: reader.current_match == 1)
        await pilot.wait_for_scheduled_animations()
        await settle(pilot, pilot.app)  # the scrollbar repaints a frame after the text
        await settle(pilot, pilot.app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare, app: ReaderApp) -> None:
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("question_mark")
        await settle(pilot, pilot.app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
