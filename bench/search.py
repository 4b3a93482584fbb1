"""Search at scale: the CLICK-ID corpus (21,940 Indonesian news articles, ../shared/corpora).

The corpus is imported once with `reader import` into a library under --workdir (kept between
runs). Each phase then runs in a fresh process, so timings and peak memory are its own:

- full index build: `reader index --rebuild` in a process of its own (catalog read included), its
  CPU seconds (user + sys, stable on a shared machine where wall time is not), wall and peak memory;
- cold open of an unchanged library in a new process (catalog + index, no indexing work);
- incremental update after 10 article files changed;
- latency p50/p95 of 36 realistic queries (single words, 2-3 words, phrases, fields, operators),
  limit 20, with and without snippets, wall and CPU, median of --runs runs;
- the references, SQLite FTS5 and tantivy (bench/references.py), indexing the same articles and
  running the same queries, each in its own process: build CPU seconds and wall (the articles are
  read first and that is printed apart: the ratios are kliping's full rebuild to their indexing,
  as issue 13 counts them), query p50/p95, and kliping's ratios to them.

Every build is repeated --build-runs times (default --runs) and the median printed; the load
average is printed at the start and the end, as the machine may be shared.

Usage: python -m bench.search [--workdir DIR] [--runs 5] [--build-runs N] [--skip-build]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.references import ENGINES

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
        PYTHONPATH=os.pathsep.join((str(ROOT / "src"), str(ROOT))),
    )


def run_child(workdir: Path, phase: str, *extra: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.search", "--child", phase, "--workdir", str(workdir), *extra],
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
            result["snippets" if snippets else "plain"] = latencies(median_times(search, snippets, runs))
        result["totals"] = [index.search(q, limit=20).total for q, _, _ in QUERIES]
        result["peak_mb"] = peak_mb()
        return result
    raise SystemExit(f"unknown phase {phase}")


def median_times(
    search: Callable[[str, str, tuple[str, str] | None, bool], None], snippets: bool, runs: int
) -> tuple[list[float], list[float]]:
    """Each of QUERIES' wall seconds and CPU seconds, the medians of ``runs`` runs over all of
    them: ``search`` gets a query's row of QUERIES and whether to make snippets."""
    walls: list[list[float]] = []
    cpus: list[list[float]] = []
    for _ in range(runs):
        wall, cpu = [], []
        for query, match, dates in QUERIES:
            started, used = time.perf_counter(), time.process_time()
            search(query, match, dates, snippets)
            cpu.append(time.process_time() - used)
            wall.append(time.perf_counter() - started)
        walls.append(wall)
        cpus.append(cpu)
    return ([statistics.median(run[i] for run in walls) for i in range(len(QUERIES))],
            [statistics.median(run[i] for run in cpus) for i in range(len(QUERIES))])


def latencies(times: tuple[list[float], list[float]]) -> dict[str, object]:
    """p50 and p95 of the queries' wall and CPU seconds (from :func:`median_times`), and each wall time."""
    wall, cpu = times
    return {"p50": percentile(wall, 50), "p95": percentile(wall, 95),
            "cpu_p50": percentile(cpu, 50), "cpu_p95": percentile(cpu, 95), "each": wall}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


# -- the references (bench/references.py) over the same articles ----------------------------------

def reference(name: str, workdir: Path, runs: int, with_queries: bool) -> dict:
    """Build ``name``'s index of every article of the library, in CPU seconds and wall, from the
    articles read beforehand (their reading is timed apart: the issue's ratios are to the
    references' indexing alone); then, if asked, the queries' times as kliping's are taken."""
    from bench.references import ENGINES, Document
    from kliping.library.folder import Library

    library = Library(workdir / "library")
    cpu, wall = time.process_time(), time.perf_counter()
    documents = []
    for entry in library.entries():
        article = library.article(entry.id)
        if article is None:  # removed since the catalog was read
            continue
        published = article.published.iso() if article.published else None
        documents.append(Document(article.id, article.title, article.text, article.source or "", published))
    read_cpu, read_wall = time.process_time() - cpu, time.perf_counter() - wall
    cpu, wall = time.process_time(), time.perf_counter()
    engine = ENGINES[name](workdir)
    for document in documents:
        engine.add(document)
    engine.commit()
    result: dict[str, object] = {"build_cpu_s": time.process_time() - cpu, "build_s": time.perf_counter() - wall,
                                 "read_cpu_s": read_cpu, "read_s": read_wall, "peak_mb": peak_mb()}
    if with_queries:
        for _, match, dates in QUERIES:  # warm-up, as kliping's
            engine.search(match, dates, False)

        def search(_query: str, match: str, dates: tuple[str, str] | None, snippets: bool) -> None:
            engine.search(match, dates, snippets)

        for snippets in (False, True):
            result["snippets" if snippets else "plain"] = latencies(median_times(search, snippets, runs))
        result["totals"] = [engine.search(match, dates, False) for _, match, dates in QUERIES]
    return result


