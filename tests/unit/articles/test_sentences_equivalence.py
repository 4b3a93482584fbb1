"""Sentence splitting in bulk (stripped lines counted from their lengths, only lines with marks
looked at mark by mark) gives the spans the line-by-line splitter gave (tests/support/oracles/sentences_before.py)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kliping.articles.sentences import paragraph_spans, sentence_spans, span_index_at
from tests.support.oracles import sentences_before as before

_PIECES = [
    "a", "B", " ", "\n", "\n\n", ".", "!", "?", "…", "\t", "\u2003", "\x0b", "\x1c", "\u2028", "Rp", "dll", '"', ")",
    "xxxxx", "3", "2", "x2", ",", ";", "M", "_", "*", "..", "Dr", "kata",
]


@settings(max_examples=1500)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
@example("Harga Rp. 44.600 naik.\n\nM. Yusuf tiba.  Lalu pergi!\n  \n x2. Ya")
@example("satu\n\ndua.\n\n tiga \n")
def test_sentences_are_split_as_before(text: str) -> None:
    assert sentence_spans(text) == before.sentence_spans(text)
    assert paragraph_spans(text) == before.paragraph_spans(text)


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 5)), max_size=10), st.integers(-2, 60))
def test_span_index_with_the_starts_given_is_the_same(pairs: list[tuple[int, int]], offset: int) -> None:
    spans, at = [], 0
    for gap, size in pairs:
        spans.append((at + gap, at + gap + size))
        at += gap + size
    assert span_index_at(spans, offset, [start for start, _ in spans]) == span_index_at(spans, offset)
    assert span_index_at(spans, offset) == before.span_index_at(spans, offset)
