"""The key footer: inert key names, and without the memory leak of Textual 8.2.8's.

Textual draws a key's name as it is spelled in the binding; a keymap can spell it with an escape
sequence, which would reach the terminal. The settings refuse names that are not keys, and this
footer makes whatever it shows inert all the same.

Each time the focused widget changes, Textual's Footer recomposes its keys, and every new
FooterKey data-binds to the footer's `compact` reactive. Textual drops the watchers of removed
keys only when `compact` changes, which never happens here, so every focus change kept a dozen
dead keys alive (a soak grew 80 -> 260 MB in 12 minutes). This footer drops them after each
recompose.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from kliping.sanitize import one_line


class ReaderFooter(Footer):
    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.key_display = one_line(widget.key_display)
                widget.description = one_line(widget.description)
            yield widget

    async def recompose(self) -> None:
        await super().recompose()
        watchers: dict[str, list] = getattr(self, "__watchers", {})  # Textual's own registry
        for entries in watchers.values():
            entries[:] = [(node, callback) for node, callback in entries if node.is_attached]
