"""The reader app: article list, reader pane and live search over one library.

Startup never waits: the list comes from the library catalog in a worker, the search index is
opened (and built or updated, with progress shown) in another, and search becomes available when
it is ready. Every blocking call runs in a thread worker that only posts a message
(:mod:`kliping.tui.messages`); the handlers here update the screen.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.dom import DOMNode
from textual.binding import Binding, Keymap
from textual.notifications import SeverityLevel
from textual.color import Color
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from kliping.articles.model import Article
from kliping.library.catalog import CatalogEntry
from kliping.library.folder import Library
from kliping.library.reading_state import ReadingState, ReadingStateStore
from kliping.files.sanitize import one_line
from kliping.config.settings import SettingsSaveError, save_settings
from kliping.tui.bookmarking import BookmarksMixin
from kliping.tui.commands import ReaderCommands
from kliping.tui.messages import (
    ArticleLoaded,
    ArticleMissing,
    CatalogLoaded,
    IndexBuilt,
    IndexFailed,
    IndexProgressed,
    MatchesFound,
    SearchCompleted,
    SearchFailed,
)
from kliping.tui.screens.bookmarks import BookmarksScreen
from kliping.tui.screens.help import HelpScreen
from kliping.tui.screens.note_dialog import NoteDialog
from kliping.tui.theming import choose_theme, reader_variable_defaults, register_themes
from kliping.tui.widgets.article_list import ArticleList, ArticleRow
from kliping.tui.widgets.footer import ReaderFooter
from kliping.tui.widgets.reader_pane import ReaderPane

SEARCH_DELAY = 0.04  # seconds of quiet typing before a search runs (stale results are dropped anyway)
SEARCH_LIMIT = 50  # hits with snippets; each snippet costs, and 50 fill several screens


@functools.cache
def _reader_defaults() -> dict[str, str]:
    return reader_variable_defaults()  # reads the default theme's YAML: once per process


class SearchInput(Input):
    """The search bar. ``Esc`` clears it (or, when empty, returns to the list); ``Tab`` takes the
    "did you mean" suggestion when there is one."""

    BINDINGS = [
        Binding("escape", "clear_or_leave", "Clear", id="search.clear", tooltip="Clear the search, or leave the bar"),
        Binding(
            "tab",
            "accept_suggestion",
            "Use suggestion",
            id="search.accept-suggestion",
            tooltip="Search for the suggested spelling",
        ),
    ]

    suggestion_text: str | None = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "accept_suggestion":
            return self.suggestion_text is not None
        return super().check_action(action, parameters)

    def action_accept_suggestion(self) -> None:
        if self.suggestion_text is not None:
            self.value = self.suggestion_text
            self.cursor_position = len(self.value)

    def action_clear_or_leave(self) -> None:
        if self.value:
            self.value = ""
        else:
            self.screen.set_focus(self.screen.query_one(ArticleList))


class MainScreen(Screen):
    """The one working screen: search bar, list and reader side by side, footer."""

    BINDINGS = [
        Binding(
            "tab", "switch_pane(1)", "Switch pane", show=False, id="app.switch-pane", tooltip="Move between the list and the reader"
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

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield SearchInput(placeholder="Search (/)", id="search")
            yield Static(id="search-message", markup=False)
        with Horizontal(id="panes"):
            with Vertical(id="list-column"):
                yield ArticleList(id="articles")
            yield ReaderPane(id="reader")
        yield ReaderFooter()

    def action_switch_pane(self, step: int) -> None:
        """Tab moves between the list and the reader (from the search bar, to the list)."""
        panes = [w for w in (self.query_one(ArticleList), self.query_one(ReaderPane)) if w.display and w.parent.display]
        focused = self.focused
        if focused in panes:
            target = panes[(panes.index(focused) + step) % len(panes)]
        else:
            target = panes[0]
        self.set_focus(target)


def default_bindings() -> dict[str, str]:
    """Every binding id in the app (all screens and widgets) with its default keys, for keymap checks."""
    found: dict[str, str] = {}
    pending: list[type] = [DOMNode]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("kliping.tui"):
            for binding in cls.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id:
                    found.setdefault(binding.id, binding.key)
    return found


class ReaderApp(BookmarksMixin, App):
    """``reader`` with no command: browse, search and read one library."""

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it too
    TITLE = "kliping"
    COMMANDS: ClassVar = App.COMMANDS | {ReaderCommands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit (your place is saved)"),
        Binding("question_mark,f1", "help", "Help", id="app.help", tooltip="Show every key and what it does"),
        Binding("T", "change_theme", "Theme", show=False, id="app.theme", tooltip="Pick a colour theme (the choice is saved)"),
        Binding("B", "bookmarks", "Bookmarks", show=False, id="app.bookmarks", tooltip="Every bookmark of the library, to filter, open or export"),
        # `/` and Enter-in-the-search-bar move focus. As priority bindings they run in the order
        # keys arrive, before later keys are handed to a widget, so `/gencatan⏎j` typed at full
        # speed lands where it should. check_action lets them through where they do not apply.
        Binding(
            "slash",
            "focus_search",
            "Search",
            priority=True,
            id="app.search",
            tooltip="Type a search; results update as you type",
        ),
        Binding(
            "enter",
            "search_to_results",
            "Results",
            priority=True,
            show=False,
            id="search.to-results",
            tooltip="From the search bar, move to the list of hits",
        ),
        Binding(
            "right_square_bracket",
            "step_article(1)",
            "Next article",
            show=False,
            id="app.next-article",
            tooltip="Open the next article in the list",
        ),
        Binding(
            "left_square_bracket",
            "step_article(-1)",
            "Previous article",
            show=False,
            id="app.previous-article",
            tooltip="Open the previous article in the list",
        ),
        Binding("escape", "back", "Back", show=False, id="app.back", tooltip="Back to the list; in the list, clear the search"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            show=False,  # the footer shows the palette key on its own
            priority=True,
            id="app.command-palette",
            tooltip="Jump to an article, search, switch theme or toggle panes",
        ),
    ]

    def __init__(
        self,
        library: Library,
        *,
        state_store: ReadingStateStore | None = None,
        measure: int = 80,
        search_delay: float = SEARCH_DELAY,
        search_limit: int = SEARCH_LIMIT,
        sort: str = "date",
        theme: str | None = None,
        startup_problems: Sequence[str] = (),
        remember_theme: bool = False,
        remember_sort: bool = False,
    ) -> None:
        super().__init__()
        self.initial_sort = sort
        self.startup_problems = list(startup_problems)
        # Choices made in the app (theme, sort) go to the settings file; not in tests, and not
        # the theme when --theme chose it for this session only.
        self.remember_theme = remember_theme
        self.remember_sort = remember_sort
        self.startup_problems += register_themes(self)
        theme_problem = choose_theme(self, theme)
        if theme_problem:
            self.startup_problems.append(theme_problem)
        self._saved: dict[str, Any] = {"sort": sort, "theme": self.theme}  # what the settings file says
        self.search_delay = search_delay
        self.search_limit = search_limit
        self.library = library
        self.state_store = state_store or ReadingStateStore.for_library(library.root)
        self.state = ReadingState()
        self.measure = measure
        self.entries: list[CatalogEntry] = []
        self.entries_by_id: dict[str, CatalogEntry] = {}
        self._folded_titles: list[str] | None = None  # see folded_titles()
        self.index: Any = None  # kliping.search.SearchIndex once built
        self.query_text = ""
        self.keymap_overrides: dict[str, str] = {}
        self._library_lock = threading.Lock()  # Library caches parsed files; one thread at a time
        self._search_generation = 0
        self._search_timer: Timer | None = None
        self._last_results: Any = None
        self._index_message = "Preparing the search index…"
        self._init_bookmarks()

    # -- theme variables the .tcss uses (themes may override each) ---------------------------------

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Every variable the .tcss uses, for themes that do not set them (Textual's own).

        The reader's variables come from the default kliping theme; text colours follow the current
        theme's foreground and the search-hit colours its warning colour, so they suit light and
        dark themes alike."""
        theme = self.current_theme
        warning = Color.parse(theme.warning or "#ffa62b")
        defaults = _reader_defaults()
        if theme.foreground:
            defaults = {k: theme.foreground if k.endswith("-foreground") else v for k, v in defaults.items()}
        return {
            **defaults,
            "search-hit-background": warning.with_alpha(0.35).css,
            "search-hit-current-background": warning.css,
            "search-hit-current-foreground": "#000000" if warning.brightness > 0.5 else "#ffffff",
        }

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification here is plain text: they carry file names, error messages and user
        text, where `[/x]` would be read as markup. (Widgets pass `markup=True` by default, so the
        argument is not trusted.)"""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def get_key_display(self, binding: Binding) -> str:
        """Inert: Textual shows a key as the keymap spells it, escape sequences included. One
        place for the footer, the help screen and Textual's own key panel."""
        return one_line(super().get_key_display(binding))

    def set_keymap(self, keymap: Keymap) -> None:
        self.keymap_overrides = dict(keymap)
        super().set_keymap(keymap)

    def update_keymap(self, keymap: Keymap) -> None:
        self.keymap_overrides.update(keymap)
        super().update_keymap(keymap)

    # -- startup ----------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return MainScreen()

    @property
    def main_running(self) -> bool:
        """False while the app shuts down: late worker messages are then ignored."""
        return any(isinstance(screen, MainScreen) for screen in self.screen_stack)

    @property
    def main(self) -> MainScreen:
        """The main screen, also while a dialog (help, palette) is on top of it."""
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("the main screen is not running")

    def on_ready(self) -> None:
        """First paint is done: now load the library and the index behind it."""
        self.state = self.state_store.load()
        if self.state_store.problem:
            self.notify(self.state_store.problem, title="Reading state", severity="warning", timeout=10)
        article_list = self.main.query_one(ArticleList)
        article_list.read = set(self.state.read)
        article_list.empty_message = "Loading the library…"
        self.main.query_one(ReaderPane).measure = self.measure
        article_list.order = self.initial_sort
        for problem in self.startup_problems:
            self.notify(one_line(problem), title="Settings and themes", severity="warning", timeout=15)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._show_search_message(self._index_message)
        self.load_catalog()
        self.load_bookmarks()

    @work(thread=True, exclusive=True, group="catalog")
    def load_catalog(self) -> None:
        with self._library_lock:
            changes = self.library.refresh()
            entries = self.library.entries()
        self.post_message(CatalogLoaded(entries, changes.errors))

    def folded_titles(self) -> list[str]:
        """Each entry's inert, casefolded title, in :attr:`entries` order, for the palette to match:
        made on the palette's first use rather than at start-up (tens of MB at 100,000 articles)."""
        if self._folded_titles is None:
            self._folded_titles = [one_line(entry.title).casefold() for entry in self.entries]
        return self._folded_titles

    @on(CatalogLoaded)
    def catalog_loaded(self, message: CatalogLoaded) -> None:
        if not self.main_running:
            return
        self.entries = message.entries
        self.entries_by_id = {entry.id: entry for entry in message.entries}
        self._folded_titles = None
        for error in message.errors[:3]:
            self.notify(one_line(error), title="Skipped a file", severity="warning", timeout=10)
        if len(message.errors) > 3:
            more = f"{len(message.errors) - 3} more files had problems (see `reader list`)"
            self.notify(more, severity="warning")
        article_list = self.main.query_one(ArticleList)
        article_list.empty_message = f"No articles in {self.library.root}. Add some with `reader import`."
        self._show_browse_rows(keep=self.state.last_article)
        last = self.state.last_article
        if last and last in self.entries_by_id:
            self.open_article(last, position=self.state.positions.get(last), focus_reader=False)
        if self.state.last_query:
            search = self.main.query_one(SearchInput)
            search.value = self.state.last_query
        self.main.set_focus(article_list)
        self.build_index()

    @work(thread=True, exclusive=True, group="index")
    def build_index(self) -> None:
        from kliping.search import SearchIndex

        last_post = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last_post
            now = time.monotonic()
            if now - last_post > 0.1 or done == total:
                last_post = now
                self.post_message(IndexProgressed(done, total))

        try:
            # The index reads articles through its own Library, so it never races the reader's.
            index_library = Library(self.library.root, cache_dir=self.library.cache_dir)
            index = SearchIndex.open(index_library, progress=progress, wait=False)
            message = index.report.message
        except Exception as exc:  # noqa: BLE001 - any failure here only disables search, and is said
            self.post_message(IndexFailed(f"Search is unavailable: {one_line(str(exc)) or type(exc).__name__}"))
            return
        self.post_message(IndexBuilt(index, message))

    @on(IndexProgressed)
    def index_progressed(self, message: IndexProgressed) -> None:
        if not self.main_running:
            return
        self._index_message = f"Indexing for search… {message.done:,}/{message.total:,} articles"
        if self.index is None:
            self._show_search_message(self._index_message)

    @on(IndexBuilt)
    def index_built(self, message: IndexBuilt) -> None:
        if not self.main_running:
            return
        self.index = message.index
        self._index_message = ""
        self._show_search_message(one_line(message.message or ""))
        if self.query_text:
            self._run_search_now()
        self.reindex_bookmarks()

    @on(IndexFailed)
    def index_failed(self, message: IndexFailed) -> None:
        if not self.main_running:
            return
        self._index_message = message.message
        self._show_search_message(message.message)

    # -- the list ---------------------------------------------------------------------------------

    def _show_browse_rows(self, keep: str | None = None) -> None:
        rows = [
            ArticleRow(entry.id, one_line(entry.title), one_line(entry.source or ""), entry.published, rank=rank)
            for rank, entry in enumerate(self.entries)
        ]
        article_list = self.main.query_one(ArticleList)
        article_list.set_rows(rows, searching=False, keep=keep)
        self._update_list_title()

    def _update_list_title(self) -> None:
        article_list = self.main.query_one(ArticleList)
        if article_list.searching and self._last_results is not None:
            total = self._last_results.total
            shown = len(article_list.rows)
            count = f"{shown:,} of {total:,} hits" if total > shown else f"{total:,} hit{'s' if total != 1 else ''}"
        else:
            count = f"{len(article_list.rows):,} article{'s' if len(article_list.rows) != 1 else ''}"
        article_list.border_title = Content(count)
        article_list.border_subtitle = Content(f"sort: {article_list.order} (s)")

    @on(ArticleList.SortChanged)
    def sort_changed(self, message: ArticleList.SortChanged) -> None:
        self._update_list_title()
        if self.remember_sort and message.order in ("date", "title"):
            self._remember_setting("sort", message.order)

    # -- choices that persist in the settings file ------------------------------------------------

    def _theme_changed(self, theme: Any) -> None:
        if self.remember_theme:
            self._remember_setting("theme", theme.name)

    def _remember_setting(self, key: str, value: Any) -> None:
        if self._saved.get(key) == value:
            return
        # A few hundred bytes written atomically: quick enough for the UI thread.
        try:
            save_settings({key: value})
            self._saved[key] = value
        except (SettingsSaveError, OSError) as exc:
            self.notify(one_line(str(exc)), title="Not saved", severity="warning", timeout=10)

    @on(ArticleList.ArticleChosen)
    def article_chosen(self, message: ArticleList.ArticleChosen) -> None:
        if message.row.bookmark_id and self.open_bookmark(message.row.bookmark_id):
            return  # a bookmark or note hit opens at its passage
        self.open_article(message.row.article_id, focus_reader=True, to_first_match=bool(self.query_text))

    def action_step_article(self, step: int) -> None:
        article_list = self.main.query_one(ArticleList)
        reader = self.main.query_one(ReaderPane)
        if reader.article is not None and article_list.highlighted is not None:
            if article_list.highlighted.article_id != reader.article.id:
                article_list.select_article(reader.article.id)
        article_list.cursor += step
        row = article_list.highlighted
        if row is not None and (reader.article is None or row.article_id != reader.article.id):
            self.open_article(row.article_id, focus_reader=False, to_first_match=bool(self.query_text))

    # -- opening an article -----------------------------------------------------------------------

    def open_article(
        self,
        article_id: str,
        *,
        position: int | None = None,
        focus_reader: bool = True,
        to_first_match: bool = False,
    ) -> None:
        """Open an article in the reader (read in a worker; the reader updates when it is loaded)."""
        if position is None and not to_first_match:
            position = self.state.positions.get(article_id)
        self._load_article(article_id, self._search_generation, self.query_text, position, to_first_match, focus_reader)

    @work(thread=True, exclusive=True, group="open")
    def _load_article(
        self,
        article_id: str,
        generation: int,
        query: str,
        position: int | None,
        to_first_match: bool,
        focus_reader: bool,
    ) -> None:
        with self._library_lock:
            article = self.library.article(article_id)
        if article is None:
            self.post_message(ArticleMissing(article_id))
            return
        # Show the article at once; its matches follow (they take a while in a very long one).
        searching = bool(query) and self.index is not None
        self.post_message(
            ArticleLoaded(
                article, position=None if searching and to_first_match else position, focus_reader=focus_reader
            )
        )
        if searching:
            spans = self._matches_in(article, query)
            self.post_message(MatchesFound(generation, article.id, spans, go_to_first=to_first_match))

    def _matches_in(self, article: Article, query: str) -> list[tuple[int, int]]:
        if not query or self.index is None:
            return []
        try:
            return list(self.index.highlight_spans(query, article.text, article.language))
        except Exception:  # noqa: BLE001 - a query the highlighter cannot parse shows no highlights
            return []

    @on(ArticleLoaded)
    def article_loaded(self, message: ArticleLoaded) -> None:
        if not self.main_running:
            return
        reader = self.main.query_one(ReaderPane)
        self._remember_position()
        article = message.article
        reader.show_article(article, position=message.position)
        self.state.last_article = article.id
        self.state.read.add(article.id)
        article_list = self.main.query_one(ArticleList)
        article_list.mark_read(article.id)
        if article_list.highlighted is None or article_list.highlighted.article_id != article.id:
            article_list.select_article(article.id)
        if message.focus_reader:
            self.main.set_focus(reader)
        self.show_article_bookmarks()
        self.save_state()

    @on(ArticleMissing)
    def article_missing(self, message: ArticleMissing) -> None:
        if not self.main_running:
            return
        self.notify("That article is no longer in the library (its file changed or was removed).", severity="warning")
        if self.state.last_article == message.article_id:
            self.state.last_article = None

    # -- searching --------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value.strip()
        self.state.last_query = self.query_text
        self._search_generation += 1
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        search = self.main.query_one(SearchInput)
        search.suggestion_text = None
        if not self.query_text:
            self._last_results = None
            reader = self.main.query_one(ReaderPane)
            reader.set_matches([])
            keep = reader.article.id if reader.article else None
            self._show_browse_rows(keep=keep)
            self._show_search_message(self._index_message)
            return
        if self.index is None:
            self._show_search_message(self._index_message or "Search is not available yet.")
            return
        self._search_timer = self.set_timer(self.search_delay, self._run_search_now)

    def _run_search_now(self) -> None:
        self._search_timer = None
        self.run_search(self._search_generation, self.query_text)
        reader = self.main.query_one(ReaderPane)
        if reader.article is not None:
            self.find_matches(self._search_generation, self.query_text, reader.article)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, generation: int, query: str) -> None:
        from kliping.search.results import SearchCancelled

        started = time.perf_counter()
        if generation != self._search_generation:
            return  # the user typed again before this one started
        worker = get_current_worker()
        # A search stops at its next word once it is stale or the app quits (Textual cancels every
        # worker on exit): the process would otherwise wait for it on exit (34 s for 64
        # prefixes), and the next search for its lock.
        def cancelled() -> bool:
            return worker.is_cancelled or generation != self._search_generation

        try:
            results = self.index.search(query, limit=self.search_limit, snippets=True, cancelled=cancelled)
        except SearchCancelled:
            return
        except Exception as exc:  # noqa: BLE001 - a broken query is reported quietly, never a crash
            self.post_message(SearchFailed(generation, query, one_line(str(exc)) or type(exc).__name__))
            return
        self.post_message(SearchCompleted(generation, query, results, time.perf_counter() - started))

    # A description of its own: Textual's default is the repr of every argument, here a whole
    # article (4 MB of text and original for a 2 MB file) built on the UI thread at each open.
    @work(thread=True, exclusive=True, group="matches", description="find the open article's matches")
    def find_matches(self, generation: int, query: str, article: Article) -> None:
        """The open article's matches, apart from the search, so a long article never holds up
        the list of hits."""
        if generation != self._search_generation:
            return
        self.post_message(MatchesFound(generation, article.id, self._matches_in(article, query)))

    @on(MatchesFound)
    def matches_found(self, message: MatchesFound) -> None:
        if not self.main_running:
            return
        reader = self.main.query_one(ReaderPane)
        if message.generation == self._search_generation and reader.article and reader.article.id == message.article_id:
            if message.go_to_first and message.spans:
                reader.set_matches(message.spans, current=0)
                reader.scroll_to_offset(message.spans[0][0], center=True)
            else:
                reader.set_matches(message.spans)

    @on(SearchCompleted)
    def search_completed(self, message: SearchCompleted) -> None:
        if not self.main_running:
            return
        if message.generation != self._search_generation:
            return  # stale: the query has changed since
        results = message.results
        self._last_results = results
        if results.error:  # nothing was searched: say why, and keep the articles to browse
            reader = self.main.query_one(ReaderPane)
            self._show_browse_rows(keep=reader.article.id if reader.article else None)
            self._show_search_message(one_line(results.message or results.error))
            return
        rows = []
        for rank, hit in enumerate(results.hits):
            entry = self.entries_by_id.get(hit.article_id)
            rows.append(
                ArticleRow(
                    hit.article_id,
                    one_line(hit.title or (entry.title if entry else "")),
                    one_line(hit.source or (entry.source if entry and entry.source else "") or ""),
                    entry.published if entry else None,
                    rank=rank,
                    hit_count=hit.hit_count,
                    snippet=hit.snippet or "",
                    snippet_spans=tuple(tuple(span) for span in hit.snippet_spans),
                    kind=hit.kind,
                    bookmark_id=hit.bookmark_id,
                )
            )
        article_list = self.main.query_one(ArticleList)
        if not article_list.searching:
            article_list.order = "relevance"
        reader = self.main.query_one(ReaderPane)
        article_list.set_rows(rows, searching=True, keep=reader.article.id if reader.article else None)
        self._update_list_title()
        search = self.main.query_one(SearchInput)
        search.suggestion_text = one_line(results.suggestion) if not results.hits and results.suggestion else None
        if search.suggestion_text:
            self._show_search_message(f"No hits. Did you mean “{search.suggestion_text}”? (Tab)")
        elif not results.hits:
            self._show_search_message(one_line(results.message or "No hits."))
        else:
            self._show_search_message(one_line(results.message or ""))

    @on(SearchFailed)
    def search_failed(self, message: SearchFailed) -> None:
        if not self.main_running:
            return
        if message.generation == self._search_generation:
            self._show_search_message(f"Cannot search for that: {message.message}")

    def _show_search_message(self, text: str) -> None:
        message = self.main.query_one("#search-message", Static)
        message.update(Content(text))
        message.display = bool(text)

    # -- actions ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("focus_search", "search_to_results"):
            if not isinstance(self.screen, MainScreen):
                return False  # other screens (bookmarks, dialogs) have their own `/` and Enter
            in_search = isinstance(self.screen, MainScreen) and isinstance(self.screen.focused, SearchInput)
            return in_search if action == "search_to_results" else not in_search
        return super().check_action(action, parameters)

    def action_search_to_results(self) -> None:
        self.main.set_focus(self.main.query_one(ArticleList))

    def action_focus_search(self) -> None:
        # At once, not after a refresh: the letters typed right after `/` belong to the search.
        self.main.set_focus(self.main.query_one(SearchInput))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections(), self.keymap_overrides))

    def help_sections(self) -> list[tuple[str, list[Binding]]]:
        """Every binding, grouped by where it works (later features add their sections here)."""
        return [
            ("Everywhere", [*(b for b in self.BINDINGS if b.id != "search.to-results"), *MainScreen.BINDINGS]),
            ("Search bar", [*SearchInput.BINDINGS, *(b for b in self.BINDINGS if b.id == "search.to-results")]),
            ("Article list", list(ArticleList.BINDINGS)),
            ("Reader", list(ReaderPane.BINDINGS)),
            ("Bookmarks screen (B)", list(BookmarksScreen.BINDINGS)),
            ("Note dialog", list(NoteDialog.BINDINGS)),
        ]

    def action_back(self) -> None:
        focused = self.screen.focused
        if isinstance(focused, ReaderPane):
            self.main.set_focus(self.main.query_one(ArticleList))
        elif isinstance(focused, ArticleList) and self.query_text:
            self.main.query_one(SearchInput).value = ""

    def action_toggle_list(self) -> None:
        column = self.main.query_one("#list-column")
        column.display = not column.display
        if not column.display:
            self.main.set_focus(self.main.query_one(ReaderPane))

    def action_toggle_reader(self) -> None:
        reader = self.main.query_one(ReaderPane)
        reader.display = not reader.display
        if not reader.display:
            self.main.set_focus(self.main.query_one(ArticleList))

    def sort_by(self, order: str) -> None:
        article_list = self.main.query_one(ArticleList)
        if order == "relevance" and not article_list.searching:
            self.notify("Relevance order needs a search first.", severity="warning")
            return
        article_list.order = order

    def search_for(self, query: str) -> None:
        """Run ``query`` as if typed into the search bar (used by the command palette)."""
        search = self.main.query_one(SearchInput)
        search.value = query
        self.main.set_focus(search)

    async def action_quit(self) -> None:
        self._remember_position()
        problem = self.save_state()
        # A notification would vanish with the screen: say it on the terminal after the app closes.
        self.exit(message=Text(f"reader: {problem}") if problem else None)  # Text: a path is not markup

    # -- reading state ----------------------------------------------------------------------------

    def _remember_position(self) -> None:
        reader = self.main.query_one(ReaderPane)
        if reader.article is not None:
            self.state.positions[reader.article.id] = reader.top_offset()

    def save_state(self) -> str | None:
        """Save the reading state; the problem (also shown as a notification) when it cannot be."""
        try:
            self.state_store.save(self.state)
        except OSError as exc:
            problem = f"Could not save the reading position to {self.state_store.path}: {exc.strerror or exc}"
            self.notify(problem, severity="warning", markup=False)
            return problem
        return None


