"""How YAML reads one scalar value, for the values :mod:`kliping.bookmarks.yaml_scan` reads itself.

Each function gives exactly what PyYAML's safe loader gives for the same text, or raises
:class:`LeftToYaml` for a form it does not decode (the whole file is then read by the loader).
"""

from __future__ import annotations

import re

from yaml.resolver import Resolver


class LeftToYaml(Exception):
    """The text has something kliping's own reader does not read; the YAML loader reads it instead."""


_CLEAN_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_RESOLVERS = Resolver.yaml_implicit_resolvers
PLAIN_START_FORBIDDEN = set("-?:,[]{}#&*!|>'\"%@`")
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
DOUBLE_END = re.compile(r'((?:[^"\\]|\\.)*)"')
SINGLE_END = re.compile(r"((?:[^']|'')*)'(?!')")
AFTER_VALUE = re.compile(r" *(?:(#.*))?$")
_FLOW_ITEM = re.compile(r""" *(?:'((?:[^']|'')*)'|"((?:[^"\\]|\\.)*)"|([^\s,\[\]{}#'"&*!|>%@`?:-][^,\[\]{}#:?]*?)) *(,|\])""")
_ESCAPES = {
    "0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "\t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}  # fmt: skip


def resolve_plain(text: str) -> object:
    """What YAML makes of a plain scalar: text, a clean integer or null; anything else (other
    numbers, booleans, dates) is left to the loader."""
    for tag, pattern in _RESOLVERS.get(text[:1], ()):
        if pattern.match(text):
            if tag == "tag:yaml.org,2002:int" and _CLEAN_INT.fullmatch(text):
                return int(text)
            if tag == "tag:yaml.org,2002:null" and text in _NULLS:
                return None
            raise LeftToYaml
    return text


def fold(pieces: list[str]) -> str:
    """Lines of a quoted scalar joined as YAML does: a line break between text is one space."""
    if len(pieces) == 1:
        return pieces[0]
    out = [pieces[0]]
    for piece in pieces[1:]:
        previous = out[-1]
        trailing_backslashes = len(previous) - len(previous.rstrip("\\"))
        if trailing_backslashes % 2:  # an escaped line break joins without a space
            out[-1] = previous[:-1]
            out.append(piece.lstrip(" "))
            continue
        stripped = previous.rstrip(" ")
        escaped_space = len(stripped) < len(previous) and (len(stripped) - len(stripped.rstrip("\\"))) % 2
        out[-1] = previous[: len(stripped) + 1] if escaped_space else stripped  # `\ ` is text, not space
        out.append(" " + piece.lstrip(" "))
    return "".join(out)


def decode_double(pieces: list[str]) -> str:
    text = fold(pieces)
    if "\\" not in text:
        return text

    def replace(match: re.Match) -> str:
        code = match[1]
        if len(code) > 1:
            number = int(code[1:], 16)
            if number > 0x10FFFF or 0xD800 <= number <= 0xDFFF:
                raise LeftToYaml
            return chr(number)
        if code not in _ESCAPES:
            raise LeftToYaml
        return _ESCAPES[code]

    return _ESCAPE.sub(replace, text)


def decode_single(pieces: list[str]) -> str:
    return fold(pieces).replace("''", "'")


def flow_list(text: str) -> tuple[list, str | None]:
    """A one-line ``[a, 'b c', "d"]`` of scalars, and its trailing comment."""
    if re.match(r"\[ *\]", text):
        rest = text[text.index("]") + 1 :]
        items: list = []
    else:
        items, position = [], 1
        while True:
            match = _FLOW_ITEM.match(text, position)
            if match is None:
                raise LeftToYaml
            if match[1] is not None:
                items.append(match[1].replace("''", "'"))
            elif match[2] is not None:
                items.append(decode_double([match[2]]))
            else:
                items.append(resolve_plain(match[3].rstrip(" ")))
            position = match.end()
            if match[4] == "]":
                break
        rest = text[position:]
    after = AFTER_VALUE.match(rest)
    if after is None:
        raise LeftToYaml
    return items, after[1]
