"""The engines bench/search.py measures kliping against: SQLite FTS5 and tantivy, on the same articles.

Both are what a newcomer would reach for, and both are compiled, so they say how far a
pure-Python index is from the floor, not whether kliping's answers are right (neither stems
Indonesian). Each indexes title, body and source with its stock tokenizer (FTS5's unicode61 with
diacritics removed; tantivy's `default`: split on non-alphanumerics, lowercased) and keeps the
publication date for the two date queries. A query is given in FTS5's MATCH syntax; tantivy reads
the same text, except that a prefix (`presid*`), which its parser has no syntax for, becomes a
regular expression on each field.

tantivy is the `bench` extra (`pip install -c constraints.txt '.[bench]'`).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Protocol

SNIPPET_CHARS = 200


@dataclass(frozen=True, slots=True)
class Document:
    """One article as the references index it: published is an ISO date or None."""

    id: str
    title: str
    body: str
    source: str
    published: str | None


class Engine(Protocol):
    """What the benchmark does with a reference: index the articles, then run queries."""

    name: ClassVar[str]

    def __init__(self, folder: Path) -> None: ...

    def add(self, doc: Document) -> None: ...

    def commit(self) -> None: ...

    def search(self, match: str, dates: tuple[str, str] | None, snippets: bool) -> int:
        """The top 20 (with snippets if asked) and the number of matches, which it returns."""
        ...


class Fts5:
    """SQLite FTS5 (stdlib), ranked by bm25 with the title weighted twice, snippets by snippet()."""

    name: ClassVar[str] = "FTS5"

    def __init__(self, folder: Path) -> None:
        path = folder / "fts5.sqlite"
        path.unlink(missing_ok=True)
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, title, body, source, "
                        "tokenize='unicode61 remove_diacritics 2')")
        self.db.execute("CREATE TABLE meta(rowid INTEGER PRIMARY KEY, published TEXT)")

    def add(self, doc: Document) -> None:
        cursor = self.db.execute("INSERT INTO fts(id, title, body, source) VALUES (?,?,?,?)",
                                 (doc.id, doc.title, doc.body, doc.source))
        self.db.execute("INSERT INTO meta VALUES (?,?)", (cursor.lastrowid, doc.published))

    def commit(self) -> None:
        self.db.commit()

    def search(self, match: str, dates: tuple[str, str] | None, snippets: bool) -> int:
        """The top 20 (with snippets if asked) and the number of matches, which it returns."""
        columns = "id, snippet(fts, 2, '[', ']', '…', 24)" if snippets else "id"
        where = "FROM fts JOIN meta ON meta.rowid = fts.rowid WHERE fts MATCH ?"
        params: list[str] = [match]
        if dates:
            where += " AND meta.published BETWEEN ? AND ?"
            params += list(dates)
        self.db.execute(f"SELECT {columns} {where} ORDER BY bm25(fts, 0, 2.0, 1.0, 1.0) LIMIT 20", params).fetchall()
        total: int = self.db.execute(f"SELECT count(*) {where}", params).fetchone()[0]
        return total


_PREFIX = re.compile(r"(\w+)\*")


def _day_number(iso: str) -> int:
    """An ISO date prefix as a sortable number: 2019-09 -> 20190900, 2019-09-20 -> 20190920."""
    return int(iso.replace("-", "").ljust(8, "0")[:8])


class Tantivy:
    """tantivy with its default tokenizer, BM25 over title, body and source (the title boosted
    twice, as FTS5's weights), snippets of about 200 characters from the body."""

    name: ClassVar[str] = "tantivy"
    FIELDS: ClassVar[list[str]] = ["title", "body", "source"]

    def __init__(self, folder: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=True)
        builder.add_text_field("body", stored=True)
        builder.add_text_field("source")
        builder.add_integer_field("published", indexed=True, fast=True)
        self.schema = builder.build()
        path = folder / "tantivy"
        if path.exists():
            for old in path.iterdir():
                old.unlink()
        path.mkdir(exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path), reuse=False)
        self.writer = self.index.writer()

    def add(self, doc: Document) -> None:
        fields: dict[str, object] = {"id": doc.id, "title": doc.title, "body": doc.body, "source": doc.source}
        if doc.published:
            fields["published"] = _day_number(doc.published)
        self.writer.add_document(self.tantivy.Document(**fields))

    def commit(self) -> None:
        self.writer.commit()
        self.writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def query(self, match: str, dates: tuple[str, str] | None):
        text = _PREFIX.sub(lambda m: "(" + " OR ".join(f"{f}:/{m.group(1)}.*/" for f in self.FIELDS) + ")", match)
        query = self.index.parse_query(text, self.FIELDS, field_boosts={"title": 2.0},
                                       conjunction_by_default=True, allow_regexes=True)
        if dates:
            within = self.tantivy.Query.range_query(self.schema, "published", self.tantivy.FieldType.Integer,
                                                    _day_number(dates[0]), _day_number(dates[1]))
            must = self.tantivy.Occur.Must
            query = self.tantivy.Query.boolean_query([(must, query), (must, within)])
        return query

    def search(self, match: str, dates: tuple[str, str] | None, snippets: bool) -> int:
        """The top 20 (with snippets if asked) and the number of matches, which it returns."""
        query = self.query(match, dates)
        found = self.searcher.search(query, 20, count=True)
        if snippets:
            generator = self.tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "body")
            generator.set_max_num_chars(SNIPPET_CHARS)
            for _, address in found.hits:
                generator.snippet_from_doc(self.searcher.doc(address)).fragment()
        else:
            for _, address in found.hits:
                self.searcher.doc(address)
        count: int = found.count  # type: ignore[attr-defined]  # the stub file omits it (tantivy 0.27)
        return count


ENGINES: dict[str, type[Engine]] = {"fts5": Fts5, "tantivy": Tantivy}
