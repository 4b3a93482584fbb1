"""What the app's background workers report back. Workers never touch widgets: they post one of
these, named for what has happened, and the app updates the screen on its own thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

from kliping.articles.model import Article

if TYPE_CHECKING:
    from kliping.library.catalog import CatalogEntry


class CatalogLoaded(Message):
    def __init__(self, entries: list[CatalogEntry], errors: list[str]) -> None:
        super().__init__()
        self.entries = entries
        self.errors = errors


class IndexProgressed(Message):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class IndexBuilt(Message):
    """The search index is open and up to date. ``index`` is a ``kliping.search.SearchIndex``."""

    def __init__(self, index: Any, message: str | None) -> None:
        super().__init__()
        self.index = index
        self.message = message


class IndexFailed(Message):
    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class SearchCompleted(Message):
    """Results for ``query``; ``generation`` tells whether the user has typed since."""

    def __init__(self, generation: int, query: str, results: Any, seconds: float) -> None:
        super().__init__()
        self.generation = generation
        self.query = query
        self.results = results
        self.seconds = seconds


class MatchesFound(Message):
    """Every match of the query of search ``generation`` in the open article."""

    def __init__(
        self, generation: int, article_id: str, spans: list[tuple[int, int]], *, go_to_first: bool = False
    ) -> None:
        super().__init__()
        self.generation = generation
        self.article_id = article_id
        self.spans = spans
        self.go_to_first = go_to_first


class SearchFailed(Message):
    def __init__(self, generation: int, query: str, message: str) -> None:
        super().__init__()
        self.generation = generation
        self.query = query
        self.message = message


class ArticleLoaded(Message):
    """An article was read; show it scrolled to ``position`` (an offset into its text)."""

    def __init__(self, article: Article, *, position: int | None, focus_reader: bool) -> None:
        super().__init__()
        self.article = article
        self.position = position
        self.focus_reader = focus_reader


class ArticleMissing(Message):
    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id


class BookmarksLoaded(Message):
    """The library's bookmark store was read (``store.problem`` says if it is read-only)."""

    def __init__(self, store: Any) -> None:
        super().__init__()
        self.store = store


class BookmarksChanged(Message):
    """A change to the bookmarks was saved; ``notice`` says what happened, for the user."""

    def __init__(self, notice: str | None) -> None:
        super().__init__()
        self.notice = notice


class BookmarkFailed(Message):
    """A bookmark operation could not be done; ``message`` is one line naming the problem."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class BookmarkRowsListed(Message):
    """Rows for the bookmarks screen (``kliping.tui.screens.bookmarks.BookmarkRow``)."""

    def __init__(self, rows: list[Any], problem: str | None) -> None:
        super().__init__()
        self.rows = rows
        self.problem = problem


class BookmarksIndexed(Message):
    """The search index now holds the current bookmarks and notes (``message`` if it could not);
    ``refresh_hits``: the user changed a bookmark, so the current search is run again."""

    def __init__(self, message: str | None, *, refresh_hits: bool) -> None:
        super().__init__()
        self.message = message
        self.refresh_hits = refresh_hits


class BookmarksExported(Message):
    """Bookmarks were exported; ``notice`` names the file."""

    def __init__(self, notice: str) -> None:
        super().__init__()
        self.notice = notice
