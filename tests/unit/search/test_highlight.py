"""Highlight spans and snippets: offsets into the exact text, in surface forms."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kliping.search import query_spans
from kliping.search.analysis import analyzer_for
from kliping.search.highlight import snippet, within_edits
from kliping.search.query import parse_query

TEXT = (
    "Ratusan warga dievakuasi dari Jalur Gaza. Tim mengevakuasi anak-anak lebih dahulu.\n\n"
    "Proses evakuasinya lancar. Keluarga mereka yang disandera berharap anak2 segera pulang, "
    "kata Menteri \x07Luar\x1b Negeri."
)


def highlight_spans(query: str, text: str, language: str = "id") -> list[tuple[int, int]]:
    return query_spans(parse_query(query), text, language)


def marked(query: str, text: str = TEXT, language: str = "id") -> list[str]:
    return [text[s:e] for s, e in highlight_spans(query, text, language)]


def test_inflected_forms_are_marked_in_their_surface_form() -> None:
    assert marked("evakuasi") == ["dievakuasi", "mengevakuasi", "evakuasinya"]
    assert marked("anak") == ["anak-anak", "anak2"]
    assert marked("sandera") == ["disandera"]


def test_every_span_is_a_form_of_a_query_term() -> None:
    query = "evakuasi anak sandera"
    stems = {t.text for t in analyzer_for("id")(query)}
    spans = highlight_spans(query, TEXT)
    assert spans == sorted(spans)
    for start, end in spans:
        assert next(t.text for t in analyzer_for("id")(TEXT[start:end])) in stems


def test_a_phrase_is_marked_whole_with_its_stop_words() -> None:
    assert marked('"keluarga mereka yang disandera"') == ["Keluarga mereka yang disandera"]
    assert marked('"jalur gaza" warga') == ["warga", "Jalur Gaza"]


def test_an_exact_phrase_marks_only_that_form_whole() -> None:
    assert marked('"dievakuasi"') == ["dievakuasi"]  # not mengevakuasi
    assert marked('"DIEVAKUASI dari jalur"') == ["dievakuasi dari Jalur"]
    assert marked('"anak-anak lebih dahulu"') == ["anak-anak lebih dahulu"]
    assert marked('"dievakuasi" evakuasi') == ["dievakuasi", "mengevakuasi", "evakuasinya"]
    assert marked('"lebih dievakuasi"') == []
    assert marked('-"dievakuasi" proses') == ["Proses"]


def test_an_exact_phrase_folds_case_accents_and_apostrophes() -> None:
    text = "Diskusi di Café Jum'at malam; kafe lain tutup."
    assert marked('"cafe jumat"', text) == ["Café Jum'at"]
    assert marked('"kafe"', text) == ["kafe"]


def test_an_exact_phrase_in_english_text() -> None:
    text = "The families were evacuated; evacuating them took hours."
    assert marked('"were evacuated"', text, "en") == ["were evacuated"]
    assert marked('"evacuated"', text, "en") == ["evacuated"]


WORDS = ["warga", "Dievakuasi", "dan", "mengevakuasi", "Café", "yang", "anak-anak", "anak2", "di", "Jum'at"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30), st.data())
def test_every_exact_span_spells_the_phrase(words: list[str], data: st.DataObject) -> None:
    from kliping.search.analysis import surface_tokens

    text = data.draw(st.sampled_from([" ", ", ", ". "])).join(words)
    start = data.draw(st.integers(0, len(words) - 1))
    length = data.draw(st.integers(1, min(4, len(words) - start)))
    phrase = [token for word in words[start : start + length] for token, _, _ in surface_tokens(word)]
    spans = highlight_spans('"' + " ".join(words[start : start + length]) + '"', text)
    assert spans
    for begin, end in spans:
        marked_words = [token for token, _, _ in surface_tokens(text[begin:end])]
        # overlapping occurrences (a phrase repeating itself) are merged into one span
        assert len(marked_words) >= len(phrase) and marked_words[: len(phrase)] == phrase
        assert marked_words[-len(phrase) :] == phrase


def test_negated_words_are_not_marked() -> None:
    assert marked("warga -gaza") == ["warga"]


def test_prefix_and_fuzzy_are_marked() -> None:
    assert marked("evak*") == ["dievakuasi", "mengevakuasi", "evakuasinya"]
    assert marked("sandra~") == ["disandera"]


def test_english_text_uses_the_english_analyzer() -> None:
    text = "Twenty hostages were released; the hostage talks continue."
    assert marked("hostage", text, "en") == ["hostages", "hostage"]


def test_snippet_spans_point_at_the_matches_and_drop_control_characters() -> None:
    spans = highlight_spans("luar negeri", TEXT)
    fragment, fragment_spans = snippet(TEXT, spans)
    assert "\x1b" not in fragment and "\n" not in fragment
    assert [fragment[s:e] for s, e in fragment_spans] == ["Luar", "Negeri"]


def test_snippet_is_a_window_around_the_matches() -> None:
    text = ("kata pengisi " * 100) + "warga dievakuasi hari ini " + ("kata pengisi " * 100)
    fragment, spans = snippet(text, highlight_spans("evakuasi", text))
    assert len(fragment) < 260 and fragment.startswith("…") and fragment.endswith("…")
    assert [fragment[s:e] for s, e in spans] == ["dievakuasi"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=40))
def test_spans_always_lie_inside_the_text(text: str, query: str) -> None:
    spans = highlight_spans(query, text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        previous_end = end
    fragment, fragment_spans = snippet(text, spans)
    for start, end in fragment_spans:
        assert 0 <= start < end <= len(fragment)


@pytest.mark.parametrize(
    "word",
    ["menulis", "menyandera", "memukul", "mengirim", "mengambil", "dievakuasi", "pertemuan", "perdamaian",
     "penyelesaian", "pemukulan", "berlari", "ketidakadilan", "covid19", "uu", "jokowinya", "j"],
)
def test_a_word_contains_the_core_of_its_stem(word: str) -> None:
    """Highlighting stems only the words containing a wanted stem's core; that must never skip a
    word that stems to it."""
    from kliping.search.stemming import may_stem_to, stem_indonesian

    assert may_stem_to(word, stem_indonesian(word))


def test_stemming_only_candidate_words_marks_the_same_spans() -> None:
    from kliping.search.analysis import analyze
    from kliping.search.highlight import _merge, match_spec
    from kliping.search.query import parse_query

    text = TEXT + " Mereka menulis surat; penulis itu memukul meja dan menyandera waktu. Pertemuan damai."
    for query in ("evakuasi", "tulis", "sandera", "pukul", "temu damai", 'title:"luar negeri"', "evak*", "anak"):
        spec = match_spec(parse_query(query), "id")
        wanted = spec.terms | {w for p in spec.phrases for w in p}
        tokens = analyze(text, "id")
        every = _merge([(s, e) for term, s, e in tokens if term in wanted or any(term.startswith(p) for p in spec.prefixes)])
        if not spec.phrases:
            assert highlight_spans(query, text) == every, query
        assert highlight_spans(query, text), query


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abnjir", max_size=9), st.text(alphabet="abnjir", max_size=9), st.integers(0, 2))
def test_within_edits_is_the_levenshtein_distance(a: str, b: str, maxdist: int) -> None:
    assert within_edits(a, b, maxdist) == (_levenshtein(a, b) <= maxdist)


# -- the prefilter: analyzing only the words near a needle marks exactly what analyzing all does --


def prefiltered_and_full(query: str, text: str, language: str = "id") -> tuple[list, list]:
    from kliping.search.highlight import match_spec, spans_for

    spec = match_spec(parse_query(query), language)
    return spans_for(spec, text, language), spans_for(spec, text, language, prefilter=False)


def queries_from(text: str, rng) -> list[str]:
    """Queries made of the text's own words: words, pairs, exact and stemmed (title:) phrases of
    two to four words, prefixes, and a negation."""
    from kliping.search.analysis import surface_tokens

    words = [text[s:e] for _, s, e in surface_tokens(text)]
    if len(words) < 5:
        return []
    queries = []
    for _ in range(6):
        i = rng.randrange(len(words) - 4)
        n = rng.randint(2, 4)
        run = " ".join(words[i : i + n])
        queries += [words[i], f"{words[i]} {words[i + 2]}", f'"{run}"', f'title:"{run}"', f"{words[i][:4]}*",
                    f"{words[i + 1]} -{words[i]}"]
    return queries


def corpus_texts() -> list[tuple[str, str]]:
    from kliping.ingest.reading import read_articles
    from tests.support import CLICKID_SAMPLE, SEEDS_DIR

    articles = [a for seed in sorted(SEEDS_DIR.glob("*.txt")) for a in read_articles(seed, relpath=seed.name).articles]
    articles += read_articles(CLICKID_SAMPLE, relpath=CLICKID_SAMPLE.name).articles
    return [(a.text, a.language) for a in articles]


def test_the_prefilter_marks_the_same_spans_on_the_seeds_and_the_clickid_sample() -> None:
    import random

    rng = random.Random(13)
    texts = corpus_texts()
    assert len(texts) == 35
    compared = marked_spans = 0
    for index, (text, language) in enumerate(texts):
        other = texts[(index + 1) % len(texts)][0]  # words of another article: mostly misses
        for query in queries_from(text, rng) + queries_from(other, rng)[:6] + ["jokowi", "presid*", '"ibu kota"']:
            prefiltered, full = prefiltered_and_full(query, text, language)
            assert prefiltered == full, (query, text[:80])
            compared += 1
            marked_spans += len(full)
    assert compared > 1500 and marked_spans > 2000


RISKY_WORDS = [
    "warga", "Dievakuasi", "dan", "mengevakuasi", "evakuasinya", "Café", "cafe", "yang", "anak-anak", "anak2",
    "di", "Jum'at", "Jum’at", "jumat", "KPK", "kebakaran", "hutan", "lahan", "1.000", "x-1.5", "tembak-menembak",
    "\u212aorupsi", "korupsi", "İstanbul", "istanbul", "al-Qassam", "PERDAMAIAN", "damai", "menulis", "tulis",
]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(RISKY_WORDS), st.sampled_from([" ", "\n", ", ", "\n\n", " \n ", ". ", "'", "-"])),
             min_size=1, max_size=40),
    st.lists(st.sampled_from(RISKY_WORDS), min_size=1, max_size=3),
    st.sampled_from(['{}', '"{}"', 'title:"{}"', "{}*", "-{}", "{}~"]),
)
def test_the_prefilter_marks_the_same_spans_on_folded_and_hyphenated_words(
    pieces: list[tuple[str, str]], query_words: list[str], shape: str
) -> None:
    text = "".join(word + separator for word, separator in pieces)
    query = shape.format(" ".join(query_words))
    prefiltered, full = prefiltered_and_full(query, text)
    assert prefiltered == full


def test_the_prefilter_keeps_a_phrase_across_lines_and_stop_words_but_not_across_skipped_words() -> None:
    assert marked('title:"kebakaran hutan"', "kebakaran\n\nhutan") == ["kebakaran\n\nhutan"]
    assert marked('title:"kebakaran hutan"', "kebakaran dan yang\nhutan") == ["kebakaran dan yang\nhutan"]
    assert marked('title:"kebakaran hutan"', "kebakaran lahan dan hutan") == []
    assert marked('"kebakaran hutan"', "kebakaran\nhutan, kebakaran di hutan") == ["kebakaran\nhutan"]


def test_a_stretch_without_spaces_or_lowercasing_to_more_letters_is_analyzed_whole() -> None:
    for text in ("x" * 300 + "-dievakuasi-" + "y" * 300 + " lalu evakuasinya",
                 "İ" * 40 + " dievakuasi lalu" + " kata" * 20 + " evakuasinya"):  # İ lowercases to two letters
        prefiltered, full = prefiltered_and_full("evakuasi", text)
        assert prefiltered == full and [text[s:e] for s, e in full] == ["dievakuasi", "evakuasinya"]
