"""The installed `reader`, run in a real terminal (tmux): what a person sees after a search."""

from __future__ import annotations

from pathlib import Path

from tests.support.tmux import Terminal, needs_tmux
from tests.support.tui import make_library

pytestmark = needs_tmux


def test_search_in_a_real_terminal(tmp_path: Path, isolated_dirs: Path) -> None:
    library = make_library(tmp_path / "library", hostile=True)
    with Terminal(f"--library {library}") as term:
        screen = term.wait_for("6 articles")
        assert "Israel Protes Rusia Dukung Palestina" in screen, screen
        assert "[bold]tebal[/bold]" in screen  # markup in a title shows as typed
        term.keys("/", "gencatan")  # typed at once, as a fast typist would
        screen = term.wait_for(r"\d hits")  # search waits for the index being built
        assert "gencatan" in screen
        assert "×" in screen  # hit counts
        term.keys("Enter", "Enter")  # to the hits, open the first
        term.wait_for(r"─ 1/\d+ ")  # the reader's match counter
        term.wait_for("n Next match")  # the footer shows the reader's keys: it has focus
        term.keys("n")
        term.wait_for(r"─ 2/\d+ ")
        term.keys("q")
        term.wait_until_closed()
    state = list((isolated_dirs / "data").rglob("reading-state.json"))
    assert state, "quitting saves the reading state"
    assert '"last_query": "gencatan"' in state[0].read_text("utf-8")
