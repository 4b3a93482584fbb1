"""Readability rules every built-in theme keeps, and `reader themes check` reports for others.

Text contrast uses WCAG 2.x ratios: body text at least 4.5:1 (AA), 7:1 (AAA) for a theme named
a high-contrast theme; metadata, links, quotes and text on every highlight at least 4.5:1; the bookmark
mark, a non-text symbol, at least 3:1. The highlights a reader must tell apart at a glance --
plain background, a search hit, the current hit and a bookmarked passage -- must differ pairwise
by a CIE76 colour difference of at least 20, which reads as a different colour, not a shade; the
passage cursor and the selection must differ as much from the background and from each other.
"""

from __future__ import annotations

from itertools import combinations

from kliping.themes.colour import Rgb, colour_difference, contrast_ratio, to_rgb
from kliping.themes.model import ThemeSpec

BODY_TEXT_MIN = 4.5
HIGH_CONTRAST_BODY_TEXT_MIN = 7.0
TEXT_MIN = 4.5
MARK_MIN = 3.0
DISTINCT_MIN = 20.0

# What `ansi_default` shows as when measuring: the usual terminal defaults.
_DARK_DEFAULTS = (Rgb(0xE5, 0xE5, 0xE5), Rgb(0x00, 0x00, 0x00))
_LIGHT_DEFAULTS = (Rgb(0x00, 0x00, 0x00), Rgb(0xFF, 0xFF, 0xFF))


class _Measured:
    """A theme's colours as RGB, resolving `ansi_default` as foreground or background by role."""

    def __init__(self, spec: ThemeSpec) -> None:
        self.default_fg, self.default_bg = _DARK_DEFAULTS if spec.dark else _LIGHT_DEFAULTS
        self.spec = spec
        self.vars = spec.reader_variables()

    def fg(self, name: str) -> Rgb:
        return to_rgb(self.vars[name] if name in self.vars else getattr(self.spec, name), default=self.default_fg)

    def bg(self, name: str) -> Rgb:
        return to_rgb(self.vars[name] if name in self.vars else getattr(self.spec, name), default=self.default_bg)


def readability_problems(spec: ThemeSpec, *, body_text_min: float = BODY_TEXT_MIN) -> list[str]:
    """Every rule the theme breaks, one line each; empty when it reads well.

    ``body_text_min`` is raised to HIGH_CONTRAST_BODY_TEXT_MIN for a theme that promises more.
    """
    m = _Measured(spec)
    problems: list[str] = []
    background = m.bg("background")

    _need_contrast(problems, "foreground", "background", m.fg("foreground"), background, body_text_min)
    for name in ("metadata-foreground", "article-link-foreground", "quote-foreground"):
        _need_contrast(problems, name, "background", m.fg(name), background, TEXT_MIN)
    _need_contrast(problems, "bookmark-mark", "background", m.fg("bookmark-mark"), background, MARK_MIN)
    for area in ("search-hit", "search-hit-current", "bookmark", "passage-cursor", "passage-selection"):
        _need_contrast(
            problems, f"{area}-foreground", f"{area}-background",
            m.fg(f"{area}-foreground"), m.bg(f"{area}-background"), TEXT_MIN,
        )

    highlights = {
        "background": background,
        "search-hit-background": m.bg("search-hit-background"),
        "search-hit-current-background": m.bg("search-hit-current-background"),
        "bookmark-background": m.bg("bookmark-background"),
    }
    pairs = list(combinations(highlights.items(), 2))
    cursor = ("passage-cursor-background", m.bg("passage-cursor-background"))
    selection = ("passage-selection-background", m.bg("passage-selection-background"))
    pairs += [(("background", background), cursor), (("background", background), selection), (cursor, selection)]
    for (name_a, a), (name_b, b) in pairs:
        difference = colour_difference(a, b)
        if difference < DISTINCT_MIN:
            problems.append(
                f"{name_a} and {name_b} look too alike (colour difference {difference:.0f}, needs {DISTINCT_MIN:.0f})"
            )
    return problems


def _need_contrast(problems: list[str], fg_name: str, bg_name: str, fg: Rgb, bg: Rgb, minimum: float) -> None:
    ratio = contrast_ratio(fg, bg)
    if ratio < minimum:
        problems.append(f"{fg_name} on {bg_name} has contrast {ratio:.2f}:1, needs {minimum:g}:1")
