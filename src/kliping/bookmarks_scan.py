"""Reading ``bookmarks.yaml`` fast, into the values YAML gives and the file's :class:`Layout`.

Reading 100,000 bookmarks (55 MB) through PyYAML takes close to a minute (its resolver and
constructor are Python, call by call). :func:`scan` reads the layout kliping writes, and the usual
hand edits (comments anywhere, other key orders and indentation, plain, quoted, literal and
flow-list values, block lists of tags, no final newline), a line at a time into the same values
YAML gives. A file with anything else in it (anchors, tags, folded blocks, a document marker,
tabs...) gives None and is read by the safe YAML loader, which also has the final word on what is
wrong with it; such a file is written whole on its next save (its comments are then lost; files
kliping writes never need it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from yaml.resolver import Resolver

from kliping.bookmarks_yaml import Layout

class _Unknown(Exception):
    """The text has something :func:`scan` does not read; the YAML loader reads it instead."""


@dataclass
class ScannedEntry:
    values: dict
    line: int  # 1-based line of the entry's dash
    key_lines: dict[str, int] = field(default_factory=dict)


@dataclass
class Scanned:
    top: dict  # `version` (and `bookmarks` when it is not a block list) as YAML reads them
    entries: list[ScannedEntry]
    layout: Layout


# Characters YAML does not allow in a file (the loader reports them); raw tabs, CR and the other
# line breaks, and a byte order mark are allowed but left to the loader.
_LEAVE_TO_YAML = re.compile("[^\x0a\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +|$)")
_TOP_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?$")
_CLEAN_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_RESOLVERS = Resolver.yaml_implicit_resolvers
_PLAIN_START_FORBIDDEN = set("-?:,[]{}#&*!|>'\"%@`")
_BLOCK_HEADER = re.compile(r"\|(?:([1-9])([+-]?)|([+-])([1-9]?))?(?: +(#.*)| *)$")
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_ESCAPES = {
    "0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "\t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_DOUBLE_END = re.compile(r'((?:[^"\\]|\\.)*)"')
_SINGLE_END = re.compile(r"((?:[^']|'')*)'(?!')")
_AFTER_VALUE = re.compile(r" *(?:(#.*))?$")
_FLOW_ITEM = re.compile(r""" *(?:'((?:[^']|'')*)'|"((?:[^"\\]|\\.)*)"|([^\s,\[\]{}#'"&*!|>%@`?:-][^,\[\]{}#:]*?)) *(,|\])""")


