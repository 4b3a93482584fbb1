"""Asks where to export the bookmarks to, offering a file in the library's data directory.

A file that exists already is replaced only after a second Enter on the same path: the first one
says so in the dialog (an export once replaced the user's own file without a word).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from kliping.files import paths
from kliping.files.sanitize import one_line


class ExportDialog(ModalScreen[Path | None]):
    """One path field, filled in with ``default``; Enter exports there, Esc does not export."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel", tooltip="Close without exporting"),
    ]

    def __init__(self, default: Path, count: int) -> None:
        super().__init__()
        self.default = default
        self.count = count
        self._replace_confirmed: Path | None = None  # the existing file a second Enter replaces

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog") as box:
            box.border_title = Content("Export bookmarks as Markdown")
            box.border_subtitle = Content("Enter exports · Esc cancels")
            noun = "bookmark" if self.count == 1 else "bookmarks"
            yield Static(Content(f"{self.count} {noun}, grouped by article, to the file:"), markup=False)
            yield Input(one_line(str(self.default)), id="export-path")
            yield Static(Content(""), id="export-confirm", markup=False)

    def _say(self, text: str) -> None:
        self.query_one("#export-confirm", Static).update(Content(one_line(text)))

    @on(Input.Changed, "#export-path")
    def path_changed(self) -> None:
        # A confirmation is for one file: another path must be confirmed anew.
        if self._replace_confirmed is not None:
            self._replace_confirmed = None
            self._say("")

    @on(Input.Submitted, "#export-path")
    def path_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.notify("Give a file to export to.", severity="warning")
            return
        try:
            target = paths.expand_user(text)
        except ValueError as exc:
            self._say(str(exc))
            return
        if target.is_dir():
            self._say(f"{target} is a folder: give a file name in it.")
            return
        if target.exists() or target.is_symlink():
            if not target.is_file():
                self._say(f"{target} is not a regular file; choose another name.")
                return
            if self._replace_confirmed != target:
                self._replace_confirmed = target
                self._say(f"{target} already exists: Enter again replaces it, Esc keeps it.")
                return
        self.dismiss(target)

    def action_cancel(self) -> None:
        self.dismiss(None)
