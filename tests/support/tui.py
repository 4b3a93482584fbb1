"""Shared set-up for the reader's tests: test libraries and ways to wait for the app and read
what it shows."""

from __future__ import annotations

import os
import shutil
from contextlib import asynccontextmanager
from pathlib import Path

from tests.support import SEEDS_DIR

# How long a wait for a condition may take before it counts as a hang. Tests wait for conditions,
# never for times: this only turns a stuck app into a failure instead of a stuck run, and is far
# above what a busy shared machine needs (set KLIPING_TEST_HANG_GUARD to change it).
HANG_GUARD = float(os.environ.get("KLIPING_TEST_HANG_GUARD", "180"))


HOSTILE_TITLE = "Judul [bold]tebal[/bold] [link=https://evil.example]klik[/link] [/x] \x1b]0;pwned\x07"
HOSTILE_BODY = (
    "Paragraf pertama menyebut gencatan senjata dengan [red]markup[/red] dan [/x] yang harus tampil apa adanya.\n\n"
    "Baris ini berisi \x1b[31mwarna\x1b[0m, judul terminal \x1b]2;diganti\x07, bel \x07 dan C1 \x9b31m tanpa efek.\n"
)

FILLER = (
    "Paragraf pengisi nomor {n} bercerita tentang kehidupan sehari-hari warga kota yang sibuk "
    "bekerja, berbelanja di pasar, dan pulang ke rumah ketika matahari terbenam di ufuk barat."
)


def long_article_text(paragraphs: int = 120, match_at: tuple[int, ...] = (70, 90)) -> str:
    """A long plain-text article whose only mentions of `gencatan` are far from the top."""
    body = []
    for n in range(paragraphs):
        text = FILLER.format(n=n)
        if n in match_at:
            text += " Mereka membahas gencatan senjata di wilayah itu."
        body.append(text)
    return "Artikel Panjang Tentang Kota\n\n" + "\n\n".join(body) + "\n"


def make_library(root: Path, *, seeds: bool = True, long: bool = False, hostile: bool = False) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if seeds:
        for seed in sorted(SEEDS_DIR.glob("*.txt")):
            shutil.copyfile(seed, root / seed.name)
    if long:
        (root / "zz_long.txt").write_text(long_article_text(), "utf-8")
    if hostile:
        (root / "hostile.txt").write_text(HOSTILE_TITLE + "\n\n" + HOSTILE_BODY, "utf-8")
    return root


async def settle(pilot, app) -> None:
    """Let workers finish and their messages be handled."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


@asynccontextmanager
async def running(app, size: tuple[int, int]):
    """Run ``app`` at ``size``, its start-up workers done and their messages handled; the pilot."""
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        yield pilot


async def wait_for(pilot, app, condition, *, timeout: float = HANG_GUARD) -> None:
    """Pause until ``condition()`` holds (the index may take a moment to build), letting workers
    finish between looks. The timeout only turns a hang into a failure; a slow machine just waits
    longer."""
    await poll(pilot, condition, timeout=timeout, between=app.workers.wait_for_complete, pause=0.05)


async def poll(pilot, condition, *, timeout: float = HANG_GUARD, between=None, pause: float = 0.02) -> None:
    """Pause until ``condition()`` holds; ``between`` (a coroutine function) runs after each pause.
    Without it, workers are not waited for (a test may hold one on purpose)."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(pause)
        if between is not None:
            await between()


def widget_text(widget) -> str:
    """What a Line API widget shows on screen now, one line per row."""
    return "\n".join(widget.render_line(y).text for y in range(widget.scrollable_content_region.height))


def run_async(test):
    """Run an ``async def`` test without an async pytest plugin (none is a dependency)."""
    import asyncio
    import functools

    @functools.wraps(test)
    def runner(*args, **kwargs):
        asyncio.run(test(*args, **kwargs))

    return runner
