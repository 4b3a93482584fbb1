"""Reading a whole library in a test the way the reader does: the catalog's entries, then each
article opened from its file (the program has no "every article" call, and needs none)."""

from __future__ import annotations

from kliping.articles.model import Article
from kliping.library.folder import Library


def articles_of(library: Library) -> list[Article]:
    """Every article of ``library``, newest first; each entry must open."""
    articles = [library.article(entry.id) for entry in library.entries()]
    assert None not in articles, "an entry of the catalog did not open"
    return [article for article in articles if article is not None]
