"""Importing a dataset again: the ledger skips what is already in the library, uncleaned, and an
import with it gives the same summary and the same files as one that checks every record in full."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from kliping.ingest import ledger as ledger_module
from kliping.ingest import reading
from kliping.ingest.importer import ImportSummary, import_paths
from kliping.ingest.ledger import LEDGER_NAME
from tests.support import CLICKID_SAMPLE


def write_dataset(path: Path, records: list[dict]) -> Path:
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode()))
    return path


def records(count: int) -> list[dict]:
    return [{"id": f"b-{n}", "title": f"Berita nomor {n}", "content": f"Isi berita nomor {n} yang lengkap."}
            for n in range(count)]


def files_of(library: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(library.iterdir())}


def as_tuple(summary: ImportSummary) -> tuple:
    return summary.imported, summary.updated, summary.skipped, summary.failed


def import_both_ways(tmp_path: Path, library: Path, cache: Path, dataset: Path) -> ImportSummary:
    """Import with the ledger, and into a copy of the library with an empty cache (every record
    checked in full, as before the ledger): the summaries and the files must be the same."""
    copy = tmp_path / f"copy-{len(list(tmp_path.iterdir()))}"
    shutil.copytree(library, copy / library.name)
    full = import_paths(copy / library.name, [dataset], cache_dir=copy / "empty-cache")
    quick = import_paths(library, [dataset], cache_dir=cache)
    assert as_tuple(quick) == as_tuple(full)
    assert files_of(library) == files_of(copy / library.name)
    return quick


@pytest.fixture
def no_cleaning(monkeypatch: pytest.MonkeyPatch):
    """Fail the test if any record is cleaned (what the ledger is there to skip)."""

    def refuse(*args, **kwargs):
        raise AssertionError("a record was cleaned")

    def apply() -> None:
        monkeypatch.setattr(reading, "clean_article_text", refuse)

    return apply


def test_importing_the_same_dataset_again_cleans_no_record(tmp_path: Path, no_cleaning) -> None:
    library, cache = tmp_path / "lib", tmp_path / "cache"
    dataset = write_dataset(tmp_path / "data.jsonl.gz", records(40))
    assert as_tuple(import_paths(library, [dataset], cache_dir=cache)) == (40, 0, 0, [])
    assert (cache / LEDGER_NAME).is_file()
    before = files_of(library)
    no_cleaning()
    again = import_paths(library, [dataset], cache_dir=cache)
    assert as_tuple(again) == (0, 0, 40, [])
    assert files_of(library) == before
    assert as_tuple(import_paths(library, [dataset], cache_dir=cache)) == (0, 0, 40, [])  # the ledger was kept


def test_the_clickid_sample_again_is_all_skipped_as_a_full_check_says(tmp_path: Path) -> None:
    library, cache = tmp_path / "lib", tmp_path / "cache"
    import_paths(library, [CLICKID_SAMPLE], cache_dir=cache)
    assert as_tuple(import_both_ways(tmp_path, library, cache, CLICKID_SAMPLE)) == (0, 0, 30, [])


def test_an_edited_record_is_updated_and_the_others_skipped(tmp_path: Path) -> None:
    library, cache = tmp_path / "lib", tmp_path / "cache"
    items = records(10)
    dataset = write_dataset(tmp_path / "data.jsonl.gz", items)
    import_paths(library, [dataset], cache_dir=cache)
    items[3]["content"] = "Isi yang sudah diperbaiki."
    items[7]["title"] = "Judul baru"
    write_dataset(dataset, items)
    assert as_tuple(import_both_ways(tmp_path, library, cache, dataset)) == (0, 2, 8, [])


def test_records_moved_added_and_repeated_give_what_a_full_check_gives(tmp_path: Path) -> None:
    library, cache = tmp_path / "lib", tmp_path / "cache"
    items = [{"title": f"Judul {n}", "content": f"Isi berita {n}."} for n in range(8)]  # ids from line numbers
    dataset = write_dataset(tmp_path / "data.jsonl.gz", items)
    import_paths(library, [dataset], cache_dir=cache)
    items.insert(2, {"title": "Baru", "content": "Isi berita baru."})
    items.append(dict(items[5]))  # the same text twice: the second is a repeat
    write_dataset(dataset, items)
    quick = import_both_ways(tmp_path, library, cache, dataset)
    assert quick.skipped >= 3
    assert as_tuple(import_both_ways(tmp_path, library, cache, dataset)) == (0, 0, len(items), [])


def test_a_record_id_that_becomes_shared_gives_what_a_full_check_gives(tmp_path: Path) -> None:
    library, cache = tmp_path / "lib", tmp_path / "cache"
    items = records(6)
    dataset = write_dataset(tmp_path / "data.jsonl.gz", items)
    import_paths(library, [dataset], cache_dir=cache)
    items[5]["id"] = items[4]["id"]  # both now take ids from their line numbers
    write_dataset(dataset, items)
    quick = import_both_ways(tmp_path, library, cache, dataset)
    assert (quick.imported, quick.skipped) == (2, 4)


def test_library_files_changed_or_removed_by_hand_are_checked_in_full(tmp_path: Path) -> None:
    library, cache = tmp_path / "lib", tmp_path / "cache"
    dataset = write_dataset(tmp_path / "data.jsonl.gz", records(6))
    import_paths(library, [dataset], cache_dir=cache)
    (library / "b-1.md").unlink()
    edited = library / "b-2.md"
    edited.write_bytes(edited.read_bytes().replace(b"yang lengkap", b"yang diubah"))
    rewritten = library / "b-3.md"
    rewritten.write_bytes(rewritten.read_bytes())  # the same bytes, a new stamp
    assert as_tuple(import_both_ways(tmp_path, library, cache, dataset)) == (1, 1, 4, [])


def test_a_ledger_of_other_code_or_damaged_is_a_full_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library, cache = tmp_path / "lib", tmp_path / "cache"
    dataset = write_dataset(tmp_path / "data.jsonl.gz", records(5))
    import_paths(library, [dataset], cache_dir=cache)
    cleaned: list[str] = []
    real = reading.clean_article_text
    monkeypatch.setattr(reading, "clean_article_text", lambda *a, **k: cleaned.append("x") or real(*a, **k))
    monkeypatch.setattr(ledger_module, "code_fingerprint", lambda: "another version")
    assert as_tuple(import_paths(library, [dataset], cache_dir=cache)) == (0, 0, 5, [])
    assert len(cleaned) == 5
    for damage in (b"", b"{", b"[]", b'{"version": 1, "fingerprint": "another version", "sources": {"x": [[1]]}}'):
        (cache / LEDGER_NAME).write_bytes(damage)
        cleaned.clear()
        assert as_tuple(import_paths(library, [dataset], cache_dir=cache)) == (0, 0, 5, [])
        assert len(cleaned) == 5


def test_an_unwritable_cache_costs_only_the_quick_skip(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    cache = tmp_path / "cache-is-a-file"
    cache.write_text("not a folder")
    dataset = write_dataset(tmp_path / "data.jsonl.gz", records(3))
    assert as_tuple(import_paths(library, [dataset], cache_dir=cache)) == (3, 0, 0, [])
    assert as_tuple(import_paths(library, [dataset], cache_dir=cache)) == (0, 0, 3, [])
