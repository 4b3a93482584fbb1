"""The article list: one row per article, rendered only where it is on screen.

Twenty thousand rows cost twenty thousand small records, not twenty thousand widgets. While a
search is active every row takes two lines: the title line with the hit count, and a one-line
snippet with the matched words highlighted.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from kliping.articles.model import PublishedDate
from kliping.files.sanitize import one_line, strip_controls
from kliping.tui.widgets.line_view import LineView, Motion, motion_bindings

SORT_ORDERS = ("date", "title", "relevance")


@dataclass(slots=True)
class ArticleRow:
    """What one row shows. ``title`` and ``source`` are inert already; ``snippet`` is raw hit text
    with ``snippet_spans`` into it (made inert when drawn)."""

    article_id: str
    title: str
    source: str
    published: PublishedDate | None
    rank: int = 0  # position in the search results (relevance order)
    hit_count: int | None = None
    snippet: str = ""
    snippet_spans: tuple[tuple[int, int], ...] = ()
    kind: str = "article"  # or "bookmark" / "note": a hit in a bookmarked passage or its note
    bookmark_id: str | None = None

    @property
    def date_text(self) -> str:
        return self.published.display() if self.published else ""


def sort_rows(rows: list[ArticleRow], order: str) -> list[ArticleRow]:
    if order == "title":
        return sorted(rows, key=lambda row: (row.title.casefold(), row.rank))
    if order == "relevance":
        return sorted(rows, key=lambda row: row.rank)
    # newest first, unknown dates last, ties by title
    dated = sorted(rows, key=lambda row: row.title.casefold())
    return sorted(dated, key=lambda row: row.published.sort_key() if row.published else (0, 0, 0), reverse=True)


def inert_snippet(snippet: str, spans: tuple[tuple[int, int], ...]) -> list[tuple[str, bool]]:
    """The snippet as (text, is_match) pieces on one line, control characters removed.

    Each piece is made inert on its own so the match positions never drift."""
    pieces: list[tuple[str, bool]] = []
    cursor = 0
    for start, end in sorted(spans):
        if start < cursor or end <= start:
            continue
        pieces.append((snippet[cursor:start], False))
        pieces.append((snippet[start:end], True))
        cursor = end
    pieces.append((snippet[cursor:], False))
    folded: list[tuple[str, bool]] = []
    for text, is_match in pieces:
        text = strip_controls(text)
        text = " ".join(text.split()) if is_match else _fold_keeping_edges(text)
        if text:
            folded.append((text, is_match))
    return folded


def _fold_keeping_edges(text: str) -> str:
    inner = " ".join(text.split())
    if not inner:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + inner + (" " if text[-1].isspace() else "")


class ArticleList(LineView, can_focus=True):
    """A virtual list of :class:`ArticleRow`. Posts :class:`ArticleChosen` and :class:`SortChanged`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--cursor",
        "article-list--cursor-blurred",
        "article-list--unread",
        "article-list--meta",
        "article-list--snippet",
        "article-list--snippet-hit",
        "article-list--empty",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        *motion_bindings(
            down=Motion("move(1)", "list.down", "Down", "Move to the next article"),
            up=Motion("move(-1)", "list.up", "Up", "Move to the previous article"),
            page_down=Motion("page(1)", "list.page-down", "Page down", "Move down one page"),
            page_up=Motion("page(-1)", "list.page-up", "Page up", "Move up one page"),
            top=Motion("first", "list.first", "First", "Move to the first article"),
            bottom=Motion("last", "list.last", "Last", "Move to the last article"),
        ),
        Binding("enter", "choose", "Open", id="list.open", tooltip="Open the highlighted article in the reader"),
        Binding("s", "cycle_sort", "Sort", id="list.sort", tooltip="Sort by date, title or relevance (cycles)"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    order: reactive[str] = reactive("date", init=False)

    @dataclass
    class ArticleChosen(Message):
        """Open ``row``'s article (at its bookmark, for a bookmark or note hit)."""

        row: ArticleRow

    @dataclass
    class SortChanged(Message):
        """The rows are sorted by ``order`` now (one of :data:`SORT_ORDERS`)."""

        order: str

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[ArticleRow] = []
        self.read: set[str] = set()
        self.searching = False
        self.empty_message = "No articles."

    # -- contents ---------------------------------------------------------------------------------

    @property
    def row_height(self) -> int:
        return 2 if self.searching else 1

    @property
    def highlighted(self) -> ArticleRow | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def set_rows(self, rows: list[ArticleRow], *, searching: bool, keep: str | None = None) -> None:
        """Replace the rows (sorted by :attr:`order`); the cursor stays on article ``keep``
        where it is still listed, else goes to the top."""
        self.searching = searching
        if not searching and self.order == "relevance":
            self.set_reactive(ArticleList.order, "date")
        self.rows = sort_rows(rows, self.order)
        self._relayout()
        index = next((i for i, row in enumerate(self.rows) if row.article_id == keep), 0) if keep else 0
        self.scroll_to(y=0, animate=False, force=True)
        self.cursor = index

    def mark_read(self, article_id: str) -> None:
        if article_id not in self.read:
            self.read.add(article_id)
            self._redraw()

    def select_article(self, article_id: str) -> bool:
        """Put the cursor on ``article_id`` if it is listed."""
        for index, row in enumerate(self.rows):
            if row.article_id == article_id:
                self.cursor = index
                return True
        return False

    def _relayout(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows) * self.row_height)
        self._redraw()

    # -- cursor -----------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def watch_cursor(self, value: int) -> None:
        self._redraw()
        self._scroll_cursor_into_view()

    def watch_order(self, order: str) -> None:
        keep = self.highlighted.article_id if self.highlighted else None
        self.rows = sort_rows(self.rows, order)
        self._redraw()
        if keep:
            self.select_article(keep)
        self.post_message(self.SortChanged(order))

    def _scroll_cursor_into_view(self) -> None:
        top = self.cursor * self.row_height
        height = self.scrollable_content_region.height
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False, force=True)
        elif top + self.row_height > self.scroll_y + height:
            self.scroll_to(y=top + self.row_height - height, animate=False, force=True)

    def action_move(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        per_page = max(1, self.scrollable_content_region.height // self.row_height - 1)
        self.cursor += direction * per_page

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.rows) - 1

    def action_choose(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.ArticleChosen(self.highlighted))

    def action_cycle_sort(self) -> None:
        orders = SORT_ORDERS if self.searching else tuple(o for o in SORT_ORDERS if o != "relevance")
        current = orders.index(self.order) if self.order in orders else -1
        self.order = orders[(current + 1) % len(orders)]

    def on_click(self, event: Click) -> None:
        index = int(self.scroll_y + event.y) // self.row_height
        if 0 <= index < len(self.rows):
            self.cursor = index
            if event.chain >= 2:
                self.action_choose()

    def on_resize(self) -> None:
        self._relayout()

    def on_focus(self) -> None:
        self._redraw()

    def on_blur(self) -> None:
        self._redraw()

    # -- drawing ----------------------------------------------------------------------------------

    def _line_key(self, index: int, width: int) -> Hashable:
        return (index, width, self.has_focus)

    def _render_virtual_line(self, index: int, width: int) -> Strip:
        base = self.rich_style
        if not self.rows:
            if index == 0:
                style = base + self.get_component_rich_style("article-list--empty", partial=True)
                return Strip([Segment(" " + one_line(self.empty_message), style)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        row_index, part = divmod(index, self.row_height)
        if row_index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[row_index]
        cursor_style = Style.null()
        if row_index == self.cursor:
            cursor = "article-list--cursor" if self.has_focus else "article-list--cursor-blurred"
            cursor_style = self.get_component_rich_style(cursor, partial=True)
            base = base + cursor_style
        if part == 0:
            text = self._title_line(row, width, base, cursor_style)
        else:
            text = self._snippet_line(row, width, base, cursor_style)
        return Strip(list(text.render(self.app.console))).adjust_cell_length(width, base)

    def _title_line(self, row: ArticleRow, width: int, base: Style, cursor_style: Style) -> Text:
        # The cursor's colours win over the muted metadata colour, which is unreadable on it.
        meta_style = base + self.get_component_rich_style("article-list--meta", partial=True) + cursor_style
        unread = row.article_id not in self.read
        marker = Text("● " if unread else "  ", style=base + self.get_component_rich_style("article-list--unread", partial=True))
        right = Text(style=meta_style, end="")
        if row.hit_count is not None:
            right.append(f" {row.hit_count}×")
        if row.kind != "article":
            right.append(f" {row.kind}")
        if row.source and width >= 56:  # a narrow list keeps its room for the title
            right.append(" " + row.source[:16])
        if row.date_text:
            right.append(" " + row.date_text.rjust(11))
        title_width = max(4, width - marker.cell_len - right.cell_len - 1)
        title = Text(row.title, style=base, end="", no_wrap=True, overflow="ellipsis")
        title.truncate(title_width, overflow="ellipsis", pad=True)
        line = Text(style=base, end="", no_wrap=True)
        line.append_text(marker)
        line.append_text(title)
        line.append(" ", style=base)
        line.append_text(right)
        line.truncate(width, pad=True)
        return line

    def _snippet_line(self, row: ArticleRow, width: int, base: Style, cursor_style: Style) -> Text:
        plain = base + self.get_component_rich_style("article-list--snippet", partial=True) + cursor_style
        hit = plain + self.get_component_rich_style("article-list--snippet-hit", partial=True)
        indent = "    "
        pieces = inert_snippet(row.snippet, row.snippet_spans)
        # Keep the first match in view: drop words from the left when it would start past a third
        # of the line.
        before = 0
        for piece, is_match in pieces:
            if is_match:
                break
            before += len(piece)
        excess = before - (width - len(indent)) // 3
        line = Text(indent, style=plain, end="", no_wrap=True, overflow="ellipsis")
        if excess > 0:
            line.append("…", style=plain)
        for piece, is_match in pieces:
            if excess > 0 and not is_match:
                cut = min(excess, len(piece))
                piece, excess = piece[cut:], excess - cut
            line.append(piece, style=hit if is_match else plain)
        line.truncate(width, overflow="ellipsis", pad=True)
        return line
