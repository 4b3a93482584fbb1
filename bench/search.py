"""Search at scale: the CLICK-ID corpus (21,940 Indonesian news articles, ../shared/corpora).

The corpus is imported once with `reader import` into a library under --workdir (kept between
runs). Each phase then runs in a fresh process, so timings and peak memory are its own:

- full index build (after the library catalog is read), and peak memory;
- cold open of an unchanged library in a new process (catalog + index, no indexing work);
- incremental update after 10 article files changed;
- latency p50/p95 of 36 realistic queries (single words, 2-3 words, phrases, fields, operators),
  limit 20, with and without snippets, median of --runs runs;
- the same queries on SQLite FTS5 (stdlib; unicode61 tokenizer, no stemming), as ratios.

Usage: python -m bench.search [--workdir DIR] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "clickid-2019.jsonl.gz"

# (kliping query, FTS5 MATCH expression, ISO date prefix range for FTS5 or None)
QUERIES = [
    ("jokowi", "jokowi", None),
    ("gempa", "gempa", None),
    ("banjir", "banjir", None),
    ("korupsi", "korupsi", None),
    ("mahasiswa", "mahasiswa", None),
    ("timnas", "timnas", None),
    ("dievakuasi", "dievakuasi", None),
    ("perdamaian", "perdamaian", None),
    ("revisi uu kpk", "revisi uu kpk", None),
    ("kebakaran hutan", "kebakaran hutan", None),
    ("demo mahasiswa", "demo mahasiswa", None),
    ("kabinet jokowi", "kabinet jokowi", None),
    ("harga cabai", "harga cabai", None),
    ("gempa ambon", "gempa ambon", None),
    ("pelantikan presiden", "pelantikan presiden", None),
    ("kerusuhan wamena", "kerusuhan wamena", None),
    ("asap riau", "asap riau", None),
    ("menteri keuangan sri mulyani", "menteri keuangan sri mulyani", None),
    ("timnas indonesia piala", "timnas indonesia piala", None),
    ("polisi tangkap pelaku", "polisi tangkap pelaku", None),
    ('"ibu kota baru"', '"ibu kota baru"', None),
    ('"komisi pemberantasan korupsi"', '"komisi pemberantasan korupsi"', None),
    ('"kebakaran hutan dan lahan"', '"kebakaran hutan dan lahan"', None),
    ('"piala dunia"', '"piala dunia"', None),
    ('"rancangan undang-undang"', '"rancangan undang undang"', None),
    ("title:gempa", "title:gempa", None),
    ("title:jokowi prabowo", "title:jokowi AND prabowo", None),
    ("source:kompas banjir", "source:kompas AND banjir", None),
    ("kpk date:2019-09", "kpk", ("2019-09", "2019-09-99")),
    ("demo date:2019-09-20..2019-09-30", "demo", ("2019-09-20", "2019-09-30")),
    ("korupsi -kpk", "korupsi NOT kpk", None),
    ("banjir OR longsor", "banjir OR longsor", None),
    ("evakuasi*", "evakuasi*", None),
    ("presid*", "presid*", None),
    ("jokowi~", "jokowi", None),
    ("(gempa OR banjir) maluku", "(gempa OR banjir) AND maluku", None),
]


def child_env(workdir: Path) -> dict:
    return dict(
        os.environ,
        KLIPING_CACHE_DIR=str(workdir / "cache"),
        KLIPING_DATA_DIR=str(workdir / "data"),
        KLIPING_CONFIG_DIR=str(workdir / "config"),
        PYTHONPATH=str(ROOT / "src"),
    )


def run_child(workdir: Path, phase: str, *extra: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", phase, "--workdir", str(workdir), *extra],
        env=child_env(workdir), capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{phase} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- phases, each in its own process --------------------------------------------------------------

def child(phase: str, workdir: Path, runs: int) -> dict:
    started = time.perf_counter()
    from kliping.library.folder import Library
    from kliping.search import SearchIndex

    imports = time.perf_counter() - started
    library_root = workdir / "library"
    if phase == "build":
        library = Library(library_root)
        started = time.perf_counter()
        library.refresh()
        catalog = time.perf_counter() - started
        started = time.perf_counter()
        index = SearchIndex.open(library, rebuild=True)
        build = time.perf_counter() - started
        return {"catalog_s": catalog, "build_s": build, "docs": index.doc_count(), "peak_mb": peak_mb()}
    if phase == "open":
        started = time.perf_counter()
        library = Library(library_root)
        library.entries()  # the catalog: read it and check the folder for changed files
        catalog = time.perf_counter() - started
        index = SearchIndex.open(library)
        opened = time.perf_counter() - started
        assert not index.report.changed, index.report
        started = time.perf_counter()
        index.search("jokowi", limit=20)
        first = time.perf_counter() - started
        return {"imports_s": imports, "open_s": opened, "catalog_s": catalog, "index_s": opened - catalog,
                "first_query_s": first, "peak_mb": peak_mb()}
    if phase == "incremental":
        library = Library(library_root)
        index = SearchIndex.open(library)
        files = sorted(library_root.glob("*.md"))[::2000][:10]
        for path in files:
            text = path.read_text("utf-8")
            path.write_text(text.rstrip("\n") + "\n\nParagraf tambahan untuk uji pembaruan indeks.\n", "utf-8")
        started = time.perf_counter()
        changes = library.refresh()
        refreshed = time.perf_counter() - started
        started = time.perf_counter()
        report = index.update()
        updated = time.perf_counter() - started
        found = index.search('"uji pembaruan indeks"', limit=50).total
        for path in files:  # put the files back as they were (the next run rebuilds nothing)
            text = path.read_text("utf-8")
            path.write_text(text.replace("\n\nParagraf tambahan untuk uji pembaruan indeks.\n", "\n"), "utf-8")
        library.refresh()
        index.update()
        return {"changed": len(changes.changed), "refresh_s": refreshed, "update_s": updated,
                "updated": report.updated, "found": found}
    if phase == "queries":
        library = Library(library_root)
        index = SearchIndex.open(library)
        for query, _, _ in QUERIES:  # warm-up: Sastrawi's dictionary, caches, the OS page cache
            index.search(query, limit=20)

        def search(query: str, _match: str, _dates: tuple[str, str] | None, snippets: bool) -> None:
            index.search(query, limit=20, snippets=snippets)

        result: dict[str, object] = {}
        for snippets in (False, True):
            per_query = median_times(search, snippets, runs)
            key = "snippets" if snippets else "plain"
            result[key] = {"p50": percentile(per_query, 50), "p95": percentile(per_query, 95), "each": per_query}
        result["totals"] = [index.search(q, limit=20).total for q, _, _ in QUERIES]
        result["peak_mb"] = peak_mb()
        return result
    raise SystemExit(f"unknown phase {phase}")


def median_times(search: Callable[[str, str, tuple[str, str] | None, bool], None], snippets: bool, runs: int) -> list[float]:
    """Each of QUERIES' seconds, the median of ``runs`` runs over all of them: ``search`` gets a
    query's row of QUERIES and whether to make snippets."""
    per_run = []
    for _ in range(runs):
        times = []
        for query, match, dates in QUERIES:
            started = time.perf_counter()
            search(query, match, dates, snippets)
            times.append(time.perf_counter() - started)
        per_run.append(times)
    return [statistics.median(run[i] for run in per_run) for i in range(len(QUERIES))]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


