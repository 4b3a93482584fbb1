"""The pinned whoosh3 keeps the private names ranking.py reads through whoosh_internals.py.

When this fails after moving the pin, searching still works (ranking.py falls back to Whoosh's
public API, a posting at a time) but is several times slower on large libraries: update
whoosh_internals.py for the new release, or keep the old pin."""

from __future__ import annotations

from pathlib import Path

from whoosh import index as windex

from kliping.library.folder import Library
from kliping.search import SearchIndex, whoosh_internals
from tests.support.search import write_article


def test_the_pinned_whoosh3_has_the_fast_path() -> None:
    assert whoosh_internals.fast_path_available()


def test_a_real_index_is_read_through_the_fast_path(tmp_path: Path) -> None:
    for n in range(3):
        write_article(tmp_path, f"a{n}", f"Judul {n}", ["Banjir di Jakarta. " * (n + 1)])
    with SearchIndex.open(Library(tmp_path)) as index:
        directory = index.directory
    with windex.open_dir(str(directory)).searcher() as searcher:
        reader = searcher.leaf_searchers()[0][0].reader()
        raw = whoosh_internals.block_matcher(reader.postings("body", "jakarta"))
        assert raw is not None
        assert [docnum for docnum, _ in whoosh_internals.weights_by_block(raw)] == [0, 1, 2]
        lengths = whoosh_internals.length_bytes(reader, "body")
        assert lengths is not None and len(lengths) == 3 and all(lengths)
