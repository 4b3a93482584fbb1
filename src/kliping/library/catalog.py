"""The catalog codec: what the library remembers of its folder, saved as one JSON line a column.

The catalog (``catalog.jsonl`` in the library's cache directory) keeps, per file, its size, mtime
and content hash and the metadata of the articles in it, so opening an unchanged library of tens of
thousands of articles reads no article files at all. It is only a cache: a catalog that is missing,
damaged or of another version is read as an empty one, and the library rebuilds it from the folder.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from array import array
from dataclasses import dataclass
from pathlib import Path

from kliping.articles.model import Article, PublishedDate, metadata_json
from kliping.files import regular_file
from kliping.files.atomic import write_atomic
from kliping.files.regular_file import open_regular
from kliping.library.columns import (
    FileTable,
    as_table,
    authors_from_json,
    catalog_text,
    integers_column,
    optional_text,
    published_from_iso,
    shared_values,
    strings_column,
)

CATALOG_VERSION = 4  # 4: a JSON line per column instead of one JSON object per article and per file
CATALOG_NAME = "catalog.jsonl"
# Far above the catalog of a million articles; a larger "catalog" is not one, and is rebuilt.
MAX_CATALOG_BYTES = 2 * 1024 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class LibraryFile:
    """One article file found in the folder, with the stamp a refresh compares with the catalog's."""

    relpath: str
    size: int
    mtime_ns: int


@dataclass(slots=True)
class CatalogEntry:
    """What the catalog keeps of one article: its metadata, where it lives, and a content hash."""

    id: str
    relpath: str
    title: str
    title_derived: bool
    source: str | None
    authors: tuple[str, ...]
    editor: str | None
    published: PublishedDate | None
    place: str | None
    language: str
    url: str | None
    words: int
    hash: str  # changes whenever the article's clean text or metadata changes

    def to_json(self) -> dict:
        """The entry as JSON-able values (for `reader list --json`)."""
        return {"id": self.id, "relpath": self.relpath, **metadata_json(self), "words": self.words, "hash": self.hash}

    @classmethod
    def from_article(cls, article: Article) -> CatalogEntry:
        return cls(
            id=article.id,
            relpath=article.path,
            title=article.title,
            title_derived=article.title_derived,
            source=article.source,
            authors=article.authors,
            editor=article.editor,
            published=article.published,
            place=article.place,
            language=article.language,
            url=article.url,
            words=article.word_count,
            hash=article_hash(article),
        )


