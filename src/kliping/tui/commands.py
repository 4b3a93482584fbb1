"""The command palette (Ctrl+P): jump to an article by title, search, switch theme, toggle panes."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from kliping.files.sanitize import one_line

if TYPE_CHECKING:
    from kliping.tui.app import ReaderApp

MAX_ARTICLE_HITS = 40


class ReaderCommands(Provider):
    """Commands for the reader app; article titles are matched word by word, then fuzzily ranked."""

    @property
    def reader_app(self) -> ReaderApp:
        return cast("ReaderApp", self.app)

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = self.reader_app
        main = app.main
        commands: list[tuple[str, str, Callable[[], object]]] = [
            ("Toggle the article list", "Show or hide the list to read full width", main.toggle_list),
            ("Toggle the reader pane", "Show or hide the reader to browse full width", main.toggle_reader),
            ("Show keys", "Every key binding and what it does", app.action_help),
            ("Bookmarks", "Every bookmarked passage: filter, open, edit, export", app.action_bookmarks),
            ("Export bookmarks", "Write every bookmark as Markdown to a file", main.bookmarks.export),
        ]
        for order in ("date", "title", "relevance"):
            commands.append((f"Sort by {order}", f"Order the article list by {order}", partial(main.sort_by, order)))
        for name in sorted(app.available_themes):
            commands.append((f"Theme: {name}", f"Switch to the {name} theme", partial(setattr, app, "theme", name)))
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            if not name.startswith("Theme:"):
                yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        main = self.reader_app.main
        session = main.session
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
        query = query.strip()
        if not query:
            return
        yield Hit(
            0.5,
            Content.assemble(("Search for ", ""), (query, "bold")),
            partial(main.search_for, query),
            text=f"Search for {query}",
            help="Run this as a full-text search",
        )
        words = query.casefold().split()
        found = 0
        for entry, folded in zip(session.entries, session.folded_titles(), strict=True):
            if all(word in folded for word in words):
                title = one_line(entry.title)
                score = matcher.match(title)
                yield Hit(
                    max(score, 0.1),
                    matcher.highlight(title) if score else Content(title),
                    partial(main.open_article, entry.id, focus_reader=True),
                    text=title,
                    help=entry.published.display() if entry.published else None,
                )
                found += 1
                if found >= MAX_ARTICLE_HITS:
                    break
