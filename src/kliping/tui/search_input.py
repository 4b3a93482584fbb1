"""The search bar of the main screen, with its own keys: Esc clears it or leaves it, Tab takes the
"did you mean" suggestion."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

from kliping.tui.widgets.article_list import ArticleList


class SearchInput(Input):
    """The search bar. ``Esc`` clears it (or, when empty, returns to the list); ``Tab`` takes the
    "did you mean" suggestion when there is one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_or_leave", "Clear", id="search.clear", tooltip="Clear the search, or leave the bar"),
        Binding(
            "tab",
            "accept_suggestion",
            "Use suggestion",
            id="search.accept-suggestion",
            tooltip="Search for the suggested spelling",
        ),
    ]

    suggestion_text: str | None = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "accept_suggestion":
            return self.suggestion_text is not None
        return super().check_action(action, parameters)

    def action_accept_suggestion(self) -> None:
        if self.suggestion_text is not None:
            self.value = self.suggestion_text
            self.cursor_position = len(self.value)

    def action_clear_or_leave(self) -> None:
        if self.value:
            self.value = ""
        else:
            self.screen.set_focus(self.screen.query_one(ArticleList))
