"""`reader search` and `reader index`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable

from kliping.files.sanitize import json_line, one_line
from kliping.library.locate import open_library
from kliping.search.index import SearchIndex
from kliping.search.results import Hit, IndexReport

_BAR_WIDTH = 30


def _progress_bar(label: str) -> Callable[[int, int], None] | None:
    """A progress bar on standard error when it is a terminal (nothing in pipes and logs)."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        filled = _BAR_WIDTH * done // max(total, 1)
        bar = "█" * filled + "░" * (_BAR_WIDTH - filled)
        end = "\n" if done >= total else ""
        print(f"\r{label} {bar} {done}/{total}", end=end, file=sys.stderr, flush=True)

    return show


def _open_index(args, rebuild: bool = False) -> tuple[SearchIndex, IndexReport]:
    library = open_library(args.library, warn=lambda problem: print(one_line(problem), file=sys.stderr))
    changes = library.refresh(_progress_bar("Reading library"))
    for error in changes.errors:
        print(one_line(error), file=sys.stderr)
    index = SearchIndex.open(library, progress=_progress_bar("Indexing      "), rebuild=rebuild)
    if index.report.message:
        print(one_line(index.report.message), file=sys.stderr)
    return index, index.report


def run_index(args) -> int:
    index, report = _open_index(args, rebuild=args.rebuild)
    try:
        if report.failed:
            return 1
        count = len(index.library.entries())
        print(
            f"Search index: {count} article{'s' if count != 1 else ''}; "
            f"{report.added} added, {report.updated} updated, {report.removed} removed "
            f"in {report.seconds:.2f} s."
            + (" (read-only: another process holds the index)" if report.read_only else "")
        )
        return 0
    finally:
        index.close()


def _styled(hit: Hit, color: bool) -> str:
    """The snippet with its matches marked: reverse video on a terminal, «guillemets» elsewhere."""
    start_mark, end_mark = ("\x1b[1;7m", "\x1b[0m") if color else ("«", "»")
    pieces, cursor = [], 0
    for start, end in hit.snippet_spans:
        pieces += [hit.snippet[cursor:start], start_mark, hit.snippet[start:end], end_mark]
        cursor = end
    pieces.append(hit.snippet[cursor:])
    return "".join(pieces)


def _print_hits(hits: Iterable[Hit], color: bool) -> None:
    for rank, hit in enumerate(hits, 1):
        meta = " · ".join(
            part
            for part in (
                one_line(hit.source or ""),
                hit.published.display() if hit.published else "",
                f"score {hit.score:.2f}",
                hit.kind if hit.kind != "article" else "",
                one_line(hit.article_id),
            )
            if part
        )
        title = one_line(hit.title) or "(untitled)"
        print(f"{rank:>3}. {title}\n     {meta}")
        if hit.snippet:
            print(f"     {_styled(hit, color)}")


def _run_batch(index: SearchIndex, source: str, limit: int) -> int:
    """One JSON line a query; a query that cannot be searched answers with its ``error`` and the
    rest still run. Exit 1 when any could not be searched."""
    try:
        stream = sys.stdin if source == "-" else open(source, encoding="utf-8", errors="replace")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        print(f"reader search: cannot read {source}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    failed = False
    with stream:
        for line in stream:
            query = line.rstrip("\n")
            if not query.strip():
                continue
            results = index.search(query, limit=limit, snippets=False, kinds=("article",))
            failed = failed or results.error is not None
            record = {
                "query": query,
                "ids": [hit.article_id for hit in results.hits],
                "scores": [round(hit.score, 4) for hit in results.hits],
                "total": results.total,
                "message": results.message,
                "error": results.error,
            }
            print(json_line(record), flush=False)
    sys.stdout.flush()
    return 1 if failed else 0


def run_search(args) -> int:
    query = " ".join(args.query or [])
    if not query.strip() and not args.batch:
        print("reader search: give a query, e.g. reader search evakuasi gaza", file=sys.stderr)
        return 2
    if args.limit < 1:
        print("reader search: --limit must be at least 1", file=sys.stderr)
        return 2
    index, report = _open_index(args)
    try:
        if args.batch:
            return _run_batch(index, args.batch, args.limit)
        results = index.search(query, limit=args.limit)
        # The search repeats, last, why an index that could not be built was not searched: that
        # was said when the index was opened, so only the rest (notices) is said here.
        message = results.message
        if message and report.message and results.error == report.message:
            message = message.removesuffix(report.message).strip()
        if message:
            print(one_line(message), file=sys.stderr)
        if args.json:
            for hit in results.hits:
                print(json_line(hit.to_json()))
            return 1 if results.error else 0
        if results.error:
            return 1  # nothing was searched: not "no articles match"
        if not results.hits:
            hint = f" Did you mean: {one_line(results.suggestion)}" if results.suggestion else ""
            print(f"No articles match “{one_line(query)}”.{hint}")
            return 0
        shown = len(results.hits)
        matches = f"{results.total} match{'es' if results.total != 1 else ''}"
        print(matches + (f", showing {shown}" if shown < results.total else ""))
        _print_hits(results.hits, color=sys.stdout.isatty())
        return 0
    finally:
        index.close()
