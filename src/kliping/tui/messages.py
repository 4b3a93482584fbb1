"""What the app's background workers report back. Workers never touch widgets: they post one of
these, named for what has happened, and the app updates the screen on its own thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

from kliping.article import Article

if TYPE_CHECKING:
    from kliping.library import CatalogEntry


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
    """Results for ``query``; ``generation`` tells whether the user has typed since.
    ``open_spans`` are the query's matches in the article open when the search started."""

    def __init__(
        self,
        generation: int,
        query: str,
        results: Any,
        open_article_id: str | None,
        open_spans: list[tuple[int, int]],
        seconds: float,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.query = query
        self.results = results
        self.open_article_id = open_article_id
        self.open_spans = open_spans
        self.seconds = seconds


class SearchFailed(Message):
    def __init__(self, generation: int, query: str, message: str) -> None:
        super().__init__()
        self.generation = generation
        self.query = query
        self.message = message


class ArticleLoaded(Message):
    def __init__(
        self,
        article: Article,
        matches: list[tuple[int, int]],
        *,
        position: int | None,
        to_first_match: bool,
        focus_reader: bool,
    ) -> None:
        super().__init__()
        self.article = article
        self.matches = matches
        self.position = position
        self.to_first_match = to_first_match
        self.focus_reader = focus_reader


class ArticleMissing(Message):
    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id
