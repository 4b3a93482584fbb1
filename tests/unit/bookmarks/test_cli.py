"""`reader bookmarks list | export | check` against a real library folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kliping.bookmarks.model import Bookmark
from kliping.bookmarks.store import BookmarkStore
from kliping.library.folder import Library
from tests.support.bookmarks import ARTICLE_TEXT, one_article_library, span_of
from tests.support.cli import run_cli

TITLE = "Lavrov Terima Delegasi Hamas"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return one_article_library(tmp_path / "library", TITLE)


def article_id(root: Path) -> str:
    (entry,) = Library(root).entries()
    return entry.id


def bookmark(root: Path, passage: str, **kwargs) -> Bookmark:
    start, end = span_of(ARTICLE_TEXT, passage)
    return BookmarkStore.for_library(root).add(Bookmark.new(article_id(root), ARTICLE_TEXT, start, end, **kwargs))


def test_list_empty_says_so(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "--library", str(library), "bookmarks", "list")
    assert (code, out) == (0, "") and "No bookmarks yet" in err


def test_list_plain_and_json(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    b = bookmark(library, "Harga beras naik menjadi Rp 14.600 per kilogram", note="mahal\x1b[2J", tags=["ekonomi"])
    code, out, _ = run_cli(capsys, "--library", str(library), "bookmarks", "list")
    assert code == 0
    assert out == f"{b.id}  {TITLE}  “Harga beras naik menjadi Rp 14.600 per kilogram” #ekonomi  — mahal\n"
    code, out, _ = run_cli(capsys, "--library", str(library), "bookmarks", "list", "--json")
    record = json.loads(out)
    assert (record["id"], record["article_title"], record["note"], record["tags"]) == (b.id, TITLE, "mahal\x1b[2J", ["ekonomi"])


def test_export_markdown_to_stdout_and_json_to_a_file(library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bookmark(library, "Pertemuan itu membahas gencatan senjata di Gaza", note="Rusia sebagai mediator")
    code, out, _ = run_cli(capsys, "--library", str(library), "bookmarks", "export", "--format", "markdown")
    assert code == 0
    assert f"## {TITLE}\n" in out
    assert "> Pertemuan itu membahas gencatan senjata di Gaza\n\n**Note:** Rusia sebagai mediator\n" in out
    target = tmp_path / "out" / "bookmarks.json"
    argv = ("--library", str(library), "bookmarks", "export", "--format", "json", "--output", str(target))
    code, out, err = run_cli(capsys, *argv)
    assert (code, out) == (0, "") and str(target) in err
    data = json.loads(target.read_text("utf-8"))
    assert data["articles"][0]["article"]["title"] == TITLE
    assert data["articles"][0]["bookmarks"][0]["note"] == "Rusia sebagai mediator"


def test_export_to_an_unwritable_place_is_one_line(library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bookmark(library, "Harga beras naik")
    code, _out, err = run_cli(capsys, "--library", str(library), "bookmarks", "export", "--output", str(tmp_path))
    assert code == 2 and err.count("\n") == 1 and "cannot write" in err and str(tmp_path) in err


def test_check_reports_each_kind_of_anchor(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    same = bookmark(library, "Menteri Luar Negeri Rusia Sergey Lavrov menerima delegasi Hamas di Moskow.")
    moved = bookmark(library, "\u201cKami mendukung perjuangan rakyat Palestina,\u201d ujar Lavrov kepada wartawan.")
    fuzzy = bookmark(library, "Harga beras naik menjadi Rp 14.600 per kilogram, kata M. Yusuf dari Bulog.")
    orphan = bookmark(library, "Pemerintah berjanji menambah pasokan, dll.")
    code, out, err = run_cli(capsys, "--library", str(library), "bookmarks", "check")
    assert code == 0 and "4 bookmarks: 4 anchored, 0 moved, 0 fuzzy, 0 orphaned" in err
    edited = (
        ARTICLE_TEXT.replace("Rp 14.600 per kilogram, kata", "Rp 14.900 per kilogram, ujar")
        .replace("Pemerintah berjanji menambah pasokan, dll. ", "")
        .replace("\u201cKami", "Paragraf sisipan.\n\n\u201cKami")
    )
    (library / "lavrov.txt").write_text(f"{TITLE}\n\n{edited}\n", "utf-8")
    code, out, err = run_cli(capsys, "--library", str(library), "bookmarks", "check")
    assert code == 0 and "4 bookmarks: 1 anchored, 1 moved, 1 fuzzy, 1 orphaned" in err
    status = {line.split()[1]: line.split()[0] for line in out.splitlines()}
    assert status == {same.id: "anchored", moved.id: "moved", fuzzy.id: "fuzzy", orphan.id: "orphaned"}
    (library / "lavrov.txt").unlink()
    code, out, err = run_cli(capsys, "--library", str(library), "bookmarks", "check")
    assert "0 anchored, 0 moved, 0 fuzzy, 4 orphaned" in err and "article not in the library" in out
    # Nothing was dropped along the way.
    assert len(BookmarkStore.for_library(library)) == 4


def test_broken_bookmarks_file_is_one_line_with_the_line_number(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bookmark(library, "Harga beras naik")
    path = BookmarkStore.for_library(library).path
    path.write_text(path.read_text("utf-8").replace("  start:", "start:", 1), "utf-8")
    before = path.read_bytes()
    for action in ("list", "export", "check"):
        code, out, err = run_cli(capsys, "--library", str(library), "bookmarks", action)
        assert code == 2 and out == "" and err.count("\n") == 1
        assert str(path) in err and ", line " in err
    assert path.read_bytes() == before


def test_missing_library_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "--library", str(tmp_path / "nowhere"), "bookmarks", "list")
    assert code == 2 and "no such library folder" in err and err.count("\n") == 1


def test_default_action_is_list(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    b = bookmark(library, "Harga beras naik")
    code, out, _ = run_cli(capsys, "--library", str(library), "bookmarks")
    assert code == 0 and out.startswith(b.id)
