"""The installed `reader` in a real terminal (tmux): bookmark a passage with a note, quit, and
find both in `reader bookmarks export --format markdown`."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tests._helpers_tui import make_library
from tests.test_e2e_tmux import reader_command

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed; the end-to-end test needs a real terminal")

SOCKET = f"kliping-e2e-bm-{uuid.uuid4().hex[:8]}"
# The seed article that opens first (the newest) and its second sentence, as the export quotes it.
SECOND_SENTENCE = "Hamas menyatakan pihaknya telah bertemu dengan Mikhail Bogdanov"


def tmux(*args: str) -> str:
    return subprocess.run([TMUX, "-L", SOCKET, "-f", "/dev/null", *args], capture_output=True, text=True, check=True).stdout


def screen_of(session: str, needle: str, timeout: float = 20.0) -> str:
    """Wait until the screen shows ``needle`` (on this test's own tmux server)."""
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if needle in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared; the screen was:\n{screen}")


def test_bookmark_a_passage_quit_and_export(tmp_path: Path, isolated_dirs: Path) -> None:
    library = make_library(tmp_path / "library")
    session = f"kliping-bm-{uuid.uuid4().hex[:8]}"
    names = ("KLIPING_DATA_DIR", "KLIPING_CONFIG_DIR", "KLIPING_CACHE_DIR")
    env = " ".join(f"{name}={os.environ[name]}" for name in names)
    command = f"env -u COLUMNS -u LINES {env} TERM=xterm-256color {reader_command()} --library {library}; sleep 5"
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)
    try:
        screen_of(session, "5 articles")
        tmux("send-keys", "-t", session, "Enter")  # open the newest article; the reader has focus
        screen_of(session, "b Bookmark")
        tmux("send-keys", "-t", session, ")", "b")  # the second sentence
        screen_of(session, "Bookmarked: add a note?")
        tmux("send-keys", "-t", session, "alasan kutipan ini", "Enter", "baris kedua", "Tab", "gaza", "C-o")
        screen_of(session, "Bookmarked with a note.")
        screen_of(session, "1 bookmark")  # the reader's border counts the article's bookmarks
        tmux("send-keys", "-t", session, "q")
        screen = ""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # back at the shell: an empty screen
            screen = tmux("capture-pane", "-p", "-t", session)
            if not screen.strip():
                break
            time.sleep(0.2)
        assert not screen.strip(), screen
    finally:
        subprocess.run([TMUX, "-L", SOCKET, "kill-server"], capture_output=True)
    exported = subprocess.run(
        [reader_command(), "--library", str(library), "bookmarks", "export", "--format", "markdown"],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )
    assert exported.returncode == 0, exported.stderr
    text = exported.stdout
    assert SECOND_SENTENCE in text
    assert "alasan kutipan ini" in text and "baris kedua" in text
    assert "gaza" in text
    assert "Hamas Temui Rusia, Bahas Gencatan Senjata Permanen di Gaza" in text  # the citation
