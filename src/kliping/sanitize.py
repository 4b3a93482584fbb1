"""Make user text inert before it is shown in a terminal.

Articles, titles, notes and queries come from the outside world. Escape sequences in them (CSI
colours, OSC title changes, OSC 52 clipboard writes, OSC 8 links), BEL, C1 controls and bidi
overrides must never reach the terminal.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC (ESC P/X/^/_ ... ST)
# and two-character escapes. Removed whole, so their parameters do not show as garbage.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]                  # CSI
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?      # OSC, terminated by BEL or ST (or cut off)
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?           # DCS, SOS, PM, APC
    | \x1b[@-Z\\-_]                           # other two-character escapes
    | \x9b[0-?]*[ -/]*[@-~]                   # 8-bit CSI
    | \x9d[^\x07\x9c]*(?:\x07|\x9c)?          # 8-bit OSC
    """,
    re.VERBOSE,
)
# Remaining C0 controls except tab and newline, DEL, C1 controls, and the Unicode bidi controls
# that can reorder what the reader sees (Trojan Source).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """Remove terminal control sequences and control characters; keep tabs and newlines."""
    if not text:
        return text
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub("", text)


def one_line(text: str) -> str:
    """Inert text for a single-line place (a title, a list row): also folds newlines and tabs."""
    return " ".join(strip_controls(text).split())