def scan(raw: str) -> Scanned | None:
    """The file's values and layout, or None if it holds YAML this reader leaves to the loader."""
    if _LEAVE_TO_YAML.search(raw):
        return None
    try:
        return _Scanner(raw).run()
    except _Unknown:
        return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class _Scanner:
    """Reads the file a line at a time; every method raises _Unknown at anything it does not know."""

    def __init__(self, raw: str) -> None:
        # A file without a final newline (some editors) reads as if it had one, except where that
        # would change a value: a literal block running to the end of the file.
        self.missing_newline = bool(raw) and not raw.endswith("\n")
        self.raw = raw + "\n" if self.missing_newline else raw
        self.lines = self.raw.split("\n")
        self.lines.pop()  # what follows the last newline is no line
        self.starts: list[int] = []
        position = 0
        for line in self.lines:
            self.starts.append(position)
            position += len(line) + 1

    def offset(self, index: int) -> int:
        return self.starts[index] if index < len(self.starts) else len(self.raw)

    def run(self) -> Scanned:
        lines = self.lines
        top: dict = {}
        key_index = None
        found: list[tuple[int, int, ScannedEntry, tuple[str, ...]]] = []  # (first line, end line, entry, comments)
        indent = 0
        index = 0
        while index < len(lines):
            line = lines[index]
            stripped = line.lstrip(" ")
            if not stripped or stripped[0] == "#":
                index += 1
                continue
            match = _TOP_KEY.match(line)
            if match is None or match[1] in top:
                raise _Unknown
            key, rest = match[1], (match[2] or "").strip(" ")
            index += 1
            if key != "bookmarks":
                top[key] = self.single_line_value(rest)[0]
                if self.followed_by_more_indented(index, 0):
                    raise _Unknown
                continue
            key_index = index - 1
            if re.fullmatch(r"\[ *\] *(?:#.*)?", rest):
                top[key] = []
                if self.followed_by_more_indented(index, 0):
                    raise _Unknown
                continue
            if rest and rest[0] != "#":
                raise _Unknown
            top[key] = None
            index, indent = self.entries(index, found)
        if key_index is None:
            raise _Unknown
        body_start = self.offset(key_index + 1)
        gaps, texts, ids, comments, scanned = [], [], [], [], []
        previous_end = body_start
        for first, end, entry, inner in found:
            gaps.append(self.raw[previous_end : self.offset(first)])
            texts.append(self.raw[self.offset(first) : self.offset(end)])
            ids.append(str(entry.values.get("id")))
            comments.append(inner)
            scanned.append(entry)
            previous_end = self.offset(end)
        if scanned:
            top["bookmarks"] = [entry.values for entry in scanned]
        layout = Layout(
            head=self.raw[: self.offset(key_index)],
            key_line=self.raw[self.offset(key_index) : body_start],
            gaps=gaps,
            texts=texts,
            ids=ids,
            inner_comments=comments,
            tail=self.raw[previous_end:],
            indent=indent,
        )
        return Scanned(top, scanned, layout)

    # -- the list and its entries -----------------------------------------------------------------

    def entries(self, index: int, found: list) -> tuple[int, int]:
        """Entries from line ``index`` on; (the first line after them, the column of their dashes)."""
        lines = self.lines
        indent = None
        while index < len(lines):
            line = lines[index]
            stripped = line.lstrip(" ")
            if not stripped or stripped[0] == "#":
                index += 1
                continue
            column = len(line) - len(stripped)
            if not stripped.startswith("- "):
                if column == 0:
                    break  # the next top-level key
                raise _Unknown
            if indent is None:
                indent = column
            elif column != indent:
                raise _Unknown
            first = index
            entry, index, inner = self.entry(index, indent)
            found.append((first, index, entry, inner))
        return index, indent or 0

    def entry(self, index: int, indent: int) -> tuple[ScannedEntry, int, tuple[str, ...]]:
        """The ``- key: value`` mapping whose dash is on line ``index``: (entry, the line after its
        last value, the comments written inside it). Comment lines after the last value belong to
        whatever follows."""
        lines = self.lines
        key_column = indent + 2
        entry = ScannedEntry({}, index + 1)
        comments: list[tuple[int, str]] = []
        body = lines[index][key_column:]
        if body[:1] == " ":
            raise _Unknown
        end = index
        while True:
            match = _KEY.match(body)
            if match is None:
                raise _Unknown
            key = match[1]
            entry.key_lines[key] = index + 1
            value, after, comment = self.value(body[match.end() :], index, key_column)
            entry.values[key] = value  # a repeated key: the last one counts, as in YAML
            if comment:
                comments.append((index, comment))
            index = end = after
            while index < len(lines):
                line = lines[index]
                stripped = line.lstrip(" ")
                if stripped and stripped[0] != "#":
                    break
                if stripped:
                    comments.append((index, stripped))
                index += 1
            if index >= len(lines):
                break
            column = _indent(lines[index])
            if column < key_column:
                break
            if column > key_column:
                raise _Unknown
            body = lines[index][key_column:]
        return entry, end, tuple(text for line, text in comments if line < end)

    # -- values -----------------------------------------------------------------------------------

    def value(self, text: str, index: int, key_column: int) -> tuple[object, int, str | None]:
        """The value starting with ``text`` on line ``index``: (value, the line after it, comment)."""
        head = text[:1]
        if head == '"':
            return self.quoted(text[1:], index, key_column, _DOUBLE_END, _decode_double)
        if head == "'":
            return self.quoted(text[1:], index, key_column, _SINGLE_END, _decode_single)
        if head == "|":
            return self.literal(text, index, key_column)
        if head == "[":
            value, comment = _flow_list(text)
            if self.followed_by_more_indented(index + 1, key_column):
                raise _Unknown
            return value, index + 1, comment
        if head == "" or head == "#":
            return self.null_or_list(text, index, key_column)
        value, comment = self.single_line_value(text)
        index += 1
        continuation: list[str] = []
        while index < len(self.lines):  # a long plain value wrapped onto the following lines
            line = self.lines[index]
            stripped = line.strip(" ")
            if not stripped or stripped[0] == "#" or _indent(line) <= key_column:
                break
            if comment or ": " in stripped or " #" in stripped or stripped.endswith(":"):
                raise _Unknown
            continuation.append(stripped)
            index += 1
        if continuation:
            value = _resolve_plain(" ".join([text.rstrip(" "), *continuation]))
        if self.followed_by_more_indented(index, key_column):
            raise _Unknown
        return value, index, comment

    def followed_by_more_indented(self, index: int, key_column: int) -> bool:
        """Is the next line with text indented under the key? Past a value's end YAML refuses
        that (or reads it differently), so the loader decides."""
        while index < len(self.lines):
            line = self.lines[index]
            stripped = line.lstrip(" ")
            if stripped and stripped[0] != "#":
                return len(line) - len(stripped) > key_column
            index += 1
        return False

    def single_line_value(self, text: str) -> tuple[object, str | None]:
        """A plain value on one line, and its trailing comment."""
        text = text.rstrip(" ")
        comment = None
        if text.startswith("#"):
            text, comment = "", text
        elif " #" in text:
            text, _, rest = text.partition(" #")
            text, comment = text.rstrip(" "), "#" + rest
        if text and text[0] in _PLAIN_START_FORBIDDEN and not (text[0] in "-?:" and text[1:2] not in ("", " ")):
            raise _Unknown
        if ": " in text or text.endswith(":"):
            raise _Unknown
        return _resolve_plain(text), comment

    def quoted(self, text: str, index: int, key_column: int, end_pattern: re.Pattern, decode) -> tuple[object, int, str | None]:
        pieces = []
        while True:
            match = end_pattern.match(text)
            if match is not None:
                pieces.append(match[1])
                after = _AFTER_VALUE.match(text, match.end())
                if after is None:
                    raise _Unknown
                index += 1
                if self.followed_by_more_indented(index, key_column):
                    raise _Unknown
                return decode(pieces), index, after[1]
            pieces.append(text)
            index += 1
            if index >= len(self.lines):
                raise _Unknown
            text = self.lines[index]
            if not text.strip(" ") or _indent(text) <= key_column:
                raise _Unknown  # blank lines fold to line breaks, and a dedent is the loader's to judge

    def literal(self, text: str, index: int, key_column: int) -> tuple[object, int, str | None]:
        header = _BLOCK_HEADER.match(text)
        if header is None:
            raise _Unknown
        digit = header[1] or header[4]
        chomping = header[2] or header[3] or ""
        lines = self.lines
        index += 1
        first = index
        if digit:
            indent = key_column + int(digit)
        else:
            # The first line with text sets the indentation; a longer blank line before it is an error.
            probe, longest_blank = index, 0
            while probe < len(lines) and not lines[probe].strip(" "):
                longest_blank = max(longest_blank, len(lines[probe]))
                probe += 1
            if probe >= len(lines):
                raise _Unknown
            indent = _indent(lines[probe])
            if indent <= key_column or longest_blank > indent:
                raise _Unknown
        content: list[str] = []
        last_text = -1
        while index < len(lines):
            line = lines[index]
            if len(line) > indent and not line[:indent].strip(" "):
                content.append(line[indent:])
                last_text = len(content) - 1
            elif not line.strip(" "):
                content.append("")
            else:
                break
            index += 1
        if last_text < 0:
            raise _Unknown
        body = "\n".join(content[: last_text + 1])
        trailing = len(content) - 1 - last_text
        # At the end of a file without a final newline, the last line has no line break to keep.
        unbroken = int(index >= len(lines) and self.missing_newline)
        if chomping == "-":
            return body, first + last_text + 1, header[5]
        if chomping == "+":  # the trailing blank lines are the value's
            return body + "\n" * (1 + trailing - unbroken), index, header[5]
        return body + "\n" * (1 - unbroken * (trailing == 0)), first + last_text + 1, header[5]

    def null_or_list(self, text: str, index: int, key_column: int) -> tuple[object, int, str | None]:
        """An empty value, or a block list of one-line values under it (as tags are often typed)."""
        comment = text if text.startswith("#") else None
        index += 1
        items: list = []
        item_column = None
        while index < len(self.lines):
            line = self.lines[index]
            stripped = line.lstrip(" ")
            column = len(line) - len(stripped)
            if not stripped.startswith("- ") or column < key_column:
                break
            if item_column is None:
                item_column = column
            elif column != item_column:
                raise _Unknown
            value, item_comment = self.single_line_value(stripped[2:])
            if item_comment is not None:
                raise _Unknown
            items.append(value)
            index += 1
        if self.followed_by_more_indented(index, key_column):
            raise _Unknown
        return (None if item_column is None else items), index, comment


