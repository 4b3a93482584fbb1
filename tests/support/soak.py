"""Scripted use of the reader through Pilot, round after round, with the process's memory sampled.

One round: search (typed into the bar), move to the results, open the first hit, step through
matches, page, move the sentence cursor, bookmark the sentence (Esc keeps it), delete that
bookmark again (so the store stays the same size and any growth is the app's own), open and
close the bookmarks screen, switch theme, go back to the list. Shared by bench/soak.py (30
minutes) and tests/test_soak_short.py (a few rounds, however long a busy machine takes for them).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.support.tui import HANG_GUARD

QUERIES = ("gencatan", "hamas rusia", "harga beras", "pemerintah", "gaza", "presiden", "senjata")
THEMES = ("paper", "sepia", "high-contrast", "ansi", "kliping-dark")
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes() -> int:
    """This process's resident memory, from /proc/self/statm (its second field, in pages)."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * _PAGE_SIZE


@dataclass
class SoakReport:
    rounds: int = 0
    bookmarked: int = 0  # rounds that made (and deleted) a bookmark
    seconds: float = 0.0
    samples: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, RSS bytes)


async def _wait(pilot, app, condition: Callable[[], bool], what: str, timeout: float = HANG_GUARD) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"the app did not get there within {timeout:.0f} s: {what}")
        await pilot.pause(0.02)


async def _back_to_main(pilot, app) -> None:
    from kliping.tui.screens.main import MainScreen

    for _ in range(5):
        if isinstance(app.screen, MainScreen):
            return
        await pilot.press("escape")
        await pilot.pause()
    raise AssertionError(f"stuck on {type(app.screen).__name__}")


async def one_round(pilot, app, number: int) -> bool:
    """One pass of the scenario; raises AssertionError saying where the app did not respond.
    True when the round made a bookmark (not when the query found nothing or bookmarks are read-only)."""
    from kliping.tui.screens.bookmarks import BookmarksScreen
    from kliping.tui.screens.note_dialog import NoteDialog
    from kliping.tui.search_input import SearchInput
    from kliping.tui.widgets.article_list import ArticleList
    from kliping.tui.widgets.reader_pane import ReaderPane

    main = app.main
    search = main.query_one(SearchInput)
    article_list = main.query_one(ArticleList)
    reader = main.query_one(ReaderPane)
    query = QUERIES[number % len(QUERIES)]

    await _back_to_main(pilot, app)
    await pilot.press("slash")
    await _wait(pilot, app, lambda: app.focused is search, "focus in the search bar")
    if search.value:
        await pilot.press("escape")  # clears the bar, focus stays
    await pilot.press(*query)
    await _wait(
        pilot, app,
        lambda: app.main.query_text == query and app.main.last_results is not None and app.main.last_results.query == query,
        f"results for {query!r}",
    )
    if not article_list.rows:
        return False  # nothing to open for this query in this library
    await pilot.press("enter")  # to the results
    await _wait(pilot, app, lambda: app.focused is article_list, "focus on the results")
    await pilot.press("enter")  # open the highlighted hit
    await _wait(pilot, app, lambda: reader.article is not None and app.focused is reader, "the article open in the reader")
    await pilot.press("n", "n", "N", "space", "space", "right_parenthesis", "right_parenthesis", "left_parenthesis")

    store = app.session.bookmark_store
    bookmarked = store is not None and not store.read_only
    if bookmarked:
        before = len(store.all())
        await pilot.press("b")
        await _wait(pilot, app, lambda: isinstance(app.screen, NoteDialog), "the note dialog")
        await pilot.press("escape")  # keeps the bookmark, without a note
        await _wait(pilot, app, lambda: len(store.all()) == before + 1 and app.screen is main, "the bookmark saved")
        await _wait(pilot, app, lambda: reader.bookmark_at_passage() is not None, "the bookmark drawn in the reader")
        await pilot.press("d")
        await _wait(pilot, app, lambda: len(store.all()) == before, "the bookmark deleted")

    await pilot.press("B")
    await _wait(pilot, app, lambda: isinstance(app.screen, BookmarksScreen), "the bookmarks screen")
    await pilot.press("escape")
    await _wait(pilot, app, lambda: app.screen is main, "back from the bookmarks screen")

    app.theme = THEMES[number % len(THEMES)]
    await pilot.pause()
    await pilot.press("escape")  # back to the list
    return bookmarked


async def soak(
    pilot,
    app,
    seconds: float | None,
    sample_every: float,
    on_sample: Callable[[float, int], None] | None = None,
    rounds: int | None = None,
) -> SoakReport:
    """Run rounds for ``seconds`` (the bench) or a number of ``rounds`` (the test, so that a busy
    machine makes it slower, never failing), sampling RSS at the start and every ``sample_every``
    seconds (0: after every round)."""
    report = SoakReport()
    started = time.monotonic()
    next_sample = started
    while True:
        now = time.monotonic()
        if now >= next_sample:
            sample = (now - started, rss_bytes())
            report.samples.append(sample)
            if on_sample:
                on_sample(*sample)
            next_sample = max(next_sample + sample_every, now) if sample_every else now
        if seconds is not None and now - started >= seconds:
            break
        if rounds is not None and report.rounds >= rounds:
            break
        report.bookmarked += await one_round(pilot, app, report.rounds)
        report.rounds += 1
    report.seconds = time.monotonic() - started
    return report


def growth_verdict(samples: list[tuple[float, int]], tolerance: float = 0.10) -> tuple[bool, str]:
    """Does memory keep growing? Compares the median RSS of the last third of the samples with
    that of the first third (after the first sample, taken before warm-up)."""
    values = [rss for _, rss in samples[1:]]
    if len(values) < 3:
        return True, "too few samples for a verdict"
    third = len(values) // 3
    first, last = statistics.median(values[:third]), statistics.median(values[-third:])
    change = (last - first) / first
    bounded = change <= tolerance
    word = "bounded" if bounded else "GROWING"
    return bounded, (
        f"{word}: median RSS {first / 2**20:.1f} MB in the first third, {last / 2**20:.1f} MB in the last "
        f"({change:+.1%}; more than {tolerance:.0%} counts as growth)"
    )
