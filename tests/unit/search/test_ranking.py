"""The term-at-a-time ranking (search/ranking.py) against Whoosh's own matchers on one index.

The library is generated: 700 articles from a fixed vocabulary with a fixed seed, so posting lists
span several blocks, field lengths vary, and the index has three segments, one with deletions.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index as windex
from whoosh import query as wq
from whoosh.util.numeric import byte_to_length

from kliping.library.folder import Library
from kliping.search import SearchIndex, ranking, whoosh_internals
from kliping.search.query import parse_query, restrict_to_fields
from tests.support.search import whoosh_searcher, write_article

WORDS = (
    "presiden menteri warga kota jakarta banjir gempa korupsi kpk polisi menangkap pelaku "
    "pemilu mahasiswa demo harga beras naik turun pasar ekonomi bank suku bunga revisi uu "
    "kebakaran hutan lahan asap riau papua sekolah guru anak kesehatan rumah sakit dievakuasi "
    "mengevakuasi evakuasi perdamaian damai bertemu pertemuan sandera disandera timnas sepak bola"
).split()
STOP_WORDS = ("dan", "yang", "di", "ke", "dari", "untuk")
RARE = ("wiranto", "bulog")  # in a few articles: an AND with a common word jumps through its list
QUERIES = [
    "jakarta", "banjir jakarta", "korupsi kpk", "jakarta -banjir", "korupsi -kpk", "NOT jakarta",
    "presiden OR menteri", "(banjir OR gempa) -jakarta", "harga beras naik", "evakuasi", "damai",
    '"revisi uu kpk"', '"kebakaran hutan dan lahan"', '"ibu kota"', '"revisi uu" OR "suku bunga"',
    '"revisi uu" -korupsi', "korup*", "jakart~", "title:jakarta", "title:banjir korupsi",
    "date:2019", "date:2019-09", "jakarta date:2019-09", "date:2019-09-20..2019-09-30 demo",
    "jakarta jakarta", "anak", "timnas sepak bola", "zzzz", "jakarta -zzzz", "jakarta zzzz",
    "wiranto berita", "bulog berita -jakarta", '"wiranto berita"', "(banjir OR gempa) korupsi",
]


def _article(rng: random.Random) -> tuple[str, list[str], str]:
    def sentence() -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(4, 14))]
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), rng.choice(STOP_WORDS))
        return " ".join(words).capitalize() + "."

    paragraphs = [" ".join(sentence() for _ in range(rng.randint(1, 6))) for _ in range(rng.randint(1, 5))]
    if rng.random() < 0.95:
        paragraphs.append("Berita selengkapnya di halaman berikut.")
    if rng.random() < 0.03:
        paragraphs.append(f"{rng.choice(RARE).title()} berita terbaru.")
    if rng.random() < 0.15:
        paragraphs.append("Revisi UU KPK disahkan.")
    if rng.random() < 0.1:
        paragraphs.append("Kebakaran hutan dan lahan di Riau meluas.")
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))).title()
    day = f"2019-{rng.randint(8, 10):02d}-{rng.randint(1, 28):02d}"
    return title, paragraphs, day


def _write(root: Path, rng: random.Random, numbers: range) -> None:
    for n in numbers:
        title, paragraphs, day = _article(rng)
        write_article(root, f"a{n:04d}", title, paragraphs, published=day)


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("ranking-home")
    with pytest.MonkeyPatch.context() as patch:  # conftest's isolation is per test; this is per module
        for name in ("DATA", "CONFIG", "CACHE"):
            patch.setenv(f"KLIPING_{name}_DIR", str(home / name.lower()))
        root = home / "library"
        root.mkdir()
        rng = random.Random(7)
        _write(root, rng, range(500))
        library = Library(root)
        search_index = SearchIndex.open(library)
        # Two more segments after one with deletions, committed without merging so they stay.
        ix = windex.open_dir(str(search_index.directory))
        writer = ix.writer()
        for n in range(0, 500, 9):
            writer.delete_by_term("id", f"a{n:04d}")
        writer.commit(merge=False)
        for numbers in (range(500, 600), range(600, 700)):
            _write(root, rng, numbers)
            library.refresh()
            writer = ix.writer()
            for n in numbers:
                writer.add_document(**search_index.article_document(library.entry(f"a{n:04d}")))
            writer.commit(merge=False)
        search_index.close()
        with ix.searcher() as opened:
            yield opened


def _ranked(searcher, text: str) -> wq.Query:
    present = set(searcher.reader().indexed_field_names())
    return restrict_to_fields(parse_query(text).ranked(), present)


def test_the_index_has_what_the_comparison_needs(searcher) -> None:
    leaves = [leaf.reader() for leaf, _ in searcher.leaf_searchers()]
    assert len(leaves) == 3
    assert leaves[0].has_deletions()
    assert searcher.doc_frequency("body", "jakarta") > 300  # several blocks of postings


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("limit", [1, 10, 50])
def test_term_at_a_time_ranks_and_counts_as_whoosh_does(searcher, text: str, limit: int) -> None:
    query = _ranked(searcher, text)
    if query is None:
        pytest.skip("nothing to search for")
    fast = ranking.top_hits(searcher, query, limit, ranking.FieldLengths())
    reference = ranking.one_at_a_time(searcher, query, limit)
    assert fast.total == reference.total
    assert [docnum for _, docnum in fast.hits] == [docnum for _, docnum in reference.hits]
    # A date filter scores 0 here, as query.py asks; Whoosh's matcher ignores that and adds 1 to
    # every document (which ranks the same).
    offset = 1.0 if "date:" in text else 0.0
    assert [score + offset for score, _ in fast.hits] == pytest.approx([score for score, _ in reference.hits], rel=1e-12)


def test_every_query_is_scored_term_at_a_time(searcher) -> None:
    # The one-at-a-time path is a safety net for query shapes query.py does not make.
    lengths = ranking.FieldLengths()
    for text in QUERIES:
        query = _ranked(searcher, text)
        if query is not None:
            for leaf, _ in searcher.leaf_searchers():
                assert ranking.TermAtATime(searcher, leaf, lengths).scores(query) is not None, text


@pytest.mark.parametrize("text", ["jakarta", "banjir jakarta", "jakarta -banjir", "korupsi OR gempa"])
def test_a_kind_filter_ranks_and_counts_as_whoosh_does(searcher, text: str) -> None:
    query = wq.And([_ranked(searcher, text), wq.Or([wq.Term("kind", "article"), wq.Term("kind", "note")])])
    fast = ranking.top_hits(searcher, query, 20, ranking.FieldLengths())
    reference = ranking.one_at_a_time(searcher, query, 20)
    assert (fast.total, [d for _, d in fast.hits]) == (reference.total, [d for _, d in reference.hits])
    assert [s for s, _ in fast.hits] == pytest.approx([s for s, _ in reference.hits], rel=1e-12)


@pytest.mark.parametrize(
    "wrap", [lambda q: q, lambda q: wq.And([wq.Term("body", "banjir"), q]), lambda q: wq.AndNot(q, wq.Term("body", "gempa"))]
)
def test_an_unknown_query_shape_falls_back_to_whoosh(searcher, wrap) -> None:
    boosted, plain = wrap(wq.Term("body", "jakarta", boost=2.0)), wrap(wq.Term("body", "jakarta"))
    fast = ranking.top_hits(searcher, boosted, 50, ranking.FieldLengths())
    assert fast == ranking.one_at_a_time(searcher, boosted, 50)
    assert fast.total == ranking.top_hits(searcher, plain, 50, ranking.FieldLengths()).total


def test_and_not_excludes_a_segment_s_first_match(tmp_path: Path) -> None:
    """Whoosh's AND NOT matcher kept `a`'s first document when `b`'s list started earlier."""
    write_article(tmp_path, "a1", "Satu", ["Laporan KPK pertama."])
    write_article(tmp_path, "a2", "Dua", ["Kasus korupsi dibahas KPK."])
    write_article(tmp_path, "a3", "Tiga", ["Kasus korupsi di daerah."])
    index = SearchIndex.open(Library(tmp_path))
    try:
        assert [hit.article_id for hit in index.search("korupsi -kpk").hits] == ["a3"]
        with whoosh_searcher(index) as searcher:
            query = _ranked(searcher, "korupsi -kpk")
            assert ranking.one_at_a_time(searcher, query, 10).total == 1
            assert ranking.top_hits(searcher, query, 10, ranking.FieldLengths()).total == 1
    finally:
        index.close()


