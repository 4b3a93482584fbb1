"""The library catalog: saved as columns, read back exactly, kept up to date file by file, and
rebuilt (never trusted, never a traceback) when its file is damaged or from an older version."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import kliping.ingest.reading
import kliping.library.folder
from kliping.library.catalog import CATALOG_VERSION
from kliping.library.folder import Library
from tests.support import SEEDS_DIR


def record(**fields) -> str:
    return json.dumps(fields, ensure_ascii=False)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """Seeds, a folder, a JSONL file of three articles (one line broken), non-ASCII and a control
    character in titles, repeated sources and dates."""
    root = tmp_path / "library"
    (root / "sub" / "deeper").mkdir(parents=True)
    for seed in sorted(SEEDS_DIR.glob("*.txt")):
        shutil.copy(seed, root / seed.name)
    lines = [
        record(id="j1", title="Satu 😀 ünïcode", content="Isi pertama.", date="2019-09-10", source="tempo.co",
               url="https://tempo.co/1", authors=["Ani", "Budi"]),
        "{broken",
        record(id="j2", title="Dua\x1b[31m", content="Isi kedua.", date="2019-09-10", source="tempo.co"),
        record(id="j3", title="Tiga", content="Isi ketiga.", date="--11-06", source="tempo.co", authors=["Ani", "Budi"]),
    ]
    (root / "sub" / "data.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    (root / "sub" / "deeper" / "catatan.md").write_text("# Judul catatan\n\nIsi catatan.\n", "utf-8")
    return root


def snapshot(lib: Library) -> list[dict]:
    return [entry.to_json() for entry in lib.entries()]


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("an article file was parsed")

    monkeypatch.setattr(kliping.ingest.reading, "read_articles", refuse)


def test_saved_catalog_reads_back_the_same_entries_without_parsing_files(library: Path, monkeypatch) -> None:
    first = Library(library)
    changes = first.refresh()
    expected = snapshot(first)
    assert len(expected) == 5 + 3 + 1 and changes.added == {e["id"] for e in expected}
    assert any(":2: not valid JSON" in error for error in changes.errors)
    no_parsing(monkeypatch)
    again = Library(library)
    assert again.refresh().any is False
    assert snapshot(again) == expected
    # The broken line's problem is kept in the catalog, for the file that had it and no other.
    assert problems_by_file(again) == problems_by_file(first)
    assert [(relpath, len(problems)) for relpath, problems in problems_by_file(again).items()] == [("sub/data.jsonl", 1)]


def problems_by_file(lib: Library) -> dict[str, tuple[str, ...]]:
    return {e.relpath: lib.problems_of(e.relpath) for e in lib.entries() if lib.problems_of(e.relpath)}


def read_catalog(path: Path) -> tuple[dict, dict]:
    header, *lines = path.read_bytes().decode("ascii").splitlines()  # non-ASCII text as escapes
    return json.loads(header), dict(json.loads(line) for line in lines)


def write_catalog(path: Path, header: dict, columns: dict) -> None:
    path.write_text("\n".join(json.dumps(line) for line in [header, *columns.items()]) + "\n", "utf-8")


def test_catalog_is_a_json_line_per_column_and_replaces_the_older_file(library: Path) -> None:
    lib = Library(library)
    lib.cache_dir.mkdir(parents=True)
    (lib.cache_dir / "catalog.json").write_text('{"version": 3}', "utf-8")
    lib.refresh()
    header, columns = read_catalog(lib.catalog_path)
    assert header == {"version": CATALOG_VERSION, "root": str(library)}
    assert columns["path"] == sorted(columns["path"]) and sum(columns["articles"]) == 9
    assert len(columns["id"]) == len(columns["title"]) == len(columns["hash"]) == 9
    assert columns["source"]["table"].count("tempo.co") == 1  # repeated values stored once
    assert not (lib.cache_dir / "catalog.json").exists()


def test_loaded_entries_share_repeated_values(library: Path) -> None:
    Library(library).refresh()
    lib = Library(library)
    by_id = {entry.id: entry for entry in lib.entries()}
    one, two, three = by_id["j1"], by_id["j2"], by_id["j3"]
    assert one.source is two.source is three.source
    assert one.published is two.published
    assert one.authors is three.authors == ("Ani", "Budi")
    assert one.relpath is two.relpath == "sub/data.jsonl"


def test_changes_are_found_file_by_file(library: Path) -> None:
    lib = Library(library)
    lib.refresh()
    before = {e.id: e for e in lib.entries()}
    [catatan] = [e.id for e in before.values() if e.relpath == "sub/deeper/catatan.md"]
    data = library / "sub" / "data.jsonl"
    lines = data.read_text("utf-8").splitlines()
    lines[2] = record(id="j2", title="Dua diubah", content="Isi baru.")
    data.write_text("\n".join(lines) + "\n", "utf-8")
    (library / "sub" / "deeper" / "catatan.md").unlink()
    (library / "baru.md").write_text("# Artikel baru\n\nIsinya.\n", "utf-8")
    os.utime(next(library.glob("*.txt")), ns=(1, 1))  # touched, not changed
    changes = Library(library).refresh()
    assert changes.changed == {"j2"} and changes.removed == {catatan}
    assert len(changes.added) == 1
    assert len(changes.errors) == 1 and ":2: not valid JSON" in changes.errors[0]  # the file was read again
    after = Library(library)
    assert {e.id for e in after.entries()} == set(before) - {catatan} | changes.added
    assert after.entry("j2").title == "Dua diubah" and after.entry("j1").hash == before["j1"].hash
    assert after.refresh().any is False


def test_articles_leaving_a_file_are_removed(library: Path) -> None:
    lib = Library(library)
    lib.refresh()
    data = library / "sub" / "data.jsonl"
    data.write_text(record(id="j3", title="Tiga", content="Isi ketiga.") + "\n", "utf-8")
    changes = lib.refresh()
    assert changes.removed == {"j1", "j2"} and changes.changed == {"j3"}
    assert [e.id for e in Library(library).entries() if e.relpath == "sub/data.jsonl"] == ["j3"]


def test_unreadable_file_is_retried_and_its_articles_kept(library: Path, monkeypatch) -> None:
    lib = Library(library)
    lib.refresh()
    data = library / "sub" / "data.jsonl"
    data.write_text(data.read_text("utf-8") + record(id="j4", title="Empat", content="Isi.") + "\n", "utf-8")
    read_regular = kliping.library.folder.read_regular

    def unreadable(path: Path, limit: int) -> bytes:
        if Path(path) == data:
            raise PermissionError(13, "Permission denied")
        return read_regular(path, limit)

    with monkeypatch.context() as patch:
        patch.setattr(kliping.library.folder, "read_regular", unreadable)
        for _ in range(2):  # and still the next time, from the saved catalog
            blocked = Library(library)
            changes = blocked.refresh()
            assert [e for e in changes.errors if "cannot read" in e] == [f"{data}: cannot read: Permission denied"]
            assert blocked.entry("j1") is not None and blocked.entry("j4") is None
    assert Library(library).refresh().added == {"j4"}


def test_file_name_that_is_not_utf8_survives_the_catalog(tmp_path: Path) -> None:
    root = tmp_path / "library"
    root.mkdir()
    name = os.fsdecode(b"caf\xe9.md")  # a lone surrogate in the str
    try:
        (root / name).write_text("# Kafe\n\nIsi.\n", "utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system wants UTF-8 names")
    Library(root).refresh()
    [entry] = Library(root).entries()
    assert entry.relpath == name and Library(root).article(entry.id).title == "Kafe"


def damage(catalog: Path, change) -> None:
    header, columns = read_catalog(catalog)
    change(header, columns)
    write_catalog(catalog, header, columns)


DAMAGE = {
    "truncated": lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
    "not JSON": lambda path: path.write_bytes(b"\x00\xff garbage"),
    "a list": lambda path: path.write_text("[1, 2, 3]", "utf-8"),
    "an older version": lambda path: damage(path, lambda h, c: h.update(version=3)),
    "a column missing": lambda path: damage(path, lambda h, c: c.pop("url")),
    "a column too short": lambda path: damage(path, lambda h, c: c["title"].pop()),
    "a title that is a number": lambda path: damage(path, lambda h, c: c["title"].__setitem__(0, 7)),
    "a word count that is text": lambda path: damage(path, lambda h, c: c["words"].__setitem__(0, "7")),
    "files out of order": lambda path: damage(path, lambda h, c: c["path"].reverse()),
    "more articles than ids": lambda path: damage(path, lambda h, c: c["articles"].__setitem__(0, 2)),
    "a negative article count": lambda path: damage(path, lambda h, c: c["articles"].__setitem__(-1, -1)
                                                    or c["articles"].__setitem__(0, c["articles"][0] + 1)),
    "a cut content hash": lambda path: damage(path, lambda h, c: c.update(sha1=c["sha1"][:-3])),
    "a huge mtime": lambda path: damage(path, lambda h, c: c["mtime_ns"].__setitem__(0, 10**30)),
    "a table index out of range": lambda path: damage(path, lambda h, c: c["source"]["index"].__setitem__(0, 99)),
    "a negative table index": lambda path: damage(path, lambda h, c: c["language"]["index"].__setitem__(0, -1)),
    "a date that is not one": lambda path: damage(path, lambda h, c: c["published"]["table"].__setitem__(0, "x")),
    "an author that is a list": lambda path: damage(path, lambda h, c: c["authors"]["table"].append([[1]])
                                                    or c["authors"]["index"].__setitem__(0, -1)),
    "an article twice": lambda path: damage(path, lambda h, c: c["id"].__setitem__(1, c["id"][0])),
    "deeply nested": lambda path: path.write_bytes(path.read_bytes() + b"[" * 100_000 + b"\n"),
    "a line that is not a column": lambda path: path.write_bytes(path.read_bytes() + b"[1, 2, 3]\n"),
}


def test_catalog_rewritten_unchanged_is_still_used(library: Path, monkeypatch) -> None:
    """The control for the damage below: the test's own rewriting does not damage the catalog."""
    lib = Library(library)
    lib.refresh()
    expected = snapshot(lib)
    damage(lib.catalog_path, lambda header, columns: None)
    no_parsing(monkeypatch)
    again = Library(library)
    assert again.refresh().any is False and snapshot(again) == expected