# -- SQLite FTS5 over the same articles -----------------------------------------------------------

def fts5(workdir: Path, runs: int) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.update(child_env(workdir))
    from kliping.library.folder import Library

    path = workdir / "fts5.sqlite"
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, title, body, source, tokenize='unicode61 remove_diacritics 2')")
    db.execute("CREATE TABLE meta(rowid INTEGER PRIMARY KEY, published TEXT)")
    library = Library(workdir / "library")
    entries = library.entries()
    started = time.perf_counter()
    for entry in entries:
        article = library.article(entry.id)
        if article is None:  # removed since the catalog was read
            continue
        cursor = db.execute("INSERT INTO fts(id, title, body, source) VALUES (?,?,?,?)",
                            (article.id, article.title, article.text, article.source or ""))
        db.execute("INSERT INTO meta VALUES (?,?)", (cursor.lastrowid, article.published.iso() if article.published else None))
    db.commit()
    build = time.perf_counter() - started

    def run(match: str, dates, snippets: bool):
        columns = "id, snippet(fts, 2, '[', ']', '…', 24)" if snippets else "id"
        sql = f"SELECT {columns} FROM fts JOIN meta ON meta.rowid = fts.rowid WHERE fts MATCH ?"
        params: list = [match]
        if dates:
            sql += " AND meta.published BETWEEN ? AND ?"
            params += list(dates)
        sql += " ORDER BY bm25(fts, 0, 2.0, 1.0, 1.0) LIMIT 20"
        rows = db.execute(sql, params).fetchall()
        count_sql = "SELECT count(*) FROM fts JOIN meta ON meta.rowid = fts.rowid WHERE fts MATCH ?" + (
            " AND meta.published BETWEEN ? AND ?" if dates else "")
        return rows, db.execute(count_sql, params).fetchone()[0]

    def search(_query: str, match: str, dates: tuple[str, str] | None, snippets: bool) -> None:
        run(match, dates, snippets)

    result: dict[str, object] = {"build_s": build}
    for snippets in (False, True):
        per_query = median_times(search, snippets, runs)
        result["snippets" if snippets else "plain"] = {"p50": percentile(per_query, 50), "p95": percentile(per_query, 95)}
    result["totals"] = [run(match, dates, False)[1] for _, match, dates in QUERIES]
    return result


