"""The index as a cache: incremental updates, rebuilds after damage, and two processes at once."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from kliping.library.folder import Library
from kliping.search import SearchIndex, query_spans
from kliping.search import index as index_module
from kliping.search.query import parse_query
from tests.support.search import HELPER, make_library, write_article


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_library(tmp_path / "library")


def ids(index: SearchIndex, query: str) -> set[str]:
    return {hit.article_id for hit in index.search(query).hits}


def test_first_open_builds_and_an_unchanged_library_does_no_work(root: Path) -> None:
    first = SearchIndex.open(Library(root))
    assert first.report.added == 4 and first.report.message is None
    first.close()
    again = SearchIndex.open(Library(root))
    assert not again.report.changed and not again.needs_update()
    assert ids(again, "evakuasi") == {"evakuasi"}
    again.close()


def test_incremental_add_change_delete(root: Path) -> None:
    SearchIndex.open(Library(root)).close()
    write_article(root, "banjir", "Banjir di Jakarta", ["Banjir merendam ratusan rumah warga di Jakarta Utara."])
    write_article(root, "harga", "Harga Cabai Turun", ["Harga cabai turun di pasar induk setelah panen raya."])
    (root / "damai.md").unlink()
    library = Library(root)
    library.refresh()
    index = SearchIndex.open(library)
    report = index.report
    assert (report.added, report.updated, report.removed) == (1, 1, 1)
    assert ids(index, "banjir") == {"banjir"}
    assert ids(index, "cabai") == {"harga"}
    assert ids(index, "beras") == set()
    assert ids(index, "perundingan") == set()
    assert index.doc_count() == 4
    index.close()


def test_update_after_open_picks_up_changes(root: Path) -> None:
    library = Library(root)
    index = SearchIndex.open(library)
    write_article(root, "banjir", "Banjir di Jakarta", ["Banjir merendam ratusan rumah warga."])
    library.refresh()
    assert index.needs_update()
    report = index.update()
    assert report.added == 1 and not index.needs_update()
    assert ids(index, "banjir") == {"banjir"}
    index.close()


@pytest.mark.parametrize("damage", ["truncate", "garbage", "delete-toc", "state"])
def test_a_damaged_index_is_rebuilt_with_a_message(root: Path, damage: str) -> None:
    SearchIndex.open(Library(root)).close()
    directory = Library(root).cache_dir / "index"
    files = sorted(directory.iterdir())
    assert files
    for path in files:
        if damage == "truncate":
            path.write_bytes(path.read_bytes()[:7])
        elif damage == "garbage":
            path.write_bytes(os.urandom(256))
        elif damage == "delete-toc" and path.suffix == ".toc":
            path.unlink()
    if damage == "state":
        (directory.parent / "index-state.json").write_text("{not json", "utf-8")
    index = SearchIndex.open(Library(root))
    assert index.report.message and "rebuilt" in index.report.message
    assert ids(index, "sandera") == {"sandera"}
    index.close()


def test_a_version_change_rebuilds(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    SearchIndex.open(Library(root)).close()
    monkeypatch.setattr(index_module, "INDEX_VERSION", "999.999")
    index = SearchIndex.open(Library(root))
    assert "format changed" in index.report.message
    assert ids(index, "beras") == {"harga"}
    index.close()


def test_damage_found_while_searching_is_reported_then_rebuilt(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import struct

    index = SearchIndex.open(Library(root))

    def damaged(*args, **kwargs):
        raise struct.error("unpack requires a buffer of 4 bytes")

    monkeypatch.setattr(index._searcher, "leaf_searchers", damaged)
    monkeypatch.setattr(index._searcher, "refresh", lambda: index._searcher)
    results = index.search("beras")
    assert results.message and "could not be read" in results.message
    index.close()
    reopened = SearchIndex.open(Library(root))
    assert "rebuilt" in reopened.report.message
    assert ids(reopened, "beras") == {"harga"}
    reopened.close()


def _hold_lock(root: Path) -> subprocess.Popen:
    proc = subprocess.Popen([*HELPER, "hold-lock", str(root), "30"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_another_process_holding_the_lock_means_read_only_search(root: Path) -> None:
    SearchIndex.open(Library(root)).close()
    write_article(root, "banjir", "Banjir di Jakarta", ["Banjir merendam ratusan rumah warga."])
    library = Library(root)
    library.refresh()
    holder = _hold_lock(root)
    try:
        index = SearchIndex.open(library, wait=False)
        assert index.report.read_only and "read-only" in index.report.message
        results = index.search("beras")
        assert {h.article_id for h in results.hits} == {"harga"}
        assert "read-only" in results.message
        assert ids(index, "banjir") == set()  # not indexed yet: the other process holds the lock
        index.close()
    finally:
        holder.kill()
        holder.wait()
    index = SearchIndex.open(Library(root))
    assert index.report.added == 1 and not index.read_only
    assert ids(index, "banjir") == {"banjir"}
    index.close()


def test_two_processes_building_and_updating_at_once_agree(root: Path) -> None:
    command = [*HELPER, "open-search", str(root), "beras"]
    for expected in (["harga"], ["banjir", "harga"]):  # first both build, then both update after a change
        procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outputs = [proc.communicate(timeout=60) for proc in procs]
        for (out, err), proc in zip(outputs, procs, strict=False):
            assert proc.returncode == 0 and "Traceback" not in err, err
            assert json.loads(out)["ids"] in (expected, ["harga"])  # read-only while the other updates
        write_article(root, "banjir", "Banjir dan Harga Beras", ["Banjir membuat harga beras naik lagi."])
    index = SearchIndex.open(Library(root))
    assert index.report.message is None and index.doc_count() == 5
    assert ids(index, "beras") == {"harga", "banjir"}
    index.close()


def test_first_build_while_locked_says_so_instead_of_failing(root: Path) -> None:
    holder = _hold_lock(root)
    try:
        index = SearchIndex.open(Library(root), wait=False)
        results = index.search("beras")
        assert results.hits == [] and "try again" in results.message
        index.close()
    finally:
        holder.kill()
        holder.wait()


def test_bookmarks_are_searchable_and_survive_a_rebuild(root: Path) -> None:
    index = SearchIndex.open(Library(root))
    report = index.index_bookmarks(
        [
            ("b1", "harga", "Harga beras naik menjadi Rp 14.600", "", ["ekonomi"]),
            ("b2", "sandera", "Sebagian sandera dibebaskan kemarin", "kutipan untuk tulisan tentang diplomasi", []),
        ]
    )
    assert report.added == 2
    hits = index.search("diplomasi").hits
    assert [(h.kind, h.article_id, h.bookmark_id) for h in hits] == [("note", "sandera", "b2")]
    assert [hits[0].snippet[s:e] for s, e in hits[0].snippet_spans] == ["diplomasi"]
    kinds = {h.kind for h in index.search("beras").hits}
    assert kinds == {"article", "bookmark"}
    assert {h.kind for h in index.search("beras", kinds=("article",)).hits} == {"article"}
    assert ids(index, "tag:ekonomi") == {"harga"}
    index.rebuild()
    assert [h.bookmark_id for h in index.search("diplomasi").hits] == ["b2"]
    index.index_bookmarks([])
    assert index.search("diplomasi").hits == []
    index.close()
    state = json.loads((Library(root).cache_dir / "index-state.json").read_text("utf-8"))
    assert state["bookmarks"] == []


def test_hits_carry_metadata_and_counts(root: Path) -> None:
    index = SearchIndex.open(Library(root))
    (hit,) = index.search("evakuasi").hits
    assert hit.title == "Warga Dievakuasi dari Gaza"
    assert hit.source == "Kompas" and hit.published.iso() == "2024-12-06"
    assert hit.hit_count == 3  # dievakuasi, mengevakuasi, evakuasinya in the body
    assert [hit.snippet[s:e] for s, e in hit.snippet_spans] == ["dievakuasi", "mengevakuasi", "evakuasinya"]
    (bare,) = index.search("evakuasi", snippets=False).hits
    assert bare.snippet == "" and bare.hit_count == 0
    index.close()


@pytest.mark.parametrize("query", ["evakuasi", "evak*", "warga gaza -banjir", "zzzz evakuasi", '"warga dievakuasi"', "((("])
def test_results_carry_the_parsed_query_that_highlighting_takes(root: Path, query: str) -> None:
    """The article a search found is highlighted from the results' parsed query, as from its text."""
    with SearchIndex.open(Library(root)) as index:
        results = index.search(query)
        assert results.parsed == parse_query(query)
        article = Library(root).article("evakuasi")
        assert article is not None
        spans = query_spans(results.parsed, article.text, article.language)
        assert spans == query_spans(parse_query(query), article.text, article.language)
        assert bool(spans) == (query != "(((")


def test_dates_are_found_as_precisely_as_they_are_known(root: Path) -> None:
    write_article(root, "bulan", "Laporan Bulanan Bulog", ["Laporan bulanan tentang stok beras nasional."], published="2024-12")
    index = SearchIndex.open(Library(root))
    assert ids(index, "laporan date:2024") == {"bulan"}
    assert ids(index, "laporan date:2024-12") == {"bulan"}
    assert ids(index, "laporan date:2024-12-06") == set()
    assert ids(index, "date:2024-01..2024-12") == {"bulan", "sandera", "evakuasi"}
    assert ids(index, "date:..2023") == {"damai", "harga"}
    index.close()
