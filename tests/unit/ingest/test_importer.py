"""`reader import`: normalized Markdown files, stable ids, and safe to run twice."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from kliping.ingest.importer import file_name_for, import_paths
from kliping.ingest.markdown_text import split_front_matter
from kliping.ingest.reading import read_articles
from kliping.library.folder import Library
from tests.support import CLICKID_SAMPLE, SEEDS_DIR
from tests.support.library import articles_of


def test_seeds_import_as_front_matter_files_that_read_back_the_same(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    summary = import_paths(library, [SEEDS_DIR])
    assert (summary.imported, summary.updated, summary.skipped, summary.failed) == (5, 0, 0, [])
    for seed in sorted(SEEDS_DIR.glob("*.txt")):
        source = read_articles(seed, relpath=seed.resolve().as_posix()).articles[0]
        target = library / f"{source.id}.md"
        front = split_front_matter(target.read_text("utf-8"))
        assert front.error is None
        assert list(front.data)[:11] == ["id", "title", "title_derived", "source", "authors", "editor",
                                         "published", "place", "language", "url", "extra"]
        assert front.data["original"] == seed.read_text("utf-8")  # kept losslessly, outside the body
        assert front.body.strip() == source.text
        again = read_articles(target, relpath=target.name).articles[0]
        for attr in ("id", "title", "title_derived", "source", "authors", "editor", "published",
                     "place", "language", "url", "paragraphs", "original"):
            assert getattr(again, attr) == getattr(source, attr), attr
        assert again.extra == {**source.extra, "imported_from": seed.resolve().as_posix()}


def test_running_twice_skips_duplicates_and_updates_changes(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Judul Pertama Berita\n\nIsi berita pertama yang lengkap.\n", "utf-8")
    (folder / "b.md").write_text("# Judul Kedua\n\nIsi berita kedua.\n", "utf-8")
    first = import_paths(library, [folder])
    assert (first.imported, first.updated, first.skipped) == (2, 0, 0)
    files = sorted(p.name for p in library.iterdir())
    second = import_paths(library, [folder])
    assert (second.imported, second.updated, second.skipped, second.failed) == (0, 0, 2, [])
    (folder / "a.txt").write_text("Judul Pertama Berita\n\nIsi berita pertama yang sudah diperbaiki.\n", "utf-8")
    third = import_paths(library, [folder])
    assert (third.imported, third.updated, third.skipped) == (0, 1, 1)
    assert sorted(p.name for p in library.iterdir()) == files
    texts = [a.text for a in articles_of(Library(library, cache_dir=tmp_path / "cache"))]
    assert "Isi berita pertama yang sudah diperbaiki." in texts


def test_dataset_import_uses_record_ids_and_reports_bad_lines(tmp_path: Path) -> None:
    records = [
        json.dumps({"id": "berita-1", "title": "Satu", "content": "Isi satu."}),
        "{rusak",
        json.dumps({"id": "../../etc/passwd", "title": "Dua", "content": "Isi dua."}),
        json.dumps({"title": "Tiga", "content": "Isi tiga."}),
    ]
    data = tmp_path / "data.jsonl.gz"
    data.write_bytes(gzip.compress("\n".join(records).encode()))
    library = tmp_path / "lib"
    summary = import_paths(library, [data])
    assert (summary.imported, summary.skipped) == (3, 0)
    assert len(summary.failed) == 1 and summary.failed[0].startswith(f"{data}:2: not valid JSON")
    assert (library / "berita-1.md").exists()
    names = {p.name for p in library.iterdir()}
    assert file_name_for("../../etc/passwd") in names
    assert all("/" not in n and not n.startswith(".") for n in names)
    assert not (tmp_path / "etc").exists()
    entries = Library(library, cache_dir=tmp_path / "cache").entries()
    assert {e.id for e in entries} >= {"berita-1", "../../etc/passwd"}


def test_clickid_sample_import_round_trip(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    summary = import_paths(library, [CLICKID_SAMPLE])
    assert summary.imported == 30 and summary.failed == []
    lib = Library(library, cache_dir=tmp_path / "cache")
    assert lib.refresh().errors == []
    for entry in lib.entries():
        assert entry.published is not None and None not in (entry.published.year, entry.published.month, entry.published.day)
        assert entry.source and entry.title and not entry.title_derived
        article = lib.article(entry.id)
        assert article.extra["imported_from"].endswith(f"clickid-sample.jsonl:{article.extra['line']}")
    assert import_paths(library, [CLICKID_SAMPLE]).skipped == 30


def test_failures_are_named_and_the_rest_imported(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Judul Baik Sekali\n\nIsi yang baik.\n", "utf-8")
    other = tmp_path / "gambar.png"
    other.write_bytes(b"\x89PNG")
    empty = tmp_path / "kosong"
    empty.mkdir()
    summary = import_paths(tmp_path / "lib", [tmp_path / "tidak-ada.txt", other, empty, good])
    assert summary.imported == 1
    assert [f.split(": ", 1)[0] for f in summary.failed] == [str(tmp_path / "tidak-ada.txt"), str(other), str(empty)]
    assert summary.line() == "imported 1, updated 0, skipped as duplicate 0, failed 3"


def test_files_already_in_the_library_are_not_imported_again(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    import_paths(library, [SEEDS_DIR])
    summary = import_paths(library, [library])
    assert summary.imported == 0 and summary.updated == 0 and summary.failed