def test_length_bytes_read_at_once_are_whoosh_s_own(searcher, monkeypatch: pytest.MonkeyPatch) -> None:
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        assert whoosh_internals.length_bytes(reader, "body") is not None  # the fast path, on the pinned whoosh3
        read = ranking.FieldLengths().of(reader, "body")
        assert len(read) == reader.doc_count_all()
        with monkeypatch.context() as patch:  # what a whoosh3 without the fast path reads, one by one
            patch.setattr(whoosh_internals, "fast_path_available", lambda: False)
            assert ranking.FieldLengths().of(reader, "body") == read
        for docnum in range(reader.doc_count_all()):
            expected = reader.doc_field_length(docnum, "body", 0) or 0
            assert (byte_to_length(read[docnum]) if read[docnum] else 0) == expected


@pytest.mark.parametrize("text", QUERIES)
def test_the_public_path_ranks_as_the_fast_path_does(searcher, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without whoosh3's private arrays (a release that drops them) the ranking is the same."""
    query = _ranked(searcher, text)
    if query is None:
        pytest.skip("nothing to search for")
    fast = ranking.top_hits(searcher, query, 50, ranking.FieldLengths())
    monkeypatch.setattr(whoosh_internals, "fast_path_available", lambda: False)
    public = ranking.top_hits(searcher, query, 50, ranking.FieldLengths())
    assert public == fast
