"""The index schema: which fields a document has, and how each is analysed.

Articles in Indonesian go to `title`/`body`, articles in English to `title_en`/`body_en`; each pair
has its own analyser. A query is analysed once per field by that field's analyser and the fields
are OR'ed, so one query finds `dievakuasi` in Indonesian articles and `evacuated` in English ones,
and BM25F ranks them together.

Bookmarks and notes are documents too (kind `bookmark`/`note`), pointing at their article.
"""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema

from kliping.search.analysis import ANALYSIS_VERSION, analyzer_for, plain_analyzer

# Bump when fields change; together with ANALYSIS_VERSION it decides when to rebuild.
SCHEMA_VERSION = 1
INDEX_VERSION = f"{SCHEMA_VERSION}.{ANALYSIS_VERSION}"

TITLE_BOOST = 2.0

# language -> (title field, body field)
TEXT_FIELDS = {"id": ("title", "body"), "en": ("title_en", "body_en")}
ALL_TITLE_FIELDS = tuple(title for title, _ in TEXT_FIELDS.values())
ALL_TEXT_FIELDS = tuple(name for pair in TEXT_FIELDS.values() for name in pair)

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
        "language": ID(),
        "date": DATETIME(),
    }
    for language, (title, body) in TEXT_FIELDS.items():
        analyzer = analyzer_for(language)
        fields[title] = TEXT(analyzer=analyzer, phrase=True, field_boost=TITLE_BOOST)
        fields[body] = TEXT(analyzer=analyzer, phrase=True)
    return Schema(**fields)


def text_fields_for(language: str) -> tuple[str, str]:
    return TEXT_FIELDS.get(language, TEXT_FIELDS["id"])