@pytest.mark.parametrize("kind", DAMAGE)
def test_damaged_catalog_is_rebuilt(library: Path, kind: str) -> None:
    lib = Library(library)
    lib.refresh()
    expected = snapshot(lib)
    DAMAGE[kind](lib.catalog_path)
    rebuilt = Library(library)
    changes = rebuilt.refresh()
    assert snapshot(rebuilt) == expected
    assert changes.added == {e["id"] for e in expected}  # read from the files again
    assert read_catalog(rebuilt.catalog_path)[0]["version"] == CATALOG_VERSION
    assert Library(library).refresh().any is False


def test_an_article_file_just_catalogued_opens_without_being_parsed_again(library: Path, monkeypatch) -> None:
    # The catalog pass had the articles in hand and threw them away: opening a 2 MB article
    # right after it was added parsed it a second time.
    lib = Library(library)
    lib.refresh()
    shutil.copy(SEEDS_DIR / "000_40b614bf7deaba9e.txt", library / "sub" / "baru.txt")
    assert len(lib.refresh().added) == 1
    (entry,) = [e for e in lib.entries() if e.relpath == "sub/baru.txt"]
    expected = kliping.ingest.reading.read_articles(library / entry.relpath, relpath=entry.relpath).articles[0]
    no_parsing(monkeypatch)
    assert lib.article(entry.id) == expected


def test_a_changed_file_is_parsed_again_when_opened_before_and_after_a_refresh(library: Path) -> None:
    # The app opens articles between refreshes: an edit made meanwhile must show, not the parse kept.
    lib = Library(library)
    lib.refresh()
    path = library / "sub" / "deeper" / "catatan.md"
    (entry,) = [e for e in lib.entries() if e.relpath == "sub/deeper/catatan.md"]
    assert lib.article(entry.id).paragraphs == ("Isi catatan.",)
    path.write_text("# Judul catatan\n\nIsi yang baru.\n", "utf-8")
    os.utime(path, ns=(1, 1))
    assert lib.article(entry.id).paragraphs == ("Isi yang baru.",)
    lib.refresh()
    assert lib.article(entry.id).paragraphs == ("Isi yang baru.",)
