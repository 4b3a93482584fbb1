"""Full-text search over a library: Indonesian and English analysis, a query language,
highlighting, and an index that keeps itself up to date. See index.py for the entry point."""

from kliping.search.highlight import query_spans
from kliping.search.index import SearchIndex
from kliping.search.query import ParsedQuery
from kliping.search.results import Hit, IndexReport, SearchResults

__all__ = ["Hit", "IndexReport", "ParsedQuery", "SearchIndex", "SearchResults", "query_spans"]
