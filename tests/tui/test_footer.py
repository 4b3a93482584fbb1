"""The key footer does not keep the keys of every focus change alive (Textual 8.2.8 did)."""

from __future__ import annotations

import gc
from pathlib import Path

from kliping.library.folder import Library
from kliping.tui.app import ReaderApp
from kliping.tui.textual_internals import FooterKey
from tests.support.tui import make_library, run_async, settle


def _footer_keys_alive() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, FooterKey))


@run_async
async def test_focus_changes_and_screens_do_not_accumulate_footer_keys(tmp_path: Path) -> None:
    app = ReaderApp(Library(make_library(tmp_path / "library")))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("tab")
        await settle(pilot, app)
        before = _footer_keys_alive()
        for _ in range(20):
            await pilot.press("tab")
            await settle(pilot, app)
            await pilot.press("B")
            await settle(pilot, app)
            await pilot.press("escape")
            await settle(pilot, app)
        assert _footer_keys_alive() <= before + 15  # one footer's worth of slack, not 20 rounds' worth
