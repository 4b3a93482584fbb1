"""The soak scenario (bench/soak.py) for a few rounds: every round completes without an error and
the app still answers keys at the end. Rounds, not seconds, so a busy machine only makes it slower.
Memory figures are for the bench, not asserted here."""

from __future__ import annotations

from pathlib import Path

from kliping.library.folder import Library
from kliping.tui.app import ReaderApp
from kliping.tui.screens.help import HelpScreen
from tests.support.index_faults import add_articles
from tests.support.soak import soak
from tests.support.tui import make_library, run_async, settle, wait_for


@run_async
async def test_rounds_of_scripted_use_run_without_errors(tmp_path: Path) -> None:
    root = make_library(tmp_path / "library", long=True, hostile=True)
    add_articles(root, 0, 60)
    app = ReaderApp(Library(root), search_delay=0.01)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await wait_for(pilot, app, lambda: app.session.index is not None and app.session.bookmark_store is not None)
        report = await soak(pilot, app, seconds=None, sample_every=0, rounds=5)
        assert report.rounds == 5 and report.bookmarked >= 3
        assert len(report.samples) == 6 and all(rss > 0 for _, rss in report.samples)
        await pilot.press("question_mark")  # still responsive: help opens and closes
        await wait_for(pilot, app, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await wait_for(pilot, app, lambda: app.screen is app.main)
        assert app.session.bookmark_store.all() == []  # every bookmark the rounds made was deleted again
