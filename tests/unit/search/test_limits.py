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

from kliping.cli import main
from kliping.library.folder import Library
from kliping.search import SearchIndex
from kliping.search.highlight import match_spec
from kliping.search.query import MAX_DEPTH, parse_query, restrict_to_fields
from kliping.search.ranking import one_at_a_time
from tests.support.search import make_library, whoosh_searcher

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
    with whoosh_searcher(index) as searcher, only_frames(FRAMES_TO_SPARE):
        results = index.search(text)
        # Whoosh's own walks over the same query objects: printing, listing terms, its matchers
        ranked = parsed.ranked()
        str(ranked), repr(ranked)
        list(ranked.iter_all_terms()), list(ranked.leaves())
        fallback = one_at_a_time(searcher, ranked, 10)
        spec = match_spec(parsed, "id")
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


# --- prefixes and fuzzy words: bounded expansions ---------------------------------------------------

FREQUENT = "kazofreqx"


@pytest.fixture(scope="module")
def wide_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library whose vocabulary is wide: 60 words `kazo..x` in one article each, one in ten
    articles, and 320 words `kz...x` (five for each of 64 three-letter prefixes)."""
    root = tmp_path_factory.mktemp("search-wide") / "library"
    root.mkdir()
    letters = "abcdefgh"
    for number in range(60):
        word = f"kazo{letters[number // 8]}{letters[number % 8]}x"
        (root / f"rare_{number:02d}.txt").write_text(f"Kabar {number}\n\nWarga menyebut {word} di pasar.\n", "utf-8")
    for number in range(10):
        (root / f"often_{number}.txt").write_text(f"Sering {number}\n\nWarga menyebut {FREQUENT} lagi.\n", "utf-8")
    wide = [f"kz{a}{b}{c}x" for a in letters for b in letters for c in "abcde"]
    for number in range(0, len(wide), 10):
        words = " ".join(wide[number : number + 10])
        (root / f"wide_{number:03d}.txt").write_text(f"Daftar {number}\n\n{words}.\n", "utf-8")
    return root


@pytest.fixture(scope="module")
def wide(wide_root: Path):
    idx = SearchIndex.open(Library(wide_root, cache_dir=wide_root.parent / "cache"))
    yield idx
    idx.close()


def expanded_terms(index: SearchIndex, text: str) -> list[list[str]]:
    """The words each prefix or fuzzy word of ``text`` became, clause by clause."""
    from kliping.search.expansion import Vocabulary, expand

    with whoosh_searcher(index) as searcher:
        present = set(searcher.reader().indexed_field_names())
        expanded = expand(restrict_to_fields(parse_query(text).query, present), searcher, Vocabulary())
    return [[t.text for t in q.subqueries] if isinstance(q, wq.Or) else [q.text] for q in expanded.replaced.values()]


def test_a_prefix_standing_for_too_many_words_keeps_the_most_frequent_and_says_so(wide: SearchIndex) -> None:
    from kliping.search.expansion import MAX_TERMS_PER_WORD

    results = wide.search("kazo*", limit=100)
    (kept,) = expanded_terms(wide, "kazo*")
    assert len(kept) == MAX_TERMS_PER_WORD and FREQUENT in kept
    assert results.total == 10 + MAX_TERMS_PER_WORD - 1  # the frequent word's ten, one for each other word
    assert {f"Sering {n}" for n in range(10)} <= {hit.title for hit in results.hits}
    assert results.error is None and results.message
    assert (
        "narrowed" in results.message
        and "61 words" in results.message
        and f"{MAX_TERMS_PER_WORD} most frequent" in results.message
    )


def test_many_prefixes_share_the_query_bound(wide: SearchIndex) -> None:
    from kliping.search.expansion import MAX_TERMS_PER_QUERY

    letters = "abcdefgh"
    text = " OR ".join(f"kz{a}{b}*" for a in letters for b in letters)
    clauses = expanded_terms(wide, text)
    assert len(clauses) == 64
    assert sum(len(words) for words in clauses) <= MAX_TERMS_PER_QUERY
    assert all(len(words) == MAX_TERMS_PER_QUERY // 64 for words in clauses)
    results = wide.search(text)
    assert results.total == 32 and results.message  # every list article still has kept words
    assert "64 of its prefixes and fuzzy words stand for 320 words" in results.message


def test_a_fuzzy_word_keeps_itself_first(wide: SearchIndex) -> None:
    (kept,) = expanded_terms(wide, "kazoaax~2")
    assert "kazoaax" in kept


EVERYDAY = ["evak*", "sander*", "dievakuasi~2", "sandera~", "perundingan~2", "anak*", "title:san*", "anak* -sander*"]


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_prefixes_and_fuzzy_words_find_what_whoosh_finds(index: SearchIndex, text: str) -> None:
    results = index.search(text, limit=100)
    parsed = parse_query(text)
    with whoosh_searcher(index) as searcher:
        reference = {searcher.stored_fields(d)["id"] for d in searcher.search(parsed.query, limit=None).docs()}
    assert {hit.article_id for hit in results.hits} == reference and reference
    assert results.message is None


def test_the_cli_says_on_stderr_that_the_query_was_narrowed(wide_root: Path, capsys) -> None:
    assert main(["--library", str(wide_root), "search", "kazo*"]) == 0
    captured = capsys.readouterr()
    (line,) = captured.err.splitlines()
    assert "narrowed" in line and "kazo*" in line
    assert "59 matches" in captured.out


# --- cancelling a running search --------------------------------------------------------------------


def test_a_cancelled_search_stops_and_leaves_the_index_as_it_was(wide: SearchIndex) -> None:
    from kliping.search.results import SearchCancelled

    asked = []

    def cancel_on_the_third_question() -> bool:
        asked.append(1)
        return len(asked) >= 3

    letters = "abcdefgh"
    text = " OR ".join(f"kz{a}{b}*" for a in letters for b in letters)
    with pytest.raises(SearchCancelled):
        wide.search(text, cancelled=cancel_on_the_third_question)
    assert len(asked) == 3  # it stopped at the first question answered yes
    state = json.loads(wide.state_path.read_text("utf-8"))
    assert "damaged" not in state  # a cancelled search is not damage
    assert wide.search(text).total == 32


def test_a_prefix_searched_in_two_languages_shares_one_bound(tmp_path: Path) -> None:
    from kliping.search.expansion import MAX_TERMS_PER_WORD
    from tests.support.search import write_article

    root = tmp_path / "library"
    root.mkdir()
    letters = "abcdefgh"
    words = [f"kazo{a}{b}x" for a in letters for b in letters]  # 64 words, 32 in each language
    write_article(root, "indonesia", "Daftar", [" ".join(words[:32])])
    write_article(root, "english", "List", [" ".join(words[32:])], language="en")
    index = SearchIndex.open(Library(root, cache_dir=tmp_path / "cache"))
    try:
        clauses = expanded_terms(index, "kazo*")
        assert len(clauses) == 2  # the Indonesian and the English body
        assert sum(len(kept) for kept in clauses) == MAX_TERMS_PER_WORD
        assert "“kazo*” stands for 64 words" in index.search("kazo*").message
    finally:
        index.close()
