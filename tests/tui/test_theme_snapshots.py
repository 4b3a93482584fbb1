"""One snapshot per built-in theme: the reader with search hits, the current hit and a bookmark
all on screen, so a theme change that makes them indistinguishable shows up in review.

Regenerate after an intended change with
`pytest tests/test_tui_theme_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kliping.articles.sentences import sentence_spans
from kliping.bookmarks.model import Bookmark
from kliping.bookmarks.store import BookmarkStore
from kliping.library.folder import Library
from kliping.themes import load_builtin_themes
from kliping.tui.app import ReaderApp
from kliping.tui.search_input import SearchInput
from kliping.tui.widgets.article_list import ArticleList
from kliping.tui.widgets.reader_pane import ReaderPane
from tests.support.tui import make_library, settle, wait_for

SIZE = (110, 30)
ARTICLE_TITLE = "Hamas Temui Rusia, Bahas Gencatan Senjata Permanen di Gaza"


BUILT_IN = ["kliping-dark", "paper", "sepia", "high-contrast", "ansi"]


def test_every_built_in_theme_is_snapshotted() -> None:
    assert set(load_builtin_themes().themes) == set(BUILT_IN)


@pytest.mark.parametrize("theme", BUILT_IN)
def test_reader_with_hits_and_a_bookmark(snap_compare, tmp_path: Path, theme: str) -> None:
    library = Library(make_library(tmp_path / "library"))
    article = next(library.article(e.id) for e in library.entries() if e.title == ARTICLE_TITLE)
    # The article's second sentence is bookmarked; the search hits sit in its first and third.
    start, end = sentence_spans(article.text)[1]
    BookmarkStore.for_library(library.root).add(Bookmark.new(article.id, article.text, start, end, note="catatan"))
    app = ReaderApp(library, theme=theme)

    async def run_before(pilot) -> None:
        await settle(pilot, app)
        await wait_for(pilot, app, lambda: app.session.index is not None and app.session.bookmark_store is not None)
        app.main.query_one(SearchInput).cursor_blink = False
        await pilot.press("slash", *"gencatan")
        await wait_for(pilot, app, lambda: app.main.query_one(ArticleList).searching)
        await settle(pilot, app)
        await pilot.press("enter", "enter")
        reader = app.main.query_one(ReaderPane)
        await wait_for(pilot, app, lambda: reader.current_match == 0 and reader.bookmarks)
        await pilot.press("tab")  # focus back on the list: no passage cursor over the bookmark
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
