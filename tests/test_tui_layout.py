"""Wrapping article text into lines that keep their offsets into Article.text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from kliping.article import Article
from kliping.tui.layout import BodyLine, inert, line_for_offset, wrap_body, wrap_ranges


def test_words_wrap_at_spaces_within_the_width() -> None:
    text = "satu dua tiga empat lima enam tujuh"
    lines = [text[s:e] for s, e in wrap_ranges(text, 10)]
    assert lines == ["satu dua", "tiga empat", "lima enam", "tujuh"]


def test_a_word_longer_than_the_line_is_cut() -> None:
    assert wrap_ranges("abcdefghij", 4) == [(0, 4), (4, 8), (8, 10)]


def test_wide_characters_count_as_two_cells() -> None:
    text = "日本語の文章です"
    for start, end in wrap_ranges(text, 6):
        assert cell_len(text[start:end]) <= 6


@given(st.lists(st.text(alphabet="ab  cdé日\t", min_size=0, max_size=60), min_size=1, max_size=5), st.integers(3, 30))
def test_body_lines_point_back_into_article_text(paragraphs: list[str], width: int) -> None:
    article = Article(id="x", title="t", paragraphs=tuple(paragraphs))
    text = article.text
    for line in wrap_body(article.paragraphs, width):
        assert cell_len(line.text) <= width
        assert line.offsets is None
        assert text[line.start : line.end].replace("\t", " ") == line.text


def test_control_sequences_are_removed_but_offsets_still_point_into_the_text() -> None:
    paragraph = "awal \x1b[31mmerah\x1b[0m \x1b]0;judul\x07akhir \x07bel"
    shown, kept = inert(paragraph)
    assert shown == "awal merah akhir bel"
    assert kept is not None and "".join(paragraph[i] for i in kept) == shown
    (line,) = wrap_body((paragraph,), 80)
    start = paragraph.index("merah")
    assert line.columns(start, start + 5) == (5, 10)


def test_columns_and_line_lookup() -> None:
    line = BodyLine("dua tiga", 10, 18)
    assert line.columns(14, 18) == (4, 8)
    assert line.columns(0, 5) is None
    assert line_for_offset([0, 10, 20], 15) == 1
    assert line_for_offset([0, 10, 20], 0) == 0
