"""Hostile datasets, front matter and special files on the way in: ids that two datasets share,
odd JSON types, impossible YAML values, compression bombs, FIFOs and devices, and ids that would
drive a terminal. Each is one line naming the file (and line), and nothing else is lost."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import zlib
from pathlib import Path

import pytest

from kliping.bookmarks.model import Bookmark
from kliping.bookmarks.store import BookmarkStore
from kliping.cli import main
from kliping.ingest.importer import import_paths
from kliping.ingest.reading import KNOWN_KEYS, MAX_PROBLEMS_PER_FILE, read_articles
from kliping.library.folder import Library
from tests.support.hardening import FORBIDDEN_OUTPUT, GOOD_ARTICLE, assert_clean_failure_lines, reader
from tests.support.library import articles_of


def write_dataset(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def numbered(prefix: str, count: int = 3) -> list[dict]:
    return [{"id": i, "title": f"{prefix} nomor {i}", "content": f"Isi berita {prefix} nomor {i} yang berbeda."}
            for i in range(1, count + 1)]


def md_files(library: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(library.glob("*.md"))}


# --- 1. record ids are scoped to their dataset ---------------------------------------------------


def test_a_second_dataset_reusing_ids_adds_articles_and_replaces_none(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    first = write_dataset(tmp_path / "a.jsonl", numbered("Alpha"))
    second = write_dataset(tmp_path / "b.jsonl", numbered("Beta"))
    assert import_paths(library, [first]).imported == 3
    before = md_files(library)
    summary = import_paths(library, [second])
    assert (summary.imported, summary.updated, summary.failed) == (3, 0, [])
    after = md_files(library)
    assert {name: after[name] for name in before} == before  # the first dataset's files untouched
    titles = {e.title for e in Library(library).entries()}
    assert titles == {f"{p} nomor {i}" for p in ("Alpha", "Beta") for i in (1, 2, 3)}
    # Nothing was lost: the dataset's own id is kept with the article that could not use it.
    scoped = [a for a in articles_of(Library(library)) if a.title.startswith("Beta")]
    assert sorted(a.extra["dataset_id"] for a in scoped) == ["1", "2", "3"]


def test_one_import_of_two_datasets_sharing_ids_then_again_then_updated(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    first = write_dataset(tmp_path / "a.jsonl", numbered("Alpha"))
    second = write_dataset(tmp_path / "b.jsonl", numbered("Beta"))
    run = reader("--library", str(library), "import", str(first), str(second))
    assert run.code == 0 and run.err == "imported 6, updated 0, skipped as duplicate 0, failed 0\n"
    files = md_files(library)
    again = reader("--library", str(library), "import", str(first), str(second))
    assert again.err == "imported 0, updated 0, skipped as duplicate 6, failed 0\n"
    assert md_files(library) == files
    records = numbered("Beta")
    records[1]["content"] = "Isi berita Beta nomor 2 yang sudah diperbaiki."
    write_dataset(second, records)
    updated = reader("--library", str(library), "import", str(first), str(second))
    assert updated.err == "imported 0, updated 1, skipped as duplicate 5, failed 0\n"
    texts = [a.text for a in articles_of(Library(library))]
    assert len(texts) == 6 and "Isi berita Beta nomor 2 yang sudah diperbaiki." in texts
    assert "Isi berita Alpha nomor 2 yang berbeda." in texts


def test_a_bookmark_stays_anchored_when_another_dataset_reuses_its_id(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    import_paths(library, [write_dataset(tmp_path / "a.jsonl", numbered("Alpha"))])
    article = Library(library).article("1")
    start = article.text.index("Alpha nomor 1")
    BookmarkStore.for_library(library).add(Bookmark.new("1", article.text, start, start + len("Alpha nomor 1")))
    import_paths(library, [write_dataset(tmp_path / "b.jsonl", numbered("Beta"))])
    check = reader("--library", str(library), "bookmarks", "check")
    assert check.code == 0 and check.out.startswith("anchored"), check.out


def test_an_id_taken_by_a_hand_made_file_is_not_replaced(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    mine = library / "1.md"
    mine.write_text("---\nid: 1\ntitle: Catatan saya\n---\nTulisan saya sendiri.\n", "utf-8")
    summary = import_paths(library, [write_dataset(tmp_path / "a.jsonl", numbered("Alpha"))])
    assert (summary.imported, summary.updated) == (3, 0)
    assert mine.read_text("utf-8") == "---\nid: 1\ntitle: Catatan saya\n---\nTulisan saya sendiri.\n"


# --- 5. any JSON type under any key ----------------------------------------------------------------

ODD_VALUES = [None, True, 0, -1.5, "", "teks biasa", [], ["a", 1, None], {}, {"a": [1, {"b": "c"}]},
              [[[["dalam"]]]], "\x1b]0;judul\x07\x9b31m\u202e"]
HUGE_INTEGER = "9" * 5000  # past Python's limit for turning digits into an int


def odd_dataset(path: Path, key: str) -> tuple[Path, list[object]]:
    """A good record, one record for each odd value under ``key``, and a good record."""
    lines = [json.dumps({"title": "Rekaman Awal", "content": "Isi rekaman awal."})]
    for number, value in enumerate(ODD_VALUES):
        lines.append(json.dumps({"title": f"Kasus {number}", "content": f"Isi kasus {key} {number}.", key: value}))
    lines.append(f'{{"title": "Besar", "content": "Isi besar {key}.", "{key}": {HUGE_INTEGER}}}')
    lines.append(json.dumps({"title": "Rekaman Akhir", "content": "Isi rekaman akhir."}))
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path, [*ODD_VALUES, "huge"]


@pytest.mark.parametrize("key", sorted(KNOWN_KEYS))
def test_every_known_key_takes_any_json_type_record_by_record(tmp_path: Path, key: str) -> None:
    dataset, values = odd_dataset(tmp_path / "aneh.jsonl", key)
    result = read_articles(dataset, relpath="aneh.jsonl")
    titles = [a.title for a in result.articles]
    assert titles[0] == "Rekaman Awal" and titles[-1] == "Rekaman Akhir"
    for error in result.errors:
        assert error.startswith(f"{dataset}:") and "\n" not in error and "please report" not in error, error
    failed = {int(e[len(str(dataset)) + 1:].split(":", 1)[0]): e for e in result.errors}
    # Only a record without usable text, or with a number no one can read, is not an article.
    for number, value in enumerate(values, 2):
        if number in failed:
            assert value == "huge" or key in ("content", "text", "body"), (value, failed[number])
    assert len(result.articles) == len(values) + 2 - len(failed)
    summary = import_paths(tmp_path / "lib", [dataset])
    assert summary.imported + summary.skipped == len(result.articles) and summary.failed == result.errors
    assert len(Library(tmp_path / "lib").entries()) == summary.imported
    assert main(["--library", str(tmp_path / "lib"), "list", "--json"]) == 0


def test_a_record_nested_too_deeply_to_import_is_one_line(tmp_path: Path) -> None:
    deep: object = "dasar"
    for _ in range(300):
        deep = [deep]
    dataset = write_dataset(tmp_path / "dalam.jsonl", [
        {"title": "Dalam", "content": "Isi dalam.", "catatan": deep},
        {"title": "Biasa", "content": "Isi biasa."},
    ])
    result = read_articles(dataset, relpath="dalam.jsonl")
    assert [a.title for a in result.articles] == ["Biasa"]
    assert result.errors == [f"{dataset}:1: JSON nested more than 50 levels deep; skipped"]


# --- 4. values YAML cannot build, in front matter ------------------------------------------------------

BAD_VALUE_FRONT = (
    "---\nid: berita-tanggal\ntitle: Judul Dengan Tanggal Mustahil\ncreated: 2024-02-30\njumlah: !!int abc\n---\n"
    "Isi berita yang tetap terbaca.\n"
)


def test_impossible_yaml_values_keep_the_article_and_name_file_line_and_key(tmp_path: Path, capsys) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "good.txt").write_text(GOOD_ARTICLE, "utf-8")
    path = root / "tanggal.md"
    path.write_text(BAD_VALUE_FRONT, "utf-8")
    assert main(["--library", str(root), "list"]) == 0
    out, err = capsys.readouterr()
    assert sorted(err.splitlines()) == [
        f"{path}: front matter line 4, column 10, key 'created': '2024-02-30' is not a valid timestamp; kept as text",
        f"{path}: front matter line 5, column 9, key 'jumlah': 'abc' is not a valid int; kept as text",
    ]
    assert "berita-tanggal" in out and "Judul Dengan Tanggal Mustahil" in out
    assert main(["--library", str(root), "show", "berita-tanggal"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "Judul Dengan Tanggal Mustahil" and "Isi berita yang tetap terbaca." in out
    assert len(err.splitlines()) == 2 and all(line.startswith(f"{path}: front matter line") for line in err.splitlines())


@pytest.mark.parametrize("value", ["!!timestamp x", "!!bool maybe", "!!float 1e99999x", "[!!int abc]"])
def test_every_kind_of_unbuildable_value_keeps_the_article(tmp_path: Path, capsys, value: str) -> None:
    # !!timestamp x raised AttributeError and !!bool maybe KeyError: the article was lost.
    root = tmp_path / "lib"
    root.mkdir()
    path = root / "nilai.md"
    path.write_text(f"---\nid: berita-nilai\ntitle: Judul Nilai Aneh\nnilai: {value}\n---\nIsi tetap terbaca.\n", "utf-8")
    assert main(["--library", str(root), "list"]) == 0
    out, err = capsys.readouterr()
    assert "Judul Nilai Aneh" in out
    (line,) = err.splitlines()
    assert line.startswith(f"{path}: ") and "line 4" in line and "please report" not in line


def test_an_edit_after_cataloguing_to_an_impossible_date_shows_and_opens(tmp_path: Path) -> None:
    from kliping.tui.app import ReaderApp
    from kliping.tui.widgets.article_list import ArticleList
    from kliping.tui.widgets.reader_pane import ReaderPane
    from tests.support.tui import settle, wait_for, widget_text

    root = tmp_path / "lib"
    root.mkdir()
    path = root / "tanggal.md"
    path.write_text(BAD_VALUE_FRONT.replace("2024-02-30", "2024-02-28").replace("!!int abc", "3"), "utf-8")
    assert reader("--library", str(root), "list").code == 0
    path.write_text(BAD_VALUE_FRONT, "utf-8")
    shown = reader("--library", str(root), "show", "berita-tanggal")
    assert shown.code == 0 and "Isi berita yang tetap terbaca." in shown.out
    assert_clean_failure_lines(shown.err)
    path.write_text(BAD_VALUE_FRONT.replace("2024-02-30", "2024-02-28").replace("!!int abc", "3"), "utf-8")

    async def scenario() -> None:
        app = ReaderApp(Library(root))
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            path.write_text(BAD_VALUE_FRONT, "utf-8")  # edited while the app runs, after cataloguing
            article_list = app.main.query_one(ArticleList)
            article_list.select_article("berita-tanggal")
            await pilot.press("enter")
            reader_pane = app.main.query_one(ReaderPane)
            await wait_for(pilot, app, lambda: reader_pane.article is not None, timeout=60)
            assert "Isi berita yang tetap terbaca." in widget_text(reader_pane)
            assert app.is_running

    asyncio.run(scenario())


# --- 6. compression bombs and endless lines ----------------------------------------------------------


def gzip_of_repeats(path: Path, chunk: bytes, total: int) -> Path:
    """A gzip file of ``chunk`` repeated to ``total`` bytes, made without holding them all."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    with open(path, "wb") as out:
        block = chunk * max(1, (1 << 20) // len(chunk))
        for _ in range(total // len(block)):
            out.write(packer.compress(block))
        out.write(packer.flush())
    return path


def test_a_gzip_of_zeros_is_one_line(tmp_path: Path) -> None:
    bomb = gzip_of_repeats(tmp_path / "nol.jsonl.gz", b"\0", 512 << 20)
    result = read_articles(bomb, relpath="nol.jsonl.gz")
    assert result.articles == [] and len(result.errors) == 1
    assert result.errors[0].startswith(f"{bomb}: ")


def test_a_million_empty_objects_give_a_bounded_report_and_catalog(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "good.txt").write_text(GOOD_ARTICLE, "utf-8")
    bomb = root / "kosong.jsonl.gz"
    bomb.write_bytes(gzip.compress(b"{}\n" * 1_000_000))
    assert bomb.stat().st_size < 10_000
    run = reader("--library", str(root), "list")
    assert run.code == 0
    lines = run.err.splitlines()
    assert len(lines) == MAX_PROBLEMS_PER_FILE + 1
    assert all(line.startswith(f"{bomb}:") for line in lines)
    assert lines[-1] == f"{bomb}: and {1_000_000 - MAX_PROBLEMS_PER_FILE:,} more problems in this file"
    catalog = Library(root).catalog_path
    assert catalog.stat().st_size < 50_000
    assert "Harga Beras Naik" in run.out


def test_a_highly_compressed_dataset_stops_at_the_ratio_limit_and_keeps_what_came_before(tmp_path: Path) -> None:
    # Records of a kilobyte, the same each time: deflate packs them a thousand to one, as it does zeros.
    record = (json.dumps({"title": "Sama", "content": "kata " * 200}) + "\n").encode()
    bomb = gzip_of_repeats(tmp_path / "ulang.jsonl.gz", record, 1 << 30)
    result = read_articles(bomb, relpath="ulang.jsonl.gz")
    assert result.articles  # what came before the limit is read
    limit = [e for e in result.errors if "times its size" in e]
    assert len(limit) == 1 and limit[0].startswith(f"{bomb}: ")


def test_a_bomb_of_bad_records_is_said_after_the_first_problems(tmp_path: Path) -> None:
    bomb = gzip_of_repeats(tmp_path / "kosong.jsonl.gz", b"{}\n", 24 << 20)
    result = read_articles(bomb, relpath="kosong.jsonl.gz")
    assert len(result.errors) == MAX_PROBLEMS_PER_FILE + 2
    assert "more problems in this file" in result.errors[-2] and "times its size" in result.errors[-1]


def test_a_line_longer_than_the_limit_is_skipped_and_the_next_read(tmp_path: Path) -> None:
    dataset = tmp_path / "panjang.jsonl"
    with open(dataset, "wb") as out:
        out.write(b'{"title": "Terlalu Panjang", "content": "')
        for _ in range(40):
            out.write(b"kata " * (1 << 18))
        out.write(b'"}\n' + json.dumps({"title": "Sesudahnya", "content": "Isi sesudahnya."}).encode() + b"\n")
    result = read_articles(dataset, relpath="panjang.jsonl")
    assert [a.title for a in result.articles] == ["Sesudahnya"]
    assert result.errors == [f"{dataset}:1: longer than 32 MB; skipped"]


# --- 7. FIFOs and devices ------------------------------------------------------------------------------


def test_a_catalog_that_is_a_fifo_neither_hangs_list_nor_the_app(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "good.txt").write_text(GOOD_ARTICLE, "utf-8")
    catalog = Library(root).catalog_path
    catalog.parent.mkdir(parents=True)
    os.mkfifo(catalog)
    run = reader("--library", str(root), "list", timeout=60)
    assert run.code == 0 and "Harga Beras Naik" in run.out
    assert run.err == f"{catalog}: is a named pipe (FIFO), not a regular file; not read; the catalog is rebuilt\n"
    assert catalog.is_file()  # replaced by a real catalog
    os.unlink(catalog)
    os.mkfifo(catalog)

    async def scenario() -> None:
        from kliping.tui.app import ReaderApp
        from kliping.tui.widgets.article_list import ArticleList
        from tests.support.tui import wait_for

        app = ReaderApp(Library(root))
        async with app.run_test(size=(120, 40)) as pilot:
            article_list = app.main.query_one(ArticleList)
            await wait_for(pilot, app, lambda: len(article_list.rows) == 1, timeout=60)
            await pilot.press("q")
        assert not app.is_running

    asyncio.run(asyncio.wait_for(scenario(), 120))


def test_special_files_among_the_articles_are_named_and_skipped(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "good.txt").write_text(GOOD_ARTICLE, "utf-8")
    os.mkfifo(root / "pipa.txt")
    (root / "nol.jsonl").symlink_to("/dev/zero")
    run = reader("--library", str(root), "list", timeout=60)
    assert run.code == 0 and "Harga Beras Naik" in run.out
    assert f"{root}/pipa.txt: is a named pipe (FIFO), not a regular file; not read" in run.err.splitlines()
    assert len(run.err.splitlines()) == 2  # the /dev/zero link is named too (it leads outside)


def test_an_article_replaced_by_a_fifo_after_cataloguing_does_not_hang(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    path = root / "good.txt"
    path.write_text(GOOD_ARTICLE, "utf-8")
    library = Library(root)  # catalogued before the swap, as by an app already running
    (entry,) = library.entries()
    path.unlink()
    os.mkfifo(path)
    assert library.article(entry.id) is None
    shown = reader("--library", str(root), "show", entry.id, timeout=60)
    assert shown.code == 1 and "Traceback" not in shown.err


def test_import_of_a_fifo_and_of_a_device_is_one_line_each(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipa.jsonl")
    (tmp_path / "nol.jsonl").symlink_to("/dev/zero")
    (tmp_path / "nol.txt").symlink_to("/dev/zero")
    good = tmp_path / "good.txt"
    good.write_text(GOOD_ARTICLE, "utf-8")
    run = reader(
        "--library",
        str(tmp_path / "lib"),
        "import",
        str(tmp_path / "pipa.jsonl"),
        str(tmp_path / "nol.jsonl"),
        str(tmp_path / "nol.txt"),
        str(good),
        timeout=60,
    )
    assert run.code == 0
    assert run.err.splitlines() == [
        f"{tmp_path / 'pipa.jsonl'}: is a named pipe (FIFO), not a regular file; not read",
        f"{tmp_path / 'nol.jsonl'}: is a character device, not a regular file; not read",
        f"{tmp_path / 'nol.txt'}: is a character device, not a regular file; not read",
        "imported 1, updated 0, skipped as duplicate 0, failed 3",
    ]


# --- 12 and 15. what reaches the terminal ------------------------------------------------------------

HOSTILE_IDS = ["\x1b]2;PWNED\x07", "\x1b]52;c;aGk=\x07", "id\x9b31m\u202ekanan", "\x9d0;judul\x9c"]


def test_ids_and_extras_reach_the_terminal_inert(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    write_dataset(
        root / "jahat.jsonl",
        [
            {"id": rid, "title": f"Judul {n}", "content": f"Isi nomor {n}.", "catatan": f"C1 \x9b31m bidi \u202e {n}"}
            for n, rid in enumerate(HOSTILE_IDS)
        ],
    )
    listing = reader("--library", str(root), "list")
    as_json = reader("--library", str(root), "list", "--json")
    records = [json.loads(line) for line in as_json.out.splitlines()]
    assert sorted(r["id"] for r in records) == sorted(HOSTILE_IDS)  # the same ids, once parsed
    shown = [reader("--library", str(root), "show", r["id"], "--json") for r in records]
    for run in (listing, as_json, *shown):
        assert run.code == 0 and run.err == ""
        for forbidden in FORBIDDEN_OUTPUT:
            assert forbidden not in run.out, (forbidden, run.out)
    extras = sorted(json.loads(run.out)["extra"]["catatan"] for run in shown)
    assert extras == [f"C1 \x9b31m bidi \u202e {n}" for n in range(4)]  # the same text, once parsed


def test_a_gzip_whose_data_ends_on_a_megabyte_is_not_called_cut_off(tmp_path: Path) -> None:
    # The read after a full megabyte of output gave the next (empty) member no input, yet counted
    # it as begun: a whole file was reported as cut off.
    record = json.dumps({"title": "Judul", "content": "Isi berita " * 80}) + "\n"
    body = record * ((1 << 20) // len(record))
    body += json.dumps({"title": "Akhir", "content": "x" * ((1 << 20) - len(body) - 40)})
    body += " " * ((1 << 20) - len(body.encode()) - 1) + "\n"
    assert len(body.encode()) == 1 << 20
    dataset = tmp_path / "pas.jsonl.gz"
    dataset.write_bytes(gzip.compress(body.encode()))
    result = read_articles(dataset, relpath="pas.jsonl.gz")
    assert result.errors == [] and len(result.articles) == body.count("\n")
