"""The passage cursor: which sentences of the open article a bookmark would be made from.

The reader pane draws it and scrolls to it; everything else is offset arithmetic over the
article's sentence and paragraph spans (:mod:`kliping.articles.sentences`), kept here without
Textual so that it is tested with plain values. Offsets are into ``Article.text``.

The cursor sits on one sentence (an index into :attr:`PassageCursor.sentences`). A keyboard
selection runs from an *anchor* sentence to the cursor, always whole sentences. Two selections are
spans instead: a passage selected as a whole (a bookmark jumped to) and what the mouse selected;
either gives way to the cursor, at its start, when the cursor is moved. What the pane knows and
the model does not (which sentences are on screen) comes in as an index: the pane calls
:meth:`PassageCursor.place` with the first sentence it shows.

The spans are made when first needed, not when the article opens: an article shown while the
list keeps the focus (stepping through articles) is never split into sentences.
"""

from __future__ import annotations

from functools import cached_property

from kliping.articles.sentences import paragraph_spans, sentence_spans, span_index_at

Span = tuple[int, int]
BookmarkSpan = tuple[int, int, str]  # (start, end, bookmark id)


class PassageCursor:
    """The passage cursor, the selection and the bookmarks of one article's ``text``."""

    def __init__(self, text: str = "") -> None:
        self._text = text
        self._cursor: int | None = None  # index into the sentences
        self._anchor: int | None = None  # where a keyboard selection started (a sentence index)
        self._whole: Span | None = None  # a passage selected as a whole (a bookmark)
        self._mouse: Span | None = None  # what the mouse selected
        self._bookmarks: list[BookmarkSpan] = []  # by position

    # -- the spans --------------------------------------------------------------------------------

    @cached_property
    def sentences(self) -> list[Span]:
        return sentence_spans(self._text)

    @cached_property
    def paragraphs(self) -> list[Span]:
        return paragraph_spans(self._text)

    # The spans' starts are kept: made again for each look-up, they were most of a cursor move
    # in an article of 200k sentences.
    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [start for start, _ in self.sentences]

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [start for start, _ in self.paragraphs]

    def sentence_at(self, offset: int) -> int:
        """The sentence containing ``offset``, else the first after it (else the last); -1 without sentences."""
        return span_index_at(self.sentences, offset, self._sentence_starts)

    def paragraph_at(self, offset: int) -> int:
        return span_index_at(self.paragraphs, offset, self._paragraph_starts)

    def trimmed(self, start: int, end: int) -> Span | None:
        """``[start, end)`` without the whitespace at either end (``None`` if nothing is left):
        what a mouse selection quotes."""
        text = self._text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    # -- where the cursor is ----------------------------------------------------------------------

    @property
    def cursor(self) -> int | None:
        """The sentence the cursor is on (``None`` until it is placed)."""
        return self._cursor

    @property
    def cursor_span(self) -> Span | None:
        return self.sentences[self._cursor] if self._cursor is not None else None

    @property
    def extending(self) -> bool:
        """A keyboard selection is being made: sentence moves extend it."""
        return self._anchor is not None

    @property
    def mouse_span(self) -> Span | None:
        return self._mouse

    @property
    def selecting(self) -> bool:
        """A selection (keyboard, mouse or a whole passage) is shown, not just the cursor."""
        return self._anchor is not None or self._whole is not None or self._mouse is not None

    @property
    def passage(self) -> Span | None:
        """What a bookmark would quote: the mouse selection, a passage selected as a whole, the
        keyboard selection or else the sentence at the cursor."""
        if self._mouse is not None:
            return self._mouse
        if self._whole is not None:
            return self._whole
        sentences = self.sentences
        if self._cursor is None or not sentences:
            return None
        cursor = sentences[self._cursor]
        if self._anchor is None:
            return cursor
        anchor = sentences[self._anchor]
        return (min(anchor[0], cursor[0]), max(anchor[1], cursor[1]))

    # -- moving it --------------------------------------------------------------------------------

    def place(self, index: int) -> Span:
        """Put the cursor on sentence ``index`` (clamped to the text); its span. The text must
        have a sentence."""
        sentences = self.sentences
        self._cursor = max(0, min(index, len(sentences) - 1))
        return sentences[self._cursor]

    def give_way(self) -> bool:
        """Before a cursor move: a whole-passage or mouse selection becomes the cursor at its
        start; whether there was one."""
        span = self._mouse or self._whole
        if span is None:
            return False
        self._mouse = self._whole = None
        self._cursor = self.sentence_at(span[0])
        return True

    def sentence_target(self, step: int) -> int:
        """Where a move by ``step`` sentences goes (before :meth:`place` clamps it)."""
        assert self._cursor is not None, "the cursor is placed before it moves"
        return self._cursor + step

    def paragraph_target(self, step: int) -> int:
        """Where a paragraph move goes: the next paragraph's first sentence (the last sentence
        from the last paragraph), or back to this paragraph's start (the previous paragraph's
        from its start). While extending, to the end of this paragraph (of the next one when
        all of this one is in), or to its start (the previous one's)."""
        assert self._cursor is not None, "the cursor is placed before it moves"
        sentences, paragraphs = self.sentences, self.paragraphs
        start, end = sentences[self._cursor]
        index = self.paragraph_at(start)
        if self._anchor is not None:
            if step > 0:
                target = paragraphs[index][1]
                if end >= target and index + 1 < len(paragraphs):
                    target = paragraphs[index + 1][1]
                return self.sentence_at(target - 1)
            target = paragraphs[index][0]
            if start <= target and index > 0:
                target = paragraphs[index - 1][0]
            return self.sentence_at(target)
        if step > 0:
            return self.sentence_at(paragraphs[index + 1][0]) if index + 1 < len(paragraphs) else len(sentences) - 1
        if start > paragraphs[index][0] or index == 0:
            return self.sentence_at(paragraphs[index][0])
        return self.sentence_at(paragraphs[index - 1][0])

    # -- selecting --------------------------------------------------------------------------------

    def start_selection(self) -> None:
        """Start a keyboard selection at the cursor."""
        self._anchor = self._cursor

    def cancel(self) -> None:
        """Drop every selection; the cursor stays."""
        self._anchor = self._whole = self._mouse = None

    def select_whole(self, start: int, end: int) -> None:
        """Select ``[start, end)`` as it is (a bookmark, say), the cursor on its first sentence."""
        self._anchor = self._mouse = None
        self._whole = (start, end)
        self._cursor = self.sentence_at(start) if self.sentences else None

    def select_mouse(self, span: Span | None) -> bool:
        """The mouse selected ``span`` (``None``: nothing); whether that changed anything."""
        if span == self._mouse:
            return False
        self._mouse = span
        if span is not None:
            self._anchor = self._whole = None
        return True

    def click(self, index: int, *, extend: bool) -> None:
        """A click on sentence ``index``: the cursor goes there; ``extend`` (shift) selects from
        the cursor to there."""
        if extend:
            if self._anchor is None:
                self._anchor = self._cursor
        else:
            self._anchor = None
        self._whole = None
        self._cursor = index

    # -- bookmarks --------------------------------------------------------------------------------

    @property
    def bookmarks(self) -> list[BookmarkSpan]:
        return list(self._bookmarks)

    def set_bookmarks(self, bookmarks: list[BookmarkSpan]) -> None:
        self._bookmarks = sorted(bookmarks)

    def bookmark_at(self) -> str | None:
        """The id of the bookmark under the passage: one holding its start, else one overlapping it."""
        passage = self.passage
        if passage is None:
            return None
        start, end = passage
        overlapping = [(s, e, ident) for s, e, ident in self._bookmarks if s < max(end, start + 1) and e > start]
        containing = [item for item in overlapping if item[0] <= start < item[1]]
        found = containing or overlapping
        return found[0][2] if found else None

    def bookmark_after(self, here: int, step: int) -> BookmarkSpan | None:
        """The next bookmark starting after ``here`` (``step`` > 0) or the previous one starting
        before it, wrapping around; ``None`` without bookmarks."""
        if not self._bookmarks:
            return None
        if step > 0:
            later = [item for item in self._bookmarks if item[0] > here]
            return later[0] if later else self._bookmarks[0]
        earlier = [item for item in self._bookmarks if item[0] < here]
        return earlier[-1] if earlier else self._bookmarks[-1]


def step_match(matches: list[Span], current: int | None, here: int, step: int) -> int:
    """The search match to go to from match ``current`` by ``step`` (wrapping). With no current
    match, the first at or after the reading position ``here`` (``step`` > 0) or the last
    before it. ``matches`` is sorted and not empty."""
    if current is not None:
        return (current + step) % len(matches)
    after = [i for i, (start, _) in enumerate(matches) if start >= here]
    found = (after[0] if after else 0) if step > 0 else ((after[0] - 1) if after else -1)
    return found % len(matches)
