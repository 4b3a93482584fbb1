"""The reader pane: one article, wrapped at a readable measure and drawn line by line.

Only the lines on screen are rendered (Textual's Line API), so a 1 MB article opens and scrolls
without lag. Highlights are *span layers*: named lists of ``(start, end)`` offsets into
``Article.text`` with a component class for their style. Search hits and the current match are
two layers; bookmarks and the passage cursor are two more.

The passage cursor is what bookmarks are made from. It sits on a sentence (the first one on screen
until it is moved) and is drawn while the pane has focus: ``)``/``(`` move it by sentence and
``}``/``{`` by paragraph, leaving the scrolling keys as they are. ``v`` starts a selection at the
cursor; while selecting, ``j``/``k`` extend it by sentence and ``}``/``{`` to paragraph ends. A
mouse selection (Textual's text selection) is a passage too. The pane only says what the user
asked for (messages); the app owns the bookmark store.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Offset, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from kliping.articles.model import Article
from kliping.files.sanitize import one_line
from kliping.articles.sentences import paragraph_spans, sentence_spans, span_index_at
from kliping.tui.layout import BodyLine, BodyLines, wrap_body, wrap_plain

DEFAULT_MEASURE = 80
SEARCH_HITS = "search-hits"
CURRENT_MATCH = "current-match"
BOOKMARKS = "bookmarks"
PASSAGE = "passage"
BOOKMARK_MARK = "▌"  # in the left margin of every line showing part of a bookmark


@dataclass(slots=True)
class SpanLayer:
    """Non-overlapping spans sorted by start, drawn in ``component`` style above lower priorities."""

    component: str
    priority: int
    spans: list[tuple[int, int]]
    ends: list[int]

    @classmethod
    def build(cls, component: str, priority: int, spans: list[tuple[int, int]]) -> SpanLayer:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if end <= start:
                continue
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return cls(component, priority, merged, [end for _, end in merged])

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        for index in range(bisect_right(self.ends, start), len(self.spans)):
            span = self.spans[index]
            if span[0] >= end:
                break
            found.append(span)
        return found


class ReaderPane(ScrollView, can_focus=True):
    """Shows one :class:`Article`: a header (title, source, people, date, reading time) and its body."""

    COMPONENT_CLASSES = {
        "reader-pane--title",
        "reader-pane--meta",
        "reader-pane--rule",
        "reader-pane--placeholder",
        "reader-pane--search-hit",
        "reader-pane--search-current",
        "reader-pane--bookmark",
        "reader-pane--bookmark-mark",
        "reader-pane--passage-cursor",
        "reader-pane--passage-selection",
    }

    BINDINGS = [
        Binding("j,down", "scroll_lines(1)", "Down", show=False, id="reader.down", tooltip="Scroll down one line"),
        Binding("k,up", "scroll_lines(-1)", "Up", show=False, id="reader.up", tooltip="Scroll up one line"),
        Binding(
            "pagedown,space", "page(1)", "Page down", show=False, id="reader.page-down", tooltip="Scroll down one page"
        ),
        Binding(
            "pageup,shift+space", "page(-1)", "Page up", show=False, id="reader.page-up", tooltip="Scroll up one page"
        ),
        Binding("g,home", "to_top", "Top", show=False, id="reader.top", tooltip="Go to the start of the article"),
        Binding("G,end", "to_bottom", "Bottom", show=False, id="reader.bottom", tooltip="Go to the end of the article"),
        Binding("n", "next_match", "Next match", id="reader.next-match", tooltip="Go to the next search match (wraps)"),
        Binding(
            "N", "previous_match", "Prev match", id="reader.previous-match", tooltip="Go to the previous search match (wraps)"
        ),
        Binding(
            "right_parenthesis",
            "sentence(1)",
            "Next sentence",
            show=False,
            id="reader.next-sentence",
            tooltip="Move the passage cursor to the next sentence",
        ),
        Binding(
            "left_parenthesis",
            "sentence(-1)",
            "Prev sentence",
            show=False,
            id="reader.previous-sentence",
            tooltip="Move the passage cursor to the previous sentence",
        ),
        Binding(
            "right_curly_bracket",
            "paragraph(1)",
            "Next paragraph",
            show=False,
            id="reader.next-paragraph",
            tooltip="Cursor to the next paragraph; while selecting, extend to the paragraph's end",
        ),
        Binding(
            "left_curly_bracket",
            "paragraph(-1)",
            "Prev paragraph",
            show=False,
            id="reader.previous-paragraph",
            tooltip="Cursor to the paragraph's start; while selecting, extend to it",
        ),
        Binding("v", "toggle_selection", "Select", show=False, id="reader.select", tooltip="Start (or cancel) a selection at the passage cursor"),
        # While selecting, j/k move by sentence; otherwise check_action passes them to the scrolling bindings.
        Binding(
            "j,down", "extend(1)", "Extend", show=False, id="reader.extend-down", tooltip="While selecting: extend by a sentence"
        ),
        Binding(
            "k,up", "extend(-1)", "Shrink", show=False, id="reader.extend-up", tooltip="While selecting: move back a sentence"
        ),
        Binding("escape", "cancel_selection", "Cancel", id="reader.cancel-selection", tooltip="Cancel the selection"),
        Binding("b", "bookmark", "Bookmark", id="reader.bookmark", tooltip="Bookmark the sentence at the cursor, or the selection"),
        Binding(
            "e", "edit_note", "Edit note", show=False, id="reader.edit-note", tooltip="Edit the note of the bookmark at the cursor"
        ),
        Binding(
            "d", "delete_bookmark", "Delete", show=False, id="reader.delete-bookmark", tooltip="Delete the bookmark at the cursor"
        ),
        Binding("u", "undo_delete", "Undo", show=False, id="reader.undo-delete", tooltip="Bring back the last deleted bookmark"),
        Binding(
            "apostrophe",
            "bookmark_step(1)",
            "Next bookmark",
            show=False,
            id="reader.next-bookmark",
            tooltip="Go to the next bookmark in the article (wraps)",
        ),
        Binding(
            "quotation_mark",
            "bookmark_step(-1)",
            "Prev bookmark",
            show=False,
            id="reader.previous-bookmark",
            tooltip="Go to the previous bookmark in the article (wraps)",
        ),
    ]

    class MatchMoved(Message):
        """The current search match changed (``index`` is 0-based, ``None`` when there are none)."""

        def __init__(self, index: int | None, total: int) -> None:
            super().__init__()
            self.index = index
            self.total = total

    class BookmarkRequested(Message):
        """Bookmark ``article.text[start:end]``."""

        def __init__(self, article: Article, start: int, end: int) -> None:
            super().__init__()
            self.article = article
            self.start = start
            self.end = end

    class NoteEditRequested(Message):
        def __init__(self, bookmark_id: str) -> None:
            super().__init__()
            self.bookmark_id = bookmark_id

    class DeleteRequested(Message):
        def __init__(self, bookmark_id: str) -> None:
            super().__init__()
            self.bookmark_id = bookmark_id

    class UndoRequested(Message):
        """Bring back the bookmark deleted last."""

    def __init__(self, *, measure: int = DEFAULT_MEASURE, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.measure = measure
        self.article: Article | None = None
        self._header: list[tuple[str, str]] = []  # (component class, inert text)
        self._body: BodyLines = wrap_body((), 1)
        self._margin = 0
        self._layers: dict[str, SpanLayer] = {}
        self._matches: list[tuple[int, int]] = []
        self._current: int | None = None
        self._laid_out_width = 0
        self._cache: LRUCache[tuple[int, int], Strip] = LRUCache(1024)
        self._reset_passages()

    def _reset_passages(self) -> None:
        self._sentences: list[tuple[int, int]] | None = None  # of the open article, made when first needed
        self._sentence_starts: list[int] = []
        self._paragraphs: list[tuple[int, int]] | None = None
        self._paragraph_starts: list[int] = []
        self._cursor: int | None = None  # index into the sentences
        self._anchor: int | None = None  # where a keyboard selection started (a sentence index)
        self._span_selection: tuple[int, int] | None = None  # a passage selected as a whole (a bookmark)
        self._mouse_span: tuple[int, int] | None = None  # what the mouse selected
        self._bookmarks: list[tuple[int, int, str]] = []  # (start, end, bookmark id) by position

    # -- what is shown ----------------------------------------------------------------------------

    def show_article(self, article: Article | None, *, position: int | None = None) -> None:
        """Show ``article`` scrolled to ``position`` (an offset into ``Article.text``), else the
        top. Matches are set afterwards with :meth:`set_matches`."""
        self.article = article
        for layer in (SEARCH_HITS, CURRENT_MATCH, BOOKMARKS, PASSAGE):
            self._layers.pop(layer, None)
        self._reset_passages()
        self._matches, self._current = [], None
        self._layout()
        self.set_matches([])
        if position:
            self.scroll_to_offset(position)
        else:
            self.scroll_to(y=0, animate=False, force=True)

    def set_matches(self, spans: list[tuple[int, int]], current: int | None = None) -> None:
        """Highlight every match of the current query; ``current`` is drawn distinct."""
        self._matches = sorted(spans)
        self._current = current if current is not None and 0 <= current < len(self._matches) else None
        self.set_span_layer(SEARCH_HITS, self._matches, "reader-pane--search-hit", priority=10)
        self._draw_current()

    def set_span_layer(self, name: str, spans: list[tuple[int, int]], component: str, *, priority: int = 0) -> None:
        """Draw ``spans`` (offsets into ``Article.text``) in the style of ``component`` (one of
        this widget's component classes; subclasses or later features add their own). Layers
        with a higher ``priority`` are drawn on top."""
        if spans:
            self._layers[name] = SpanLayer.build(component, priority, spans)
        else:
            self._layers.pop(name, None)
        self._redraw()

    def clear_span_layer(self, name: str) -> None:
        if self._layers.pop(name, None) is not None:
            self._redraw()

    # -- bookmarks and the passage cursor ---------------------------------------------------------

    def set_bookmarks(self, bookmarks: list[tuple[int, int, str]]) -> None:
        """Mark the open article's bookmarked passages: ``(start, end, bookmark id)``."""
        self._bookmarks = sorted(bookmarks)
        self.set_span_layer(BOOKMARKS, [(start, end) for start, end, _ in self._bookmarks], "reader-pane--bookmark", priority=5)
        self._update_subtitle()

    @property
    def bookmarks(self) -> list[tuple[int, int, str]]:
        return list(self._bookmarks)

    @property
    def selecting(self) -> bool:
        """A selection (from ``v``, the mouse or a jump to a bookmark) is shown, not just the cursor."""
        return self._anchor is not None or self._span_selection is not None or self._mouse_span is not None

    @property
    def passage(self) -> tuple[int, int] | None:
        """What ``b`` would bookmark: the mouse selection, a selected passage, the ``v`` selection
        or else the sentence at the cursor (offsets into ``Article.text``)."""
        if self._mouse_span is not None:
            return self._mouse_span
        if self._span_selection is not None:
            return self._span_selection
        sentences = self._sentence_list()
        if self._cursor is None or not sentences:
            return None
        cursor = sentences[self._cursor]
        if self._anchor is None:
            return cursor
        anchor = sentences[self._anchor]
        return (min(anchor[0], cursor[0]), max(anchor[1], cursor[1]))

    def select_passage(self, start: int, end: int) -> None:
        """Select ``[start, end)`` (a bookmark, say) and scroll it into view, centred."""
        if self.article is None:
            return
        self._clear_mouse_selection()
        self._anchor = None
        self._span_selection = (start, end)
        sentences = self._sentence_list()
        self._cursor = self._sentence_at(start) if sentences else None
        self.scroll_to_offset(start, center=True)
        self._draw_passage()

    def bookmark_at_passage(self) -> str | None:
        """The id of the bookmark under the passage cursor (or selection), if there is one."""
        self._ensure_cursor()
        passage = self.passage
        if passage is None:
            return None
        start, end = passage
        overlapping = [(s, e, ident) for s, e, ident in self._bookmarks if s < max(end, start + 1) and e > start]
        containing = [item for item in overlapping if item[0] <= start < item[1]]
        found = containing or overlapping
        return found[0][2] if found else None

    def _sentence_list(self) -> list[tuple[int, int]]:
        if self._sentences is None:
            self._sentences = sentence_spans(self.article.text) if self.article is not None else []
            self._sentence_starts = [start for start, _ in self._sentences]
        return self._sentences

    def _paragraph_list(self) -> list[tuple[int, int]]:
        if self._paragraphs is None:
            self._paragraphs = paragraph_spans(self.article.text) if self.article is not None else []
            self._paragraph_starts = [start for start, _ in self._paragraphs]
        return self._paragraphs

    # The spans' starts are kept: made again for each look-up, they were most of a cursor move
    # in an article of 200k sentences.
    def _sentence_at(self, offset: int) -> int:
        return span_index_at(self._sentence_list(), offset, self._sentence_starts)

    def _paragraph_at(self, offset: int) -> int:
        return span_index_at(self._paragraph_list(), offset, self._paragraph_starts)

    def _visible_lines(self) -> tuple[int, int]:
        top = round(self.scroll_y)
        return top, top + max(1, self.scrollable_content_region.height)

    def _span_visible(self, start: int, end: int) -> bool:
        top, bottom = self._visible_lines()
        return self.line_of_offset(max(start, end - 1)) >= top and self.line_of_offset(start) < bottom

    def _first_visible_sentence(self) -> int:
        sentences = self._sentence_list()
        index = self._sentence_at(self.top_offset())
        top, _ = self._visible_lines()
        if self.line_of_offset(sentences[index][0]) < top and index + 1 < len(sentences):
            if self._span_visible(*sentences[index + 1]):
                index += 1  # the sentence begins above the screen: take the first that begins on it
        return index

    def _ensure_cursor(self) -> bool:
        """Put the cursor on the first sentence on screen unless it is already on screen (or a
        selection is being made); False when the article has no text."""
        sentences = self._sentence_list()
        if not sentences:
            return False
        if self._cursor is None or (not self.selecting and not self._span_visible(*sentences[self._cursor])):
            self._cursor = self._first_visible_sentence()
        return True

    def _clear_mouse_selection(self) -> None:
        self._mouse_span = None
        if self.is_mounted and self in self.screen.selections:
            self.screen.clear_selection()

    def _move_cursor(self, index: int) -> None:
        sentences = self._sentence_list()
        self._cursor = max(0, min(index, len(sentences) - 1))
        start, end = sentences[self._cursor]
        if not self._span_visible(start, end):
            top, bottom = self._visible_lines()
            first, last = self.line_of_offset(start), self.line_of_offset(max(start, end - 1))
            height = bottom - top
            y = first if first < top or last - first >= height else last - height + 1
            self.scroll_to(y=max(0, y), animate=False, force=True)
        self._draw_passage()

    def _draw_passage(self) -> None:
        passage = self.passage
        if passage is None or self.article is None:
            self.clear_span_layer(PASSAGE)
        elif self.selecting:
            self.set_span_layer(PASSAGE, [passage], "reader-pane--passage-selection", priority=8)
        elif self.has_focus:
            self.set_span_layer(PASSAGE, [passage], "reader-pane--passage-cursor", priority=7)
        else:
            self.clear_span_layer(PASSAGE)
        self._update_subtitle()

    @property
    def match_count(self) -> int:
        return len(self._matches)

    @property
    def current_match(self) -> int | None:
        return self._current

    @property
    def body_lines(self) -> BodyLines:
        """The body as laid out now (for features that move a cursor by line)."""
        return self._body

    @property
    def header_height(self) -> int:
        return len(self._header)

    def top_offset(self) -> int:
        """The offset in ``Article.text`` of the first body line on screen: the reading position."""
        index = round(self.scroll_y) - len(self._header)
        if not self._body or index <= 0:
            return 0
        return self._body[min(index, len(self._body) - 1)].start

    def line_of_offset(self, offset: int) -> int:
        """The virtual line (header included) that shows ``offset``."""
        return len(self._header) + self._body.line_of_offset(offset)

    def scroll_to_offset(self, offset: int, *, center: bool = False) -> None:
        y = self.line_of_offset(offset)
        if center:
            y -= self.scrollable_content_region.height // 3
        self.scroll_to(y=max(0, y), animate=False, force=True)

    # -- actions ----------------------------------------------------------------------------------

    def action_scroll_lines(self, lines: int) -> None:
        self.scroll_to(y=self.scroll_y + lines, animate=False, force=True)

    def action_page(self, direction: int) -> None:
        step = max(1, self.scrollable_content_region.height - 2)
        self.scroll_to(y=self.scroll_y + direction * step, animate=False, force=True)

    def action_to_top(self) -> None:
        self.scroll_to(y=0, animate=False, force=True)

    def action_to_bottom(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, force=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "scroll_lines":
            return self._anchor is None  # while selecting, j/k extend the selection instead
        if action == "extend":
            return self._anchor is not None
        if action == "cancel_selection":
            return self.selecting
        return super().check_action(action, parameters)

    def action_sentence(self, step: int) -> None:
        if not self._start_moving():
            return
        self._move_cursor(self._cursor + step)

    def action_extend(self, step: int) -> None:
        self.action_sentence(step)

    def action_paragraph(self, step: int) -> None:
        if not self._start_moving():
            return
        sentences, paragraphs = self._sentence_list(), self._paragraph_list()
        start, end = sentences[self._cursor]
        index = self._paragraph_at(start)
        if self._anchor is not None:
            # Selecting: take in the rest of this paragraph, or the next one if it is all in.
            if step > 0:
                target = paragraphs[index][1]
                if end >= target and index + 1 < len(paragraphs):
                    target = paragraphs[index + 1][1]
                self._move_cursor(self._sentence_at(target - 1))
            else:
                target = paragraphs[index][0]
                if start <= target and index > 0:
                    target = paragraphs[index - 1][0]
                self._move_cursor(self._sentence_at(target))
            return
        if step > 0:
            self._move_cursor(self._sentence_at(paragraphs[index + 1][0]) if index + 1 < len(paragraphs) else len(sentences) - 1)
        elif start > paragraphs[index][0] or index == 0:
            self._move_cursor(self._sentence_at(paragraphs[index][0]))
        else:
            self._move_cursor(self._sentence_at(paragraphs[index - 1][0]))

    def _start_moving(self) -> bool:
        """Before a cursor move: the cursor exists and a whole-passage selection gives way to it."""
        if not self._ensure_cursor():
            self.app.bell()
            return False
        if self._mouse_span is not None or self._span_selection is not None:
            start = (self._mouse_span or self._span_selection)[0]  # type: ignore[index]
            self._clear_mouse_selection()
            self._span_selection = None
            self._cursor = self._sentence_at(start)
        return True

    def action_toggle_selection(self) -> None:
        if self.selecting:
            self.action_cancel_selection()
            return
        if not self._ensure_cursor():
            self.app.bell()
            return
        self._anchor = self._cursor
        self._draw_passage()

    def action_cancel_selection(self) -> None:
        self._anchor = None
        self._span_selection = None
        self._clear_mouse_selection()
        self._draw_passage()

    def action_bookmark(self) -> None:
        if self.article is None or not self._ensure_cursor():
            self.app.bell()
            return
        passage = self.passage
        if passage is None:
            return
        self.post_message(self.BookmarkRequested(self.article, *passage))
        self._anchor = None
        self._span_selection = None
        self._clear_mouse_selection()
        self._draw_passage()

    def action_edit_note(self) -> None:
        found = self._bookmark_here()
        if found is not None:
            self.post_message(self.NoteEditRequested(found))

    def action_delete_bookmark(self) -> None:
        found = self._bookmark_here()
        if found is not None:
            self.post_message(self.DeleteRequested(found))

    def action_undo_delete(self) -> None:
        self.post_message(self.UndoRequested())

    def _bookmark_here(self) -> str | None:
        found = self.bookmark_at_passage() if self.article is not None else None
        if found is None:
            self.app.bell()
            self.notify("No bookmark at the cursor (b bookmarks the sentence; ' jumps to the next bookmark).", timeout=4)
        return found

    def action_bookmark_step(self, step: int) -> None:
        if not self._bookmarks:
            self.app.bell()
            self.notify("No bookmarks in this article.", timeout=3)
            return
        self._ensure_cursor()
        here = self.passage[0] if self.passage is not None else self.top_offset()
        if step > 0:
            later = [item for item in self._bookmarks if item[0] > here]
            target = later[0] if later else self._bookmarks[0]
        else:
            earlier = [item for item in self._bookmarks if item[0] < here]
            target = earlier[-1] if earlier else self._bookmarks[-1]
        self.select_passage(target[0], target[1])

    # -- the mouse --------------------------------------------------------------------------------

    def selection_updated(self, selection: Selection | None) -> None:
        """Textual's text selection in this pane becomes the passage ``b`` bookmarks."""
        span = self._selection_span(selection) if selection is not None else None
        if span != self._mouse_span:
            self._mouse_span = span
            if span is not None:
                self._anchor = None
                self._span_selection = None
            self._draw_passage()

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text as it is in the article (for copying)."""
        span = self._selection_span(selection)
        if span is None or self.article is None:
            return None
        return self.article.text[span[0] : span[1]], "\n"

    def _selection_span(self, selection: Selection) -> tuple[int, int] | None:
        if self.article is None or not self._body:
            return None
        text = self.article.text
        start = self._offset_at(selection.start) if selection.start is not None else 0
        end = self._offset_at(selection.end) if selection.end is not None else len(text)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    def _offset_at(self, point: Offset) -> int:
        """The text offset shown at virtual ``point`` (x counts characters from the margin's start)."""
        index = point.y - len(self._header)
        if index < 0:
            return self._body[0].start
        if index >= len(self._body):
            return self._body[-1].end
        line = self._body[index]
        column = max(0, min(point.x - self._margin, len(line.text)))
        if line.offsets is None:
            return line.start + column
        return line.offsets[column] if column < len(line.offsets) else line.end

    def on_click(self, event: events.Click) -> None:
        """A click puts the passage cursor on the sentence there; shift+click extends a selection to it."""
        offset = event.get_content_offset(self)
        if offset is None or self.article is None or not self._body or self._mouse_span is not None:
            return
        sentences = self._sentence_list()
        if not sentences:
            return
        at = self._offset_at(Offset(offset.x + round(self.scroll_x), offset.y + round(self.scroll_y)))
        index = self._sentence_at(at)
        if event.shift:
            if self._anchor is None:
                self._ensure_cursor()
                self._anchor = self._cursor
        else:
            self._anchor = None
        self._span_selection = None
        self._cursor = index
        self._draw_passage()

    def watch_has_focus(self, has_focus: bool) -> None:
        # Not on_focus/on_blur: those run before Widget's own handlers have updated has_focus.
        super().watch_has_focus(has_focus)
        if has_focus:
            self._ensure_cursor()
        self._draw_passage()

    def action_next_match(self) -> None:
        self._move_match(+1)

    def action_previous_match(self) -> None:
        self._move_match(-1)

    def _move_match(self, step: int) -> None:
        if not self._matches:
            self.app.bell()
            return
        if self._current is None:
            # Start from the reading position rather than from the top of the article.
            top = self.top_offset()
            after = [i for i, (start, _) in enumerate(self._matches) if start >= top]
            self._current = (after[0] if after else 0) if step > 0 else ((after[0] - 1) if after else -1)
            self._current %= len(self._matches)
        else:
            self._current = (self._current + step) % len(self._matches)
        self._draw_current()
        self.scroll_to_offset(self._matches[self._current][0], center=True)

    def _draw_current(self) -> None:
        if self._current is None:
            self.clear_span_layer(CURRENT_MATCH)
        else:
            self.set_span_layer(
                CURRENT_MATCH, [self._matches[self._current]], "reader-pane--search-current", priority=20
            )
        self._update_subtitle()
        self.post_message(self.MatchMoved(self._current, len(self._matches)))

    # -- layout -----------------------------------------------------------------------------------

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._laid_out_width:
            position = self.top_offset() if self.scroll_y else None
            self._layout()
            if position:
                self.scroll_to_offset(position)

    def _layout(self) -> None:
        width = self.scrollable_content_region.width
        self._laid_out_width = width
        measure = max(10, min(self.measure, width - 2))
        self._margin = max(1, (width - measure) // 2) if width > measure else 0
        article = self.article
        self._header = []
        if article is None:
            self._body = wrap_body((), measure)
            for line in wrap_plain("No article open. Choose one from the list and press Enter.", measure):
                self._header.append(("reader-pane--placeholder", line))
        else:
            for line in wrap_plain(one_line(article.title), measure):
                self._header.append(("reader-pane--title", line))
            for line in wrap_plain(describe(article), measure):
                self._header.append(("reader-pane--meta", line))
            self._header.append(("reader-pane--rule", "─" * measure))
            self._header.append(("", ""))
            self._body = wrap_body(article.paragraphs, measure)
        self.virtual_size = Size(width, len(self._header) + len(self._body) + 1)
        self._update_subtitle()
        self._redraw()

    def _update_subtitle(self) -> None:
        if self.article is None:
            self.border_subtitle = None
            return
        parts = []
        if self._anchor is not None:
            parts.append("selecting: b bookmarks, Esc cancels")
        if self._bookmarks:
            parts.append(f"{len(self._bookmarks)} bookmark{'s' if len(self._bookmarks) != 1 else ''}")
        if self._matches:
            shown = "–" if self._current is None else str(self._current + 1)
            parts.append(f"{shown}/{len(self._matches)}")
        if self.max_scroll_y > 0:
            parts.append(f"{round(100 * self.scroll_y / self.max_scroll_y)}%")
        self.border_subtitle = Content(" · ".join(parts)) if parts else None

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        # Textual moves the scrollbar's thumb only while the scrollbar is shown; a scroll made as
        # the article appeared (before its scrollbar did) would otherwise leave the thumb at the top.
        if shown:
            self.vertical_scrollbar.position = self.scroll_y

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._update_subtitle()
            if self._cursor is not None and self.has_focus and not self.selecting:
                before = self._cursor
                self._ensure_cursor()  # the cursor follows the reading position when scrolled away
                if self._cursor != before:
                    self._draw_passage()

    # -- drawing ----------------------------------------------------------------------------------

    def _redraw(self) -> None:
        self._cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        key = (index, width)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_virtual_line(index, width)
            self._cache[key] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style).apply_offsets(scroll_x, index)

    def _render_virtual_line(self, index: int, width: int) -> Strip:
        base = self.rich_style
        if index < len(self._header):
            component, shown = self._header[index]
            style = base + self.get_component_rich_style(component, partial=True) if component else base
            text = Text(shown, style=style, end="", no_wrap=True)
        elif index - len(self._header) < len(self._body):
            text = self._styled_body_line(self._body[index - len(self._header)], base)
        else:
            return Strip.blank(width, base)
        margin = [Segment(" " * self._margin, base)]
        bookmarks = self._layers.get(BOOKMARKS)
        if bookmarks is not None and self._margin and index >= len(self._header):
            line = self._body[index - len(self._header)]
            if bookmarks.overlapping(line.start, max(line.end, line.start + 1)):
                mark = base + self.get_component_rich_style("reader-pane--bookmark-mark", partial=True)
                margin = [Segment(" " * (self._margin - 1), base), Segment(BOOKMARK_MARK, mark)]
        # Rich leaves a Text without spans unstyled (a console would apply the style), and an
        # unstyled segment reaches the terminal in its default colours, not the theme's.
        segments = [*margin, *Segment.apply_style(text.render(self.app.console), text.style)]
        return Strip(segments).adjust_cell_length(width, base)

    def _styled_body_line(self, line: BodyLine, base: Style) -> Text:
        text = Text(line.text, style=base, end="", no_wrap=True)
        for layer in sorted(self._layers.values(), key=lambda layer: layer.priority):
            spans = layer.overlapping(line.start, line.end)
            if not spans:
                continue
            style = self.get_component_rich_style(layer.component, partial=True)
            for start, end in spans:
                columns = line.columns(start, end)
                if columns:
                    text.stylize(style, *columns)
        return text


def describe(article: Article) -> str:
    """The metadata line under the title: source · authors · editor · place · date · reading time."""
    parts: list[str] = []
    if article.source:
        parts.append(article.source)
    if article.authors:
        parts.append("by " + ", ".join(article.authors))
    if article.editor:
        parts.append("editor " + article.editor)
    if article.place:
        parts.append(article.place)
    if article.published:
        parts.append(article.published.display())
    minutes = article.reading_minutes()
    parts.append(f"{minutes} min read")
    return one_line(" · ".join(parts))
