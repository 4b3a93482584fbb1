"""`reader themes` (list every theme) and `reader themes check FILE` (for theme authors)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kliping.files.sanitize import one_line
from kliping.themes.contrast import readability_problems
from kliping.themes.loader import ThemeFileError, load_theme_file, load_themes


def run(args: argparse.Namespace) -> int:
    if getattr(args, "themes_command", None) == "check":
        return _check(Path(args.file))
    return _list()


def _list() -> int:
    catalog = load_themes()
    width = max(len(name) for name in catalog.themes)
    for name, loaded in catalog.themes.items():
        mode = "dark" if loaded.spec.dark else "light"
        origin = "built-in" if loaded.builtin else str(loaded.path)
        print(f"{name:<{width}}  {mode:<5}  {one_line(origin)}")
    for problem in catalog.problems:
        print(one_line(problem), file=sys.stderr)
    return 0


def _check(path: Path) -> int:
    try:
        spec = load_theme_file(path)
    except ThemeFileError as exc:
        print(one_line(str(exc)), file=sys.stderr)
        return 1
    # Readability is advice for the author, not a reason to refuse the theme.
    for problem in readability_problems(spec):
        print(f"{one_line(str(path))}: warning: {problem}")
    print("ok")
    return 0
