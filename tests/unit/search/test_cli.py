"""`reader search` and `reader index` from the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kliping.cli import main
from tests.support.search import make_library


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return make_library(tmp_path / "library")


def test_index_prints_a_summary_then_has_nothing_to_do(library: Path, capsys) -> None:
    assert main(["--library", str(library), "index"]) == 0
    assert "4 articles; 4 added, 0 updated, 0 removed" in capsys.readouterr().out
    assert main(["--library", str(library), "index"]) == 0
    assert "0 added, 0 updated, 0 removed" in capsys.readouterr().out
    assert main(["--library", str(library), "index", "--rebuild"]) == 0
    assert "4 added" in capsys.readouterr().out


def test_search_prints_ranked_hits_with_marked_snippets(library: Path, capsys) -> None:
    assert main(["--library", str(library), "search", "evakuasi"]) == 0
    out = capsys.readouterr().out
    assert "Warga Dievakuasi dari Gaza" in out and "Kompas" in out and "6 Des 2024" in out
    assert "«dievakuasi»" in out and "«evakuasinya»" in out


def test_search_json_is_one_object_per_hit(library: Path, capsys) -> None:
    assert main(["--library", str(library), "search", "anak", "--json", "--limit", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    hit = json.loads(lines[0])
    assert hit["id"] in {"evakuasi", "sandera"} and hit["kind"] == "article"
    assert all(hit["snippet"][s:e].lower().startswith("anak") for s, e in hit["snippet_spans"])


def test_no_hits_offers_a_suggestion(library: Path, capsys) -> None:
    assert main(["--library", str(library), "search", "sandrea"]) == 0
    assert "Did you mean: sandera" in capsys.readouterr().out


def test_batch_from_a_file_and_from_stdin(library: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_text('beras\n\n"sandera dibebaskan"\n(((\n', "utf-8")
    assert main(["--library", str(library), "search", "--batch", str(queries)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["query"] for r in records] == ["beras", '"sandera dibebaskan"', "((("]
    assert records[0]["ids"] == ["harga"] and records[1]["ids"] == ["sandera"]
    assert records[2]["ids"] == [] and records[2]["message"]
    monkeypatch.setattr("sys.stdin", io.StringIO("gaza\n"))
    assert main(["--library", str(library), "search", "--batch", "-"]) == 0
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["ids"] == ["evakuasi"]


def test_bad_invocations_are_one_line_errors(library: Path, tmp_path: Path, capsys) -> None:
    assert main(["--library", str(library), "search"]) == 2
    assert "give a query" in capsys.readouterr().err
    assert main(["--library", str(library), "search", "--batch", str(tmp_path / "missing.txt")]) == 1
    err = capsys.readouterr().err
    assert "cannot read" in err and "Traceback" not in err
    assert main(["--library", str(library), "search", '"((', "--limit", "3"]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "closing quote" in captured.err
    assert "No articles match" in captured.out
