"""Colour values as theme files write them, parsed without Textual, and measured for readability.

Theme files may use `#rgb`, `#rrggbb`, `rgb(r, g, b)` or one of the terminal's own 16 ANSI colours
(`ansi_red`, `ansi_bright_blue`, ... and `ansi_default`, the terminal's own foreground or
background). Every accepted value is one Textual parses too, normalized to `#rrggbb` or `ansi_*`.

ANSI colours look however the user's terminal palette says; to measure them we assume the
classic xterm palette, which is what most terminals ship with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ANSI_NAMES = (
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "white",
    "bright_black",
    "bright_red",
    "bright_green",
    "bright_yellow",
    "bright_blue",
    "bright_magenta",
    "bright_cyan",
    "bright_white",
)

# xterm's default palette, used only to measure contrast of ANSI themes.
_XTERM_PALETTE = (
    (0x00, 0x00, 0x00),
    (0xCD, 0x00, 0x00),
    (0x00, 0xCD, 0x00),
    (0xCD, 0xCD, 0x00),
    (0x00, 0x00, 0xEE),
    (0xCD, 0x00, 0xCD),
    (0x00, 0xCD, 0xCD),
    (0xE5, 0xE5, 0xE5),
    (0x7F, 0x7F, 0x7F),
    (0xFF, 0x00, 0x00),
    (0x00, 0xFF, 0x00),
    (0xFF, 0xFF, 0x00),
    (0x5C, 0x5C, 0xFF),
    (0xFF, 0x00, 0xFF),
    (0x00, 0xFF, 0xFF),
    (0xFF, 0xFF, 0xFF),
)
ANSI_REFERENCE = {f"ansi_{name}": rgb for name, rgb in zip(ANSI_NAMES, _XTERM_PALETTE, strict=True)}
ANSI_DEFAULT = "ansi_default"

_HEX = re.compile(r"#([0-9a-f]{3}|[0-9a-f]{6})")
_RGB = re.compile(r"rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)")


class ColourError(ValueError):
    """A colour value a theme file cannot use."""


def parse_colour(value: str) -> str:
    """Return ``value`` normalized (`#rrggbb` or `ansi_*`), or raise ColourError saying why."""
    if not isinstance(value, str):
        raise ColourError(f"expected a colour as text, got {value!r}")
    text = value.strip().lower()
    if text == ANSI_DEFAULT or text in ANSI_REFERENCE:
        return text
    if match := _HEX.fullmatch(text):
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return f"#{digits}"
    if match := _RGB.fullmatch(text):
        channels = [int(c) for c in match.groups()]
        if any(c > 255 for c in channels):
            raise ColourError(f"{value!r}: rgb() channels go from 0 to 255")
        return "#" + "".join(f"{c:02x}" for c in channels)
    raise ColourError(
        f"{value!r} is not a colour; use #rrggbb, #rgb, rgb(r, g, b) or an ANSI name like ansi_bright_blue"
    )


@dataclass(frozen=True, slots=True)
class Rgb:
    red: int
    green: int
    blue: int


def to_rgb(colour: str, *, default: Rgb) -> Rgb:
    """The RGB a normalized colour shows as; `ansi_default` stands for ``default``."""
    if colour == ANSI_DEFAULT:
        return default
    if colour in ANSI_REFERENCE:
        return Rgb(*ANSI_REFERENCE[colour])
    return Rgb(int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: Rgb) -> float:
    """WCAG 2.x relative luminance."""
    return 0.2126 * _linear(rgb.red) + 0.7152 * _linear(rgb.green) + 0.0722 * _linear(rgb.blue)


def contrast_ratio(a: Rgb, b: Rgb) -> float:
    """WCAG 2.x contrast ratio, from 1 (same) to 21 (black on white)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _lab(rgb: Rgb) -> tuple[float, float, float]:
    r, g, b = _linear(rgb.red), _linear(rgb.green), _linear(rgb.blue)
    # sRGB -> XYZ (D65), normalized by the white point.
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def colour_difference(a: Rgb, b: Rgb) -> float:
    """CIE76 ΔE in L*a*b*: about 2.3 is just noticeable; 20 and more reads as a different colour."""
    la, lb = _lab(a), _lab(b)
    return sum((p - q) ** 2 for p, q in zip(la, lb, strict=True)) ** 0.5
