"""`reader` with no command: read the settings, open the library and run the full-screen app."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    from kliping.config.keymap import check_keymap
    from kliping.config.settings import load_settings
    from kliping.library.locate import open_library
    from kliping.tui.app import ReaderApp
    from kliping.tui.keys import default_bindings

    cli_theme = getattr(args, "theme", None)
    loaded = load_settings({"theme": cli_theme, "library": getattr(args, "library", None)})
    settings = loaded.settings
    library = open_library(getattr(args, "library", None))
    if not library.root.is_dir():
        print(f"reader: {library.root}: no such folder (give an existing one with --library)", file=sys.stderr)
        return 2
    bindings = default_bindings()
    app = ReaderApp(
        library,
        measure=settings.reading_width,
        search_delay=settings.search.debounce_ms / 1000,
        search_limit=settings.search.limit,
        sort=settings.sort,
        theme=settings.theme,
        startup_problems=[*loaded.problems, *check_keymap(settings.keymap, bindings)],
        remember_theme=cli_theme is None,  # --theme is for this session only
        remember_sort=True,
    )
    if cli_theme and app.get_theme(cli_theme) is None:
        print(f"reader: --theme {cli_theme}: no such theme (see `reader themes`)", file=sys.stderr)
        return 2
    app.set_keymap({binding_id: keys for binding_id, keys in settings.keymap.items() if binding_id in bindings})
    _write_utf8_to_the_terminal()
    app.run()
    return app.return_code or 0


def _write_utf8_to_the_terminal() -> None:
    """Under a C or Latin-1 locale Python would write box drawing and Indonesian text as `\\u2502`
    escapes; terminals today read UTF-8 whatever the locale says, so write that (what a terminal
    cannot show becomes a replacement character, never an exception)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
