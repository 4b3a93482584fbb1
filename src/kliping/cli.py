"""The `reader` command line.

This module only builds the argument parser and dispatches; each command lives with the part of
the product it belongs to and is imported lazily, so `reader --help` and `reader --version`
never import Textual, Whoosh or the article parsers.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from kliping import __version__

# command name -> "module:function"; each function takes the parsed args and returns an exit code.
_HANDLERS = {
    "tui": "kliping.tui.launch:run",
    "list": "kliping.library.cli:run_list",
    "show": "kliping.library.cli:run_show",
    "import": "kliping.library.cli:run_import",
    "search": "kliping.search.cli:run_search",
    "index": "kliping.search.cli:run_index",
    "bookmarks": "kliping.bookmarks.cli:run",
    "themes": "kliping.themes.cli:run",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader",
        description="Read, search and bookmark a local collection of articles. "
        "With no command, opens the full-screen reader.",
    )
    parser.add_argument("--version", action="version", version=f"reader (kliping) {__version__}")
    parser.add_argument(
        "--library",
        metavar="DIR",
        help="the folder of articles to open (default: $KLIPING_LIBRARY, the settings file, "
        "or the library in your data directory, filled with the bundled articles on first run)",
    )
    parser.add_argument("--theme", metavar="NAME", help="theme for this session (see `reader themes`)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = commands.add_parser("list", help="list the articles with their metadata")
    p.add_argument("--json", action="store_true", help="one JSON object a line")

    p = commands.add_parser("show", help="print one article, clean, as text")
    p.add_argument("id", metavar="ID", help="article id (see `reader list`)")
    p.add_argument("--json", action="store_true", help="print it as JSON")

    p = commands.add_parser(
        "import", help="add files, folders and JSON Lines datasets (.jsonl, .jsonl.gz) to the library"
    )
    p.add_argument("paths", metavar="PATH", nargs="+")

    p = commands.add_parser("search", help="search the library and print ranked hits with snippets")
    p.add_argument("query", metavar="QUERY", nargs="*", help="the query (see README: query language)")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="how many hits (default 10)")
    p.add_argument("--json", action="store_true", help="one JSON object a hit")
    p.add_argument(
        "--batch",
        metavar="FILE",
        help="run one query a line from FILE (- for stdin) and print JSON Lines of ranked ids",
    )

    p = commands.add_parser("index", help="bring the search index up to date")
    p.add_argument("--rebuild", action="store_true", help="throw the index away and build it anew")

    p = commands.add_parser("bookmarks", help="list, export and check bookmarked passages")
    bm = p.add_subparsers(dest="bookmarks_command", metavar="ACTION")
    q = bm.add_parser("list", help="list bookmarks")
    q.add_argument("--json", action="store_true")
    q = bm.add_parser("export", help="export bookmarks as Markdown or JSON, grouped by article")
    q.add_argument("--format", choices=("markdown", "json"), default="markdown")
    q.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    q.add_argument("--force", "--overwrite", action="store_true", help="replace FILE if it already exists")
    bm.add_parser("check", help="report each bookmark as anchored, moved, fuzzy or orphaned")

    p = commands.add_parser("themes", help="list themes, or check a theme file")
    th = p.add_subparsers(dest="themes_command", metavar="ACTION")
    q = th.add_parser("check", help="validate a theme file and say what is wrong")
    q.add_argument("file", metavar="FILE")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "tui"
    module_name, _, function_name = _HANDLERS[command].partition(":")
    handler = getattr(importlib.import_module(module_name), function_name)
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `reader list | head` closes the pipe early; that is not an error.
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
