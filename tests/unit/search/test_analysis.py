"""Indonesian and English analysis: what each query word finds, as the issue lists it."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kliping.search.analysis import (
    analyze,
    analyzer_for,
    exact_analyzer,
    field_terms,
    split_word,
    surface_tokens,
)
from kliping.search.schema import build_schema
from kliping.search.stemming import stem_english, stem_indonesian


def terms(text: str, language: str = "id") -> list[str]:
    return [t.text for t in analyzer_for(language)(text)]


@pytest.mark.parametrize(
    ("query", "forms"),
    [
        ("evakuasi", ["dievakuasi", "mengevakuasi", "evakuasinya"]),
        ("damai", ["perdamaian"]),
        ("bertemu", ["pertemuan"]),
        ("sandera", ["disandera", "menyandera"]),
        ("anak", ["anak-anak", "anak2", "Anak-anaknya"]),
    ],
)
def test_indonesian_forms_share_the_query_stem(query: str, forms: list[str]) -> None:
    (stem,) = terms(query)
    for form in forms:
        assert terms(form) == [stem], form


def test_reduplication_spans_the_whole_surface_form() -> None:
    text = "Mereka berlari-lari bersama anak2 dan tembak-menembak terjadi."
    spans = [(t.text, text[t.startchar : t.endchar]) for t in analyzer_for("id")(text, chars=True)]
    assert ("lari", "berlari-lari") in spans
    assert ("anak", "anak2") in spans
    assert ("tembak", "tembak-menembak") in spans


def test_numbers_and_words_with_digits_are_kept() -> None:
    assert terms("Harga Rp 14.600, pukul 10:30, G20 dan covid19") == ["harga", "rp", "14.600", "pukul", "10:30", "g20", "covid19"]
    assert split_word("Covid-19", 0) == [("covid", 0, 5), ("19", 6, 8)]


def test_stop_words_are_removed_and_accents_folded() -> None:
    assert terms("yang dan di Café Jum'at") == ["cafe", "jumat"]


def test_english_articles_use_the_english_stemmer() -> None:
    assert terms("The hostages were released", "en") == ["hostag", "releas"]
    assert terms("hostage", "en") == terms("hostages", "en")


def test_stem_functions_and_schema_pickle() -> None:
    # Whoosh pickles the schema with its analyzers; the stem functions must be module-level.
    assert pickle.loads(pickle.dumps(stem_indonesian))("dievakuasi") == "evakuasi"
    assert pickle.loads(pickle.dumps(stem_english))("running") == "run"
    schema = pickle.loads(pickle.dumps(build_schema()))
    assert [t.text for t in schema["body"].analyzer("perdamaian")] == ["damai"]


def test_snowball_would_miss_what_sastrawi_finds() -> None:
    # Why Sastrawi: Snowball's Indonesian stemmer over-stems these (damai -> dama, bertemu -> berte).
    import Stemmer

    snowball = Stemmer.Stemmer("indonesian").stemWord
    assert snowball("damai") != snowball("perdamaian") or snowball("bertemu") != snowball("pertemuan")
    assert stem_indonesian("damai") == stem_indonesian("perdamaian")
    assert stem_indonesian("bertemu") == stem_indonesian("pertemuan")


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("aAéb2-' .,:dievakuasinyaperdamaianthe\u2011\n1"), max_size=80),
    st.sampled_from(["id", "en"]),
)
def test_the_fast_path_makes_exactly_the_analyzers_terms(text: str, language: str) -> None:
    expected = [(t.text, t.startchar, t.endchar) for t in analyzer_for(language)(text, chars=True)]
    assert analyze(text, language) == expected


def exact_tokens(text: str) -> list[tuple[str, int, str]]:
    return [(t.text, t.pos, text[t.startchar : t.endchar]) for t in exact_analyzer()(text, positions=True, chars=True)]


def test_the_exact_analyzer_keeps_every_word_as_written_but_folded() -> None:
    text = "Gencatan senjata yang disepakati, anak-anak di Café"
    assert exact_tokens(text) == [
        ("gencatan", 0, "Gencatan"),
        ("senjata", 1, "senjata"),
        ("yang", 2, "yang"),  # stop words stay
        ("disepakati", 3, "disepakati"),  # not stemmed
        ("anak", 4, "anak-anak"),  # reduplication folded, as everywhere
        ("di", 5, "di"),
        ("cafe", 6, "Café"),
    ]
    assert exact_tokens(" ,. ") == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("aAéb2-' .,:dievakuasinyayangdan\u2011\n1"), max_size=80))
def test_surface_tokens_are_the_exact_analyzers_words(text: str) -> None:
    tokens = [(t.text, t.pos, t.startchar, t.endchar) for t in exact_analyzer()(text, positions=True, chars=True)]
    assert surface_tokens(text) == [(w, start, end) for w, _, start, end in tokens]
    assert [pos for _, pos, _, _ in tokens] == list(range(len(tokens)))


_INDEXED_TEXT = st.text(
    alphabet=st.sampled_from("aAéb2-' .,:dievakuasinyayangdanthe evacuated\u2011\n1"), max_size=120
)


@settings(max_examples=200, deadline=None)
@given(_INDEXED_TEXT, st.sampled_from(["id", "en"]))
def test_field_terms_index_as_the_analyzers_do(text: str, language: str) -> None:
    """The term lists article documents hand Whoosh give the postings the body and exact
    fields' analyzers give for the text: same terms, frequencies, weights and word order.

    Positions may all be shifted by one constant: Whoosh's stop filter numbers the words after
    the first one it keeps from that word's place, so a text opening with stop words starts at
    1 or more, and a list starts at 0. Phrases compare positions with each other, never with 0."""
    schema = build_schema()
    body_field = "body_en" if language == "en" else "body"
    body, exact = field_terms(text, language)
    for fieldname, terms_of_text in ((body_field, body), ("exact", exact)):
        field = schema[fieldname]
        assert _postings(field, terms_of_text) == _postings(field, text), fieldname


def _postings(field, value) -> list[tuple[bytes, int, float, list[int]]]:
    """(term, frequency, weight, positions counted from the document's first) for each term."""
    postings = [(term, freq, weight, field.format.decode_positions(vbytes)) for term, freq, weight, vbytes in field.index(value)]
    first = min((positions[0] for *_, positions in postings), default=0)
    return sorted((term, freq, weight, [p - first for p in positions]) for term, freq, weight, positions in postings)


def test_date_terms_are_as_precise_as_the_date() -> None:
    from kliping.articles.model import PublishedDate
    from kliping.search.schema import date_terms

    assert date_terms(PublishedDate(2024, 12, 6)) == {"year": "2024", "month": "2024-12", "day": "2024-12-06"}
    assert date_terms(PublishedDate(2024, 12)) == {"year": "2024", "month": "2024-12"}
    assert date_terms(PublishedDate(2024, None)) == {"year": "2024"}
    assert date_terms(PublishedDate(None, 11, 6)) == {}  # "Senin (6/11)": no year, not a date
