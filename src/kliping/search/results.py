"""What a search returns, and what an index update reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from kliping.articles.model import PublishedDate
from kliping.search.query import ParsedQuery


class SearchCancelled(Exception):
    """The caller asked a running search to stop (the app is quitting, or the query changed)."""


@dataclass(slots=True)
class Hit:
    """One ranked hit. ``snippet_spans`` are offsets into ``snippet``; ``hit_count`` is how many
    matches the whole text has (counted with the snippet, so 0 when snippets were not asked for)."""

    article_id: str
    score: float
    title: str
    source: str | None
    published: PublishedDate | None
    snippet: str
    snippet_spans: list[tuple[int, int]]
    hit_count: int
    kind: str = "article"  # "article", "bookmark" or "note"
    bookmark_id: str | None = None

    def to_json(self) -> dict:
        return {
            "id": self.article_id,
            "kind": self.kind,
            "bookmark_id": self.bookmark_id,
            "score": round(self.score, 4),
            "title": self.title,
            "source": self.source,
            "published": self.published.iso() if self.published else None,
            "snippet": self.snippet,
            "snippet_spans": [list(span) for span in self.snippet_spans],
            "hit_count": self.hit_count,
        }


@dataclass(slots=True)
class SearchResults:
    """Ranked hits for a query; ``message`` is a quiet notice (what was ignored, read-only mode),
    ``suggestion`` a corrected query when nothing was found. ``error`` says why nothing could be
    searched (the query was refused, the index cannot be read): no hits then is not "no match".
    The message carries the error too, with any other notices. ``parsed`` is ``query`` as parsed,
    for highlighting the articles found (highlight.query_spans) without parsing it again."""

    query: str
    parsed: ParsedQuery
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    message: str | None = None
    suggestion: str | None = None
    error: str | None = None


@dataclass(slots=True)
class IndexReport:
    """What opening or updating the index did; ``message`` says anything the user should know
    (the index was rebuilt because it was damaged, another process holds the lock, ...)."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    seconds: float = 0.0
    message: str | None = None
    read_only: bool = False
    failed: bool = False  # the index could not be built or updated (message says why)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)
