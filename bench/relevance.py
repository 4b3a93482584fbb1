"""Ranking quality on a real Indonesian retrieval test (TyDi QA GoldP, Indonesian, from ../shared/relevance).

All 4,650 passages are written into a temporary library as Markdown files (front matter `id`,
clean paragraphs, as `reader import` writes them), indexed by kliping exactly as a user's library
is, and each question is run through `SearchIndex.search` as typed. Printed per split: MRR@10,
nDCG@10 and Recall@100 (one relevant passage per question), for

- kliping (Sastrawi, the product), and the same analysis with other Indonesian stemmers
  (Snowball; Sastrawi falling back to Snowball for words outside its dictionary; no stemming),
- Whoosh's plain StandardAnalyzer with its default QueryParser (the baseline), and with OR.

Tune on `train`, report `valid`.  Usage: python -m bench.relevance [--split valid] [--quick]
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT.parent / "shared" / "relevance"


def load(split: str, quick: bool) -> tuple[list[dict], list[tuple[str, str]]]:
    passages = [json.loads(line) for line in (DATA / "tydiqa-id-passages.jsonl").open(encoding="utf-8")]
    with (DATA / "tydiqa-id-queries.tsv").open(encoding="utf-8") as handle:
        queries = [(row["query"], row["relevant_id"]) for row in csv.DictReader(handle, delimiter="\t") if row["split"] == split]
    if quick:
        queries = queries[:400]
    return passages, queries


def write_library(passages: list[dict], root: Path) -> None:
    root.mkdir(parents=True)
    for passage in passages:
        meta = {"id": passage["id"], "language": "id", "original": ""}
        front = "\n".join(f"{k}: {json.dumps(v)}" for k, v in meta.items())
        (root / f"{passage['id']}.md").write_text(f"---\n{front}\n---\n\n{passage['content'].strip()}\n", "utf-8")


def metrics(rankings: list[list[str]], relevant: list[str]) -> dict[str, float]:
    rr, ndcg, recall = [], [], []
    for ranking, target in zip(rankings, relevant, strict=False):
        rank = ranking.index(target) + 1 if target in ranking else None
        rr.append(1 / rank if rank and rank <= 10 else 0.0)
        ndcg.append(1 / math.log2(rank + 1) if rank and rank <= 10 else 0.0)
        recall.append(1.0 if rank and rank <= 100 else 0.0)
    return {"MRR@10": statistics.fmean(rr), "nDCG@10": statistics.fmean(ndcg), "Recall@100": statistics.fmean(recall)}


# -- stemmer variants (the product's stem function is swapped on its own analyzer) --------------

@functools.cache
def _snowball() -> Callable[[str], str]:
    import Stemmer

    return Stemmer.Stemmer("indonesian").stemWord


def stem_snowball(word: str) -> str:
    return _snowball()(word)


def stem_sastrawi_then_snowball(word: str) -> str:
    """Sastrawi; for words it cannot reduce to a dictionary root, Snowball's rules."""
    from kliping.search.stemming import _sastrawi_stemmer, stem_indonesian

    stem = stem_indonesian(word)
    if stem == word and word.isalpha() and len(word) > 3 and not _sastrawi_stemmer().dictionary.contains(word):
        return stem_snowball(word)
    return stem


def stem_none(word: str) -> str:
    return word


def run_kliping(library_root: Path, cache: Path, queries: list[tuple[str, str]], stemfn=None) -> tuple[dict, float, float]:
    from kliping.library.folder import Library
    from kliping.search import SearchIndex
    from kliping.search.analysis import analyzer_for
    from kliping.search.stemming import stem_indonesian

    stem_filter = analyzer_for("id").items[-1]
    stem_filter.stemfn = stemfn or stem_indonesian
    stem_filter.clear()
    library = Library(library_root, cache_dir=cache)
    library.refresh()
    started = time.perf_counter()
    index = SearchIndex.open(library)
    build = time.perf_counter() - started
    started = time.perf_counter()
    rankings = [[h.article_id for h in index.search(q, limit=100, snippets=False, kinds=("article",)).hits] for q, _ in queries]
    per_query = (time.perf_counter() - started) / len(queries)
    index.close()
    stem_filter.stemfn = stem_indonesian
    stem_filter.clear()
    return metrics(rankings, [r for _, r in queries]), build, per_query


def run_baseline(passages: list[dict], directory: Path, queries: list[tuple[str, str]], any_word: bool) -> tuple[dict, float]:
    from whoosh import index as windex
    from whoosh.analysis import StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import OrGroup, QueryParser

    started = time.perf_counter()
    if not directory.exists():
        directory.mkdir(parents=True)
        ix = windex.create_in(str(directory), Schema(id=ID(stored=True, unique=True), content=TEXT(analyzer=StandardAnalyzer())))
        writer = ix.writer(limitmb=128)
        for passage in passages:
            writer.add_document(id=passage["id"], content=passage["content"])
        writer.commit()
    ix = windex.open_dir(str(directory))
    build = time.perf_counter() - started
    parser = (
        QueryParser("content", ix.schema, group=OrGroup if any_word else None) if any_word else QueryParser("content", ix.schema)
    )
    rankings = []
    with ix.searcher() as searcher:
        for q, _ in queries:
            try:
                rankings.append([hit["id"] for hit in searcher.search(parser.parse(q), limit=100)])
            except Exception:
                rankings.append([])
    return metrics(rankings, [r for _, r in queries]), build


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="valid", choices=("train", "valid"))
    parser.add_argument("--quick", action="store_true", help="the first 400 queries only")
    parser.add_argument("--product-only", action="store_true", help="skip the other stemmers")
    args = parser.parse_args()
    passages, queries = load(args.split, args.quick)
    print(f"{len(passages)} passages, {len(queries)} {args.split} queries")
    with tempfile.TemporaryDirectory(prefix="kliping-relevance-") as tmp:
        base = Path(tmp)
        os.environ.setdefault("KLIPING_CACHE_DIR", str(base / "cache"))
        library_root = base / "library"
        write_library(passages, library_root)
        rows: list[tuple] = []
        variants: list[tuple[str, Callable[[str], str] | None]] = [("kliping (Sastrawi)", None)]
        if not args.product_only:
            variants += [
                ("kliping, Snowball stemmer", stem_snowball),
                ("kliping, Sastrawi + Snowball", stem_sastrawi_then_snowball),
                ("kliping, no stemming", stem_none),
            ]
        for name, stemfn in variants:
            scores, build, per_query = run_kliping(library_root, base / f"cache-{len(rows)}", queries, stemfn)
            rows.append((name, scores, build, per_query))
        for name, any_word in (("Whoosh StandardAnalyzer (AND)", False), ("Whoosh StandardAnalyzer (OR)", True)):
            started = time.perf_counter()
            scores, build = run_baseline(passages, base / "baseline", queries, any_word)
            rows.append((name, scores, build, (time.perf_counter() - started - build) / len(queries)))
    print(f"\n{'':32} {'MRR@10':>7} {'nDCG@10':>8} {'R@100':>7} {'index s':>8} {'ms/query':>9}")
    for name, scores, build, per_query in rows:
        print(
            f"{name:32} {scores['MRR@10']:7.3f} {scores['nDCG@10']:8.3f} {scores['Recall@100']:7.3f} "
            f"{build:8.1f} {per_query * 1000:9.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
