"""The passage cursor without Textual: moves by sentence and paragraph, selections, bookmarks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kliping.articles.sentences import paragraph_spans, sentence_spans
from kliping.tui.passages import PassageCursor, step_match

TEXT = (
    "Menteri datang ke Moskow. Ia bertemu Lavrov. Pertemuan itu singkat.\n\n"
    "Hamas menolak. Rusia diam.\n\n"
    "Harga beras naik. Pasar ramai. Pedagang senang. Pembeli mengeluh."
)
SENTENCES = sentence_spans(TEXT)
PARAGRAPHS = paragraph_spans(TEXT)


def placed(index: int, text: str = TEXT) -> PassageCursor:
    cursor = PassageCursor(text)
    cursor.place(index)
    return cursor


def first_sentence_of(paragraph: int) -> int:
    return next(i for i, (start, _) in enumerate(SENTENCES) if start == PARAGRAPHS[paragraph][0])


def test_the_spans_are_the_articles_sentences_and_paragraphs() -> None:
    cursor = PassageCursor(TEXT)
    assert cursor.sentences == SENTENCES and len(SENTENCES) == 9
    assert cursor.paragraphs == PARAGRAPHS and len(PARAGRAPHS) == 3
    assert cursor.sentence_at(TEXT.index("Lavrov")) == 1
    assert cursor.paragraph_at(TEXT.index("Rusia")) == 1


def test_no_passage_until_the_cursor_is_placed_and_none_in_an_empty_text() -> None:
    assert PassageCursor(TEXT).passage is None
    empty = PassageCursor("")
    assert empty.sentences == [] and empty.passage is None and empty.sentence_at(0) == -1
    assert empty.bookmark_at() is None


def test_the_passage_is_the_sentence_at_the_cursor_and_place_clamps() -> None:
    cursor = placed(1)
    assert cursor.passage == SENTENCES[1] and cursor.cursor_span == SENTENCES[1]
    assert cursor.place(-5) == SENTENCES[0] and cursor.cursor == 0
    assert cursor.place(99) == SENTENCES[-1] and cursor.cursor == len(SENTENCES) - 1


def test_a_selection_runs_from_the_anchor_to_the_cursor_either_way() -> None:
    cursor = placed(2)
    cursor.start_selection()
    assert cursor.extending and cursor.selecting
    cursor.place(cursor.sentence_target(2))
    assert cursor.passage == (SENTENCES[2][0], SENTENCES[4][1])
    cursor.place(cursor.sentence_target(-4))
    assert cursor.passage == (SENTENCES[0][0], SENTENCES[2][1])
    cursor.cancel()
    assert not cursor.selecting and cursor.passage == SENTENCES[0]


def test_paragraph_moves_go_to_paragraph_starts() -> None:
    cursor = placed(1)  # inside the first paragraph
    cursor.place(cursor.paragraph_target(1))
    assert cursor.cursor == first_sentence_of(1)
    cursor.place(cursor.paragraph_target(1))
    assert cursor.cursor == first_sentence_of(2)
    cursor.place(cursor.paragraph_target(1))
    assert cursor.cursor == len(SENTENCES) - 1  # from the last paragraph: its last sentence
    cursor.place(cursor.paragraph_target(-1))
    assert cursor.cursor == first_sentence_of(2)  # back to this paragraph's start
    cursor.place(cursor.paragraph_target(-1))
    assert cursor.cursor == first_sentence_of(1)  # from its start: the previous paragraph's
    cursor.place(cursor.paragraph_target(-1))
    cursor.place(cursor.paragraph_target(-1))
    assert cursor.cursor == 0


def test_extending_by_paragraph_takes_in_the_rest_of_it_then_the_next() -> None:
    cursor = placed(1)
    cursor.start_selection()
    cursor.place(cursor.paragraph_target(1))
    assert cursor.passage == (SENTENCES[1][0], PARAGRAPHS[0][1])
    cursor.place(cursor.paragraph_target(1))
    assert cursor.passage == (SENTENCES[1][0], PARAGRAPHS[1][1])
    cursor.place(cursor.paragraph_target(-1))
    assert cursor.passage == (SENTENCES[1][0], PARAGRAPHS[1][0] + len("Hamas menolak."))
    cursor.place(cursor.paragraph_target(-1))
    cursor.place(cursor.paragraph_target(-1))
    assert cursor.passage == (PARAGRAPHS[0][0], SENTENCES[1][1])


def test_a_whole_passage_is_quoted_as_it_is_and_gives_way_at_its_start() -> None:
    cursor = placed(0)
    start, end = TEXT.index("bertemu"), TEXT.index("Hamas") + 5
    cursor.select_whole(start, end)
    assert cursor.passage == (start, end) and cursor.selecting and not cursor.extending
    assert cursor.cursor == 1
    assert cursor.give_way()
    assert cursor.passage == SENTENCES[1] and not cursor.selecting
    assert not cursor.give_way()


def test_the_mouse_selection_wins_and_drops_the_keyboard_selection() -> None:
    cursor = placed(3)
    cursor.start_selection()
    span = cursor.trimmed(TEXT.index("Rusia") - 1, len(TEXT))
    assert span == (TEXT.index("Rusia"), len(TEXT))
    assert cursor.select_mouse(span)
    assert cursor.passage == span and cursor.mouse_span == span and not cursor.extending
    assert not cursor.select_mouse(span)  # the same selection again changes nothing
    assert cursor.select_mouse(None)
    assert cursor.passage == SENTENCES[3]
    assert cursor.trimmed(0, 0) is None and cursor.trimmed(PARAGRAPHS[0][1], PARAGRAPHS[1][0]) is None


def test_a_click_moves_the_cursor_and_a_shift_click_selects_from_it() -> None:
    cursor = placed(1)
    cursor.click(4, extend=True)
    assert cursor.passage == (SENTENCES[1][0], SENTENCES[4][1])
    cursor.click(6, extend=True)  # the anchor stays where the selection began
    assert cursor.passage == (SENTENCES[1][0], SENTENCES[6][1])
    cursor.click(2, extend=False)
    assert cursor.passage == SENTENCES[2] and not cursor.selecting


def test_the_bookmark_at_the_passage_prefers_one_holding_its_start() -> None:
    cursor = placed(1)
    one, two = SENTENCES[1], SENTENCES[2]
    cursor.set_bookmarks([(two[0], two[1], "later"), (one[0] - 3, one[0] + 2, "holds"), (one[0] + 4, two[1], "inside")])
    assert [ident for _, _, ident in cursor.bookmarks] == ["holds", "inside", "later"]
    assert cursor.bookmark_at() == "holds"
    cursor.set_bookmarks([(one[0] + 4, two[1], "inside")])
    assert cursor.bookmark_at() == "inside"  # overlapping it, for want of one holding its start
    cursor.place(0)
    assert cursor.bookmark_at() is None


def test_bookmark_steps_wrap_around() -> None:
    cursor = PassageCursor(TEXT)
    assert cursor.bookmark_after(0, 1) is None
    marks = [(10, 20, "a"), (30, 40, "b"), (50, 60, "c")]
    cursor.set_bookmarks(marks)
    assert cursor.bookmark_after(30, 1) == marks[2]
    assert cursor.bookmark_after(50, 1) == marks[0]
    assert cursor.bookmark_after(30, -1) == marks[0]
    assert cursor.bookmark_after(10, -1) == marks[2]


def test_matches_step_from_the_reading_position_then_wrap() -> None:
    matches = [(5, 8), (20, 25), (40, 44)]
    assert step_match(matches, None, 10, 1) == 1
    assert step_match(matches, None, 10, -1) == 0
    assert step_match(matches, None, 99, 1) == 0
    assert step_match(matches, None, 99, -1) == 2
    assert step_match(matches, None, 0, -1) == 2
    assert step_match(matches, 2, 0, 1) == 0
    assert step_match(matches, 0, 0, -1) == 2


# Properties, over texts of sentences in paragraphs (some with more than one line).
_WORDS = st.sampled_from(["Harga", "beras", "naik", "Rp.", "44.600", "dll.", "M.", "Yusuf", "kata", "\u201cya\u201d"])
_SENTENCE = st.builds(
    lambda words, mark: " ".join(words) + mark, st.lists(_WORDS, min_size=1, max_size=5), st.sampled_from([".", "?", "!", ""])
)
_PARAGRAPH = st.builds(
    lambda sentences, joiner: joiner.join(sentences), st.lists(_SENTENCE, min_size=1, max_size=4), st.sampled_from([" ", "\n"])
)
_TEXT = st.builds("\n\n".join, st.lists(_PARAGRAPH, min_size=1, max_size=5))
_MOVES = st.lists(st.tuples(st.sampled_from(["sentence", "paragraph"]), st.sampled_from([-3, -1, 1, 2])), max_size=12)


def _move(cursor: PassageCursor, kind: str, step: int) -> None:
    cursor.give_way()
    target = cursor.sentence_target(step) if kind == "sentence" else cursor.paragraph_target(step)
    cursor.place(target)


@given(_TEXT, st.integers(0, 50), st.integers(1, 10))
def test_moving_forward_then_back_returns_to_the_same_sentence(text: str, start: int, step: int) -> None:
    cursor = placed(start, text)
    before = cursor.cursor
    assert before is not None
    if before + step < len(cursor.sentences):
        cursor.place(cursor.sentence_target(step))
        cursor.place(cursor.sentence_target(-step))
        assert cursor.cursor == before


@given(_TEXT, st.integers(0, 50), st.booleans(), _MOVES)
def test_the_passage_is_whole_sentences_and_never_outside_the_text(
    text: str, start: int, extend: bool, moves: list[tuple[str, int]]
) -> None:
    cursor = placed(start, text)
    if extend:
        cursor.start_selection()
    starts = {span[0] for span in cursor.sentences}
    ends = {span[1] for span in cursor.sentences}
    for kind, step in moves:
        _move(cursor, kind, step)
        assert cursor.cursor is not None and 0 <= cursor.cursor < len(cursor.sentences)
        passage = cursor.passage
        assert passage is not None
        assert 0 <= passage[0] < passage[1] <= len(text)
        assert passage[0] in starts and passage[1] in ends
        assert cursor.cursor_span is not None
        assert passage[0] <= cursor.cursor_span[0] and cursor.cursor_span[1] <= passage[1]


@given(_TEXT, st.integers(0, 50))
def test_a_paragraph_move_forward_lands_on_a_paragraph_start_or_the_last_sentence(text: str, start: int) -> None:
    cursor = placed(start, text)
    before = cursor.cursor
    assert before is not None
    cursor.place(cursor.paragraph_target(1))
    assert cursor.cursor is not None and cursor.cursor_span is not None
    last = len(cursor.sentences) - 1
    assert cursor.cursor == last or (cursor.cursor > before and cursor.cursor_span[0] in {p[0] for p in cursor.paragraphs})
