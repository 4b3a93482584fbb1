"""The format of ``bookmarks.yaml``: its version, what an entry must hold, and reading and writing it.

One entry per bookmark, sorted by article and position, keys in a fixed order, notes as literal
blocks: a file meant to be read, diffed and edited by hand. Reading is strict, because a file
that is not understood must never be overwritten: anything unknown, missing or of the wrong type
raises :class:`~kliping.bookmarks.model.BookmarksReadOnly` naming the file and line. The fast line
reader is :mod:`kliping.bookmarks.yaml_scan` (PyYAML reads what it does not take), and the writer
that keeps the user's layout is :mod:`kliping.bookmarks.yaml_layout`.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from kliping.bookmarks import yaml_layout, yaml_scan
from kliping.bookmarks.model import Bookmark, BookmarksReadOnly, normalize_note, normalize_tags, parse_tags
from kliping.bookmarks.yaml_layout import FIELDS, Layout
from kliping.files.yamlfile import MAX_DEPTH, describe_yaml_error, safe_load, too_deep

FORMAT_VERSION = 1
_FIELD_SET = frozenset(FIELDS)
_REQUIRED = ("id", "article_id", "quote", "start", "end")
_TEXT_FIELDS = ("id", "article_id", "quote", "note", "prefix", "suffix", "text_hash")


class FieldError(ValueError):
    """What is wrong with one entry of the file, and the key it is about (None: the whole entry)."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


def bookmark_from_entry(data: object) -> Bookmark:
    """Validate one entry read from the file; ValueError says what is wrong with it."""
    if not isinstance(data, dict):
        raise FieldError(f"an entry must be a mapping of fields, not {_kind(data)}")
    # Every entry of the file passes here (a hundred thousand on a load): the usual case, text
    # that is text, is checked without a call per field.
    if not _FIELD_SET.issuperset(data):
        unknown = sorted(str(key) for key in data if key not in _FIELD_SET)
        raise FieldError(f"unknown field {unknown[0]!r} (known: {', '.join(FIELDS)})", unknown[0])
    missing = [key for key in _REQUIRED if data.get(key) in (None, "")]
    if missing:
        raise FieldError(f"missing field {missing[0]!r}", missing[0] if missing[0] in data else None)
    text_fields = {}
    for key in _TEXT_FIELDS:
        value = data.get(key)
        text_fields[key] = value if value.__class__ is str else _string(data, key)
    text_fields["note"] = normalize_note(text_fields["note"])
    start, end = _integer(data, "start"), _integer(data, "end")
    if not 0 <= start < end:
        raise FieldError(f"'start' ({start}) must be at least 0 and less than 'end' ({end})", "start")
    tags = data.get("tags") or ()
    if isinstance(tags, str):
        tags = parse_tags(tags)
    if not isinstance(tags, list | tuple) or not all(isinstance(t, str | int | float) for t in tags):
        raise FieldError("'tags' must be a list of words", "tags")
    return Bookmark(
        start=start,
        end=end,
        tags=normalize_tags(str(t) for t in tags) if tags else (),
        created=_stamp(data, "created"),
        updated=_stamp(data, "updated"),
        **text_fields,
    )


def _kind(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "text", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _string(data: dict, key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FieldError(f"{key!r} must be text, not {_kind(value)}", key)
    return str(value)


def _integer(data: dict, key: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(f"{key!r} must be a whole number, not {_kind(value)}", key)
    return value


def _stamp(data: dict, key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):  # an unquoted timestamp typed by hand
        value = value.astimezone(dt.UTC) if value.tzinfo else value
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date | str):
        return str(value)
    raise FieldError(f"{key!r} must be a date and time like 2024-12-06T09:30:00Z", key)


def dump_bookmarks(bookmarks: Iterable[Bookmark]) -> str:
    """The whole file's text for these bookmarks: header, version, entries in stable order."""
    return yaml_layout.dump_document((yaml_layout.entry_of(b) for b in sorted(bookmarks, key=Bookmark.sort_key)), FORMAT_VERSION)


def parse_bookmarks(raw: str, path: Path) -> tuple[dict[str, Bookmark], Layout | None]:
    """The bookmarks in a file's text, by id, and the file's layout for saving changes into it
    (None when the file is read by the YAML loader). BookmarksReadOnly carries a one-line message."""
    with _cycle_collector_paused():
        return _parse(raw, path)


def _parse(raw: str, path: Path) -> tuple[dict[str, Bookmark], Layout | None]:
    scanned = yaml_scan.scan(raw)
    data = scanned.top if scanned is not None else _load_yaml(raw, path)
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        raise BookmarksReadOnly(f"{path}: expected 'version' and 'bookmarks' at the top, found {_kind(data)}")
    unknown = sorted(str(key) for key in data if key not in ("version", "bookmarks"))
    if unknown:
        raise BookmarksReadOnly(f"{path}: unknown top-level key {unknown[0]!r} (expected 'version' and 'bookmarks')")
    version = data.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise BookmarksReadOnly(
            f"{path}: format version {version!r} is not {FORMAT_VERSION} (written by another kliping version?); "
            "bookmarks are read-only"
        )
    entries = data.get("bookmarks") or []
    if not isinstance(entries, list):
        raise BookmarksReadOnly(f"{path}: 'bookmarks' must be a list of entries, not {_kind(entries)}")
    found: dict[str, Bookmark] = {}
    for number, entry in enumerate(entries, 1):
        try:
            bookmark = bookmark_from_entry(entry)
            if bookmark.id in found:
                raise FieldError(f"id {bookmark.id!r} is used twice", "id")
        except FieldError as exc:
            where = yaml_scan.entry_place(raw, path, number, exc.key, scanned.entries[number - 1] if scanned else None)
            raise BookmarksReadOnly(f"{where}: {exc}; bookmarks are read-only") from None
        found[bookmark.id] = bookmark
    return found, scanned.layout if scanned is not None else None


def _load_yaml(raw: str, path: Path) -> object:
    if too_deep(raw):
        raise BookmarksReadOnly(
            f"{path}: nested more than {MAX_DEPTH} levels deep, not a bookmarks file; bookmarks are read-only"
        )
    try:
        return safe_load(raw)
    except RecursionError:
        raise BookmarksReadOnly(f"{path}: nested too deeply, not a bookmarks file; bookmarks are read-only") from None
    except yaml.YAMLError as exc:
        raise BookmarksReadOnly(
            f"{path}, {describe_yaml_error(exc, raw)}; bookmarks are read-only until it is fixed"
        ) from None


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Reading 100,000 bookmarks makes millions of objects, and Python's cycle collector walks
    all of them again and again as they are made: half of the load time. They form no cycles, so
    the collector waits until the file is read."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
