"""Every use of whoosh3's private names, in one place: reading a posting list a block at a time,
and a segment's field lengths at once.

Whoosh's public matcher API hands out one posting per call (a few µs each), and its public length
call one byte per call (3 µs, more than scoring the posting). ranking.py reads 32,761 postings
for `jakarta -banjir` at 100,000 articles, so it reads whoosh3's block arrays and its length
column directly; these names are not Whoosh's API and may change in any release. So:

- whoosh3 is pinned exactly in pyproject.toml, and tests/unit/search/test_whoosh_internals.py fails
  when the pinned version loses this fast path;
- :func:`fast_path_available` checks, once per process, that every name used here exists and that
  what it reads equals what the public API reads on a small index in memory; when it says no,
  ranking.py reads through the public API (slower, same scores: a test compares the two).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from whoosh.codec import whoosh3

# The block matcher's private methods; its arrays (_i, _blocklength, _ids, _weights, _values),
# the per-document reader's _cached_reader, _lenfield and the column's _dbfile, _basepos and
# _count are checked by reading them (fast_path_available).
_MATCHER_METHODS = ("_read_ids", "_read_weights", "_read_values", "_next_block")


def block_matcher(postings: Any) -> Any | None:
    """The codec's block matcher under ``postings`` (a deletion filter wraps it in ``child``), or
    None when it is not one this module can read (or the fast path is not available)."""
    raw = getattr(postings, "child", postings)
    if isinstance(raw, whoosh3.W3LeafMatcher) and fast_path_available():
        return raw
    return None


def weights_by_block(raw: Any) -> Iterator[tuple[int, float]]:
    """(document, weight) of every posting from the matcher's position on, a block's arrays at a
    time. Deleted documents are included. ``raw`` is from :func:`block_matcher`."""
    while raw.is_active():
        raw._read_ids()
        raw._read_weights()
        start, end = raw._i, raw._blocklength
        yield from zip(raw._ids[start:end], raw._weights[start:end], strict=False)
        raw._next_block()


def values_by_block(raw: Any, docs: list[int], wanted: Any) -> Iterator[tuple[int, Any]]:
    """(document, encoded posting value) of the postings whose document is in ``wanted``, reading
    only the blocks that can hold one of ``docs`` (sorted). ``raw`` is from :func:`block_matcher`."""
    i, count = 0, len(docs)
    while raw.is_active() and i < count:
        if raw.block_max_id() >= docs[i]:
            raw._read_ids()
            raw._read_values()
            start, end = raw._i, raw._blocklength
            for docnum, value in zip(raw._ids[start:end], raw._values[start:end], strict=False):
                if docnum in wanted:
                    yield docnum, value
            while i < count and docs[i] <= raw.block_max_id():
                i += 1
        raw._next_block()


def length_bytes(reader: Any, fieldname: str) -> bytes | None:
    """The field's length byte of every document of the segment (0: empty), read at once from
    whoosh3's length column; None when the segment has no such column to read."""
    return _read_length_column(reader, fieldname) if fast_path_available() else None


def _read_length_column(reader: Any, fieldname: str) -> bytes | None:
    perdoc = getattr(reader, "_perdoc", None)
    if not isinstance(perdoc, whoosh3.W3PerDocReader):
        return None
    column = perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
    if column is None:
        return None
    count = reader.doc_count_all()
    stored: bytes = column._dbfile.get(column._basepos, min(column._count, count))
    return stored + bytes(count - len(stored))  # documents after the last stored one: 0


@functools.cache
def fast_path_available() -> bool:
    """Does the installed whoosh3 have every private name used here, and do the block and length
    reads give what its public API gives? (Checked once per process, on an index in memory: 20 ms.)"""
    names_there = (
        all(callable(getattr(whoosh3.W3LeafMatcher, name, None)) for name in _MATCHER_METHODS)
        and callable(getattr(whoosh3.W3PerDocReader, "_cached_reader", None))
        and callable(getattr(whoosh3, "_lenfield", None))
        and hasattr(whoosh3, "LENGTHS_COLUMN")
    )
    if not names_there:
        return False
    try:
        return _reads_as_public_api_does()
    except Exception:  # any change in what the names are or hold: the public path is used
        return False


def _reads_as_public_api_does() -> bool:
    from whoosh import fields
    from whoosh.filedb.filestore import RamStorage
    from whoosh.util.numeric import length_to_byte

    schema = fields.Schema(id=fields.ID(stored=True, unique=True), body=fields.TEXT(phrase=True))
    ix = RamStorage().create_index(schema)
    writer = ix.writer()
    for n in range(300):  # several blocks of postings, lengths that differ, some documents empty
        writer.add_document(id=str(n), body=" ".join(["kata"] * (1 + n % 7) + ["lain"] * (n % 3)) if n % 11 else "")
    writer.commit()
    writer = ix.writer()
    writer.delete_by_term("id", "3")
    writer.commit(merge=False)
    with ix.searcher() as searcher:
        reader = searcher.leaf_searchers()[0][0].reader()
        count = reader.doc_count_all()
        lengths = bytes(length_to_byte(reader.doc_field_length(d, "body", 0) or 0) for d in range(count))
        deleted = {d for d in range(count) if reader.is_deleted(d)}
        public = reader.postings("body", "kata")
        weights: list[tuple[int, float]] = []
        while public.is_active():
            weights.append((public.id(), public.weight()))
            public.next()
        docs = [d for d, _ in weights][::5]
        public = reader.postings("body", "kata")
        values = {}
        for docnum in docs:
            public.skip_to(docnum)
            values[docnum] = public.value()
        raw = getattr(reader.postings("body", "kata"), "child", None)
        other = getattr(reader.postings("body", "kata"), "child", None)
        if not (deleted and isinstance(raw, whoosh3.W3LeafMatcher) and isinstance(other, whoosh3.W3LeafMatcher)):
            return False
        by_block = list(weights_by_block(raw))
        return (
            len(by_block) > 128  # more than one block was read
            and [(d, w) for d, w in by_block if d not in deleted] == weights
            and dict(values_by_block(other, docs, set(docs))) == values
            and _read_length_column(reader, "body") == lengths
        )