def _resolve_plain(text: str) -> object:
    """What YAML makes of a plain scalar: text, a clean integer or null; anything else (other
    numbers, booleans, dates) is left to the loader."""
    for tag, pattern in _RESOLVERS.get(text[:1], ()):
        if pattern.match(text):
            if tag == "tag:yaml.org,2002:int" and _CLEAN_INT.fullmatch(text):
                return int(text)
            if tag == "tag:yaml.org,2002:null" and text in _NULLS:
                return None
            raise _Unknown
    return text


def _fold(pieces: list[str]) -> str:
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


def _decode_double(pieces: list[str]) -> str:
    text = _fold(pieces)
    if "\\" not in text:
        return text

    def replace(match: re.Match) -> str:
        code = match[1]
        if len(code) > 1:
            number = int(code[1:], 16)
            if number > 0x10FFFF or 0xD800 <= number <= 0xDFFF:
                raise _Unknown
            return chr(number)
        if code not in _ESCAPES:
            raise _Unknown
        return _ESCAPES[code]

    return _ESCAPE.sub(replace, text)


def _decode_single(pieces: list[str]) -> str:
    return _fold(pieces).replace("''", "'")


def _flow_list(text: str) -> tuple[list, str | None]:
    """A one-line ``[a, 'b c', "d"]`` of scalars, and its trailing comment."""
    if re.match(r"\[ *\]", text):
        rest = text[text.index("]") + 1 :]
        items: list = []
    else:
        items, position = [], 1
        while True:
            match = _FLOW_ITEM.match(text, position)
            if match is None:
                raise _Unknown
            if match[1] is not None:
                items.append(match[1].replace("''", "'"))
            elif match[2] is not None:
                items.append(_decode_double([match[2]]))
            else:
                items.append(_resolve_plain(match[3].rstrip(" ")))
            position = match.end()
            if match[4] == "]":
                break
        rest = text[position:]
    after = _AFTER_VALUE.match(rest)
    if after is None:
        raise _Unknown
    return items, after[1]


def line_in_yaml(raw: str, number: int, key: str | None) -> int | None:
    """The line of ``key`` in the ``number``-th entry, from YAML's node tree (for a file the YAML
    loader read already, so this only runs to describe a mistake in it)."""
    try:
        root = yaml.compose(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    entries = next((value for name, value in root.value if name.value == "bookmarks"), None)
    if not isinstance(entries, yaml.SequenceNode) or len(entries.value) < number:
        return None
    entry = entries.value[number - 1]
    if isinstance(entry, yaml.MappingNode) and key:
        for name, _ in entry.value:
            if str(name.value) == key:
                return name.start_mark.line + 1
    return entry.start_mark.line + 1
