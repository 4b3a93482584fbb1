"""The reader pane: one article, wrapped at a readable measure and drawn line by line.

Only the lines on screen are rendered (Textual's Line API), so a 1 MB article opens and scrolls
without lag. Highlights are *span layers*: named lists of ``(start, end)`` offsets into
``Article.text`` with a component class for their style. Search hits and the current match are
two layers; bookmarks and the passage cursor are two more.

The passage cursor is what bookmarks are made from. It sits on a sentence (the first one on screen
until it is moved) and is drawn while the pane has focus: ``)``/``(`` move it by sentence and
``}``/``{`` by paragraph, leaving the scrolling keys as they are. ``v`` starts a selection at the
cursor; while selecting, ``j``/``k`` extend it by sentence and ``}``/``{`` to paragraph ends. A
mouse selection (Textual's text selection) is a passage too. Which sentences those are is
:class:`kliping.tui.passages.PassageCursor`'s arithmetic; the pane shows the cursor, keeps it on
screen and says what the user asked for (messages): the bookmark store is not the pane's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.content import Content
from textual.geometry import Offset, Size
from textual.message import Message
from textual.selection import Selection
from textual.strip import Strip

from kliping.articles.model import Article
from kliping.files.sanitize import one_line
from kliping.tui.layout import BodyLine, BodyLines, wrap_body, wrap_plain
from kliping.tui.passages import PassageCursor, step_match
from kliping.tui.widgets.line_view import LineView
from kliping.tui.widgets.reader_keys import READER_BINDINGS
from kliping.tui.widgets.span_layers import SpanLayer

DEFAULT_MEASURE = 80
SEARCH_HITS = "search-hits"
CURRENT_MATCH = "current-match"
BOOKMARKS = "bookmarks"
PASSAGE = "passage"
BOOKMARK_MARK = "▌"  # in the left margin of every line showing part of a bookmark


class ReaderPane(LineView, can_focus=True):
    """Shows one :class:`Article`: a header (title, source, people, date, reading time) and its body."""

    CACHE_SIZE = 1024

    COMPONENT_CLASSES: ClassVar[set[str]] = {
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

    BINDINGS: ClassVar[list[BindingType]] = READER_BINDINGS

    @dataclass
    class BookmarkRequested(Message):
        """Bookmark ``article.text[start:end]``."""

        article: Article
        start: int
        end: int

    @dataclass
    class NoteEditRequested(Message):
        """Edit the note of bookmark ``bookmark_id``."""

        bookmark_id: str

    @dataclass
    class DeleteRequested(Message):
        """Delete bookmark ``bookmark_id``."""

        bookmark_id: str

    @dataclass
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
        self._passages = PassageCursor()

    # -- what is shown ----------------------------------------------------------------------------

    def show_article(self, article: Article | None, *, position: int | None = None) -> None:
        """Show ``article`` scrolled to ``position`` (an offset into ``Article.text``), else the
        top. Matches are set afterwards with :meth:`set_matches`."""
        self.article = article
        for layer in (SEARCH_HITS, CURRENT_MATCH, BOOKMARKS, PASSAGE):
            self._layers.pop(layer, None)
        self._passages = PassageCursor(article.text if article is not None else "")
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
        self._passages.set_bookmarks(bookmarks)
        spans = [(start, end) for start, end, _ in self._passages.bookmarks]
        self.set_span_layer(BOOKMARKS, spans, "reader-pane--bookmark", priority=5)
        self._update_subtitle()

    @property
    def bookmarks(self) -> list[tuple[int, int, str]]:
        return self._passages.bookmarks

    @property
    def selecting(self) -> bool:
        """A selection (from ``v``, the mouse or a jump to a bookmark) is shown, not just the cursor."""
        return self._passages.selecting

    @property
    def passage(self) -> tuple[int, int] | None:
        """What ``b`` would bookmark: the mouse selection, a selected passage, the ``v`` selection
        or else the sentence at the cursor (offsets into ``Article.text``)."""
        return self._passages.passage

    def select_passage(self, start: int, end: int) -> None:
        """Select ``[start, end)`` (a bookmark, say) and scroll it into view, centred."""
        if self.article is None:
            return
        self._passages.select_whole(start, end)
        self._clear_screen_selection()
        self.scroll_to_offset(start, center=True)
        self._draw_passage()

    def bookmark_at_passage(self) -> str | None:
        """The id of the bookmark under the passage cursor (or selection), if there is one."""
        self._ensure_cursor()
        return self._passages.bookmark_at()

    def _visible_lines(self) -> tuple[int, int]:
        top = round(self.scroll_y)
        return top, top + max(1, self.scrollable_content_region.height)

    def _span_visible(self, start: int, end: int) -> bool:
        top, bottom = self._visible_lines()
        return self.line_of_offset(max(start, end - 1)) >= top and self.line_of_offset(start) < bottom

    def _first_visible_sentence(self) -> int:
        sentences = self._passages.sentences
        index = self._passages.sentence_at(self.top_offset())
        top, _ = self._visible_lines()
        begins_above = self.line_of_offset(sentences[index][0]) < top
        if begins_above and index + 1 < len(sentences) and self._span_visible(*sentences[index + 1]):
            index += 1  # the sentence begins above the screen: take the first that begins on it
        return index

    def _ensure_cursor(self) -> bool:
        """Put the cursor on the first sentence on screen unless it is already on screen (or a
        selection is being made); False when the article has no text."""
        passages = self._passages
        if not passages.sentences:
            return False
        span = passages.cursor_span
        if span is None or (not passages.selecting and not self._span_visible(*span)):
            passages.place(self._first_visible_sentence())
        return True

    def _clear_screen_selection(self) -> None:
        """Textual's text selection goes with the passage model's mouse selection."""
        if self.is_mounted and self in self.screen.selections:
            self.screen.clear_selection()

    def _move_cursor(self, index: int) -> None:
        start, end = self._passages.place(index)
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
            return not self._passages.extending  # while selecting, j/k extend the selection instead
        if action == "extend":
            return self._passages.extending
        if action == "cancel_selection":
            return self.selecting
        return super().check_action(action, parameters)

    def action_sentence(self, step: int) -> None:
        if self._start_moving():
            self._move_cursor(self._passages.sentence_target(step))

    def action_extend(self, step: int) -> None:
        self.action_sentence(step)

    def action_paragraph(self, step: int) -> None:
        if self._start_moving():
            self._move_cursor(self._passages.paragraph_target(step))

    def _start_moving(self) -> bool:
        """Before a cursor move: the cursor exists and a whole-passage selection gives way to it."""
        if not self._ensure_cursor():
            self.app.bell()
            return False
        if self._passages.give_way():
            self._clear_screen_selection()
        return True

    def action_toggle_selection(self) -> None:
        if self.selecting:
            self.action_cancel_selection()
            return
        if not self._ensure_cursor():
            self.app.bell()
            return
        self._passages.start_selection()
        self._draw_passage()

    def action_cancel_selection(self) -> None:
        self._passages.cancel()
        self._clear_screen_selection()
        self._draw_passage()

    def action_bookmark(self) -> None:
        if self.article is None or not self._ensure_cursor():
            self.app.bell()
            return
        passage = self.passage
        if passage is None:
            return
        self.post_message(self.BookmarkRequested(self.article, *passage))
        self.action_cancel_selection()

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
        if not self._passages.bookmarks:
            self.app.bell()
            self.notify("No bookmarks in this article.", timeout=3)
            return
        self._ensure_cursor()
        passage = self.passage
        target = self._passages.bookmark_after(passage[0] if passage is not None else self.top_offset(), step)
        if target is not None:
            self.select_passage(target[0], target[1])

    # -- the mouse --------------------------------------------------------------------------------

    def selection_updated(self, selection: Selection | None) -> None:
        """Textual's text selection in this pane becomes the passage ``b`` bookmarks."""
        span = self._selection_span(selection) if selection is not None else None
        if self._passages.select_mouse(span):
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
        start = self._offset_at(selection.start) if selection.start is not None else 0
        end = self._offset_at(selection.end) if selection.end is not None else len(self.article.text)
        return self._passages.trimmed(start, end)

    def _offset_at(self, point: Offset) -> int:
        """The text offset shown at virtual ``point`` (x counts characters from the margin's start)."""
        index = point.y - len(self._header)
        if index < 0:
            return self._body[0].start
        if index >= len(self._body):
            return self._body[-1].end
        return self._body[index].offset_at(point.x - self._margin)

    def on_click(self, event: events.Click) -> None:
        """A click puts the passage cursor on the sentence there; shift+click extends a selection to it."""
        offset = event.get_content_offset(self)
        passages = self._passages
        if offset is None or self.article is None or not self._body or passages.mouse_span is not None:
            return
        if not passages.sentences:
            return
        at = self._offset_at(Offset(offset.x + round(self.scroll_x), offset.y + round(self.scroll_y)))
        index = passages.sentence_at(at)
        if event.shift and not passages.extending:
            self._ensure_cursor()
        passages.click(index, extend=event.shift)
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
        # Without a current match, start from the reading position rather than from the top.
        self._current = step_match(self._matches, self._current, self.top_offset(), step)
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
        if self._passages.extending:
            parts.append("selecting: b bookmarks, Esc cancels")
        if bookmarks := len(self._passages.bookmarks):
            parts.append(f"{bookmarks} bookmark{'s' if bookmarks != 1 else ''}")
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
            if self._passages.cursor is not None and self.has_focus and not self.selecting:
                before = self._passages.cursor
                self._ensure_cursor()  # the cursor follows the reading position when scrolled away
                if self._passages.cursor != before:
                    self._draw_passage()

    # -- drawing ----------------------------------------------------------------------------------

    def _render_virtual_line(self, index: int, width: int) -> Strip:
        base = self.rich_style
        if index < len(self._header):
            component, shown = self._header[index]
            style = base + self.get_component_rich_style(component, partial=True) if component else base
            text = Text(shown, style=style, end="", no_wrap=True)
        elif index - len(self._header) < len(self._body):
            style = base
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
        segments = [*margin, *Segment.apply_style(text.render(self.app.console), style)]
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
