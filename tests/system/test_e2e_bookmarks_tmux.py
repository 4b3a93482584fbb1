"""The installed `reader` in a real terminal (tmux): bookmark a passage with a note, quit, and
find both in `reader bookmarks export --format markdown`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.support.tmux import Terminal, needs_tmux, reader_command
from tests.support.tui import make_library

pytestmark = needs_tmux

# The seed article that opens first (the newest) and its second sentence, as the export quotes it.
SECOND_SENTENCE = "Hamas menyatakan pihaknya telah bertemu dengan Mikhail Bogdanov"


def test_bookmark_a_passage_quit_and_export(tmp_path: Path, isolated_dirs: Path) -> None:
    library = make_library(tmp_path / "library")
    with Terminal(f"--library {library}") as term:
        term.wait_for("5 articles")
        term.keys("Enter")  # open the newest article; the reader has focus
        term.wait_for("b Bookmark")
        term.keys(")", "b")  # the second sentence
        term.wait_for("Bookmarked: add a note?")
        term.keys("alasan kutipan ini", "Enter", "baris kedua", "Tab", "gaza", "C-o")
        term.wait_for("Bookmarked with a note.")
        term.wait_for("1 bookmark")  # the reader's border counts the article's bookmarks
        term.keys("q")
        term.wait_until_closed()
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