def rebuild(workdir: Path) -> dict:
    """`reader index --rebuild` in a process of its own: its CPU seconds (user + sys), wall and peak RSS."""
    command = [sys.executable, "-m", "kliping", "--library", str(workdir / "library"), "index", "--rebuild"]
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=child_env(workdir), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"reader index --rebuild failed ({proc.returncode}):\n{output}")
    return {"cpu_s": usage.ru_utime + usage.ru_stime, "wall_s": wall, "peak_mb": usage.ru_maxrss / 1024,
            "line": output.strip().splitlines()[-1]}


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
    parser.add_argument("--runs", type=int, default=5, help="rounds of every measure (default 5); medians are printed")
    parser.add_argument("--build-runs", type=int, help="rounds of the full builds only (default: --runs)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--queries", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--skip-build", action="store_true", help="reuse the index built by an earlier run")
    args = parser.parse_args()
    if args.child in ENGINES:
        print(json.dumps(reference(args.child, args.workdir, args.runs, args.queries)))
        return 0
    if args.child:
        print(json.dumps(child(args.child, args.workdir, args.runs)))
        return 0
    workdir = args.workdir.resolve()
    build_runs = args.build_runs or args.runs
    ensure_library(workdir)
    load_before = os.getloadavg()
    builds = [] if args.skip_build else [rebuild(workdir) for _ in range(build_runs)]
    opens = [run_child(workdir, "open") for _ in range(args.runs)]
    incremental = [run_child(workdir, "incremental") for _ in range(3)]
    queries = run_child(workdir, "queries", "--runs", str(args.runs))
    references = {
        name: [run_child(workdir, name, "--runs", str(args.runs), *(["--queries"] if i == 0 else []))
               for i in range(build_runs)]
        for name in ENGINES
    }
    load_after = os.getloadavg()
    report(queries, builds, opens, incremental, references, args.runs, build_runs)
    print(f"load average (1, 5, 15 min) at start {' '.join(f'{x:.2f}' for x in load_before)}, "
          f"at end {' '.join(f'{x:.2f}' for x in load_after)}; {os.cpu_count()} cores")
    return 0


def report(queries: dict, builds: list[dict], opens: list[dict], incremental: list[dict],
           references: dict[str, list[dict]], runs: int, build_runs: int) -> None:
    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.1f} ms"

    def median(rows: list[dict], key: str) -> float:
        return statistics.median(row[key] for row in rows)

    print(f"\nCLICK-ID, {len(QUERIES)} queries, limit 20, median of {runs} runs (2-core machine, shared)")
    if builds:
        cpu = median(builds, "cpu_s")
        print(f"full build, median of {build_runs}: kliping `reader index --rebuild` {cpu:.1f} s CPU, "
              f"{median(builds, 'wall_s'):.1f} s wall, peak {median(builds, 'peak_mb'):.0f} MB ({builds[0]['line']})")
    for name, rounds in references.items():
        title = ENGINES[name].name
        ref_cpu = median(rounds, "build_cpu_s")
        ratio = f"   kliping/{title} {cpu / ref_cpu:.1f}x CPU" if builds else ""
        print(f"  {title:7} {ref_cpu:.2f} s CPU, {median(rounds, 'build_s'):.2f} s wall (reading the articles "
              f"before: {median(rounds, 'read_cpu_s'):.1f} s CPU), peak {median(rounds, 'peak_mb'):.0f} MB{ratio}")
    print(f"cold open (new proc)  {ms(median(opens, 'open_s'))}: library catalog "
          f"{ms(median(opens, 'catalog_s'))} + search index {ms(median(opens, 'index_s'))} "
          f"(+ imports {ms(median(opens, 'imports_s'))}, first query {ms(median(opens, 'first_query_s'))}), "
          f"peak {median(opens, 'peak_mb'):.0f} MB")
    print(f"incremental, 10 files catalog refresh {ms(median(incremental, 'refresh_s'))} "
          f"+ index update {ms(median(incremental, 'update_s'))} "
          f"({incremental[0]['updated']} updated, found {incremental[0]['found']})")
    timed = {name: rounds[0] for name, rounds in references.items()}
    for key, label in (("plain", "without snippets"), ("snippets", "with snippets")):
        k = queries[key]
        print(f"query {label}: kliping p50 {ms(k['p50'])} p95 {ms(k['p95'])} "
              f"(CPU p50 {ms(k['cpu_p50'])} p95 {ms(k['cpu_p95'])})")
        for name, ref in timed.items():
            r, title = ref[key], ENGINES[name].name
            print(f"  {title:7} p50 {ms(r['p50'])} p95 {ms(r['p95'])} (CPU p50 {ms(r['cpu_p50'])} p95 {ms(r['cpu_p95'])})"
                  f"   kliping/{title} p50 {k['p50'] / r['p50']:.1f}x p95 {k['p95'] / r['p95']:.1f}x")
    print(f"query process peak memory {queries['peak_mb']:.0f} MB")
    names = [ENGINES[name].name for name in timed]
    print(f"\nper query: kliping ms (snippets) / hits  vs  {' / '.join(names)} hits")
    columns = zip(QUERIES, queries["snippets"]["each"], queries["totals"], *(t["totals"] for t in timed.values()),
                  strict=True)
    for (query, _, _), t, n, *others in columns:
        print(f"  {query:38} {t * 1000:7.1f} ms {n:6d}   " + "   ".join(f"{m:6d}" for m in others))


if __name__ == "__main__":
    raise SystemExit(main())
