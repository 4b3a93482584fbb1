"""The one timed lock that the bookmark store and the search index both take."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kliping.files.locks import acquire


def test_a_held_lock_makes_the_next_taker_wait_then_give_up(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "x.lock"
    held = acquire(path, timeout=0, poll=0.01)
    assert held is not None and path.is_file()
    started = time.monotonic()
    assert acquire(path, timeout=0.2, poll=0.01) is None
    assert time.monotonic() - started >= 0.2
    assert acquire(path, timeout=0, poll=0.01) is None  # a timeout of 0 tries once
    held.release()
    held.release()  # twice is harmless
    with acquire(path, timeout=0, poll=0.01) as again:
        assert again is not None
        assert acquire(path, timeout=0, poll=0.01) is None
    assert acquire(path, timeout=0, poll=0.01) is not None  # the with block let go


def test_a_lock_file_that_cannot_be_made_is_an_os_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder", "utf-8")
    with pytest.raises(OSError):
        acquire(tmp_path / "file" / "x.lock", timeout=0, poll=0.01)
