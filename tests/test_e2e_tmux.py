"""The installed `reader`, run in a real terminal (tmux): what a person sees after a search."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests._helpers_tui import make_library

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed; the end-to-end test needs a real terminal")


def reader_command() -> str:
    found = Path(sys.executable).parent / "reader"
    return str(found) if found.exists() else (shutil.which("reader") or "reader")


SOCKET = f"kliping-e2e-{uuid.uuid4().hex[:8]}"  # a private tmux server: no other sessions, no user config


def tmux(*args: str) -> str:
    return subprocess.run([TMUX, "-L", SOCKET, "-f", "/dev/null", *args], capture_output=True, text=True, check=True).stdout


def wait_for_screen(session: str, needle: str, timeout: float = 20.0) -> str:
    """Wait until the screen shows ``needle`` (a regular expression)."""
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if re.search(needle, screen):
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared; the screen was:\n{screen}")


def test_search_in_a_real_terminal(tmp_path: Path, isolated_dirs: Path) -> None:
    library = make_library(tmp_path / "library", hostile=True)
    session = f"kliping-e2e-{uuid.uuid4().hex[:8]}"
    env = " ".join(
        f"{name}={os.environ[name]}" for name in ("KLIPING_DATA_DIR", "KLIPING_CONFIG_DIR", "KLIPING_CACHE_DIR")
    )
    command = f"env -u COLUMNS -u LINES {env} TERM=xterm-256color {reader_command()} --library {library}; sleep 5"
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)
    try:
        screen = wait_for_screen(session, "6 articles")
        assert "Israel Protes Rusia Dukung Palestina" in screen, screen
        assert "[bold]tebal[/bold]" in screen  # markup in a title shows as typed
        tmux("send-keys", "-t", session, "/", "gencatan")  # typed at once, as a fast typist would
        screen = wait_for_screen(session, r"\d hits")  # search waits for the index being built
        assert "gencatan" in screen
        assert "×" in screen  # hit counts
        tmux("send-keys", "-t", session, "Enter", "Enter")  # to the hits, open the first
        wait_for_screen(session, r"─ 1/\d+ ")  # the reader's match counter
        wait_for_screen(session, "n Next match")  # the footer shows the reader's keys: it has focus
        tmux("send-keys", "-t", session, "n")
        wait_for_screen(session, r"─ 2/\d+ ")
        tmux("send-keys", "-t", session, "q")
        wait_for_screen(session, r"^\s*$", timeout=10)  # back at the shell: an empty screen
    finally:
        subprocess.run([TMUX, "-L", SOCKET, "kill-server"], capture_output=True)
    state = list((isolated_dirs / "data").rglob("reading-state.json"))
    assert state, "quitting saves the reading state"
    assert '"last_query": "gencatan"' in state[0].read_text("utf-8")