def ensure_library(workdir: Path) -> None:
    library = workdir / "library"
    if library.exists() and any(library.glob("*.md")):
        return
    print(f"importing {CORPUS.name} into {library} (once) ...", flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kliping", "--library", str(library), "import", str(CORPUS)],
                   env=child_env(workdir), check=True)
    print(f"  imported in {time.perf_counter() - started:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kliping-bench-search"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--skip-build", action="store_true", help="reuse the index built by an earlier run")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.workdir, args.runs)))
        return 0
    workdir = args.workdir.resolve()
    ensure_library(workdir)
    build = None if args.skip_build else run_child(workdir, "build")
    opens = [run_child(workdir, "open") for _ in range(args.runs)]
    incremental = [run_child(workdir, "incremental") for _ in range(3)]
    queries = run_child(workdir, "queries", "--runs", str(args.runs))
    sqlite = fts5(workdir, args.runs)

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.1f} ms"

    print(f"\nCLICK-ID, {len(QUERIES)} queries, limit 20, median of {args.runs} runs (2-core machine, shared)")
    if build:
        print(f"full build            {build['build_s']:.1f} s for {build['docs']} documents "
              f"(catalog read before: {build['catalog_s']:.1f} s), peak memory {build['peak_mb']:.0f} MB")
    print(f"cold open (new proc)  {ms(statistics.median(o['open_s'] for o in opens))}: library catalog "
          f"{ms(statistics.median(o['catalog_s'] for o in opens))} + search index "
          f"{ms(statistics.median(o['index_s'] for o in opens))} "
          f"(+ imports {ms(statistics.median(o['imports_s'] for o in opens))}, "
          f"first query {ms(statistics.median(o['first_query_s'] for o in opens))}), "
          f"peak {statistics.median(o['peak_mb'] for o in opens):.0f} MB")
    inc = incremental
    print(
        f"incremental, 10 files catalog refresh {ms(statistics.median(i['refresh_s'] for i in inc))} "
        f"+ index update {ms(statistics.median(i['update_s'] for i in inc))} "
        f"({inc[0]['updated']} updated, found {inc[0]['found']})"
    )
    for key, label in (("plain", "without snippets"), ("snippets", "with snippets   ")):
        k, f = queries[key], sqlite[key]
        print(
            f"query {label}  p50 {ms(k['p50'])}  p95 {ms(k['p95'])}   FTS5 p50 {ms(f['p50'])} p95 {ms(f['p95'])}"
            f"   ratio p50 {k['p50'] / f['p50']:.1f}x p95 {k['p95'] / f['p95']:.1f}x"
        )
    print(f"query process peak memory {queries['peak_mb']:.0f} MB; FTS5 build {sqlite['build_s']:.1f} s")
    print("\nper query: kliping ms (snippets) / hits  vs  FTS5 hits")
    for (query, _, _), t, n, m in zip(QUERIES, queries["snippets"]["each"], queries["totals"], sqlite["totals"], strict=False):
        print(f"  {query:38} {t * 1000:7.1f} ms {n:6d}   {m:6d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