def article_hash(article: Article) -> str:
    """A hash of everything the index and the reader show of an article."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(json.dumps(article.metadata(), sort_keys=True, default=str).encode("utf-8"))
    digest.update(b"\0")
    digest.update(article.text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def load_catalog(path: Path) -> tuple[FileTable, dict[str, CatalogEntry], str | None]:
    """The catalog saved at ``path``: its file table, its entries by id, and a problem worth a word
    (something that is not a regular file, or far too large, where the catalog should be). A
    missing, damaged or older catalog reads as an empty one, without a word: it is only a cache."""
    try:
        with open_regular(path) as lines:
            if os.fstat(lines.fileno()).st_size > MAX_CATALOG_BYTES:
                raise regular_file.FileTooLarge(errno.EFBIG, "far larger than any catalog; not read", str(path))
            header = json.loads(lines.readline(64 * 1024))
            if not isinstance(header, dict) or header.get("version") != CATALOG_VERSION:
                return FileTable(), {}, None
            # Column by column: what is parsed at once is one column, never the whole file.
            columns = dict(json.loads(line) for line in lines)
        table, entries = _columns_to_catalog(columns)
        return table, entries, None
    except (regular_file.NotARegularFile, regular_file.FileTooLarge) as exc:
        # Only a cache, rebuilt as a regular file; but a FIFO there is worth a word.
        return FileTable(), {}, f"{path}: {exc.strerror}; the catalog is rebuilt"
    except (OSError, ValueError, KeyError, TypeError, IndexError, OverflowError, AttributeError, RecursionError):
        # A missing or damaged catalog is only a cache: start over and rebuild it.
        return FileTable(), {}, None


def _columns_to_catalog(columns: dict) -> tuple[FileTable, dict[str, CatalogEntry]]:
    table = FileTable()
    table.paths = strings_column(columns.pop("path"), len(columns["articles"]))
    if any(a >= b for a, b in zip(table.paths, table.paths[1:], strict=False)):
        raise ValueError("the catalog's files are not in order")
    table.sizes = array("q", columns.pop("size"))
    table.mtimes = array("q", columns.pop("mtime_ns"))
    table.sha1s = bytearray.fromhex(columns.pop("sha1"))
    if not len(table.sizes) == len(table.mtimes) == len(table.sha1s) // 20 == len(table.paths):
        raise ValueError("the catalog's file columns differ in length")
    table.errors = {path: tuple(strings_column(errors, len(errors))) for path, errors in columns.pop("errors").items()}

    # The entries are in file order, so each file's ids are the next few: the entries' ids and
    # relpaths are the file table's own strings.
    articles = integers_column(columns.pop("articles"))  # how many in each file
    ids = strings_column(columns.pop("id"), sum(articles))
    total = len(ids)
    if min(articles, default=0) < 0:
        raise ValueError("a file with fewer than no articles")
    relpaths: list[str] = []
    first = 0
    for path, count in zip(table.paths, articles, strict=True):
        table.ids.append(ids[first] if count == 1 else tuple(ids[first:first + count]))
        relpaths += [path] * count
        first += count
    words: dict[int, int] = {}
    entries = map(
        CatalogEntry,
        ids,
        relpaths,
        strings_column(columns.pop("title"), total),
        [bool(flag) for flag in columns.pop("title_derived")],
        shared_values(**columns.pop("source"), decode=optional_text),
        shared_values(**columns.pop("authors"), decode=authors_from_json),
        shared_values(**columns.pop("editor"), decode=optional_text),
        shared_values(**columns.pop("published"), decode=published_from_iso),
        shared_values(**columns.pop("place"), decode=optional_text),
        shared_values(**columns.pop("language"), decode=catalog_text),
        strings_column(columns.pop("url"), total, optional=True),
        [words.setdefault(n, n) for n in integers_column(columns.pop("words"))],  # a few hundred distinct counts
        strings_column(columns.pop("hash"), total),
    )
    catalog = {entry.id: entry for entry in entries}
    if len(catalog) != total:
        raise ValueError("a catalog column of the wrong length, or an article twice")
    return table, catalog



def save_catalog(path: Path, root: Path, table: FileTable, entries_by_id: dict[str, CatalogEntry]) -> None:
    """Write the catalog of the library at ``root`` to ``path``; a cache that cannot be written
    (a read-only cache folder) only costs a re-parse next time."""
    # In file order, with each file's count of them: the file table's ids are read back from these.
    held = [[entry for article_id in table.row_ids(row) if (entry := entries_by_id.get(article_id)) is not None]
            for row in range(len(table))]
    entries = [entry for in_file in held for entry in in_file]
    columns = {
        "path": table.paths,
        "size": table.sizes.tolist(),
        "mtime_ns": table.mtimes.tolist(),
        "sha1": table.sha1s.hex(),
        "errors": {path: list(errors) for path, errors in table.errors.items()},
        "articles": [len(in_file) for in_file in held],
        "id": [e.id for e in entries],
        "title": [e.title for e in entries],
        "title_derived": [e.title_derived for e in entries],
        "source": as_table([e.source for e in entries]),
        "authors": as_table([e.authors for e in entries]),
        "editor": as_table([e.editor for e in entries]),
        "published": as_table([e.published.iso() if e.published else None for e in entries]),
        "place": as_table([e.place for e in entries]),
        "language": as_table([e.language for e in entries]),
        "url": [e.url for e in entries],
        "words": [e.words for e in entries],
        "hash": [e.hash for e in entries],
    }
    # One JSON line per column, after a header line. ASCII with \\u escapes: read back, each
    # column is an ASCII string (one byte a character; a single emoji among 100,000 titles would
    # make a UTF-8 one four bytes a character), and a file name that is not valid UTF-8 (lone
    # surrogates) survives as escapes.
    lines = [json.dumps({"version": CATALOG_VERSION, "root": str(root)})]
    lines += [json.dumps([name, values], separators=(",", ":")) for name, values in columns.items()]
    try:
        write_atomic(path, "\n".join(lines).encode("ascii") + b"\n")
        path.with_name("catalog.json").unlink(missing_ok=True)  # the older catalog this one replaces
    except OSError:
        pass
