"""Wrapping article text into lines that keep their offsets into Article.text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from kliping.articles.model import Article
from kliping.tui.layout import BodyLine, inert, wrap_body, wrap_ranges


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


def test_columns_of_a_line() -> None:
    line = BodyLine("dua tiga", 10, 18)
    assert line.columns(14, 18) == (4, 8)
    assert line.columns(0, 5) is None


_SHOWN_PIECES = ["a", " ", "é", "日", "\t", "\x1b[31m", "\x07", "kata"]


@given(st.lists(st.lists(st.sampled_from(_SHOWN_PIECES), max_size=12).map("".join), max_size=4), st.integers(3, 30))
def test_the_offset_at_a_column_is_what_the_column_shows(paragraphs: list[str], width: int) -> None:
    for line in wrap_body(tuple(paragraphs), width):
        for column in range(len(line.text)):
            offset = line.offset_at(column)
            assert line.start <= offset < line.end
            assert line.columns(offset, offset + 1) == (column, column + 1)
        assert line.offset_at(-3) == line.offset_at(0)  # a click left of the text: its first character
        assert line.offset_at(len(line.text) + 5) == line.end


# The body is made as it is drawn; it must be line for line what wrapping it all at once made
# (kept in tests/support/oracles/layout_before.py), and find the same line for every offset.
_PIECES = ["a", "b", " ", "  ", "é", "日", "\t", "\n", "\x1b[31m", "\x07", "\u0301", "kata", "x" * 30, "\u200b"]


@given(
    st.lists(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join), max_size=6),
    st.integers(1, 30),
)
def test_the_body_made_as_drawn_is_the_body_wrapped_at_once(paragraphs: list[str], width: int) -> None:
    from tests.support.oracles import layout_before as before

    expected = before.wrap_body(tuple(paragraphs), width)
    body = wrap_body(tuple(paragraphs), width)
    assert len(body) == len(expected) and list(body) == expected
    assert [body[index - len(expected)] for index in range(len(expected))] == expected  # from the end
    starts = [line.start for line in expected]
    text = "\n\n".join(paragraphs)
    for offset in range(-1, len(text) + 3):
        assert body.line_of_offset(offset) == before.line_for_offset(starts, offset)


def test_many_one_word_paragraphs_are_one_line_each_with_blank_lines_between() -> None:
    paragraphs = tuple(f"kata{number}" for number in range(10_000))
    body = wrap_body(paragraphs, 40)
    assert len(body) == 2 * len(paragraphs) - 1
    assert body[-1] == BodyLine("kata9999", len("\n\n".join(paragraphs)) - 8, len("\n\n".join(paragraphs)))
    assert body[1] == BodyLine("", 5, 5) and body[2] == BodyLine("kata1", 7, 12)
    assert body.line_of_offset(8) == 2 and body.line_of_offset(5) == 1
