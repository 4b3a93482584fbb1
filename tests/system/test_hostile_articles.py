"""Hostile and broken article files: each gives one line naming the file and the problem, never a
traceback, and costs nothing else in the library. Checked in-process and through `reader` itself."""

from __future__ import annotations

import errno
import json
import os
import time
from pathlib import Path

import pytest

import kliping.library.folder
from kliping.cli import main
from kliping.ingest.reading import read_articles
from kliping.library.folder import Library
from tests.support.hardening import (
    FORBIDDEN_OUTPUT,
    GOOD_ARTICLE,
    TERMINAL_ATTACKS,
    assert_clean_failure_lines,
    environment,
    hostile_files,
    make_many_files,
    python_tag_front_matter,
    reader,
)

HOSTILE = hostile_files()


def good_library(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "good.txt").write_text(GOOD_ARTICLE, "utf-8")
    return root


@pytest.fixture(scope="module")
def hostile_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = good_library(tmp_path_factory.mktemp("hostile") / "library")
    for name, (data, _) in HOSTILE.items():
        (root / name).write_bytes(data)
    return root


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_file_reads_to_articles_or_one_named_problem(tmp_path: Path, name: str) -> None:
    data, problem = HOSTILE[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = read_articles(path, relpath=name)
    for error in result.errors:
        assert error.startswith(f"{path}:") and "\n" not in error
    if problem is None:
        assert result.errors == [] and result.articles
    else:
        assert any(problem in e for e in result.errors), result.errors
    for article in result.articles:
        for forbidden in FORBIDDEN_OUTPUT:
            assert forbidden not in article.title and forbidden not in article.text


def test_what_the_hostile_files_hold_is_read_right(tmp_path: Path) -> None:
    def read(name: str):
        path = tmp_path / name
        path.write_bytes(HOSTILE[name][0])
        return read_articles(path, relpath=name)

    (utf16,) = read("utf16-no-bom.txt").articles
    assert utf16.title == "Harga Gula Naik di Pasar Induk" and utf16.place == "JAKARTA"
    (mixed,) = read("mixed-endings.txt").articles
    assert mixed.title == "Judul Akhir Baris Campur" and mixed.paragraphs == ("Isi satu.", "Isi dua.", "Isi tiga.")
    (broken,) = read("broken-utf8.txt").articles
    assert "Kafé ramai sekali." in broken.text and "“kutipan”" in broken.text and "\ufffd" in broken.text
    jsonl = read("truncated.jsonl")
    assert [a.title for a in jsonl.articles] == ["Rekaman Baik"]
    assert [e.split(": ", 1)[0].rsplit(":", 1)[1] for e in jsonl.errors] == ["2", "3"]
    assert "cut off" in jsonl.errors[1]
    big = read("big-line.jsonl")
    assert [a.title for a in big.articles] == ["Baris Raksasa", "Baris Biasa"]
    assert big.articles[0].word_count == 2_000_000
    (single,) = read("single-line.txt").articles
    assert single.word_count == 1_000_000


def test_yaml_tags_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "tag.md"
    path.write_bytes(python_tag_front_matter(marker))
    result = read_articles(path, relpath="tag.md")
    assert any("invalid YAML front matter" in e for e in result.errors)
    (article,) = result.articles  # the body is read as the words it is, tag and all
    assert article.title == f'!!python/object/apply:os.system ["touch {marker}"]'
    assert article.text == "Isi berita biasa."
    root = good_library(tmp_path / "lib")
    (root / "tag.md").write_bytes(path.read_bytes())
    listing = reader("--library", str(root), "list", env=environment(COLUMNS="300"))
    imported = reader("--library", str(tmp_path / "lib2"), "import", str(path))
    shown = reader("--library", str(tmp_path / "lib2"), "list", "--json")
    assert listing.code == 0 and imported.code == 0 and shown.code == 0
    assert not marker.exists()


def test_reader_list_reports_each_hostile_file_once_and_lists_the_rest(hostile_library: Path) -> None:
    run = reader("--library", str(hostile_library), "list", "--json")
    assert run.code == 0
    assert_clean_failure_lines(run.err)
    for name, (_, problem) in HOSTILE.items():
        lines = [ln for ln in run.err.splitlines() if ln.startswith(f"{hostile_library / name}:")]
        if problem is None:
            assert lines == [], lines
        else:
            assert any(problem in ln for ln in lines), (name, run.err)
    records = [json.loads(line) for line in run.out.splitlines()]
    titles = {r["title"] for r in records}
    assert "Harga Beras Naik di Pasar Induk" in titles and "Harga Gula Naik di Pasar Induk" in titles
    assert {"Rekaman Baik", "Baris Raksasa", "Baris Biasa"} <= titles
    # The problems were said once; an unchanged library lists quietly.
    again = reader("--library", str(hostile_library), "list")
    assert again.code == 0 and again.err == ""
    assert len(again.out.splitlines()) == len(records) + 1


def test_reader_import_of_hostile_files_imports_the_rest(hostile_library: Path, tmp_path: Path) -> None:
    run = reader("--library", str(tmp_path / "lib"), "import", str(hostile_library))
    assert run.code == 0
    assert_clean_failure_lines(run.err)
    *problems, summary = run.err.splitlines()
    for name, (_, problem) in HOSTILE.items():
        named = [ln for ln in problems if ln.startswith(f"{hostile_library / name}:")]
        assert (problem is None) == (named == []), (name, named)
    readable = [a for p in sorted(hostile_library.iterdir()) for a in read_articles(p, relpath=p.name).articles]
    imported, skipped = (int(part.split()[-1]) for part in summary.split(", ")[:3:2])
    assert imported + skipped == len(readable)
    assert imported == len({a.text for a in readable})  # repeats within one import are skipped
    listed = reader("--library", str(tmp_path / "lib"), "list", "--json")
    assert listed.code == 0 and listed.err == ""
    assert len(listed.out.splitlines()) == imported


def test_a_50_mb_article(tmp_path: Path) -> None:
    paragraph = "Kalimat berita yang cukup panjang untuk satu paragraf penuh di sini. " * 15 + "\n\n"
    path = tmp_path / "besar.txt"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("Berita Yang Sangat Panjang Sekali\n\n")
        for _ in range(50 * 1024 * 1024 // len(paragraph) + 1):
            handle.write(paragraph)
    assert path.stat().st_size > 50 * 1024 * 1024
    (article,) = read_articles(path, relpath="besar.txt").articles
    assert article.title == "Berita Yang Sangat Panjang Sekali"
    assert len(article.paragraphs) > 49_000
    run = reader("--library", str(tmp_path / "lib"), "import", str(path))
    assert run.code == 0 and run.err == "imported 1, updated 0, skipped as duplicate 0, failed 0\n"


# --- file names --------------------------------------------------------------------------------------

ODD_NAMES = ["nama dengan spasi.txt", "baris\nbaru.txt", "berita-ümlaut-ñ-日本.txt", "-rf.txt", "--help.md",
             "\x1b]0;judul\x07.txt"]
BAD_UTF8_NAME = b"\xff\xfe-bukan-utf8.txt"


def odd_named_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(ODD_NAMES):
        (folder / name).write_text(GOOD_ARTICLE.replace("Beras", f"Beras {i}").replace("14.600", str(i)), "utf-8")
    with open(os.path.join(os.fsencode(folder), BAD_UTF8_NAME), "wb") as handle:
        handle.write(GOOD_ARTICLE.replace("Beras", "Garam").encode())
    return folder


def test_odd_file_names_in_the_library(tmp_path: Path) -> None:
    root = odd_named_folder(tmp_path / "lib")
    run = reader("--library", str(root), "list", "--json")
    assert run.code == 0 and run.err == ""
    records = [json.loads(line) for line in run.out.splitlines()]
    assert sorted(r["relpath"] for r in records) == sorted([*ODD_NAMES, os.fsdecode(BAD_UTF8_NAME)])
    table = reader("--library", str(root), "list")
    assert table.code == 0 and len(table.out.splitlines()) == len(ODD_NAMES) + 2
    assert "\x1b" not in table.out and "\x07" not in table.out


def test_odd_file_names_imported_one_by_one_and_by_folder(tmp_path: Path) -> None:
    folder = odd_named_folder(tmp_path / "in")
    run = reader("--library", str(tmp_path / "lib"), "import", "--", "-rf.txt", "--help.md", cwd=folder)
    assert run.code == 0 and run.err == "imported 2, updated 0, skipped as duplicate 0, failed 0\n"
    run = reader("--library", str(tmp_path / "lib"), "import", str(folder))
    assert run.code == 0
    assert run.err == f"imported {len(ODD_NAMES) - 1}, updated 0, skipped as duplicate 2, failed 0\n"
    listed = reader("--library", str(tmp_path / "lib"), "list", "--json")
    assert len(listed.out.splitlines()) == len(ODD_NAMES) + 1
    missing = reader("--library", str(tmp_path / "lib"), "import", "--", "-nope.txt", cwd=folder)
    assert missing.code == 1 and missing.err.splitlines()[0] == "-nope.txt: no such file or folder"


def test_an_odd_name_in_a_problem_is_one_inert_line(tmp_path: Path) -> None:
    root = good_library(tmp_path / "lib")
    (root / "kosong\n\x1b[2Jhapus.txt").write_bytes(b"")
    run = reader("--library", str(root), "list")
    assert run.code == 0 and "\x1b" not in run.err
    assert run.err.splitlines() == [f"{root}/kosong hapus.txt: empty file"]


# --- links, permissions and size -----------------------------------------------------------------------


def test_symlink_loops_and_links_outside_the_library(tmp_path: Path) -> None:
    outside = good_library(tmp_path / "outside")
    (outside / "secret.txt").write_text("Rahasia Negara Sekali\n\nIsi rahasia.\n", "utf-8")
    root = good_library(tmp_path / "lib")
    (root / "self").symlink_to(root)
    (root / "parent").symlink_to(tmp_path)
    (root / "loop1.txt").symlink_to(root / "loop2.txt")
    (root / "loop2.txt").symlink_to(root / "loop1.txt")
    (root / "secret.txt").symlink_to(outside / "secret.txt")
    (root / "dangling.txt").symlink_to(root / "gone.txt")
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to(root / "sub")
    (root / "sub" / "same.txt").symlink_to(root / "good.txt")
    run = reader("--library", str(root), "list", "--json")
    assert run.code == 0
    assert_clean_failure_lines(run.err)
    assert sorted(run.err.splitlines()) == sorted([
        f"{root}/dangling.txt: a link to a file that does not exist; skipped",
        f"{root}/loop1.txt: a symlink loop; skipped",
        f"{root}/loop2.txt: a symlink loop; skipped",
        f"{root}/parent: links to {tmp_path}, outside the library; not followed",
        f"{root}/secret.txt: links to {outside / 'secret.txt'}, outside the library; not followed",
    ])
    assert sorted(json.loads(ln)["relpath"] for ln in run.out.splitlines()) == ["good.txt", "sub/same.txt"]
    imported = reader("--library", str(tmp_path / "lib2"), "import", str(root / "loop1.txt"), str(root / "good.txt"))
    assert imported.code == 0
    assert imported.err.splitlines()[0] == f"{root / 'loop1.txt'}: a symlink loop"


def test_unreadable_file_is_named_kept_and_read_once_readable(tmp_path: Path, monkeypatch, capsys) -> None:
    root = good_library(tmp_path / "lib")
    locked = root / "terkunci.txt"
    locked.write_text(GOOD_ARTICLE.replace("Beras", "Kopi"), "utf-8")
    library = Library(root)
    assert len(library.refresh().added) == 2
    locked.write_text(GOOD_ARTICLE.replace("Beras", "Teh"), "utf-8")  # changed, so it must be read again
    real_read_regular = kliping.library.folder.read_regular

    def read_regular(path: Path, limit: int) -> bytes:
        if Path(path).name == "terkunci.txt":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_read_regular(path, limit)

    monkeypatch.setattr(kliping.library.folder, "read_regular", read_regular)
    changes = Library(root).refresh()
    assert changes.errors == [f"{locked}: cannot read: Permission denied"]
    assert not changes.removed  # what was read of it before is kept while it cannot be read
    code = main(["--library", str(root), "list"])
    out, err = capsys.readouterr()
    assert code == 0 and err == f"{locked}: cannot read: Permission denied\n"
    assert "Harga Kopi Naik" in out and "Harga Beras Naik" in out
    monkeypatch.setattr(kliping.library.folder, "read_regular", real_read_regular)
    # Permissions fixed (the file itself unchanged): it is read now, not forgotten.
    changes = Library(root).refresh()
    assert changes.errors == [] and len(changes.changed) == 1
    assert {e.title for e in Library(root).entries()} >= {"Harga Teh Naik di Pasar Induk"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode; the test above fakes it")
def test_chmod_000_file(tmp_path: Path) -> None:
    root = good_library(tmp_path / "lib")
    (root / "locked.txt").write_text(GOOD_ARTICLE, "utf-8")
    (root / "locked.txt").chmod(0)
    run = reader("--library", str(root), "list")
    assert run.code == 0 and run.err == f"{root / 'locked.txt'}: cannot read: Permission denied\n"


def test_unreadable_folder_is_named_and_its_articles_kept(tmp_path: Path, monkeypatch) -> None:
    root = good_library(tmp_path / "lib")
    (root / "arsip").mkdir()
    (root / "arsip" / "lama.txt").write_text(GOOD_ARTICLE.replace("Beras", "Jagung"), "utf-8")
    assert len(Library(root).refresh().added) == 2
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "arsip":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    library = Library(root)
    changes = library.refresh()
    assert changes.errors == [f"{root.resolve() / 'arsip'}: cannot read this folder: Permission denied"]
    assert not changes.removed and len(library.entries()) == 2
    # A path that is a file where a folder is expected raises NotADirectoryError: also one line.
    (root / "bukan-folder.txt").write_text(GOOD_ARTICLE, "utf-8")
    run = reader("--library", str(root / "bukan-folder.txt"), "list")
    assert run.code == 1 and run.err == f"{root / 'bukan-folder.txt'}: no such library folder\n"


def test_many_files(tmp_path: Path) -> None:
    """5,000 files here; bench/many_files.py times 100,000."""
    root = tmp_path / "lib"
    make_many_files(root, 5000)
    library = Library(root)
    began = time.perf_counter()
    files = library.files()
    assert len(files) == 5000
    changes = library.refresh()
    assert len(changes.added) == 5000 and changes.errors == []
    seconds = time.perf_counter() - began
    again = Library(root)
    assert not again.refresh().any and len(again.entries()) == 5000
    print(f"5,000 files: first refresh {seconds:.1f} s")


# --- what is shown --------------------------------------------------------------------------------------


def test_terminal_escapes_and_markup_come_out_inert(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    attack = "".join(TERMINAL_ATTACKS)
    title = f"Judul {attack}[bold red]Tebal[/bold red] [link=https://evil.example]klik[/link] [/x]"
    body = f"Paragraf pertama {attack}berisi [blink]kedip[/blink] dan \x1b[31mmerah\x1b[0m."
    (root / "jahat.txt").write_text(f"{title}\n\n{body}\n\nParagraf kedua yang biasa saja.\n", "utf-8")
    (root / "jahat.jsonl").write_text(
        json.dumps({"id": "j1", "title": title, "source": f"Sumber{attack}", "content": body}) + "\n", "utf-8"
    )
    listing = reader("--library", str(root), "list", env=environment(COLUMNS="300"))
    records = [json.loads(ln) for ln in reader("--library", str(root), "list", "--json").out.splitlines()]
    shown = [reader("--library", str(root), "show", r["id"]) for r in records]
    shown_json = [reader("--library", str(root), "show", r["id"], "--json") for r in records]
    for run in (listing, *shown, *shown_json):
        assert run.code == 0 and run.err == ""
        for forbidden in FORBIDDEN_OUTPUT:
            assert forbidden not in run.out, (forbidden, run.out)
    assert len(records) == 2
    for run in (listing, *shown):
        # Markup is printed as the characters it is made of.
        assert "[bold red]Tebal[/bold red] [link=https://evil.example]klik[/link] [/x]" in run.out
    for run in shown:
        assert "[blink]kedip[/blink] dan merah." in run.out


def test_a_large_dataset_reports_progress_while_it_is_read(tmp_path: Path) -> None:
    from kliping.ingest.importer import import_paths
    from tests.support.hardening import make_dataset

    dataset = tmp_path / "berita.jsonl"
    count = make_dataset(dataset, copies=20)
    calls: list[tuple[int, int, str]] = []
    summary = import_paths(tmp_path / "lib", [dataset], progress=lambda *call: calls.append(call))
    assert summary.imported == count == 600
    assert calls == [(0, 1, "berita.jsonl: 250 read"), (0, 1, "berita.jsonl: 500 read"), (1, 1, "berita.jsonl")]
