"""The index schema: which fields a document has, and how each is analyzed.

Articles in Indonesian go to `title`/`body`, articles in English to `title_en`/`body_en`; each pair
has its own analyzer. A query is analyzed once per field by that field's analyzer and the fields
are OR'ed, so one query finds `dievakuasi` in Indonesian articles and `evacuated` in English ones,
and BM25F ranks them together.

`body` holds the title and the text, so plain words need one field per language to match (which
keeps AND queries and exact hit counts fast: measured 2-4x faster than OR-ing title and body per
word); `title` is searched by `title:` and, as an optional clause, lifts articles whose title has
the words (boost 2).

`exact` holds the same text as the body field, analyzed for quoted phrases: folded words in
order, stop words included, nothing stemmed, so `"dievakuasi"` finds only that form. One field
serves both languages: nothing in it depends on the language. (Indexing each pair of neighbouring
words too, to make phrases single terms, was measured and dropped: the index grew five-fold, from
94 to 512 MB at 20,000 articles, and build time doubled; phrases are fast enough without, see
ranking.py.)

Bookmarks and notes are documents too (kind `bookmark`/`note`), pointing at their article.
"""

from __future__ import annotations

from whoosh.fields import ID, STORED, TEXT, Schema

from kliping.articles.model import PublishedDate
from kliping.search.analysis import ANALYSIS_VERSION, analyzer_for, exact_analyzer, plain_analyzer

# Bump when fields change; together with ANALYSIS_VERSION it decides when to rebuild.
SCHEMA_VERSION = 5
INDEX_VERSION = f"{SCHEMA_VERSION}.{ANALYSIS_VERSION}"

TITLE_BOOST = 2.0

# language -> (title field, body field)
TEXT_FIELDS = {"id": ("title", "body"), "en": ("title_en", "body_en")}
ALL_TITLE_FIELDS = tuple(title for title, _ in TEXT_FIELDS.values())
ALL_BODY_FIELDS = tuple(body for _, body in TEXT_FIELDS.values())
TITLE_OF_BODY = {body: title for title, body in TEXT_FIELDS.values()}
EXACT_FIELD = "exact"

KIND_ARTICLE = "article"
KIND_BOOKMARK = "bookmark"
KIND_NOTE = "note"


def build_schema() -> Schema:
    fields = {
        "id": ID(stored=True, unique=True),
        "kind": ID(stored=True),
        "article_id": ID(stored=True),
        "bookmark_id": ID(stored=True),
        "hash": ID(stored=True),
        # zlib-compressed clean text, so snippets never have to re-read and re-parse article files
        "packed_text": STORED(),
        "source": TEXT(analyzer=plain_analyzer(), phrase=True),
        "authors": TEXT(analyzer=plain_analyzer(), phrase=True),
        "tags": TEXT(analyzer=plain_analyzer(), phrase=True),
        EXACT_FIELD: TEXT(analyzer=exact_analyzer(), phrase=True),
        "language": ID(),
        # Dates as ISO keys at three precisions: `date:2019-09` is one term, a range a handful.
        # (Whoosh's DATETIME ranges expand into numeric trie terms: 100+ ms on 22k articles.)
        "year": ID(),
        "month": ID(),
        "day": ID(),
    }
    for language, (title, body) in TEXT_FIELDS.items():
        analyzer = analyzer_for(language)
        fields[title] = TEXT(analyzer=analyzer, phrase=True, field_boost=TITLE_BOOST)
        fields[body] = TEXT(analyzer=analyzer, phrase=True)
    return Schema(**fields)


def text_fields_for(language: str) -> tuple[str, str]:
    return TEXT_FIELDS.get(language, TEXT_FIELDS["id"])


def date_terms(published: PublishedDate | None) -> dict[str, str]:
    """The date keys an article is found under: as precise as its date is known. A date without
    a year (`Senin (6/11)`) is not a date anyone can search for, so it has none."""
    if published is None or published.year is None:
        return {}
    terms = {"year": f"{published.year:04d}"}
    if published.month is not None:
        terms["month"] = f"{published.year:04d}-{published.month:02d}"
        if published.day is not None:
            terms["day"] = f"{terms['month']}-{published.day:02d}"
    return terms
