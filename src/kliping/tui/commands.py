"""The command palette (Ctrl+P): jump to an article by title, search, switch theme, toggle panes."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from kliping.files.sanitize import one_line

MAX_ARTICLE_HITS = 40


class ReaderCommands(Provider):
    """Commands for the reader app; article titles are matched word by word, then fuzzily ranked."""

    def _commands(self) -> list[tuple[str, str, object]]:
        app = self.app
        commands: list[tuple[str, str, object]] = [
            ("Toggle the article list", "Show or hide the list to read full width", app.action_toggle_list),
            ("Toggle the reader pane", "Show or hide the reader to browse full width", app.action_toggle_reader),
            ("Show keys", "Every key binding and what it does", app.action_help),
            ("Bookmarks", "Every bookmarked passage: filter, open, edit, export", app.action_bookmarks),
            ("Export bookmarks", "Write every bookmark as Markdown to a file", app.export_bookmarks),
        ]
        for order in ("date", "title", "relevance"):
            commands.append((f"Sort by {order}", f"Order the article list by {order}", partial(app.sort_by, order)))
        for name in sorted(app.available_themes):
            commands.append((f"Theme: {name}", f"Switch to the {name} theme", partial(setattr, app, "theme", name)))
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            if not name.startswith("Theme:"):
                yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        app = self.app
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
            partial(app.search_for, query),
            text=f"Search for {query}",
            help="Run this as a full-text search",
        )
        words = query.casefold().split()
        found = 0
        for entry, folded in zip(app.entries, app.folded_titles()):
            if all(word in folded for word in words):
                title = one_line(entry.title)
                score = matcher.match(title)
                yield Hit(
                    max(score, 0.1),
                    matcher.highlight(title) if score else Content(title),
                    partial(app.open_article, entry.id, focus_reader=True),
                    text=title,
                    help=entry.published.display() if entry.published else None,
                )
                found += 1
                if found >= MAX_ARTICLE_HITS:
                    break
