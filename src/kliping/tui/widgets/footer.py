"""The key footer, without the memory leak of Textual 8.2.8's. (Its key names are made inert by
the app's ``get_key_display``.)

Each time the focused widget changes, Textual's Footer recomposes its keys, and every new
FooterKey data-binds to the footer's `compact` reactive. Textual drops the watchers of removed
keys only when `compact` changes, which never happens here, so every focus change kept a dozen
dead keys alive (a soak grew 80 -> 260 MB in 12 minutes). This footer drops them after each
recompose (through textual_internals.py: the registry is Textual's private one).
"""

from __future__ import annotations

from textual.widgets import Footer

from kliping.tui.textual_internals import drop_detached_watchers


class ReaderFooter(Footer):
    async def recompose(self) -> None:
        await super().recompose()
        drop_detached_watchers(self)
