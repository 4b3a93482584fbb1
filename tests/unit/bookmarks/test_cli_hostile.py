"""`reader bookmarks` with a hostile bookmarks file: control characters in every field, a FIFO or a
device in place of the file, and exports onto files that already exist."""

from __future__ import annotations

import json
import os
import re
import stat
import threading
from pathlib import Path

import pytest

from kliping.bookmarks.file_format import dump_bookmarks
from kliping.bookmarks.model import Bookmark
from kliping.bookmarks.store import BookmarkStore
from tests.support.bookmarks import ARTICLE_TEXT, one_article_library
from tests.support.cli import run_cli

# ESC, BEL, C1 CSI and OSC, DEL, and the bidi override that reorders what is shown.
HOSTILE = "\x1b]0;judul\x07\x1b[31m\x9b2J\x9d8;;x\x9c\x7f\u202e\u2066"
TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return one_article_library(tmp_path / "library", "Lavrov")


def hostile_bookmark() -> Bookmark:
    made = Bookmark.new(f"artikel{HOSTILE}", ARTICLE_TEXT, 0, 40, note=f"catatan {HOSTILE}", tags=[f"tag{HOSTILE}"])
    return Bookmark(**{**{f: getattr(made, f) for f in made.__slots__}, "id": f"id{HOSTILE}", "quote": f"kutipan{HOSTILE}"})


def write_hostile_file(library: Path) -> Path:
    path = BookmarkStore.for_library(library).path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_bookmarks([hostile_bookmark()]), "utf-8")
    return path


@pytest.mark.parametrize("action", ["list", "check"])
def test_list_and_check_show_no_control_character_of_any_field(library: Path, capsys, action: str) -> None:
    write_hostile_file(library)
    code, out, err = run_cli(capsys, "--library", str(library), "bookmarks", action)
    assert code == 0 and "kutipan" in out and "id" in out
    assert not TERMINAL_CONTROLS.search(out + err), repr(out + err)


def test_json_outputs_escape_c1_del_and_bidi_controls_and_keep_the_values(library: Path, tmp_path: Path, capsys) -> None:
    write_hostile_file(library)
    expected = hostile_bookmark()
    code, out, _ = run_cli(capsys, "--library", str(library), "bookmarks", "list", "--json")
    assert code == 0 and not TERMINAL_CONTROLS.search(out), repr(out)
    record = json.loads(out)
    assert (record["id"], record["quote"], record["note"], record["tags"]) == (
        expected.id, expected.quote, expected.note, list(expected.tags)
    )
    code, out, _ = run_cli(capsys, "--library", str(library), "bookmarks", "export", "--format", "json")
    assert code == 0 and not TERMINAL_CONTROLS.search(out), repr(out)
    (article,) = json.loads(out)["articles"]
    assert article["bookmarks"][0]["note"] == expected.note
    target = tmp_path / "keluar.json"
    assert run_cli(capsys, "--library", str(library), "bookmarks", "export", "--format", "json", "--output", str(target))[0] == 0
    assert not TERMINAL_CONTROLS.search(target.read_text("utf-8").replace("\n", ""))


def test_export_refuses_to_replace_an_existing_file_unless_forced(library: Path, tmp_path: Path, capsys) -> None:
    write_hostile_file(library)
    target = tmp_path / "laporan.md"
    target.write_text("tulisan saya\n", "utf-8")
    os.chmod(target, 0o640)
    code, out, err = run_cli(capsys, "--library", str(library), "bookmarks", "export", "--output", str(target))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert str(target) in err and "--force" in err
    assert target.read_text("utf-8") == "tulisan saya\n"
    code, _, err = run_cli(capsys, "--library", str(library), "bookmarks", "export", "--output", str(target), "--force")
    assert code == 0 and "# Bookmarks" in target.read_text("utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # an overwritten file keeps its mode


def test_export_to_a_new_file_follows_the_umask(library: Path, tmp_path: Path, capsys) -> None:
    write_hostile_file(library)
    old = os.umask(0o022)
    try:
        target = tmp_path / "baru.md"
        assert run_cli(capsys, "--library", str(library), "bookmarks", "export", "--output", str(target))[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def _run_with_hang_guard(capsys, fifo: Path, *argv: str) -> tuple[int, str, str]:
    """Run the command in a thread: a FIFO that blocks the open is a failed test, not a stuck run."""
    result: list = []
    worker = threading.Thread(target=lambda: result.append(run_cli(capsys, *argv)), daemon=True)
    worker.start()
    worker.join(60)
    if worker.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # lets the blocked open return
        pytest.fail("the command hung on the bookmarks file")
    return result[0]


@pytest.mark.parametrize("action", ["list", "export", "check"])
def test_a_fifo_in_place_of_the_bookmarks_file_is_one_line_not_a_hang(library: Path, capsys, action: str) -> None:
    path = BookmarkStore.for_library(library).path
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    code, out, err = _run_with_hang_guard(capsys, path, "--library", str(library), "bookmarks", action)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert str(path) in err and "named pipe" in err
    assert stat.S_ISFIFO(os.lstat(path).st_mode)


def test_a_link_to_dev_zero_is_refused_without_reading_it_all(library: Path, capsys) -> None:
    path = BookmarkStore.for_library(library).path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to("/dev/zero")
    code, _out, err = run_cli(capsys, "--library", str(library), "bookmarks", "list")
    assert code == 2 and str(path) in err and "character device" in err and err.count("\n") == 1


def test_a_file_past_the_size_limit_is_refused_unread(library: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    from kliping.bookmarks import store

    monkeypatch.setattr(store, "MAX_FILE_BYTES", 1000)
    path = write_hostile_file(library)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("# " + "x" * 2000 + "\n")
    before = path.read_bytes()
    code, _out, err = run_cli(capsys, "--library", str(library), "bookmarks", "list")
    assert code == 2 and str(path) in err and "larger than" in err and err.count("\n") == 1
    assert path.read_bytes() == before


def test_export_to_the_home_of_a_user_that_does_not_exist_is_one_line(library: Path, capsys) -> None:
    write_hostile_file(library)
    code, out, err = run_cli(capsys, "--library", str(library), "bookmarks", "export", "--output", "~tiada-pengguna-ini/x.md")
    assert code == 2 and out == "" and err.count("\n") == 1 and "~tiada-pengguna-ini/x.md" in err
