"""Running the installed `reader` in a real terminal: a private tmux server per test."""

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

TMUX = shutil.which("tmux")
needs_tmux = pytest.mark.skipif(TMUX is None, reason="tmux is not installed; this test needs a real terminal")


def reader_command() -> str:
    """The `reader` installed beside this Python (the venv's), else the one on PATH."""
    found = Path(sys.executable).parent / "reader"
    return str(found) if found.exists() else (shutil.which("reader") or "reader")


class Terminal:
    """One tmux session on a private server (no other sessions, no user config) running ``command``
    with the test's isolated KLIPING_* directories. Use as a context manager."""

    def __init__(self, arguments: str, *, width: int = 120, height: int = 40, env: str = "") -> None:
        self.socket = f"kliping-test-{uuid.uuid4().hex[:8]}"
        self.session = "reader"
        dirs = " ".join(f"{n}={os.environ[n]}" for n in ("KLIPING_DATA_DIR", "KLIPING_CONFIG_DIR", "KLIPING_CACHE_DIR"))
        # `sleep` keeps the pane open after the reader exits, so a traceback would stay readable.
        command = f"env -u COLUMNS -u LINES {env} {dirs} TERM=xterm-256color {reader_command()} {arguments}; sleep 5"
        self.width, self.height, self.command = width, height, command

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            [TMUX, "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True, check=True
        ).stdout

    def __enter__(self) -> Terminal:
        self.tmux("new-session", "-d", "-s", self.session, "-x", str(self.width), "-y", str(self.height), self.command)
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.session, *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def wait_for(self, pattern: str, timeout: float = 20.0) -> str:
        """Wait until the screen shows ``pattern`` (a regular expression); return the screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if re.search(pattern, screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{pattern!r} never appeared; the screen was:\n{screen}")

    def wait_until_closed(self, timeout: float = 10.0) -> None:
        """Wait for the reader to quit: the alternate screen gives way to an empty pane."""
        self.wait_for(r"\A\s*\Z", timeout=timeout)
