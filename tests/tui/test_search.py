"""The reader app when a search cannot be done as typed: a query nested too deep, a query
narrowed, an index that cannot be written, and `q` while a search is running. Real key presses;
assertions on what the screen and the worker did."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import Static

from kliping.library.folder import Library
from kliping.search import ranking
from kliping.search.index import SearchIndex
from kliping.search.query import MAX_DEPTH
from kliping.search.results import SearchCancelled
from kliping.tui.app import ReaderApp
from kliping.tui.widgets.article_list import ArticleList
from tests.support.index_faults import flood_library, refuse_index_writes
from tests.support.tui import HANG_GUARD, run_async, settle, wait_for

SIZE = (120, 40)


def search_message(app: ReaderApp) -> str:
    return str(app.main.query_one("#search-message", Static).render())


def wide_library(root: Path) -> Path:
    """Ten articles of 100 made-up words each: `kzaa*` to `kzaj*` stand for 100 words apiece."""
    root.mkdir(parents=True)
    letters = "abcdefghij"
    for a in letters:
        words = [f"kza{a}{b}{c}x" for b in letters for c in letters]
        (root / f"daftar_{a}.txt").write_text(f"Daftar {a}\n\n" + " ".join(words) + ".\n", "utf-8")
    return root


async def type_query(pilot, app: ReaderApp, text: str) -> None:
    await wait_for(pilot, app, lambda: app.session.index is not None)
    await pilot.press("slash", *text)


@run_async
async def test_a_query_nested_too_deep_is_refused_in_the_message_line(tmp_path: Path) -> None:
    app = ReaderApp(Library(flood_library(tmp_path / "library", 12)))
    async with app.run_test(size=SIZE) as pilot:
        await type_query(pilot, app, "(" * (MAX_DEPTH + 1) + "banjir")
        await wait_for(pilot, app, lambda: "nested" in search_message(app))
        await settle(pilot, app)
        shown = search_message(app)
        assert f"more than {MAX_DEPTH}" in shown and "recursion" not in shown
        article_list = app.main.query_one(ArticleList)
        assert not article_list.searching and len(article_list.rows) == 12  # the list, not "no hits"


@run_async
async def test_a_narrowed_query_says_so_in_the_message_line(tmp_path: Path) -> None:
    app = ReaderApp(Library(wide_library(tmp_path / "library")))
    async with app.run_test(size=SIZE) as pilot:
        await type_query(pilot, app, "kzaa*")
        await wait_for(pilot, app, lambda: app.main.last_results is not None and app.main.last_results.query == "kzaa*")
        await settle(pilot, app)
        assert "narrowed" in search_message(app) and "kzaa*" in search_message(app)
        assert [row.title for row in app.main.query_one(ArticleList).rows] == ["Daftar a"]


@run_async
async def test_an_index_that_cannot_be_written_is_said_not_shown_as_no_hits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refuse_index_writes(monkeypatch)
    app = ReaderApp(Library(flood_library(tmp_path / "library", 60)))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, app, lambda: "could not be built" in search_message(app))
        await type_query(pilot, app, "banjir")
        await wait_for(pilot, app, lambda: app.main.last_results is not None and app.main.last_results.query == "banjir")
        await settle(pilot, app)
        shown = search_message(app)
        assert "could not be built" in shown and "No space left on device" in shown
        assert "No hits" not in shown and "another process" not in shown
        article_list = app.main.query_one(ArticleList)
        assert not article_list.searching and len(article_list.rows) == 60


@run_async
async def test_q_during_a_search_exits_without_waiting_for_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The search for `kzab*` blocks in its first word until the app has exited: the app must not
    wait for it, and once let go, the search stops at its next word instead of scoring the other 49."""
    reached, proceed, finished = threading.Event(), threading.Event(), threading.Event()
    scored: list[str] = []  # the words of `kzab*` scored
    outcome: list[str] = []
    real_term, real_search = ranking.TermAtATime.term, SearchIndex.search

    def slow_term(self, q, within):
        if q.text.startswith("kzab") and len(q.text) > 4:
            scored.append(q.text)
            if len(scored) == 1:
                reached.set()
                proceed.wait(HANG_GUARD)
        return real_term(self, q, within)

    def watched_search(self, query, *args, **kwargs):
        if query != "kzab*":  # the searches made while it was being typed
            return real_search(self, query, *args, **kwargs)
        try:
            results = real_search(self, query, *args, **kwargs)
            outcome.append("finished")
            return results
        except SearchCancelled:
            outcome.append("cancelled")
            raise
        finally:
            finished.set()

    monkeypatch.setattr(ranking.TermAtATime, "term", slow_term)
    monkeypatch.setattr(SearchIndex, "search", watched_search)
    app = ReaderApp(Library(wide_library(tmp_path / "library")))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, app, lambda: app.session.index is not None)
            await pilot.press("slash", *"kzab*", "enter")  # to the list, where q quits
            await wait_for(pilot, app, reached.is_set)
            await pilot.press("q")
        assert not finished.is_set()  # the app has exited; the search is still in its first word
    finally:
        proceed.set()
    assert finished.wait(HANG_GUARD)
    assert outcome == ["cancelled"] and len(scored) == 1
