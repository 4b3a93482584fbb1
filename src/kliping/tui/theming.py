"""ThemeSpec -> textual.theme.Theme, and putting kliping's themes on an App.

The reader's stylesheet uses the variables in `kliping.themes.READER_VARIABLES`
(`$search-hit-background` ...). Every kliping theme sets all of them; Textual's own themes set
none, so the App must return `theme_variable_defaults()` from `get_theme_variable_defaults` or
its stylesheet would not parse under them.
"""

from __future__ import annotations

import functools

from textual.app import App
from textual.color import Color
from textual.theme import Theme

from kliping.themes import DEFAULT_THEME, ThemeCatalog, ThemeSpec, load_builtin_themes, load_themes


def to_textual_theme(spec: ThemeSpec) -> Theme:
    """Every field of Textual's Theme; its variables are the theme's Textual overrides plus the reader's."""
    return Theme(
        name=spec.name,
        primary=spec.primary,
        secondary=spec.secondary,
        warning=spec.warning,
        error=spec.error,
        success=spec.success,
        accent=spec.accent,
        foreground=spec.foreground,
        background=spec.background,
        surface=spec.surface,
        panel=spec.panel,
        boost=spec.boost,
        dark=spec.dark,
        luminosity_spread=spec.luminosity_spread,
        text_alpha=spec.text_alpha,
        variables={**spec.textual_variables, **spec.reader_variables()},
        ansi=spec.ansi,
    )


def reader_variable_defaults() -> dict[str, str]:
    """The default theme's reader variables: the fallback for Textual's own themes."""
    spec = load_builtin_themes().get(DEFAULT_THEME)
    assert spec is not None, "the default theme ships with kliping"
    return spec.reader_variables()


@functools.cache
def _reader_defaults() -> dict[str, str]:
    return reader_variable_defaults()  # reads the default theme's YAML: once per process


def theme_variable_defaults(theme: Theme) -> dict[str, str]:
    """Every variable the .tcss uses, for themes that do not set them (Textual's own).

    The reader's variables come from the default kliping theme; text colours follow ``theme``'s
    foreground and the search-hit colours its warning colour, so they suit light and dark themes
    alike."""
    warning = Color.parse(theme.warning or "#ffa62b")
    defaults = _reader_defaults()
    if theme.foreground:
        defaults = {k: theme.foreground if k.endswith("-foreground") else v for k, v in defaults.items()}
    return {
        **defaults,
        "search-hit-background": warning.with_alpha(0.35).css,
        "search-hit-current-background": warning.css,
        "search-hit-current-foreground": "#000000" if warning.brightness > 0.5 else "#ffffff",
    }


def register_themes(app: App, catalog: ThemeCatalog | None = None) -> list[str]:
    """Register every kliping theme (built-in and user) on ``app``; return the problems to show.

    Each problem is one line naming a user theme file that was skipped and why.
    """
    catalog = load_themes() if catalog is None else catalog
    for spec in catalog.specs():
        app.register_theme(to_textual_theme(spec))
    return list(catalog.problems)


def choose_theme(app: App, wanted: str | None) -> str | None:
    """Switch ``app`` to theme ``wanted`` if it is registered, else to the default theme.

    Returns a one-line problem when ``wanted`` was asked for but is not available.
    """
    if wanted and app.get_theme(wanted) is not None:
        app.theme = wanted
        return None
    app.theme = DEFAULT_THEME
    if wanted:
        return f"theme '{wanted}' not found (see `reader themes`); using {DEFAULT_THEME}"
    return None
