"""The bookmarks screen (``B``): every bookmark of the library in one list, filtered as you type.

Each entry shows the quote, the note, the tags, the article's title and date; a bookmark whose
passage can no longer be found in its article is shown as orphaned, with its stored quote, and
can be re-attached to the closest passage or deleted. The screen handles its own keys: edits go
through the main screen's :class:`kliping.tui.bookmark_actions.BookmarkActions` (whose store jobs
send it fresh rows), and Enter dismisses it with the bookmark to open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from kliping.bookmarks.model import bookmark_matches
from kliping.files.sanitize import one_line, strip_controls
from kliping.tui.messages import BookmarkRowsListed
from kliping.tui.screens.note_dialog import shorten
from kliping.tui.session import BookmarkRow
from kliping.tui.widgets.footer import ReaderFooter

if TYPE_CHECKING:
    from kliping.tui.bookmark_actions import BookmarkActions

QUOTE_WIDTH = 300
NOTE_LINES = 3


def row_prompt(row: BookmarkRow) -> Content:
    """What one entry shows, every piece made inert."""
    bookmark = row.bookmark
    lines: list[Content] = []
    quote = Content.styled("“" + shorten(bookmark.quote, QUOTE_WIDTH) + "”", "bold")
    if row.orphaned:
        why = "article not in the library" if not row.in_library else "passage not found in the article"
        quote = Content.assemble(("ORPHANED ", "bold $error"), (f"({why}) ", "$error"), quote)
    lines.append(quote)
    note_lines = [one_line(line) for line in strip_controls(bookmark.note).splitlines() if line.strip()]
    for line in note_lines[:NOTE_LINES]:
        lines.append(Content.styled("  " + line, "italic"))
    if len(note_lines) > NOTE_LINES:
        lines.append(Content.styled("  …", "italic"))
    meta = []
    if bookmark.tags:
        meta.append(" ".join("#" + one_line(tag) for tag in bookmark.tags))
    meta.append(row.title)
    if row.date:
        meta.append(row.date)
    lines.append(Content.styled("  " + " · ".join(meta), "dim"))
    return Content("\n").join(lines)


class BookmarkFilter(Input):
    """The filter field; Enter opens the highlighted bookmark."""


class BookmarksScreen(Screen[str | None]):
    """Lists :class:`BookmarkRow`\\ s (set with :meth:`show_rows`); dismissed with the id of the
    bookmark to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="bookmarks.close", tooltip="Clear the filter, or go back to the reader"),
        Binding("slash", "focus_filter", "Filter", id="bookmarks.filter", tooltip="Type to filter by quote, note, tag or title"),
        Binding("j,down", "move(1)", "Down", show=False, id="bookmarks.down", tooltip="Next bookmark"),
        Binding("k,up", "move(-1)", "Up", show=False, id="bookmarks.up", tooltip="Previous bookmark"),
        Binding("enter", "open", "Open", id="bookmarks.open", tooltip="Open the article at the passage, selected"),
        Binding("e", "edit", "Edit note", id="bookmarks.edit-note", tooltip="Edit the note and tags"),
        Binding("d", "delete", "Delete", id="bookmarks.delete", tooltip="Delete the bookmark (u brings it back)"),
        Binding("u", "undo", "Undo", show=False, id="bookmarks.undo-delete", tooltip="Bring back the last deleted bookmark"),
        Binding(
            "r", "reattach", "Re-attach", id="bookmarks.reattach", tooltip="Re-attach an orphaned bookmark to the closest passage"
        ),
        Binding("x", "export", "Export", id="bookmarks.export", tooltip="Export every bookmark as Markdown to a file"),
    ]

    def __init__(self, actions: BookmarkActions) -> None:
        super().__init__()
        self.actions = actions
        self.rows: list[BookmarkRow] = []
        self.shown: list[BookmarkRow] = []
        self.loaded = False
        self.problem: str | None = None

    def compose(self) -> ComposeResult:
        yield BookmarkFilter(placeholder="Filter bookmarks (quote, note, tag, title)", id="bookmarks-filter")
        yield Static(Content("Loading bookmarks…"), id="bookmarks-status", markup=False)
        yield OptionList(id="bookmarks-list")
        yield ReaderFooter()

    @on(events.Mount)
    def mounted(self) -> None:
        self.query_one(OptionList).border_title = Content("Bookmarks")
        self.query_one(BookmarkFilter).focus()
        self.request_rows()

    # -- rows -------------------------------------------------------------------------------------

    def request_rows(self) -> None:
        """Ask for fresh rows (after every change; the file is re-read if another process changed it)."""
        self.actions.list_rows(reply_to=self)

    @on(BookmarkRowsListed)
    def rows_listed(self, message: BookmarkRowsListed) -> None:
        self.show_rows(message.rows, problem=message.problem)

    def show_rows(self, rows: list[BookmarkRow], *, problem: str | None = None) -> None:
        """Replace the rows (the highlighted bookmark stays highlighted where it is still listed)."""
        self.rows = rows
        self.loaded = True
        self.problem = problem
        self._refilter()

    @property
    def highlighted_row(self) -> BookmarkRow | None:
        index = self.query_one(OptionList).highlighted
        return self.shown[index] if index is not None and 0 <= index < len(self.shown) else None

    @on(Input.Changed, "#bookmarks-filter")
    def filter_changed(self) -> None:
        self._refilter()

    def _refilter(self) -> None:
        query = self.query_one(BookmarkFilter).value
        option_list = self.query_one(OptionList)
        keep = self.highlighted_row.bookmark.id if self.highlighted_row else None
        self.shown = [row for row in self.rows if bookmark_matches(row.bookmark, query, row.title)]
        option_list.set_options(Option(row_prompt(row), id=row.bookmark.id) for row in self.shown)
        if self.shown:
            ids = [row.bookmark.id for row in self.shown]
            option_list.highlighted = ids.index(keep) if keep in ids else 0
        self._update_status(query)

    def _update_status(self, query: str) -> None:
        orphans = sum(row.orphaned for row in self.rows)
        if not self.rows:
            text = "No bookmarks yet. In the reader, b bookmarks the sentence at the cursor."
        elif query:
            text = f"{len(self.shown)} of {len(self.rows)} bookmarks match"
        else:
            text = f"{len(self.rows)} bookmark{'s' if len(self.rows) != 1 else ''}"
        if orphans:
            text += f" · {orphans} orphaned (r re-attaches, d deletes)"
        if self.rows:
            text += " · Tab to the list: Enter opens, e edits, d deletes, x exports"
        if self.problem:
            text += f" · read-only: {one_line(self.problem)}"
        self.query_one("#bookmarks-status", Static).update(Content(text))

    # -- actions ----------------------------------------------------------------------------------

    def _highlighted_or_bell(self) -> BookmarkRow | None:
        row = self.highlighted_row
        if row is None:
            self.app.bell()
        return row

    @on(OptionList.OptionSelected, "#bookmarks-list")
    @on(Input.Submitted, "#bookmarks-filter")
    def action_open(self) -> None:
        if row := self._highlighted_or_bell():
            self.dismiss(row.bookmark.id)

    def action_edit(self) -> None:
        if row := self._highlighted_or_bell():
            self.actions.edit_note(row.bookmark.id)

    def action_delete(self) -> None:
        if row := self._highlighted_or_bell():
            self.actions.delete(row.bookmark.id)

    def action_reattach(self) -> None:
        row = self._highlighted_or_bell()
        if row is None:
            return
        if not row.orphaned:
            self.notify("That bookmark is not orphaned; its passage is found in the article.", timeout=4)
            return
        self.actions.reattach(row.bookmark.id)

    def action_undo(self) -> None:
        self.actions.undo_delete()

    def action_export(self) -> None:
        self.actions.export()

    def action_move(self, step: int) -> None:
        option_list = self.query_one(OptionList)
        if step > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_focus_filter(self) -> None:
        self.query_one(BookmarkFilter).focus()

    def action_close(self) -> None:
        field = self.query_one(BookmarkFilter)
        if field.value:
            field.value = ""
            return
        self.dismiss(None)
