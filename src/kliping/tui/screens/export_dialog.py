"""Asks where to export the bookmarks to, offering a file in the library's data directory."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from kliping.sanitize import one_line


class ExportDialog(ModalScreen[Path | None]):
    """One path field, filled in with ``default``; Enter exports there, Esc does not export."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export.cancel", tooltip="Close without exporting"),
    ]

    def __init__(self, default: Path, count: int) -> None:
        super().__init__()
        self.default = default
        self.count = count

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog") as box:
            box.border_title = Content("Export bookmarks as Markdown")
            box.border_subtitle = Content("Enter exports · Esc cancels")
            noun = "bookmark" if self.count == 1 else "bookmarks"
            yield Static(Content(f"{self.count} {noun}, grouped by article, to the file:"), markup=False)
            yield Input(one_line(str(self.default)), id="export-path")

    @on(Input.Submitted, "#export-path")
    def path_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.notify("Give a file to export to.", severity="warning")
            return
        self.dismiss(Path(text).expanduser())

    def action_cancel(self) -> None:
        self.dismiss(None)
