"""Re-anchoring bookmarks runs off the UI thread: the reader answers keys while it runs, and the
bookmarks are marked once it is done (Textual's Pilot, real key presses)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from kliping.articles.sentences import sentence_spans
from kliping.bookmarks import anchoring
from kliping.bookmarks.model import Bookmark
from kliping.bookmarks.store import BookmarkStore
from kliping.library.folder import Library
from kliping.tui.app import ReaderApp
from kliping.tui.widgets.article_list import ArticleList
from kliping.tui.widgets.reader_pane import ReaderPane
from tests.support.tui import make_library, poll, run_async, widget_text

SIZE = (120, 40)
# How long the held re-anchoring waits to be released. Only reached when the UI thread is the one
# waiting (the bug): then no key can be handled, and the test fails instead of hanging.
GATE_SECONDS = 10.0


class HeldAnchoring:
    """``anchoring.anchor`` that waits until the test lets it go: a slow re-anchor on demand."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.released = threading.Event()
        self.timed_out = False
        self.threads: set[str] = set()
        self._real = anchoring.anchor

    def __call__(self, bookmark, text: str) -> anchoring.Anchor:
        self.threads.add(threading.current_thread().name)
        self.entered.set()
        if not self.released.wait(GATE_SECONDS):
            self.timed_out = True
        return self._real(bookmark, text)


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return Library(make_library(tmp_path / "library", long=True))


def long_article(library: Library):
    entry = next(e for e in library.entries() if e.title.startswith("Artikel Panjang"))
    return library.article(entry.id)


@run_async
async def test_keys_are_handled_while_a_slow_reanchor_runs_and_the_bookmark_shows_after(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = long_article(library)
    start, end = sentence_spans(article.text)[2]
    saved = BookmarkStore.for_library(library.root).add(Bookmark.new(article.id, article.text, start, end))
    held = HeldAnchoring()
    monkeypatch.setattr(anchoring, "anchor", held)
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        article_list = app.main.query_one(ArticleList)
        reader = app.main.query_one(ReaderPane)
        await poll(pilot, lambda: app.session.bookmark_store is not None and article_list.rows)
        article_list.select_article(article.id)
        await pilot.press("enter")
        await poll(pilot, lambda: reader.article is not None and app.focused is reader)
        await poll(pilot, held.entered.is_set)
        # Re-anchoring is held: the reader still scrolls on j, and shows no bookmark yet.
        await pilot.press("j")
        await poll(pilot, lambda: round(reader.scroll_y) == 1)
        assert reader.bookmarks == []
        held.released.set()
        await poll(pilot, lambda: reader.bookmarks == [(start, end, saved.id)])
        assert not held.timed_out
        assert threading.main_thread().name not in held.threads
        assert "1 bookmark" in str(reader.border_subtitle)
        await pilot.press("k")
        await poll(pilot, lambda: round(reader.scroll_y) == 0)
        assert "▌" in widget_text(reader)
