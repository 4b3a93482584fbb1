"""Make user text inert before it is shown in a terminal.

Articles, titles, notes and queries come from the outside world. Escape sequences in them (CSI
colours, OSC title changes, OSC 52 clipboard writes, OSC 8 links), BEL, C1 controls and bidi
overrides must never reach the terminal.
"""

from __future__ import annotations

import json
import re
from typing import Any

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


# JSON escapes only C0 controls; C1 controls, DEL and the bidi controls pass through raw, and a
# terminal acts on C1 (U+009B is CSI, U+009D is OSC) just as on ESC [ and ESC ].
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_line(value: Any, *, indent: int | None = None, ensure_ascii: bool = False) -> str:
    """``json.dumps`` for output that reaches a terminal or a file a terminal may show: the same
    JSON, with every control character escaped as ``\\uXXXX`` (still the same string once parsed)."""
    text = json.dumps(value, ensure_ascii=ensure_ascii, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
