"""`reader bookmarks list | export | check`: the bookmarks of a library from the command line."""

from __future__ import annotations

import argparse
import os
import sys

from kliping.files import paths
from kliping.files.sanitize import json_line, one_line

EXIT_PROBLEM = 2


def run(args: argparse.Namespace) -> int:
    """Dispatch ``args.bookmarks_command``; one-line errors on stderr, non-zero when nothing could be done."""
    from kliping.bookmarks.store import BookmarkStore
    from kliping.library.locate import open_library

    command = args.bookmarks_command or "list"
    library = open_library(getattr(args, "library", None), warn=lambda problem: print(one_line(problem), file=sys.stderr))
    if not library.root.is_dir():
        return _fail(f"{library.root}: no such library folder")
    store = BookmarkStore.for_library(library.root)
    if store.notice:
        print(f"reader: {one_line(store.notice)}", file=sys.stderr)
    if store.problem:
        return _fail(store.problem)
    if command == "list":
        return _list(store, library, as_json=bool(getattr(args, "json", False)))
    if command == "export":
        return _export(
            store, library, args.format or "markdown", getattr(args, "output", None), force=bool(getattr(args, "force", False))
        )
    if command == "check":
        return _check(store, library)
    return _fail(f"unknown bookmarks action {command!r} (list, export or check)")


def _fail(message: str) -> int:
    print(f"reader: {one_line(message)}", file=sys.stderr)
    return EXIT_PROBLEM


def _title(library, article_id: str) -> str:
    entry = library.entry(article_id)
    return entry.title if entry is not None else f"(not in library: {article_id})"


def _shorten(text: str, width: int) -> str:
    text = one_line(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _list(store, library, *, as_json: bool) -> int:
    from kliping.bookmarks.export import bookmark_json

    for bookmark in store.all():
        title = _title(library, bookmark.article_id)
        if as_json:
            print(json_line({**bookmark_json(bookmark), "article_title": title}))
            continue
        tags = " " + " ".join(f"#{one_line(t)}" for t in bookmark.tags) if bookmark.tags else ""
        note = f"  — {_shorten(bookmark.note, 50)}" if bookmark.note else ""
        print(f"{one_line(bookmark.id)}  {_shorten(title, 40)}  “{_shorten(bookmark.quote, 70)}”{tags}{note}")
    if not as_json and not len(store):
        print(f"No bookmarks yet ({one_line(str(store.path))}).", file=sys.stderr)
    return 0


def _export(store, library, fmt: str, output: str | None, *, force: bool) -> int:
    from kliping.bookmarks.export import export
    from kliping.files.atomic import write_atomic

    text = export(store.all(), library.entry, fmt)
    if output is None or output == "-":
        sys.stdout.write(text)
        return 0
    try:
        target = paths.expand_user(output)
    except ValueError as exc:
        return _fail(str(exc))
    if target.is_dir():
        return _fail(f"{target}: cannot write: is a folder; give a file name")
    if os.path.lexists(target):
        if not target.is_file():  # a rename would put the export in place of a FIFO or a device node
            return _fail(f"{target}: cannot write: not a regular file; not replaced")
        if not force:
            return _fail(f"{target}: already exists; not replaced (give --force to replace it)")
    try:
        write_atomic(target, text)
    except OSError as exc:
        return _fail(f"{target}: cannot write: {exc.strerror or exc}")
    print(f"Exported {len(store)} bookmark{'s' if len(store) != 1 else ''} to {one_line(str(target))}.", file=sys.stderr)
    return 0


def _check(store, library) -> int:
    """One line per bookmark: status, id, article and the quote; then a count of each status."""
    from kliping.bookmarks.anchoring import ANCHORED, FUZZY, MOVED, ORPHANED, anchor

    counts = {ANCHORED: 0, MOVED: 0, FUZZY: 0, ORPHANED: 0}
    for bookmark in store.all():
        article = library.article(bookmark.article_id)
        if article is None:
            status, detail = ORPHANED, "article not in the library"
        else:
            found = anchor(bookmark, article.text)
            status = found.status
            detail = {
                ANCHORED: "",
                MOVED: f"now at {found.start}",
                FUZZY: f"now at {found.start}, similarity {found.score:.2f}",
                ORPHANED: "passage not found",
            }[status]
        counts[status] += 1
        title = _title(library, bookmark.article_id)
        suffix = f"  ({detail})" if detail else ""
        print(f"{status:<9} {one_line(bookmark.id)}  {_shorten(title, 40)}  “{_shorten(bookmark.quote, 60)}”{suffix}")
    summary = ", ".join(f"{n} {status}" for status, n in counts.items())
    print(f"{len(store)} bookmark{'s' if len(store) != 1 else ''}: {summary}", file=sys.stderr)
    return 0
