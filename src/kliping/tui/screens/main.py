"""The main screen: search bar, article list and reader side by side, and everything they do.

Startup never waits: the list comes from the library catalog in a worker, the search index is
opened (and built or updated, with progress shown) in another, and search becomes available when
it is ready. Every blocking call is a :class:`kliping.tui.session.ReadingSession` method run in a
thread worker of this screen that only posts a message (:mod:`kliping.tui.messages`); the
handlers here update the widgets. The workers and their messages die with the screen, so a late
result after quitting is simply dropped.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from kliping.articles.model import Article
from kliping.bookmarks.store import BookmarkStore
from kliping.files.sanitize import one_line
from kliping.tui.bookmark_actions import GONE, STILL_LOADING, BookmarkActions
from kliping.tui.messages import (
    ArticleLoaded,
    ArticleMissing,
    BookmarkFailed,
    BookmarksChanged,
    BookmarksExported,
    BookmarksIndexed,
    BookmarksLoaded,
    BookmarksReanchored,
    CatalogLoaded,
    IndexBuilt,
    IndexFailed,
    IndexProgressed,
    MatchesFound,
    SearchCompleted,
    SearchFailed,
)
from kliping.tui.screens.bookmarks import BookmarksScreen
from kliping.tui.search_input import SearchInput
from kliping.tui.session import Problem, ReadingSession
from kliping.tui.widgets.article_list import ArticleList, ArticleRow
from kliping.tui.widgets.footer import ReaderFooter
from kliping.tui.widgets.reader_pane import ReaderPane

if TYPE_CHECKING:  # the search package (and Whoosh) loads in the index worker, after first paint
    from kliping.search.index import SearchIndex
    from kliping.search.results import SearchResults


class MainScreen(Screen[None]):
    """The one working screen over ``session``: the reader wraps at ``measure`` columns,
    ``search_delay`` seconds of quiet typing start a search for at most ``search_limit`` hits, and
    the list starts in ``sort`` order."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "tab", "switch_pane(1)", "Switch pane", show=False, id="app.switch-pane",
            tooltip="Move between the list and the reader",
        ),
        Binding(
            "shift+tab",
            "switch_pane(-1)",
            "Previous pane",
            show=False,
            id="app.previous-pane",
            tooltip="Move to the previous pane",
        ),
    ]

    def __init__(self, session: ReadingSession, measure: int, search_delay: float, search_limit: int, sort: str) -> None:
        super().__init__()
        self.session = session
        self.bookmarks = BookmarkActions(self, session)
        self.measure = measure
        self.search_delay = search_delay
        self.search_limit = search_limit
        self.initial_sort = sort
        self.query_text = ""
        self._search_generation = 0
        self._search_timer: Timer | None = None
        self._last_results: SearchResults | None = None
        self._index_message = "Preparing the search index…"
        self._select_after_open: tuple[str, str] | None = None  # (article id, bookmark id)
        self._reanchor_generation = 0  # of the latest request to mark the open article's bookmarks

    @property
    def last_results(self) -> SearchResults | None:
        """The results the list shows now (None when it lists every article): read-only."""
        return self._last_results

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield SearchInput(placeholder="Search (/)", id="search")
            yield Static(id="search-message", markup=False)
        with Horizontal(id="panes"):
            with Vertical(id="list-column"):
                yield ArticleList(id="articles")
            yield ReaderPane(id="reader")
        yield ReaderFooter()

    @on(events.Unmount)
    def session_over(self) -> None:
        self.session.close()

    def start(self) -> None:
        """First paint is done: read the reading state, then load the library and the index behind it."""
        problem = self.session.load_state()
        if problem:
            self.app.notify(problem.message, title="Reading state", severity="warning", timeout=10)
        article_list = self.query_one(ArticleList)
        article_list.read = set(self.session.state.read)
        article_list.empty_message = "Loading the library…"
        self.query_one(ReaderPane).measure = self.measure
        article_list.order = self.initial_sort
        self._show_search_message(self._index_message)
        self.load_catalog()
        self.load_bookmarks()

    # -- the catalog and the index ----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="catalog")
    def load_catalog(self) -> None:
        self.post_message(CatalogLoaded(*self.session.refresh_catalog()))

    @on(CatalogLoaded)
    def catalog_loaded(self, message: CatalogLoaded) -> None:
        session = self.session
        session.use_catalog(message.entries)
        for error in message.errors[:3]:
            self.app.notify(one_line(error), title="Skipped a file", severity="warning", timeout=10)
        if len(message.errors) > 3:
            more = f"{len(message.errors) - 3} more files had problems (see `reader list`)"
            self.app.notify(more, severity="warning")  # plain text: the App's notify never reads markup
        article_list = self.query_one(ArticleList)
        article_list.empty_message = f"No articles in {session.library.root}. Add some with `reader import`."
        last = session.state.last_article
        self._show_browse_rows(keep=last)
        if last and last in session.entries_by_id:
            self.open_article(last, position=session.position_of(last), focus_reader=False)
        if session.state.last_query:
            self.query_one(SearchInput).value = session.state.last_query
        self.set_focus(article_list)
        self.build_index()

    @work(thread=True, exclusive=True, group="index")
    def build_index(self) -> None:
        last_post = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last_post
            now = time.monotonic()
            if now - last_post > 0.1 or done == total:
                last_post = now
                self.post_message(IndexProgressed(done, total))

        opened = self.session.open_index(progress)
        self.post_message(IndexFailed(opened.message) if isinstance(opened, Problem) else IndexBuilt(*opened))

    @on(IndexProgressed)
    def index_progressed(self, message: IndexProgressed) -> None:
        self._index_message = f"Indexing for search… {message.done:,}/{message.total:,} articles"
        if self.session.index is None:
            self._show_search_message(self._index_message)

    @on(IndexBuilt)
    def index_built(self, message: IndexBuilt) -> None:
        self.session.index = message.index
        self._index_message = ""
        self._show_search_message(one_line(message.message or ""))
        if self.query_text:
            self._run_search_now()
        self.reindex_bookmarks()

    @on(IndexFailed)
    def index_failed(self, message: IndexFailed) -> None:
        self._index_message = message.message
        self._show_search_message(message.message)

    # -- the list ---------------------------------------------------------------------------------

    def _show_browse_rows(self, keep: str | None = None) -> None:
        rows = [
            ArticleRow(entry.id, one_line(entry.title), one_line(entry.source or ""), entry.published, rank=rank)
            for rank, entry in enumerate(self.session.entries)
        ]
        self.query_one(ArticleList).set_rows(rows, searching=False, keep=keep)
        self._update_list_title()

    @on(ArticleList.SortChanged)
    def sort_changed(self) -> None:
        self._update_list_title()  # the App saves the choice

    def _update_list_title(self) -> None:
        article_list = self.query_one(ArticleList)
        if article_list.searching and self._last_results is not None:
            total = self._last_results.total
            shown = len(article_list.rows)
            count = f"{shown:,} of {total:,} hits" if total > shown else f"{total:,} hit{'s' if total != 1 else ''}"
        else:
            count = f"{len(article_list.rows):,} article{'s' if len(article_list.rows) != 1 else ''}"
        article_list.border_title = Content(count)
        article_list.border_subtitle = Content(f"sort: {article_list.order} (s)")

    @on(ArticleList.ArticleChosen)
    def article_chosen(self, message: ArticleList.ArticleChosen) -> None:
        if message.row.bookmark_id and self.open_bookmark(message.row.bookmark_id):
            return  # a bookmark or note hit opens at its passage
        self.open_article(message.row.article_id, focus_reader=True, to_first_match=bool(self.query_text))

    def step_article(self, step: int) -> None:
        """Open the next (``step`` 1) or previous (-1) article of the list in the reader."""
        article_list = self.query_one(ArticleList)
        reader = self.query_one(ReaderPane)
        highlighted = article_list.highlighted
        if reader.article is not None and highlighted is not None and highlighted.article_id != reader.article.id:
            article_list.select_article(reader.article.id)
        article_list.cursor += step
        row = article_list.highlighted
        if row is not None and (reader.article is None or row.article_id != reader.article.id):
            self.open_article(row.article_id, focus_reader=False, to_first_match=bool(self.query_text))

    def sort_by(self, order: str) -> None:
        article_list = self.query_one(ArticleList)
        if order == "relevance" and not article_list.searching:
            self.app.notify("Relevance order needs a search first.", severity="warning")
            return
        article_list.order = order

    # -- opening an article -----------------------------------------------------------------------

    def open_article(
        self, article_id: str, *, position: int | None = None, focus_reader: bool = True, to_first_match: bool = False
    ) -> None:
        """Open an article in the reader (read in a worker; the reader updates when it is loaded)."""
        if position is None and not to_first_match:
            position = self.session.position_of(article_id)
        self._load_article(article_id, self._search_generation, self.query_text, position, to_first_match, focus_reader)

    @work(thread=True, exclusive=True, group="open")
    def _load_article(
        self, article_id: str, generation: int, query: str, position: int | None, to_first_match: bool, focus_reader: bool
    ) -> None:
        article = self.session.article(article_id)
        if article is None:
            self.post_message(ArticleMissing(article_id))
            return
        # Show the article at once; its matches follow (they take a while in a very long one).
        searching = bool(query) and self.session.index is not None
        shown_at = None if searching and to_first_match else position
        self.post_message(ArticleLoaded(article, position=shown_at, focus_reader=focus_reader))
        if searching:
            spans = self.session.matches_in(article, query)
            self.post_message(MatchesFound(generation, article.id, spans, go_to_first=to_first_match))

    @on(ArticleLoaded)
    def article_loaded(self, message: ArticleLoaded) -> None:
        reader = self.query_one(ReaderPane)
        self.remember_position()
        article = message.article
        reader.show_article(article, position=message.position)
        self.session.opened(article.id)
        article_list = self.query_one(ArticleList)
        article_list.mark_read(article.id)
        if article_list.highlighted is None or article_list.highlighted.article_id != article.id:
            article_list.select_article(article.id)
        if message.focus_reader:
            self.set_focus(reader)
        self.show_article_bookmarks()
        self.save_state()

    @on(ArticleMissing)
    def article_missing(self, message: ArticleMissing) -> None:
        self.app.notify("That article is no longer in the library (its file changed or was removed).", severity="warning")
        self.session.forget_missing(message.article_id)

    # -- searching --------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value.strip()
        self.session.remember_query(self.query_text)
        self._search_generation += 1
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        self.query_one(SearchInput).suggestion_text = None
        if not self.query_text:
            self._last_results = None
            reader = self.query_one(ReaderPane)
            reader.set_matches([])
            self._show_browse_rows(keep=reader.article.id if reader.article else None)
            self._show_search_message(self._index_message)
            return
        if self.session.index is None:
            self._show_search_message(self._index_message or "Search is not available yet.")
            return
        self._search_timer = self.set_timer(self.search_delay, self._run_search_now)

    def _run_search_now(self) -> None:
        self._search_timer = None
        self.run_search(self._search_generation, self.query_text)
        reader = self.query_one(ReaderPane)
        if reader.article is not None:
            self.find_matches(self._search_generation, self.query_text, reader.article)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, generation: int, query: str) -> None:
        if generation != self._search_generation:
            return  # the user typed again before this one started
        worker = get_current_worker()

        # A search stops at its next word once it is stale or the app quits (Textual cancels every
        # worker on exit): the process would otherwise wait for it on exit (34 s for 64
        # prefixes), and the next search for its lock.
        def cancelled() -> bool:
            return worker.is_cancelled or generation != self._search_generation

        results = self.session.search(query, self.search_limit, cancelled)
        if isinstance(results, Problem):
            self.post_message(SearchFailed(generation, results.message))
        elif results is not None:
            self.post_message(SearchCompleted(generation, results))

    # A description of its own: Textual's default is the repr of every argument, here a whole
    # article (4 MB of text and original for a 2 MB file) built on the UI thread at each open.
    @work(thread=True, exclusive=True, group="matches", description="find the open article's matches")
    def find_matches(self, generation: int, query: str, article: Article) -> None:
        """The open article's matches, apart from the search, so a long article never holds up
        the list of hits."""
        if generation != self._search_generation:
            return
        self.post_message(MatchesFound(generation, article.id, self.session.matches_in(article, query)))

    @on(MatchesFound)
    def matches_found(self, message: MatchesFound) -> None:
        reader = self.query_one(ReaderPane)
        if message.generation == self._search_generation and reader.article and reader.article.id == message.article_id:
            if message.go_to_first and message.spans:
                reader.set_matches(message.spans, current=0)
                reader.scroll_to_offset(message.spans[0][0], center=True)
            else:
                reader.set_matches(message.spans)

    @on(SearchCompleted)
    def search_completed(self, message: SearchCompleted) -> None:
        if message.generation != self._search_generation:
            return  # stale: the query has changed since
        results = message.results
        self._last_results = results
        reader = self.query_one(ReaderPane)
        keep = reader.article.id if reader.article else None
        if results.error:  # nothing was searched: say why, and keep the articles to browse
            self._show_browse_rows(keep=keep)
            self._show_search_message(one_line(results.message or results.error))
            return
        entries = self.session.entries_by_id
        rows = []
        for rank, hit in enumerate(results.hits):
            entry = entries.get(hit.article_id)
            rows.append(
                ArticleRow(
                    hit.article_id,
                    one_line(hit.title or (entry.title if entry else "")),
                    one_line(hit.source or (entry.source if entry and entry.source else "") or ""),
                    entry.published if entry else None,
                    rank=rank,
                    hit_count=hit.hit_count,
                    snippet=hit.snippet or "",
                    snippet_spans=tuple((span[0], span[1]) for span in hit.snippet_spans),
                    kind=hit.kind,
                    bookmark_id=hit.bookmark_id,
                )
            )
        article_list = self.query_one(ArticleList)
        if not article_list.searching:
            article_list.order = "relevance"
        article_list.set_rows(rows, searching=True, keep=keep)
        self._update_list_title()
        search = self.query_one(SearchInput)
        search.suggestion_text = one_line(results.suggestion) if not results.hits and results.suggestion else None
        if search.suggestion_text:
            self._show_search_message(f"No hits. Did you mean “{search.suggestion_text}”? (Tab)")
        elif not results.hits:
            self._show_search_message(one_line(results.message or "No hits."))
        else:
            self._show_search_message(one_line(results.message or ""))

    @on(SearchFailed)
    def search_failed(self, message: SearchFailed) -> None:
        if message.generation == self._search_generation:
            self._show_search_message(f"Cannot search for that: {message.message}")

    def _show_search_message(self, text: str) -> None:
        message = self.query_one("#search-message", Static)
        message.update(Content(text))
        message.display = bool(text)

    def search_for(self, query: str) -> None:
        """Run ``query`` as if typed into the search bar (used by the command palette)."""
        search = self.query_one(SearchInput)
        search.value = query
        self.set_focus(search)

    # -- focus and panes --------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.set_focus(self.query_one(SearchInput))

    def focus_results(self) -> None:
        self.set_focus(self.query_one(ArticleList))

    def back(self) -> None:
        """From the reader to the list; in the list, clear the search."""
        if isinstance(self.focused, ReaderPane):
            self.set_focus(self.query_one(ArticleList))
        elif isinstance(self.focused, ArticleList) and self.query_text:
            self.query_one(SearchInput).value = ""

    def action_switch_pane(self, step: int) -> None:
        """Tab moves between the list and the reader (from the search bar, to the list)."""
        candidates = (self.query_one(ArticleList), self.query_one(ReaderPane))
        panes = [w for w in candidates if w.display and w.parent is not None and w.parent.display]
        focused = self.focused
        target = panes[(panes.index(focused) + step) % len(panes)] if focused in panes else panes[0]
        self.set_focus(target)

    def toggle_list(self) -> None:
        column = self.query_one("#list-column")
        column.display = not column.display
        if not column.display:
            self.set_focus(self.query_one(ReaderPane))

    def toggle_reader(self) -> None:
        reader = self.query_one(ReaderPane)
        reader.display = not reader.display
        if not reader.display:
            self.set_focus(self.query_one(ArticleList))

    # -- the reading state ------------------------------------------------------------------------

    def remember_position(self) -> None:
        reader = self.query_one(ReaderPane)
        if reader.article is not None:
            self.session.remember_position(reader.article.id, reader.top_offset())

    def save_state(self) -> str | None:
        """Save the reading state; the problem (also shown as a notification) when it cannot be."""
        problem = self.session.save_state()
        if problem is None:
            return None
        self.app.notify(problem.message, severity="warning")
        return problem.message

    # -- bookmarks --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="bookmarks-load")
    def load_bookmarks(self) -> None:
        self.post_message(BookmarksLoaded(self.session.read_bookmark_store()))

    @on(BookmarksLoaded)
    def bookmarks_loaded(self, message: BookmarksLoaded) -> None:
        self.session.bookmark_store = message.store
        if message.store.problem:
            self.app.notify(one_line(message.store.problem), title="Bookmarks are read-only", severity="error", timeout=20)
        if message.store.notice:  # the library folder moved: where its bookmarks are
            self.app.notify(one_line(message.store.notice), title="Bookmarks", timeout=20)
        self.show_article_bookmarks()
        self.reindex_bookmarks()

    def show_article_bookmarks(self) -> None:
        """Mark the open article's bookmarks in the reader once they are re-anchored (in a worker:
        an edited article's bookmarks take a fuzzy search each); select one that was asked for."""
        store = self.session.bookmark_store
        article = self.query_one(ReaderPane).article
        if store is None or article is None:
            return
        self._reanchor_generation += 1
        self._reanchor(self._reanchor_generation, store, article)

    # Described, so Textual does not repr the whole article on the UI thread (see find_matches).
    @work(thread=True, group="bookmarks-anchor", description="re-anchor the open article's bookmarks")
    def _reanchor(self, generation: int, store: BookmarkStore, article: Article) -> None:
        # Not exclusive: a thread cannot be stopped, and the generation already drops stale results.
        if generation != self._reanchor_generation:
            return  # another article was opened while this waited for a thread: not worth the search
        spans = store.bookmark_spans_for(article.id, article.text)
        self.post_message(BookmarksReanchored(generation, article, [(start, end, b.id) for start, end, b in spans]))

    @on(BookmarksReanchored)
    def bookmarks_reanchored(self, message: BookmarksReanchored) -> None:
        reader = self.query_one(ReaderPane)
        if message.generation != self._reanchor_generation or reader.article is not message.article:
            return  # the article or its bookmarks changed since: a newer re-anchoring is on its way
        article, spans = message.article, message.spans
        reader.set_bookmarks(spans)
        wanted = self._select_after_open
        if wanted is not None and wanted[0] == article.id:
            self._select_after_open = None
            found = [(start, end) for start, end, bookmark_id in spans if bookmark_id == wanted[1]]
            if found:
                reader.select_passage(*found[0])
            else:
                self.app.notify("That bookmark is orphaned: its passage is no longer in the article (see B).", severity="warning")

    def open_bookmark(self, bookmark_id: str) -> bool:
        """Open the bookmark's article scrolled to the passage, with it selected (False if unknown)."""
        store = self.session.bookmark_store
        bookmark = store.get(bookmark_id) if store is not None else None
        if bookmark is None:
            return False
        if bookmark.article_id not in self.session.entries_by_id:
            self.app.notify("That bookmark's article is no longer in the library.", severity="warning")
            return True
        self._select_after_open = (bookmark.article_id, bookmark.id)
        self.open_article(bookmark.article_id, position=bookmark.start, focus_reader=True)
        return True

    def show_bookmarks(self) -> None:
        """Show every bookmark of the library (``B``); Enter there opens one here."""
        if self.session.bookmark_store is None:
            self.app.notify(STILL_LOADING, severity="warning")
            return
        self.app.push_screen(BookmarksScreen(self.bookmarks), callback=self._bookmark_picked)

    def _bookmark_picked(self, bookmark_id: str | None) -> None:
        if bookmark_id is not None and not self.open_bookmark(bookmark_id):
            self.app.notify(GONE, severity="warning")

    @on(ReaderPane.BookmarkRequested)
    def bookmark_requested(self, message: ReaderPane.BookmarkRequested) -> None:
        self.bookmarks.add(message.article, message.start, message.end)

    @on(ReaderPane.NoteEditRequested)
    def note_edit_requested(self, message: ReaderPane.NoteEditRequested) -> None:
        self.bookmarks.edit_note(message.bookmark_id)

    @on(ReaderPane.DeleteRequested)
    def delete_requested(self, message: ReaderPane.DeleteRequested) -> None:
        self.bookmarks.delete(message.bookmark_id)

    @on(ReaderPane.UndoRequested)
    def undo_requested(self) -> None:
        self.bookmarks.undo_delete()

    @on(BookmarkFailed)
    def bookmark_failed(self, message: BookmarkFailed) -> None:
        self.app.notify(one_line(message.message), title="Bookmarks", severity="error", timeout=10)

    @on(BookmarksExported)
    def bookmarks_exported(self, message: BookmarksExported) -> None:
        self.app.notify(one_line(message.notice), title="Export", timeout=15)

    @on(BookmarksChanged)
    def bookmarks_changed(self, message: BookmarksChanged) -> None:
        if message.notice:
            self.app.notify(one_line(message.notice), timeout=4)
        self.show_article_bookmarks()
        if isinstance(self.app.screen, BookmarksScreen):
            self.app.screen.request_rows()
        self.reindex_bookmarks(refresh_hits=True)

    def reindex_bookmarks(self, *, refresh_hits: bool = False) -> None:
        """Put the current bookmarks and notes into the search index (when both are ready);
        ``refresh_hits`` re-runs the current search afterwards, for a change the user just made."""
        if self.session.index is not None and self.session.bookmark_store is not None:
            self._index_bookmarks(self.session.index, self.session.bookmark_store, refresh_hits)

    @work(thread=True, exclusive=True, group="bookmarks-index")
    def _index_bookmarks(self, index: SearchIndex, store: BookmarkStore, refresh_hits: bool) -> None:
        problem = self.session.index_bookmarks(index, store)
        self.post_message(BookmarksIndexed(problem.message if problem else None, refresh_hits=refresh_hits))

    @on(BookmarksIndexed)
    def bookmarks_indexed(self, message: BookmarksIndexed) -> None:
        if message.message:
            self.app.notify(one_line(message.message), severity="warning", timeout=8)
        elif message.refresh_hits and self.query_text and self._search_timer is None:
            # The list of hits shows the bookmarks and notes as they are now; the reader keeps
            # its matches and current match (only the list is searched again).
            self.run_search(self._search_generation, self.query_text)
