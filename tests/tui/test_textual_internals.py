"""The pinned Textual keeps the private names tui/textual_internals.py reads.

When this fails after moving the pin, the footer leaks again (widgets/footer.py) and the tests
that read notifications cannot: update textual_internals.py for the new release, or keep the pin."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.widgets import Button, Footer

from kliping.tui import textual_internals
from tests.support.tui import run_async


def test_the_pinned_textual_has_the_fast_path() -> None:
    assert textual_internals.fast_path_available()


class _FooterApp(App[None]):
    BINDINGS: ClassVar = [("x", "bell", "Bell")]

    def compose(self) -> ComposeResult:
        yield Button("one")
        yield Button("two")
        yield Footer()


@run_async
async def test_detached_watchers_are_dropped_and_notifications_read() -> None:
    app = _FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        keys = list(footer.query(textual_internals.FooterKey))
        assert keys  # the footer shows its keys as FooterKey widgets
        await pilot.press("tab")  # a focus change: the footer recomposes its keys
        await pilot.pause()
        textual_internals.drop_detached_watchers(footer)
        watched = [node for entries in getattr(footer, "__watchers").values() for node, _ in entries]
        assert watched and all(node.is_attached for node in watched)
        assert not any(key in watched for key in keys)  # the keys recompose removed are forgotten
        app.notify("[b]literal[/b]", markup=False)
        await pilot.pause()
        assert [(n.message, n.markup) for n in textual_internals.notifications(app)] == [("[b]literal[/b]", False)]
