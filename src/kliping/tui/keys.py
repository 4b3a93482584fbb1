"""Every binding of the app in one place: the ids with their default keys (what a keymap names,
and what its clash check compares) and the help screen's sections, grouped by where keys work."""

from __future__ import annotations

from collections.abc import Sequence

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from kliping.tui.screens.bookmarks import BookmarksScreen
from kliping.tui.screens.main import MainScreen
from kliping.tui.screens.note_dialog import NoteDialog
from kliping.tui.search_input import SearchInput
from kliping.tui.widgets.article_list import ArticleList
from kliping.tui.widgets.reader_pane import ReaderPane


def bindings_of(cls: type[DOMNode]) -> list[Binding]:
    """The bindings ``cls`` declares itself (every one here is a ``Binding``, with an id)."""
    return only_bindings(cls.__dict__.get("BINDINGS", ()))


def only_bindings(declared: Sequence[BindingType]) -> list[Binding]:
    return [binding for binding in declared if isinstance(binding, Binding)]


def default_bindings() -> dict[str, str]:
    """Every binding id in the app (all screens and widgets) with its default keys, for keymap checks."""
    found: dict[str, str] = {}
    pending: list[type] = [DOMNode]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("kliping.tui"):
            for binding in bindings_of(cls):
                if binding.id:
                    found.setdefault(binding.id, binding.key)
    return found


def help_sections(app_bindings: Sequence[BindingType]) -> list[tuple[str, list[Binding]]]:
    """Every binding, grouped by where it works (later features add their sections here)."""
    app = only_bindings(app_bindings)
    return [
        ("Everywhere", [*(b for b in app if b.id != "search.to-results"), *bindings_of(MainScreen)]),
        ("Search bar", [*bindings_of(SearchInput), *(b for b in app if b.id == "search.to-results")]),
        ("Article list", bindings_of(ArticleList)),
        ("Reader", bindings_of(ReaderPane)),
        ("Bookmarks screen (B)", bindings_of(BookmarksScreen)),
        ("Note dialog", bindings_of(NoteDialog)),
    ]
