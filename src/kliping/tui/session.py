"""One reading session's state, without Textual: the library and its lock, the search index, the
bookmark store behind one job queue, and the reading state (last article, query, positions).

The screens' thread workers call these methods and post what they return as messages; nothing
here knows about widgets, so each piece is tested with plain pytest (tests/unit/tui). Failures
come back as a :class:`Problem` value, never as an exception the UI thread has to catch.

Store jobs (a write takes ~0.1 s) run on ONE consumer thread in the order they were submitted, so
"bookmark, then add the note" is never saved the other way round however the workers that wait
for them are scheduled. The queue replaces a ticket condition whose 30-second timeout could let a
later job overtake a slow one.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from kliping.articles.model import Article
from kliping.bookmarks import anchoring
from kliping.bookmarks.model import Bookmark, BookmarkError
from kliping.bookmarks.store import BookmarkStore
from kliping.files.sanitize import one_line
from kliping.library.catalog import CatalogEntry
from kliping.library.folder import Library
from kliping.library.reading_state import ReadingState, ReadingStateStore

if TYPE_CHECKING:
    from pathlib import Path

    from kliping.search.index import SearchIndex
    from kliping.search.query import ParsedQuery
    from kliping.search.results import SearchResults

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Problem:
    """Why something could not be done: one line for the user."""

    message: str


@dataclass(frozen=True, slots=True)
class BookmarkRow:
    """One bookmark as listed: ``title`` is inert, ``status`` an anchoring status
    (``anchored``, ``moved``, ``fuzzy`` or ``orphaned``), ``in_library`` False when the
    article is gone."""

    bookmark: Bookmark
    title: str
    date: str
    status: str
    in_library: bool = True

    @property
    def orphaned(self) -> bool:
        return self.status == anchoring.ORPHANED


class StoreJobQueue:
    """Runs jobs on the bookmark store one at a time, strictly in submission order, on one thread.

    :meth:`submit` returns a future of the job's value, or of a :class:`Problem` when the store
    refused (:class:`BookmarkError`, an OS error) or is not loaded yet; any other exception is a
    bug and is set on the future. The thread starts with the first job and ends after
    :meth:`close` once the jobs before it are done."""

    def __init__(self, store: Callable[[], BookmarkStore | None]) -> None:
        self._store = store
        self._jobs: queue.SimpleQueue[tuple[Callable[[BookmarkStore], object], Future[object]] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def submit(self, job: Callable[[BookmarkStore], T]) -> Future[T | Problem]:
        future: Future[T | Problem] = Future()
        self._jobs.put((job, future))  # type: ignore[arg-type]  # the queue holds jobs of every type
        with self._start_lock:
            if self._thread is None:
                # A daemon: a session nobody closed must not keep the process alive. Workers that
                # wait for a future still see their job finish before the process exits.
                self._thread = threading.Thread(target=self._consume, name="bookmark-store-jobs", daemon=True)
                self._thread.start()
        return future

    def close(self) -> None:
        """Stop the thread once every job submitted so far has run."""
        self._jobs.put(None)

    def _consume(self) -> None:
        while (item := self._jobs.get()) is not None:
            job, future = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(self._run(job))
            except BaseException as exc:  # a bug: handed to whoever waits for the job
                future.set_exception(exc)

    def _run(self, job: Callable[[BookmarkStore], object]) -> object:
        store = self._store()
        if store is None:
            return Problem("Bookmarks are not loaded yet.")
        try:
            return job(store)
        except BookmarkError as exc:
            return Problem(str(exc))
        except OSError as exc:
            return Problem(f"{getattr(exc, 'filename', '') or 'bookmarks'}: {exc.strerror or exc}")


class ReadingSession:
    """The state behind the main screen. Attributes the UI thread sets when a worker's message
    arrives (``index``, ``bookmark_store``, the catalog) are set only there, so a handler always
    sees one consistent session."""

    def __init__(self, library: Library, state_store: ReadingStateStore | None = None) -> None:
        self.library = library
        self.library_lock = threading.Lock()  # Library caches parsed files; one thread at a time
        self.state_store = state_store or ReadingStateStore.for_library(library.root)
        self.state = ReadingState()
        self.index: SearchIndex | None = None
        self.bookmark_store: BookmarkStore | None = None
        self.entries: list[CatalogEntry] = []
        self.entries_by_id: dict[str, CatalogEntry] = {}
        self._folded_titles: list[str] | None = None
        self.store_jobs = StoreJobQueue(lambda: self.bookmark_store)
        self._parsed: tuple[str, ParsedQuery] | None = None  # the last query typed, parsed
        self._parsed_lock = threading.Lock()

    def close(self) -> None:
        """The session is over: the store thread ends after the jobs already asked for."""
        self.store_jobs.close()

    # -- the library ------------------------------------------------------------------------------

    def refresh_catalog(self) -> tuple[list[CatalogEntry], list[str]]:
        """Bring the catalog up to date with the folder: its entries, and the files it skipped."""
        with self.library_lock:
            changes = self.library.refresh()
            return self.library.entries(), changes.errors

    def use_catalog(self, entries: list[CatalogEntry]) -> None:
        self.entries = entries
        self.entries_by_id = {entry.id: entry for entry in entries}
        self._folded_titles = None

    def folded_titles(self) -> list[str]:
        """Each entry's inert, casefolded title, in :attr:`entries` order, for the palette to match:
        made on the palette's first use rather than at start-up (tens of MB at 100,000 articles)."""
        if self._folded_titles is None:
            self._folded_titles = [one_line(entry.title).casefold() for entry in self.entries]
        return self._folded_titles

    def article(self, article_id: str) -> Article | None:
        with self.library_lock:
            return self.library.article(article_id)

    # -- the search index -------------------------------------------------------------------------

    def open_index(self, progress: Callable[[int, int], None]) -> tuple[SearchIndex, str | None] | Problem:
        """Open the search index, building or updating it: the index and its notice, or why not."""
        from kliping.search import SearchIndex

        try:
            # The index reads articles through its own Library, so it never races the reader's.
            index_library = Library(self.library.root, cache_dir=self.library.cache_dir)
            index = SearchIndex.open(index_library, progress=progress, wait=False)
        except Exception as exc:  # any failure here only disables search, and is said
            return Problem(f"Search is unavailable: {one_line(str(exc)) or type(exc).__name__}")
        return index, index.report.message

    def search(self, query: str, limit: int, cancelled: Callable[[], bool]) -> SearchResults | Problem | None:
        """Hits with snippets for ``query``; None when ``cancelled()`` stopped it on the way."""
        from kliping.search.results import SearchCancelled

        if self.index is None:
            return Problem("Search is not available yet.")
        try:
            return self.index.search(query, parsed=self.parsed(query), limit=limit, snippets=True, cancelled=cancelled)
        except SearchCancelled:
            return None
        except Exception as exc:  # a broken query is reported quietly, never a crash
            return Problem(one_line(str(exc)) or type(exc).__name__)

    def matches_in(self, article: Article, query: str) -> list[tuple[int, int]]:
        """Where ``query`` matches in ``article`` (none when there is no index or query yet)."""
        if not query or self.index is None:
            return []
        from kliping.search.highlight import query_spans

        try:
            return query_spans(self.parsed(query), article.text, article.language)
        except Exception:  # a query the highlighter cannot parse shows no highlights
            return []

    def parsed(self, query: str) -> ParsedQuery:
        """``query`` parsed once for the search and the open article's highlights, which run in
        two workers at the same time for each query typed."""
        from kliping.search.query import parse_query

        with self._parsed_lock:
            if self._parsed is None or self._parsed[0] != query:
                self._parsed = (query, parse_query(query))
            return self._parsed[1]

    def index_bookmarks(self, index: SearchIndex, store: BookmarkStore) -> Problem | None:
        """Put the store's bookmarks and notes into ``index``; what went wrong, if anything did."""
        try:
            report = index.index_bookmarks(list(store.search_items()))
        except Exception as exc:  # only searching bookmarks is lost, and that is said
            return Problem(f"Bookmarks could not be indexed for search: {one_line(str(exc))}")
        return Problem(report.message or "") if report.failed else None

    # -- bookmarks (the jobs run on the store thread) ---------------------------------------------

    def read_bookmark_store(self) -> BookmarkStore:
        return BookmarkStore.for_library(self.library.root)

    def bookmark_rows(self, store: BookmarkStore) -> list[BookmarkRow]:
        """Every bookmark as the bookmarks screen lists it, newest first (the file is re-read if
        another process changed it)."""
        store.reload_if_changed()
        listed: list[BookmarkRow] = []
        by_article: dict[str, list[Bookmark]] = {}
        for bookmark in store.all():
            by_article.setdefault(bookmark.article_id, []).append(bookmark)
        for article_id, bookmarks in by_article.items():
            with self.library_lock:
                entry = self.library.entry(article_id)
                article = self.library.article(article_id) if entry is not None else None
            title = one_line(entry.title) if entry is not None else f"(not in the library: {one_line(article_id)})"
            date = entry.published.display() if entry is not None and entry.published else ""
            anchors = dict((b.id, a) for b, a in store.anchors_for(article_id, article.text)) if article else {}
            for bookmark in bookmarks:
                anchor = anchors.get(bookmark.id)
                status = anchor.status if anchor is not None else anchoring.ORPHANED
                listed.append(BookmarkRow(bookmark, title, date, status, in_library=article is not None))
        listed.sort(key=lambda row: (row.bookmark.created, row.bookmark.id), reverse=True)
        return listed

    def reattach(self, store: BookmarkStore, bookmark_id: str) -> tuple[int, int, str] | Problem:
        """Re-attach an orphaned bookmark to the closest passage of its article: the new span and
        its text, or why there is none."""
        bookmark = store.get(bookmark_id)
        if bookmark is None:
            return Problem("That bookmark is gone (deleted in another window?).")
        article = self.article(bookmark.article_id)
        if article is None:
            return Problem("Its article is no longer in the library: nothing to re-attach to (d deletes it).")
        candidates = anchoring.best_candidates(bookmark, article.text, 1)
        if not candidates:
            return Problem("No passage of the article is like it: nothing to re-attach to (d deletes it).")
        best = candidates[0]
        store.reattach(bookmark_id, article.text, (best.start, best.end))
        return best.start, best.end, article.text[best.start : best.end]

    def export_bookmarks(self, store: BookmarkStore, target: Path) -> int | Problem:
        """Write every bookmark as Markdown to ``target``: how many, or why it could not be written."""
        from kliping.bookmarks.export import export as export_text
        from kliping.files.atomic import write_atomic

        with self.library_lock:
            text = export_text(store.all(), self.library.entry, "markdown")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, text)
        except OSError as exc:
            return Problem(f"{target}: cannot write: {exc.strerror or exc}")
        return len(store)

    # -- the reading state ------------------------------------------------------------------------

    def load_state(self) -> Problem | None:
        """Read the saved reading state (a damaged file starts afresh, and says so)."""
        self.state = self.state_store.load()
        return Problem(self.state_store.problem) if self.state_store.problem else None

    def save_state(self) -> Problem | None:
        try:
            self.state_store.save(self.state)
        except OSError as exc:
            return Problem(f"Could not save the reading position to {self.state_store.path}: {exc.strerror or exc}")
        return None

    def opened(self, article_id: str) -> None:
        """``article_id`` is now the open article, and counts as read."""
        self.state.last_article = article_id
        self.state.read.add(article_id)

    def remember_position(self, article_id: str, offset: int) -> None:
        self.state.positions[article_id] = offset

    def position_of(self, article_id: str) -> int | None:
        return self.state.positions.get(article_id)

    def forget_missing(self, article_id: str) -> None:
        """``article_id`` could not be read: do not try to reopen it at the next start."""
        if self.state.last_article == article_id:
            self.state.last_article = None

    def remember_query(self, query: str) -> None:
        self.state.last_query = query
