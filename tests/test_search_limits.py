"""Queries that would recurse too deeply or expand too far: refused or narrowed, in one line.

Brackets nested past the parser's limit are refused (an error, never a RecursionError); a query at
the limit searches with hundreds of frames to spare, through every step that walks the query."""

from __future__ import annotations

import inspect
import io
import json
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from whoosh import query as wq

from _helpers_search import make_library
from kliping.cli import main
from kliping.library import Library
from kliping.search import SearchIndex
from kliping.search.highlight import match_spec
from kliping.search.query import MAX_DEPTH, parse_query
from kliping.search.ranking import _one_at_a_time

# Far below Python's default limit of 1,000: what a query at the depth limit may use at most.
FRAMES_TO_SPARE = 300


@pytest.fixture(scope="module")
def library_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_library(tmp_path_factory.mktemp("search-limits") / "library")


@pytest.fixture(scope="module")
def index(library_root: Path):
    idx = SearchIndex.open(Library(library_root, cache_dir=library_root.parent / "cache"))
    yield idx
    idx.close()


@contextmanager
def only_frames(spare: int):
    """Python's recursion limit set to the current depth plus ``spare`` frames."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + spare)
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


def nested(depth: int) -> str:
    """``depth`` levels of brackets with a word, an OR and a negation at every level."""
    query = "beras"
    for level in range(depth):
        query = f"(pasokan OR {query}) -zzq{level}" if level % 2 else f"(harga {query})"
    return query


HOSTILE_NESTING = [
    "(" * 330 + "beras",
    "-(" * 330 + "beras",
    "(beras " * 300 + ")" * 300,
    "NOT (" * 200 + "beras",
    '("beras" (' * 150,
]


@pytest.mark.parametrize("text", HOSTILE_NESTING, ids=["open", "negated", "closed", "not", "quoted"])
def test_brackets_nested_past_the_limit_are_refused_in_one_line(text: str) -> None:
    parsed = parse_query(text)
    assert parsed.query is None
    assert parsed.error is not None and f"more than {MAX_DEPTH}" in parsed.error
    assert "\n" not in parsed.error and parsed.error in parsed.message


def test_search_answers_a_refused_query_with_an_error_not_a_non_match(index: SearchIndex) -> None:
    results = index.search("(" * 330 + "beras")
    assert results.hits == [] and results.error and results.message
    assert "nothing was searched" in results.error


def test_brackets_at_the_limit_are_searched(index: SearchIndex) -> None:
    assert parse_query("(" * MAX_DEPTH + "beras").error is None
    assert [hit.article_id for hit in index.search("(" * MAX_DEPTH + "beras").hits] == ["harga"]
    assert parse_query("(" * (MAX_DEPTH + 1) + "beras").error is not None


def test_a_query_at_the_depth_limit_leaves_hundreds_of_frames_to_spare(index: SearchIndex) -> None:
    text = nested(MAX_DEPTH)
    parsed = parse_query(text)
    assert parsed.error is None and parsed.query is not None
    searcher = index._searcher
    with only_frames(FRAMES_TO_SPARE):
        results = index.search(text)
        # Whoosh's own walks over the same query objects: printing, listing terms, its matchers
        ranked = parsed.ranked()
        str(ranked), repr(ranked)
        list(ranked.iter_all_terms()), list(ranked.leaves())
        fallback = _one_at_a_time(searcher, ranked, 10)
        spec = match_spec(parsed.query, "id")
    assert [hit.article_id for hit in results.hits] == ["harga"] and results.error is None
    assert fallback.total == 1 and "beras" in spec.terms


def test_many_nots_and_long_or_chains_do_not_nest(index: SearchIndex) -> None:
    for text in ["NOT " * 240 + "beras", " OR ".join(["beras"] * 200), '"beras" ' * 300, "- " * 490 + "beras"]:
        with only_frames(FRAMES_TO_SPARE):
            results = index.search(text)
        assert results.error is None, text


def test_the_cli_refuses_a_deep_query_in_one_line(library_root: Path, capsys) -> None:
    assert main(["--library", str(library_root), "search", "(" * 330 + "beras"]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "No articles match" not in captured.out
    (line,) = captured.err.splitlines()
    assert f"more than {MAX_DEPTH}" in line


def test_one_deep_batch_line_answers_with_an_error_and_the_rest_run(library_root: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("beras\n" + "(" * 330 + "beras\n" + "gaza\n"))
    assert main(["--library", str(library_root), "search", "--batch", "-"]) == 1
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["ids"] for r in records] == [["harga"], [], ["evakuasi"]]
    assert records[0]["error"] is None and records[2]["error"] is None
    assert f"more than {MAX_DEPTH}" in records[1]["error"]
    assert "Traceback" not in captured.err


def test_whoosh_query_types_kliping_builds_are_the_ones_walked(index: SearchIndex) -> None:
    # The depth test above covers And, Or, AndNot and AndMaybe: the compound types query.py makes.
    kinds = set()

    def walk(q: wq.Query) -> None:
        kinds.add(type(q))
        for sub in q.children():
            walk(sub)

    walk(parse_query(nested(4)).ranked())
    assert {wq.And, wq.Or, wq.AndNot, wq.AndMaybe} <= kinds
