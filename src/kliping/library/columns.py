"""The catalog's columns: what the library remembers of each file, and checked readers for the
columns of a saved catalog (a damaged catalog is rebuilt, never shown)."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable
from typing import TYPE_CHECKING

from kliping.articles.model import PublishedDate

if TYPE_CHECKING:
    from kliping.library.catalog import LibraryFile


class FileTable:
    """What the catalog remembers of each file, as parallel columns sorted by relpath: its stamp
    (size, mtime), its content hash, the ids of the articles in it and the problems it had.

    Columns instead of an object per file: at 100,000 files this is a few MB, not tens, and a
    refresh matches it against the sorted folder scan in one pass, without a lookup table.
    """

    __slots__ = ("errors", "ids", "mtimes", "paths", "sha1s", "sizes")

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.sizes = array("q")
        self.mtimes = array("q")
        self.sha1s = bytearray()  # 20 bytes a file
        self.ids: list[str | tuple[str, ...]] = []  # a lone id as itself: most files hold one article
        self.errors: dict[str, tuple[str, ...]] = {}  # relpath -> problems, only for files that had any

    def __len__(self) -> int:
        return len(self.paths)

    def append(self, path: str, size: int, mtime_ns: int, sha1: bytes, ids: tuple[str, ...],
               errors: tuple[str, ...]) -> int:
        self.paths.append(path)
        self.sizes.append(size)
        self.mtimes.append(mtime_ns)
        self.sha1s += sha1
        self.ids.append(ids[0] if len(ids) == 1 else ids)
        if errors:
            self.errors[path] = errors
        return len(self.paths) - 1

    def append_row_of(self, other: FileTable, row: int) -> int:
        path = other.paths[row]
        return self.append(path, other.sizes[row], other.mtimes[row], other.sha1(row), other.row_ids(row),
                           other.errors.get(path, ()))

    def replace(self, row: int, size: int, mtime_ns: int, sha1: bytes, ids: tuple[str, ...],
                errors: tuple[str, ...]) -> None:
        self.sizes[row], self.mtimes[row] = size, mtime_ns
        self.sha1s[20 * row:20 * row + 20] = sha1
        self.ids[row] = ids[0] if len(ids) == 1 else ids
        path = self.paths[row]
        if errors:
            self.errors[path] = errors
        else:
            self.errors.pop(path, None)

    def matches(self, files: list[LibraryFile]) -> bool:
        """Are these exactly the files of the table, with the same stamps?"""
        return (self.paths == [f.relpath for f in files] and self.sizes == array("q", [f.size for f in files])
                and self.mtimes == array("q", [f.mtime_ns for f in files]))

    def sha1(self, row: int) -> bytes:
        return bytes(self.sha1s[20 * row:20 * row + 20])

    def row_ids(self, row: int) -> tuple[str, ...]:
        ids = self.ids[row]
        return (ids,) if isinstance(ids, str) else ids


def shared_values(table: list, index: list[int], decode: Callable) -> list:
    """A column stored as its distinct values and an index into them: every entry with the same
    source (or place, language, date, authors) holds the same object."""
    values = [decode(value) for value in table]
    if min(index, default=0) < 0:
        raise IndexError("a catalog value before the first")
    return [values[i] for i in index]


def as_table(column: list) -> dict:
    """What :func:`shared_values` reads back."""
    positions: dict = {}
    index = [positions.setdefault(value, len(positions)) for value in column]
    return {"table": list(positions), "index": index}


def catalog_text(value: object) -> str:
    # One string object for a value many entries repeat (a source, a place, a language).
    if type(value) is not str:
        raise TypeError("catalog text that is not text")
    return sys.intern(value)


def optional_text(value: object) -> str | None:
    return None if value is None else catalog_text(value)


def published_from_iso(iso: object) -> PublishedDate | None:
    return None if iso is None else PublishedDate.from_iso(catalog_text(iso))


def authors_from_json(names: list) -> tuple[str, ...]:
    return tuple(catalog_text(name) for name in names)


def strings_column(column: list, count: int, optional: bool = False) -> list:
    """``column`` after checking that it is ``count`` strings (or None where ``optional``): a
    damaged catalog is rebuilt, never shown."""
    if len(column) != count or not all(
        type(value) is str or (optional and value is None) for value in column
    ):
        raise TypeError("a catalog column of the wrong length or type")
    return column


def integers_column(column: list) -> list:
    if not all(type(value) is int for value in column):
        raise TypeError("a catalog column of numbers holds something else")
    return column
