"""What the screens' background workers report back. Workers never touch widgets: they post one of
these, named for what has happened, and the screen that started them updates itself on the UI
thread. Each is a dataclass (Textual's ``Message.__init__`` calls ``__post_init__``), so its fields
and their types are its whole contract; a message dies with the screen it was posted to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from kliping.articles.model import Article

if TYPE_CHECKING:
    from kliping.bookmarks.store import BookmarkStore
    from kliping.library.catalog import CatalogEntry
    from kliping.search.index import SearchIndex
    from kliping.search.results import SearchResults
    from kliping.tui.session import BookmarkRow


@dataclass
class CatalogLoaded(Message):
    """The library was refreshed: its entries in catalog order; ``errors`` names skipped files."""

    entries: list[CatalogEntry]
    errors: list[str]


@dataclass
class IndexProgressed(Message):
    done: int
    total: int


@dataclass
class IndexBuilt(Message):
    """The search index is open and up to date; ``message`` is anything the user should know."""

    index: SearchIndex
    message: str | None


@dataclass
class IndexFailed(Message):
    message: str


@dataclass
class SearchCompleted(Message):
    """Results of search ``generation`` (stale if the user has typed since)."""

    generation: int
    results: SearchResults


@dataclass
class SearchFailed(Message):
    generation: int
    message: str


@dataclass
class MatchesFound(Message):
    """Every match of the query of search ``generation`` in the open article."""

    generation: int
    article_id: str
    spans: list[tuple[int, int]]
    go_to_first: bool = False


@dataclass
class ArticleLoaded(Message):
    """An article was read; show it scrolled to ``position`` (an offset into its text)."""

    article: Article
    position: int | None
    focus_reader: bool


@dataclass
class ArticleMissing(Message):
    article_id: str


@dataclass
class BookmarksLoaded(Message):
    """The library's bookmark store was read (``store.problem`` says if it is read-only)."""

    store: BookmarkStore


@dataclass
class BookmarksReanchored(Message):
    """The bookmarks of ``article`` were found in its text: ``spans`` are ``(start, end, bookmark
    id)`` (orphans left out), for re-anchoring request ``generation``."""

    generation: int
    article: Article
    spans: list[tuple[int, int, str]]


@dataclass
class BookmarksChanged(Message):
    """A change to the bookmarks was saved; ``notice`` says what happened, for the user."""

    notice: str | None


@dataclass
class BookmarkFailed(Message):
    """A bookmark operation could not be done; ``message`` is one line naming the problem."""

    message: str


@dataclass
class BookmarkRowsListed(Message):
    """Rows for the bookmarks screen; ``problem`` says why the store is read-only, if it is."""

    rows: list[BookmarkRow]
    problem: str | None


@dataclass
class BookmarksIndexed(Message):
    """The search index now holds the current bookmarks and notes (``message`` if it could not);
    ``refresh_hits``: the user changed a bookmark, so the current search is run again."""

    message: str | None
    refresh_hits: bool


@dataclass
class BookmarksExported(Message):
    """Bookmarks were exported; ``notice`` names the file."""

    notice: str
