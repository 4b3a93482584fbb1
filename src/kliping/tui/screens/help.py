"""The help screen: every key binding, grouped by where it works, with what it does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

HelpSection = tuple[str, Sequence[Binding]]


def key_text(app, binding: Binding, overrides: dict[str, str]) -> str:
    """The keys of ``binding`` as the user presses them, after any keymap override (made inert by
    the app's ``get_key_display``)."""
    keys = overrides.get(binding.id, binding.key) if binding.id else binding.key
    shown = []
    for key in keys.split(","):
        key = key.strip()
        if key:
            shown.append(app.get_key_display(Binding(key, binding.action)))
    return " ".join(dict.fromkeys(shown))


class HelpScreen(ModalScreen[None]):
    """Lists ``sections`` of bindings; any of Esc, q, ? or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close", tooltip="Close the help screen"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="help.down", tooltip="Scroll down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up", tooltip="Scroll up"),
    ]

    def __init__(self, sections: Iterable[HelpSection], overrides: dict[str, str] | None = None) -> None:
        super().__init__()
        self.sections = list(sections)
        self.overrides = overrides or {}

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "Esc closes"
            yield Static(self._help_content(), id="help-text")

    def _help_content(self) -> Content:
        parts: list[Content] = []
        for title, bindings in self.sections:
            rows = [(key_text(self.app, b, self.overrides), b.description, b.tooltip) for b in bindings]
            width = max((len(keys) for keys, _, _ in rows), default=0)
            parts.append(Content.styled(title, "bold underline"))
            for keys, description, tooltip in rows:
                line = Content.assemble(
                    ("  " + keys.ljust(width + 2), "bold"),
                    (description.ljust(18), ""),
                    (tooltip, "dim"),
                )
                parts.append(line)
            parts.append(Content(""))
        return Content("\n").join(parts)

    def action_scroll(self, step: int) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_to(y=body.scroll_y + step, animate=False)
