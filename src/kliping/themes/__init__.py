"""Themes: YAML files validated into ThemeSpec models, built-in and the user's own.

Nothing here imports Textual; `kliping.tui.theming` turns a ThemeSpec into a Textual Theme.
"""

from kliping.themes.colour import ColourError, contrast_ratio, parse_colour
from kliping.themes.contrast import readability_problems
from kliping.themes.loader import (
    DEFAULT_THEME,
    LoadedTheme,
    ThemeCatalog,
    ThemeFileError,
    load_builtin_themes,
    load_theme_file,
    load_themes,
    user_themes_dir,
)
from kliping.themes.model import READER_VARIABLES, ReaderColours, ThemeSpec

__all__ = [
    "DEFAULT_THEME",
    "READER_VARIABLES",
    "ColourError",
    "LoadedTheme",
    "ReaderColours",
    "ThemeCatalog",
    "ThemeFileError",
    "ThemeSpec",
    "contrast_ratio",
    "load_builtin_themes",
    "load_theme_file",
    "load_themes",
    "parse_colour",
    "readability_problems",
    "user_themes_dir",
]
