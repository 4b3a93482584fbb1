"""`reader` with no command: open the library and run the full-screen app."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    from kliping.library import open_library
    from kliping.tui.app import ReaderApp

    library = open_library(getattr(args, "library", None))
    if not library.root.is_dir():
        print(f"reader: {library.root}: no such folder (give an existing one with --library)", file=sys.stderr)
        return 2
    app = ReaderApp(library)
    theme = getattr(args, "theme", None)
    if theme:
        if theme not in app.available_themes:
            names = ", ".join(sorted(app.available_themes))
            print(f"reader: --theme {theme}: no such theme (known: {names})", file=sys.stderr)
            return 2
        app.theme = theme
    app.run()
    return app.return_code or 0
