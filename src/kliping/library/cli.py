"""`reader list`, `reader show` and `reader import`: the library for scripts and pipes.

Everything printed that came from an article, ids included, is stripped of terminal control
sequences; JSON output escapes them. Problems are one line each on standard error, naming the
file (and line).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from kliping.files.sanitize import json_line, one_line, strip_controls


def _open(args):
    from kliping.library.locate import open_library

    return open_library(getattr(args, "library", None), warn=_warn)


def _warn(problem: str) -> None:
    print(one_line(problem), file=sys.stderr)


def _report(errors: list[str]) -> None:
    for error in errors:
        _warn(error)


def _json_line(data: dict) -> str:
    """One JSON object, control characters escaped (C1 and bidi ones too); ASCII-escaped unless
    standard output takes UTF-8. A file name that is not valid UTF-8 holds lone surrogates,
    written as `\\udcXX` escapes so the line stays valid JSON."""
    utf8 = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "") == "utf8"
    text = json_line(data, ensure_ascii=not utf8)
    return text.encode("utf-8", "backslashreplace").decode("utf-8") + "\n"


def _text_output() -> None:
    """Plain-text output never fails on a character the terminal's encoding lacks (a non-UTF-8
    locale, or a file name that is not valid UTF-8): it shows as `?` instead."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def run_list(args) -> int:
    library = _open(args)
    if not library.root.is_dir():
        print(f"{library.root}: no such library folder", file=sys.stderr)
        return 1
    changes = library.refresh()
    _report(changes.errors)
    entries = library.entries()
    out = sys.stdout
    if args.json:
        for entry in entries:
            data = entry.to_json()
            data.pop("hash", None)
            out.write(_json_line(data))
        return 0
    if not entries:
        print(f"{library.root}: no articles yet (add some with `reader import PATH`)", file=sys.stderr)
        return 0
    _text_output()
    width = shutil.get_terminal_size((120, 24)).columns
    source_width = max(6, min(18, max(len(one_line(e.source or "")) for e in entries)))
    title_width = max(20, width - 16 - 12 - source_width - 4)
    out.write(f"{'ID':<16}  {'DATE':<10}  {'SOURCE':<{source_width}}  TITLE\n")
    for e in entries:
        date = e.published.iso() if e.published else "-"
        source = _fit(one_line(e.source or "-"), source_width)
        title = _fit(one_line(e.title), title_width)
        out.write(f"{_fit(one_line(e.id), 16):<16}  {date:<10}  {source:<{source_width}}  {title}\n")
    return 0


def run_show(args) -> int:
    library = _open(args)
    library.refresh()
    article = library.article(args.id)
    if article is None:
        matches = [e for e in library.entries() if e.id.startswith(args.id)] if args.id else []
        if len(matches) == 1:
            article = library.article(matches[0].id)
        elif len(matches) > 1:
            print(f"{one_line(args.id)}: {len(matches)} articles have ids starting so; give more of it", file=sys.stderr)
            return 1
    if article is None:
        print(f"{one_line(args.id)}: no article with this id in {library.root} (see `reader list`)", file=sys.stderr)
        return 1
    _report(list(library.problems_of(article.path)))  # what is wrong in its file, each time it is shown
    if args.json:
        sys.stdout.write(_json_line(article.to_dict()))
        return 0
    _text_output()
    lines = [one_line(article.title) + (" (title from the lead)" if article.title_derived else "")]
    facts = [
        ("Source", article.source),
        ("Authors", ", ".join(article.authors) or None),
        ("Editor", article.editor),
        ("Published", article.published.display() if article.published else None),
        ("Place", article.place),
        ("Language", article.language),
        ("URL", article.url),
        ("Id", article.id),
    ]
    lines.append("")
    lines.extend(f"{label}: {one_line(value)}" for label, value in facts if value)
    for paragraph in article.paragraphs:
        lines.append("")
        lines.append(strip_controls(paragraph))
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def run_import(args) -> int:
    from kliping.ingest.importer import import_with_progress

    library = _open(args)
    summary = import_with_progress(library.root, [Path(p).expanduser() for p in args.paths])
    if summary.done_anything and library.root.is_dir():
        # The catalog is brought up to date now, while the files are in the page cache and a bar
        # shows it: the first `reader list` or launch after importing 22,000 articles otherwise
        # spent 8 s of CPU (40 s on a loaded machine) saying "Loading the library…".
        _catalog_with_progress(library)
    _report(summary.failed)
    print(summary.line(), file=sys.stderr)
    return 0 if summary.done_anything else 1


def _catalog_with_progress(library) -> None:
    """Refresh the library's catalog, with a progress bar when standard error is a terminal;
    its problems are the files', said by `reader list` and the reader, not by the import."""
    if not sys.stderr.isatty():
        library.refresh()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("cataloguing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=None)
        library.refresh(lambda done, total: bar.update(task, completed=done, total=total))
