"""Quoted phrases on a real index: exact word forms in order, case and accents folded."""

from __future__ import annotations

from pathlib import Path

import pytest

from kliping.library.folder import Library
from kliping.search import SearchIndex
from tests.support.search import write_article

ARTICLES = {
    "dua-kali": (
        "Banjir Bandang di Garut",
        [
            "Ratusan warga dievakuasi dari bantaran sungai setelah hujan dan angin kencang merusak rumah.",
            "Tim SAR mengevakuasi lansia lebih dahulu. Sore harinya warga lain juga DIEVAKUASI ke masjid.",
        ],
    ),
    "mengevakuasi": (
        "Longsor di Cianjur",
        ["Petugas mengevakuasi keluarga yang tertimbun; angin dan hujan kencang menyulitkan pencarian."],
    ),
    "evakuasinya": (
        "Kebakaran Pasar",
        ["Evakuasinya berlangsung hingga malam karena hujan angin kencang."],
    ),
    "kafe": (
        "Diskusi di Café Jum'at",
        ["Para penulis berkumpul di Café Sederhana pada Jum'at malam."],
    ),
    "gencatan": (
        "Gencatan Senjata Permanen Disepakati",
        ["Kedua pihak menyepakati gencatan senjata permanen setelah perundingan panjang."],
    ),
    "senjata": (
        "Perundingan Berlanjut",
        ["Gencatan senjata sementara berakhir; senjata permanen dipasang di perbatasan."],
    ),
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("search-exact")
    root = base / "library"
    root.mkdir()
    for article_id, (title, paragraphs) in ARTICLES.items():
        write_article(root, article_id, title, paragraphs)
    write_article(
        root, "english", "Families Evacuated", ["The families were evacuated on Friday; evacuating them took hours."],
        language="en",
    )
    idx = SearchIndex.open(Library(root, cache_dir=base / "cache"))
    idx.index_bookmarks(
        [
            ("b1", "evakuasinya", "Evakuasinya berlangsung hingga malam", "catatan: hujan dan angin kencang juga di sini", []),
            ("b2", "kafe", "Para penulis berkumpul", "", []),
        ]
    )
    yield idx
    idx.close()


def found(index: SearchIndex, query: str) -> set[str]:
    return {f"{h.kind}:{h.bookmark_id}" if h.bookmark_id else h.article_id for h in index.search(query).hits}


def test_a_quoted_word_finds_only_that_form(index: SearchIndex) -> None:
    assert found(index, '"dievakuasi"') == {"dua-kali"}
    assert found(index, "dievakuasi") == {"dua-kali", "mengevakuasi", "evakuasinya", "note:b1"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"hujan dan angin"', {"dua-kali", "note:b1"}),  # the stop word inside must be there, in order
        ('"angin dan hujan"', {"mengevakuasi"}),
        ('"hujan angin"', {"evakuasinya"}),
        ('"hujan dan angin kencang"', {"dua-kali", "note:b1"}),
        ('"gencatan senjata permanen"', {"gencatan"}),  # both articles have all three words
        ('"senjata permanen"', {"gencatan", "senjata"}),
        ('"permanen senjata"', set()),
        ('"CAFÉ sederhana"', {"kafe"}),  # case and accents folded
        ('"cafe sederhana"', {"kafe"}),
        ('"jumat malam"', {"kafe"}),  # apostrophes dropped, like the text
        ('"para penulis berkumpul"', {"kafe", "bookmark:b2"}),
        ('"were evacuated"', {"english"}),  # one exact field for every language
        ('"evacuate"', set()),
        ('"diskusi di cafe"', {"kafe"}),  # the title is part of the text
        ('warga -"hujan dan angin"', set()),
        ('hujan -"hujan dan angin"', {"mengevakuasi", "evakuasinya"}),
        ('"dievakuasi" OR "mengevakuasi"', {"dua-kali", "mengevakuasi"}),
        ('title:"gencatan senjata"', {"gencatan"}),  # scoped: stems in the title field
    ],
)
def test_quoted_phrases_match_exact_words_in_order(index: SearchIndex, query: str, expected: set[str]) -> None:
    assert found(index, query) == expected


def test_stemmed_words_still_find_every_form(index: SearchIndex) -> None:
    assert found(index, "hujan angin dan") == {"dua-kali", "mengevakuasi", "evakuasinya", "note:b1"}
    assert found(index, "evacuate") == {"english"}


def test_hits_count_and_mark_only_the_exact_form(index: SearchIndex) -> None:
    (hit,) = index.search('"dievakuasi"').hits
    assert hit.hit_count == 2
    assert [hit.snippet[s:e] for s, e in hit.snippet_spans] == ["dievakuasi", "DIEVAKUASI"]
    (hit,) = index.search("dievakuasi", kinds=("article",)).hits[:1]
    assert hit.article_id == "dua-kali" and hit.hit_count == 3  # the stemmed word marks mengevakuasi too


def test_a_phrase_is_marked_whole_in_snippets(index: SearchIndex) -> None:
    hits = {h.article_id: h for h in index.search('"hujan dan angin kencang"', kinds=("article",)).hits}
    hit = hits["dua-kali"]
    assert hit.hit_count == 1
    assert [hit.snippet[s:e] for s, e in hit.snippet_spans] == ["hujan dan angin kencang"]


def test_a_phrase_in_the_title_ranks_first(index: SearchIndex) -> None:
    hits = index.search('"gencatan senjata"').hits
    assert [h.article_id for h in hits] == ["gencatan", "senjata"]


def test_an_index_of_the_previous_version_is_rebuilt_with_the_exact_field(tmp_path: Path) -> None:
    import json

    root = tmp_path / "library"
    root.mkdir()
    write_article(root, "a", "Judul", ["Ratusan warga dievakuasi dari bantaran sungai."])
    write_article(root, "b", "Judul Lain", ["Tim mengevakuasi warga dari bantaran sungai."])
    SearchIndex.open(Library(root)).close()
    state_path = Library(root).cache_dir / "index-state.json"
    state = json.loads(state_path.read_text("utf-8"))
    state["version"] = "3.1"  # as kliping wrote it before the exact field existed
    state_path.write_text(json.dumps(state), "utf-8")
    index = SearchIndex.open(Library(root))
    assert "format changed" in index.report.message
    assert {h.article_id for h in index.search('"dievakuasi"').hits} == {"a"}
    index.close()
