"""The reader pane: one article, wrapped at a readable measure and drawn line by line.

Only the lines on screen are rendered (Textual's Line API), so a 1 MB article opens and scrolls
without lag. Highlights are *span layers*: named lists of ``(start, end)`` offsets into
``Article.text`` with a component class for their style. Search hits and the current match are
two layers; bookmarks and a passage cursor can add their own with :meth:`ReaderPane.set_span_layer`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kliping.article import Article
from kliping.sanitize import one_line
from kliping.tui.layout import BodyLine, line_for_offset, wrap_body, wrap_plain

DEFAULT_MEASURE = 80
SEARCH_HITS = "search-hits"
CURRENT_MATCH = "current-match"


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
    ]

    class MatchMoved(Message):
        """The current search match changed (``index`` is 0-based, ``None`` when there are none)."""

        def __init__(self, index: int | None, total: int) -> None:
            super().__init__()
            self.index = index
            self.total = total

    def __init__(self, *, measure: int = DEFAULT_MEASURE, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.measure = measure
        self.article: Article | None = None
        self._header: list[tuple[str, str]] = []  # (component class, inert text)
        self._body: list[BodyLine] = []
        self._starts: list[int] = []
        self._margin = 0
        self._layers: dict[str, SpanLayer] = {}
        self._matches: list[tuple[int, int]] = []
        self._current: int | None = None
        self._laid_out_width = 0
        self._cache: LRUCache[tuple[int, int], Strip] = LRUCache(1024)

    # -- what is shown ----------------------------------------------------------------------------

    def show_article(self, article: Article | None, *, position: int | None = None) -> None:
        """Show ``article`` scrolled to ``position`` (an offset into ``Article.text``), else the
        top. Matches are set afterwards with :meth:`set_matches`."""
        self.article = article
        self._layers.pop(SEARCH_HITS, None)
        self._layers.pop(CURRENT_MATCH, None)
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

    @property
    def match_count(self) -> int:
        return len(self._matches)

    @property
    def current_match(self) -> int | None:
        return self._current

    @property
    def body_lines(self) -> list[BodyLine]:
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
        return len(self._header) + line_for_offset(self._starts, offset)

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
            self._body, self._starts = [], []
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
            self._starts = [line.start for line in self._body]
        self.virtual_size = Size(width, len(self._header) + len(self._body) + 1)
        self._update_subtitle()
        self._redraw()

    def _update_subtitle(self) -> None:
        if self.article is None:
            self.border_subtitle = None
            return
        parts = []
        if self._matches:
            shown = "–" if self._current is None else str(self._current + 1)
            parts.append(f"{shown}/{len(self._matches)}")
        if self.max_scroll_y > 0:
            parts.append(f"{round(100 * self.scroll_y / self.max_scroll_y)}%")
        self.border_subtitle = Content(" · ".join(parts)) if parts else None

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._update_subtitle()

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
        segments = [Segment(" " * self._margin, base), *text.render(self.app.console)]
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
