"""The query language, and that no input whatsoever makes search raise."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from kliping.library.folder import Library
from kliping.search import SearchIndex
from kliping.search.query import parse_query
from tests.support.search import make_library


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("search-query")
    library = Library(make_library(base / "library", english=True), cache_dir=base / "cache")
    idx = SearchIndex.open(library)
    yield idx
    idx.close()


def ids(index: SearchIndex, query: str) -> set[str]:
    return {hit.article_id for hit in index.search(query).hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("evakuasi", {"evakuasi"}),
        ("damai", {"damai"}),
        ("bertemu", {"damai"}),
        ("sandera", {"sandera"}),
        ("anak-anak", {"evakuasi", "sandera"}),
        ("anak2", {"evakuasi", "sandera"}),
        ("beras pasokan", {"harga"}),  # AND: both words
        ("beras OR gaza", {"harga", "evakuasi", "hostages"}),
        ("anak -gaza", {"sandera"}),
        ("anak NOT gaza", {"sandera"}),
        ("-gaza -beras", {"damai", "sandera"}),
        ('"sandera dibebaskan"', {"sandera"}),
        ('"dibebaskan sandera"', set()),  # a phrase keeps its order
        ('"keluarga mereka yang disandera"', {"sandera"}),  # stop words inside a phrase
        ("evak*", {"evakuasi"}),
        ("sandra~", {"sandera"}),
        ("kilogrm~", {"harga"}),
        ("kilgrm~2", {"harga"}),
        ("title:sandera", {"sandera"}),
        ("title:gaza", {"evakuasi", "hostages"}),
        ("source:kompas", {"evakuasi"}),
        ("source:tribunnews", {"sandera"}),
        ('author:"budi santoso"', {"damai"}),
        ("date:2024-12", {"evakuasi", "hostages"}),
        ("date:2024-12-06", {"evakuasi"}),
        ("date:2024", {"evakuasi", "sandera", "hostages"}),
        ("date:2023..2024", {"evakuasi", "sandera", "hostages", "damai"}),
        ("date:2019-01..2023-12", {"harga", "damai"}),
        ("gaza date:2024-12", {"evakuasi", "hostages"}),
        ("lang:en", {"hostages"}),
        ("hostage", {"hostages"}),  # the English stemmer for English articles
        ("(beras OR sandera) -kilogram", {"sandera"}),
        ("covid-19", {"sandera"}),
        ("14.600", {"harga"}),
    ],
)
def test_query_language(index: SearchIndex, query: str, expected: set[str]) -> None:
    assert ids(index, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"Dievakuasi"', wq.Term("exact", "dievakuasi")),  # one word: the word itself
        ('"gencatan  SENJATA"', wq.Phrase("exact", ["gencatan", "senjata"])),  # more: a phrase
        ('"kebakaran hutan dan lahan"', wq.Phrase("exact", ["kebakaran", "hutan", "dan", "lahan"])),
        ('"Jum\'at, Café"', wq.Phrase("exact", ["jumat", "cafe"])),  # folded like the text
        ('"yang dan"', wq.Phrase("exact", ["yang", "dan"])),  # stop words are words here
        ('"rancangan undang-undang"', wq.Phrase("exact", ["rancangan", "undang"])),  # reduplication folded like the text
        ('body:"gencatan senjata"', wq.Phrase("exact", ["gencatan", "senjata"])),  # body: is what unscoped means
    ],
)
def test_a_quoted_phrase_searches_the_exact_words(query: str, expected: wq.Query) -> None:
    parsed = parse_query(query)
    assert parsed.query == expected
    assert parsed.message is None


def test_a_negated_phrase_excludes_the_exact_words() -> None:
    parsed = parse_query('warga -"gencatan senjata"')
    assert parsed.query == wq.AndNot(
        wq.Or([wq.Term("body", "warga"), wq.Term("body_en", "warga")]), wq.Phrase("exact", ["gencatan", "senjata"])
    )
    assert parse_query('warga NOT "revisi uu kpk"').query.b == wq.Phrase("exact", ["revisi", "uu", "kpk"])


def test_a_scoped_phrase_is_analyzed_as_its_field() -> None:
    assert parse_query('title:"sandera dibebaskan"').query == wq.Or(
        [wq.Phrase("title", ["sandera", "bebas"]), wq.Phrase("title_en", ["sandera", "dibebaskan"])]
    )
    assert parse_query('author:"Budi Santoso"').query == wq.Phrase("authors", ["budi", "santoso"])
    assert parse_query('source:"kompas"').query == wq.Term("source", "kompas")


def test_a_phrase_without_words_is_ignored_with_a_message() -> None:
    parsed = parse_query('"!!! ..."')
    assert parsed.query is None
    assert "has no words" in parsed.message


def test_an_exact_phrase_ranks_titles_with_its_stems_higher() -> None:
    ranked = parse_query('"Revisi UU KPK"').ranked()
    assert ranked == wq.AndMaybe(
        wq.Phrase("exact", ["revisi", "uu", "kpk"]),
        wq.Or([wq.Phrase("title", ["revisi", "uu", "kpk"]), wq.Phrase("title_en", ["revisi", "uu", "kpk"])]),
    )
    assert parse_query('"dievakuasi"').ranked().b == wq.Or([wq.Term("title", "evakuasi"), wq.Term("title_en", "dievakuasi")])
    # Indonesian stop words leave nothing for the Indonesian title field (English keeps them)
    assert parse_query('"yang dan"').ranked().b == wq.Phrase("title_en", ["yang", "dan"])
    assert parse_query('-"dievakuasi" warga').ranked().b == wq.Or([wq.Term("title", "warga"), wq.Term("title_en", "warga")])


def test_when_no_article_has_all_words_the_ones_with_most_of_them_come_first(index: SearchIndex) -> None:
    results = index.search("beras pasokan gaza")
    assert results.message and "most of them" in results.message
    assert results.hits[0].article_id == "harga"  # two of the three words
    assert {h.article_id for h in results.hits} == {"harga", "evakuasi", "hostages"}
    assert index.search("beras pasokan").message is None


def test_title_matches_rank_above_body_matches(index: SearchIndex) -> None:
    hits = index.search("sandera").hits
    assert hits[0].article_id == "sandera"
    assert hits[0].score > 0


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ('"tanpa akhir', "closing quote"),
        ("((beras", "bracket"),
        ("beras))", "bracket"),
        ("yang dan", "Nothing to search for"),
        ("NOT", "NOT"),
        ("date:2024-13", "not a date"),
        ("e*", "prefix"),
        ("", "Type some words"),
    ],
)
def test_malformed_queries_explain_themselves(index: SearchIndex, query: str, fragment: str) -> None:
    results = index.search(query)
    assert results.message and fragment in results.message


def test_did_you_mean_uses_the_library_vocabulary(index: SearchIndex) -> None:
    results = index.search("sandrea")
    assert results.total == 0
    assert results.suggestion == "sandera"
    assert index.search("kata yang tidak ada sama sekali zzqx").suggestion is None


def test_a_long_query_is_cut_not_refused(index: SearchIndex) -> None:
    results = index.search("beras " * 500)
    assert {h.article_id for h in results.hits} == {"harga"}
    assert results.message


PIECES = ['"', "(", ")", "OR", "AND", "NOT", "-", "*", "~", "date:", "title:"]
PIECES += ["beras", "sandera", "\x1b[31m", "\x00", "..", "2024"]
HOSTILE = st.one_of(
    st.text(max_size=200),
    st.text(alphabet='"()-*~:. ORANDNOTdatetitle:2024-12..', max_size=80),
    st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(HOSTILE)
def test_any_input_gives_results_or_a_message(index: SearchIndex, query: str) -> None:
    results = index.search(query, limit=5)
    assert results.total >= len(results.hits)
    if parse_query(query).query is None:
        assert results.message
    for hit in results.hits:
        for start, end in hit.snippet_spans:
            assert 0 <= start < end <= len(hit.snippet)


def test_a_thousand_characters_of_punctuation(index: SearchIndex) -> None:
    results = index.search("!@#$%^&*()_+{}|:<>?[];',./`~" * 40)
    assert results.hits == [] and results.message
