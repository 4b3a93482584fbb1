"""`reader list`, `reader show` and `reader import` as scripts see them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import CLICKID_SAMPLE, SEEDS_DIR
from tests.support.cli import run_cli


@pytest.fixture
def library(seed_library: Path) -> Path:
    return seed_library  # conftest's copy of the five seeds


def test_list_table_shows_the_seeds(library: Path, capsys) -> None:
    code, out, err = run_cli(capsys, "--library", str(library), "list")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "DATE", "SOURCE", "TITLE"]
    assert len(lines) == 6
    assert "2024-12-06" in lines[1] and "Pantau" in lines[1] and "Hamas Temui Rusia" in lines[1]
    assert any("--11-06" in ln and "RIAUPOS.CO" in ln for ln in lines)


def test_list_json_one_object_a_line(library: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, "--library", str(library), "list", "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(records) == 5
    by_title = {r["title"]: r for r in records}
    pantau = by_title["Hamas Temui Rusia, Bahas Gencatan Senjata Permanen di Gaza"]
    assert pantau["authors"] == ["Khalied Malvino"] and pantau["editor"] == "Sofian Faiq"
    assert pantau["published"] == "2024-12-06" and pantau["source"] == "Pantau"
    assert {"id", "title", "title_derived", "source", "authors", "editor", "published", "place",
            "language", "url"} <= set(pantau)


def test_show_prints_the_clean_article(library: Path, capsys) -> None:
    _, out, _ = run_cli(capsys, "--library", str(library), "list", "--json")
    record = next(json.loads(ln) for ln in out.splitlines() if json.loads(ln)["source"] == "RIAUPOS.CO")
    code, out, err = run_cli(capsys, "--library", str(library), "show", record["id"])
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].endswith("(title from the lead)")
    assert "Source: RIAUPOS.CO" in lines and "Place: MOSKOW" in lines and "Published: 6 Nov" in lines
    assert "Editor: Edwar Yaman" in lines
    assert lines[-1].startswith("Kehadiran warga negara Rusia")
    assert "source.wustl.edu" not in out and "Sumber:" not in out


def test_show_json_and_id_prefix(library: Path, capsys) -> None:
    _, out, _ = run_cli(capsys, "--library", str(library), "list", "--json")
    article_id = json.loads(out.splitlines()[0])["id"]
    code, out, _ = run_cli(capsys, "--library", str(library), "show", article_id[:8], "--json")
    data = json.loads(out)
    assert code == 0 and data["id"] == article_id
    assert data["text"] == "\n\n".join(data["paragraphs"])


def test_show_unknown_id_is_one_line_and_fails(library: Path, capsys) -> None:
    code, out, err = run_cli(capsys, "--library", str(library), "show", "nope")
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "nope" in err


def test_show_strips_terminal_control_sequences(tmp_path: Path, capsys) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "evil.md").write_text(
        "---\nid: evil\ntitle: \"Judul \\e]0;pwned\\a Jahat\"\n---\nIsi \x1b[31mmerah\x1b[0m dan \x1b]52;c;ZXZpbA==\x07 lagi.\n",
        "utf-8",
    )
    code, out, _ = run_cli(capsys, "--library", str(root), "show", "evil")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert "Isi merah dan lagi." in out
    code, out, _ = run_cli(capsys, "--library", str(root), "list")
    assert "\x1b" not in out


def test_import_then_list_and_rerun(tmp_path: Path, capsys) -> None:
    root = tmp_path / "lib"
    sample = CLICKID_SAMPLE
    code, out, err = run_cli(capsys, "--library", str(root), "import", str(sample), str(SEEDS_DIR))
    assert code == 0 and out == ""
    assert err.strip().splitlines()[-1] == "imported 35, updated 0, skipped as duplicate 0, failed 0"
    code, _, err = run_cli(capsys, "--library", str(root), "import", str(sample))
    assert err.strip() == "imported 0, updated 0, skipped as duplicate 30, failed 0"
    _, out, _ = run_cli(capsys, "--library", str(root), "list", "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 35
    assert all(r["title"] and r["published"] for r in records if r["source"] not in (None, "Pantau", "Harakatuna", "RIAUPOS.CO"))


def test_an_import_leaves_the_catalog_ready_so_listing_reads_no_article(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch, isolated_dirs: Path
) -> None:
    from kliping.ingest import reading

    root = tmp_path / "lib"
    code, _, _ = run_cli(capsys, "--library", str(root), "import", str(CLICKID_SAMPLE), str(SEEDS_DIR))
    assert code == 0

    def refuse(*args, **kwargs):
        raise AssertionError("an article file was read again")

    with monkeypatch.context() as patched:
        patched.setattr(reading, "read_articles", refuse)
        code, out, err = run_cli(capsys, "--library", str(root), "list", "--json")
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 35
    next((isolated_dirs / "cache").rglob("catalog.jsonl")).unlink()  # an older library: the re-import catalogs it
    run_cli(capsys, "--library", str(root), "import", str(CLICKID_SAMPLE))
    monkeypatch.setattr(reading, "read_articles", refuse)
    _, out, _ = run_cli(capsys, "--library", str(root), "list", "--json")
    assert len(out.splitlines()) == 35


def test_import_errors_name_the_file_and_fail_when_nothing_done(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "x"\n', "utf-8")
    code, _out, err = run_cli(capsys, "--library", str(tmp_path / "lib"), "import", str(tmp_path / "missing"), str(bad))
    lines = err.strip().splitlines()
    assert code == 1
    assert lines[0] == f"{tmp_path / 'missing'}: no such file or folder"
    assert lines[1].startswith(f"{bad}:1: not valid JSON")
    assert lines[-1] == "imported 0, updated 0, skipped as duplicate 0, failed 2"


def test_no_progress_bar_when_not_a_terminal(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kliping", "--library", str(tmp_path / "lib"), "import", str(SEEDS_DIR)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0
    assert proc.stderr == "imported 5, updated 0, skipped as duplicate 0, failed 0\n"
    assert "rich" not in proc.stdout
