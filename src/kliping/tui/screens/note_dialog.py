"""The small dialog that takes a bookmark's note and tags, after bookmarking or with ``e``.

The bookmark is already saved when the dialog opens (nothing is lost if the app is killed while
it is open); the dialog only decides whether a note and tags are added. ``Esc`` leaves the
bookmark as it is. Saving is ``Ctrl+O`` or ``F2`` from anywhere in the dialog (``Ctrl+Enter``
and ``Ctrl+S`` do not reach the app in many terminals), ``Enter`` in the tags field, or the Save
button; ``Tab`` moves between the note, the tags and the buttons.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from kliping.bookmarks.model import parse_tags
from kliping.files.sanitize import one_line, strip_controls

QUOTE_PREVIEW = 160


@dataclass(frozen=True, slots=True)
class NoteResult:
    """What the dialog was saved with."""

    note: str
    tags: tuple[str, ...]


def shorten(text: str, width: int) -> str:
    """``text`` on one line, inert, cut to ``width`` characters with an ellipsis."""
    text = one_line(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


class NoteDialog(ModalScreen[NoteResult | None]):
    """Note (several lines) and tags for one bookmark; dismissed with a NoteResult or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o,f2", "save", "Save", id="note.save", tooltip="Save the note and tags"),
        Binding("escape", "keep", "Keep as is", id="note.keep", tooltip="Close; the bookmark stays, the note unchanged"),
        # Priority, so focus moves when Tab arrives: the letters typed right after it belong to
        # the next field even when they come in the same burst (a paste, a fast typist).
        Binding("tab", "move_focus(1)", "Next field", show=False, priority=True, id="note.next-field", tooltip="Next field"),
        Binding(
            "shift+tab", "move_focus(-1)", "Previous field", show=False, priority=True, id="note.previous-field",
            tooltip="Previous field",
        ),
    ]

    def __init__(self, quote: str, *, note: str = "", tags: tuple[str, ...] = (), heading: str = "Bookmarked") -> None:
        super().__init__()
        self.quote = quote
        self.note = note
        self.tags = tags
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog") as box:
            box.border_title = Content(self.heading)
            box.border_subtitle = Content("Ctrl+O or F2 saves · Tab moves · Esc keeps the bookmark as it is")
            yield Static(Content("“" + shorten(self.quote, QUOTE_PREVIEW) + "”"), id="note-quote", markup=False)
            yield Static(Content("Note"), classes="note-label", markup=False)
            yield TextArea(strip_controls(self.note), id="note-text", soft_wrap=True, tab_behavior="focus")
            yield Static(Content("Tags (separated by spaces or commas)"), classes="note-label", markup=False)
            yield Input(" ".join(one_line(tag) for tag in self.tags), id="note-tags", placeholder="e.g. ekonomi gaza")
            with Horizontal(id="note-buttons"):
                yield Button(Content("Save"), id="note-save", variant="primary")
                yield Button(Content("Keep as is"), id="note-keep")

    @on(events.Mount)
    def mounted(self) -> None:
        area = self.query_one("#note-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def result(self) -> NoteResult:
        note = self.query_one("#note-text", TextArea).text
        tags = parse_tags(self.query_one("#note-tags", Input).value)
        return NoteResult(note, tags)

    def action_save(self) -> None:
        self.dismiss(self.result())

    def action_keep(self) -> None:
        self.dismiss(None)

    def action_move_focus(self, step: int) -> None:
        if step > 0:
            self.focus_next()
        else:
            self.focus_previous()

    @on(Input.Submitted, "#note-tags")
    def tags_submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#note-save")
    def save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#note-keep")
    def keep_pressed(self) -> None:
        self.action_keep()
