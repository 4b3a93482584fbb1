"""The reading session without Textual: store jobs strictly in submission order, the reading state
loaded and saved, and every failure handed back as a value."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kliping.bookmarks.model import Bookmark, BookmarkError
from kliping.bookmarks.store import BookmarkStore
from kliping.library.folder import Library
from kliping.library.reading_state import ReadingStateStore
from kliping.tui.session import Problem, ReadingSession, StoreJobQueue
from tests.support.bookmarks import ARTICLE_TEXT
from tests.support.tui import make_library

TIMEOUT = 60  # seconds: only turns a hang into a failure


@pytest.fixture
def session(tmp_path: Path):
    made = ReadingSession(Library(make_library(tmp_path / "library")), ReadingStateStore(tmp_path / "state.json"))
    yield made
    made.close()


def loaded(session: ReadingSession) -> BookmarkStore:
    session.bookmark_store = session.read_bookmark_store()
    return session.bookmark_store


# -- the store queue -----------------------------------------------------------------------------


def test_jobs_run_in_submission_order_even_when_an_early_one_is_slow(session: ReadingSession) -> None:
    store = loaded(session)
    ran: list[int] = []

    def job(n: int, pause: float):
        def run(_store: BookmarkStore) -> int:
            time.sleep(pause)
            ran.append(n)
            return n

        return run

    # The first job takes far longer than the others: under the old ticket condition a timeout
    # could let a later one overtake it; a single consumer cannot.
    futures = [session.store_jobs.submit(job(n, 0.3 if n == 0 else 0.0)) for n in range(20)]
    assert [f.result(TIMEOUT) for f in futures] == list(range(20))
    assert ran == list(range(20))
    assert store is session.bookmark_store


def test_jobs_submitted_from_many_threads_never_overlap_and_keep_each_threads_order(session: ReadingSession) -> None:
    loaded(session)
    running = threading.Lock()
    overlaps: list[int] = []
    ran: list[tuple[int, int]] = []

    def job(thread: int, n: int):
        def run(_store: BookmarkStore) -> None:
            if not running.acquire(blocking=False):
                overlaps.append(n)
                return
            try:
                time.sleep(0.001)
                ran.append((thread, n))
            finally:
                running.release()

        return run

    def submit_many(thread: int) -> list:
        return [session.store_jobs.submit(job(thread, n)) for n in range(25)]

    with ThreadPoolExecutor(4) as pool:
        batches = list(pool.map(submit_many, range(4)))
    for batch in batches:
        for future in batch:
            future.result(TIMEOUT)
    assert not overlaps
    assert len(ran) == 100
    for thread in range(4):
        assert [n for t, n in ran if t == thread] == list(range(25))


def test_bookmark_then_note_is_saved_in_that_order(session: ReadingSession) -> None:
    loaded(session)
    bookmark = Bookmark.new("a1", ARTICLE_TEXT, 0, 20)
    added = session.store_jobs.submit(lambda store: store.add(bookmark))
    noted = session.store_jobs.submit(lambda store: store.update(bookmark.id, note="catatan", tags=("bab1",)))
    added.result(TIMEOUT)
    noted.result(TIMEOUT)
    [saved] = BookmarkStore.for_library(session.library.root).all()
    assert saved.note == "catatan" and saved.tags == ("bab1",)


def test_store_errors_come_back_as_problems(session: ReadingSession) -> None:
    loaded(session)

    def refused(_store: BookmarkStore) -> None:
        raise BookmarkError("the store said no")

    def unwritable(_store: BookmarkStore) -> None:
        raise PermissionError(13, "Permission denied", "/somewhere/bookmarks.yaml")

    assert session.store_jobs.submit(refused).result(TIMEOUT) == Problem("the store said no")
    assert session.store_jobs.submit(unwritable).result(TIMEOUT) == Problem("/somewhere/bookmarks.yaml: Permission denied")
    # The queue goes on after a refusal.
    assert session.store_jobs.submit(lambda store: "still here").result(TIMEOUT) == "still here"


def test_a_job_before_the_store_is_loaded_is_a_problem_and_a_bug_is_raised_to_the_waiter(tmp_path: Path) -> None:
    jobs = StoreJobQueue(lambda: None)
    try:
        assert jobs.submit(lambda store: "never").result(TIMEOUT) == Problem("Bookmarks are not loaded yet.")
    finally:
        jobs.close()
    store = BookmarkStore(tmp_path / "bookmarks.yaml")
    buggy = StoreJobQueue(lambda: store)
    try:
        with pytest.raises(ZeroDivisionError):
            buggy.submit(lambda _store: 1 // 0).result(TIMEOUT)
    finally:
        buggy.close()


def test_close_lets_the_jobs_already_asked_for_finish(tmp_path: Path) -> None:
    store = BookmarkStore(tmp_path / "bookmarks.yaml")
    jobs = StoreJobQueue(lambda: store)
    futures = [jobs.submit(lambda _store, n=n: (time.sleep(0.01), n)[1]) for n in range(5)]
    jobs.close()
    assert [f.result(TIMEOUT) for f in futures] == list(range(5))


# -- the reading state ---------------------------------------------------------------------------


def test_reading_state_is_saved_and_loaded_again(session: ReadingSession, tmp_path: Path) -> None:
    assert session.load_state() is None
    session.opened("a1")
    session.remember_position("a1", 1234)
    session.remember_query("gencatan")
    assert session.save_state() is None
    again = ReadingSession(session.library, ReadingStateStore(tmp_path / "state.json"))
    assert again.load_state() is None
    assert again.state.last_article == "a1"
    assert again.position_of("a1") == 1234
    assert again.position_of("a2") is None
    assert again.state.last_query == "gencatan"
    assert "a1" in again.state.read
    again.forget_missing("a2")
    assert again.state.last_article == "a1"
    again.forget_missing("a1")
    assert again.state.last_article is None


def test_a_damaged_state_file_and_an_unwritable_one_are_problems(session: ReadingSession, tmp_path: Path) -> None:
    (tmp_path / "state.json").write_text("{not json", "utf-8")
    problem = session.load_state()
    assert isinstance(problem, Problem) and "fresh reading state" in problem.message
    blocked = ReadingSession(session.library, ReadingStateStore(tmp_path / "a-file" / "state.json"))
    (tmp_path / "a-file").write_text("in the way", "utf-8")
    problem = blocked.save_state()
    assert isinstance(problem, Problem) and "Could not save the reading position" in problem.message


# -- the library and search ----------------------------------------------------------------------


def test_the_catalog_articles_and_titles_come_from_the_library(session: ReadingSession) -> None:
    entries, errors = session.refresh_catalog()
    assert entries and errors == []
    session.use_catalog(entries)
    assert set(session.entries_by_id) == {entry.id for entry in entries}
    assert len(session.folded_titles()) == len(entries)
    article = session.article(entries[0].id)
    assert article is not None and article.id == entries[0].id
    assert session.article("no-such-article") is None


def test_search_without_an_index_is_a_problem_and_finds_no_matches(session: ReadingSession) -> None:
    entries, _ = session.refresh_catalog()
    article = session.article(entries[0].id)
    assert article is not None
    assert session.search("gencatan", 10, lambda: False) == Problem("Search is not available yet.")
    assert session.matches_in(article, "gencatan") == []


def test_the_index_opens_searches_and_takes_the_bookmarks(session: ReadingSession) -> None:
    opened = session.open_index(lambda done, total: None)
    assert not isinstance(opened, Problem)
    session.index = opened[0]
    try:
        results = session.search("gencatan", 10, lambda: False)
        assert not isinstance(results, Problem) and results is not None and results.hits
        assert session.search("gencatan", 10, lambda: True) is None  # cancelled on the way
        store = loaded(session)
        assert session.index_bookmarks(session.index, store) is None
    finally:
        session.index.close()


def test_a_query_is_parsed_once_for_its_search_and_its_highlights(session: ReadingSession, monkeypatch) -> None:
    from kliping.search import query as query_module

    opened = session.open_index(lambda done, total: None)
    assert not isinstance(opened, Problem)
    session.index = opened[0]
    parses: list[str] = []
    real = query_module.parse_query
    monkeypatch.setattr(query_module, "parse_query", lambda text, *a, **k: parses.append(text) or real(text, *a, **k))
    try:
        results = session.search("gencatan senjata", 10, lambda: False)
        assert not isinstance(results, Problem) and results is not None and results.hits
        article = session.article(results.hits[0].article_id)
        assert article is not None
        spans = session.matches_in(article, "gencatan senjata")
        assert spans and all(article.text[s:e].casefold().startswith(("gencatan", "senjata")) for s, e in spans)
        assert results.parsed is session.parsed("gencatan senjata")
        assert parses == ["gencatan senjata"]  # the search's any-word fallback parses its own form
        session.matches_in(article, "senjata")
        assert parses == ["gencatan senjata", "senjata"]
    finally:
        session.index.close()
