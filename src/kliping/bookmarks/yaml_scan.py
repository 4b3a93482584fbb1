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
from pathlib import Path

import yaml

from kliping.bookmarks.yaml_layout import FIELDS, Layout
from kliping.bookmarks.yaml_scalars import (
    AFTER_VALUE,
    DOUBLE_END,
    PLAIN_START_FORBIDDEN,
    SINGLE_END,
    LeftToYaml,
    decode_double,
    decode_single,
    flow_list,
    resolve_plain,
)
from kliping.files.yamlfile import FastSafeLoader


@dataclass
class ScannedEntry:
    values: dict
    line: int  # 1-based line of the entry's dash
    key_lines: dict[str, int] = field(default_factory=dict)
    match: re.Match | None = None  # of a canonical entry, whose key lines are found only when asked

    def line_of(self, key: str) -> int | None:
        """The 1-based line of ``key`` in this entry, None if it has no such key."""
        if key in self.key_lines:
            return self.key_lines[key]
        if self.match is not None and key in self.match.re.groupindex:
            return self.line + self.match.string.count("\n", self.match.start(), self.match.start(key))
        return None


@dataclass
class Scanned:
    top: dict  # `version` (and `bookmarks` when it is not a block list) as YAML reads them
    entries: list[ScannedEntry]
    layout: Layout


# Characters YAML does not allow in a file (the loader reports them); raw tabs, CR and the other
# line breaks, and a byte order mark are allowed but left to the loader.
_LEAVE_TO_YAML = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +|$)")
_TOP_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?$")
_BLOCK_HEADER = re.compile(r"\|(?:([1-9])([+-]?)|([+-])([1-9]?))?(?: +(#.*)| *)$")


# An entry as kliping writes it: every key in order, each value on its key's line and on lines
# indented four spaces (blank lines only inside a value).
# Not starting with a space: YAML drops the spaces after `key:`, so an entry lined up by hand
# (`note:  catatan`) is read by the general path instead of keeping them in the value.
_VALUE = r"(?! )[^\n]*+(?:\n    [^\n]*+|\n(?=\n))*+"
_STAMP = r"'(?P<{}>[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}T[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}Z)'"
_CANONICAL_FORMS = {
    "start": r"(?P<start>0|[1-9][0-9]*+)",
    "end": r"(?P<end>[1-9][0-9]*+)",
    "created": _STAMP.format("created"),
    "updated": _STAMP.format("updated"),
}
_CANONICAL_ENTRY = re.compile(
    "- " + "\n  ".join(f"{key}: {_CANONICAL_FORMS.get(key, f'(?P<{key}>{_VALUE})')}" for key in FIELDS) + "\n(?! )"
)
_DECODED_KEYS = tuple(key for key in FIELDS if key not in _CANONICAL_FORMS)
# Plain words that YAML reads as something other than text.
_NOT_TEXT_WORDS = frozenset(
    word
    for words in ("yes no true false on off y n null", "~")
    for base in words.split()
    for word in (base, base.title(), base.upper())
)
# Hex words YAML reads as text: a letter a-f makes them no decimal, and no `0b` binary number.
_HEX_WORD = re.compile(r"(?!0b)[0-9a-f]*[a-f][0-9a-f]*")
_SIMPLE_FLOW = re.compile(r"\[(?:[^\W\d_][\w-]*(?:, [^\W\d_][\w-]*)*)?\]")


def _plain_is_text(text: str) -> bool:
    """Can ``text``, which starts with a letter, stand as a plain value that YAML reads as itself?"""
    return not ("\n" in text or " #" in text or ": " in text or text[-1] in ": ")

_DOUBLE_BODY = re.compile(r'(?:[^"\\]|\\.)*+\\?')


def _plain(text: str) -> str:
    if not text or " #" in text or ": " in text or text[-1] in ": ":
        raise LeftToYaml
    if text[0] in PLAIN_START_FORBIDDEN and not (text[0] in "-?:" and text[1:2] not in ("", " ")):
        raise LeftToYaml
    return text


def _canonical_value(value: str) -> object:
    """One value of a canonical entry as YAML reads it; LeftToYaml for the forms left to :meth:`_Scanner.entry`."""
    head = value[:1]
    if "\n" not in value:
        if head == "'":
            inner = value[1:-1]
            if len(value) < 2 or value[-1] != "'" or "'" in inner.replace("''", ""):
                raise LeftToYaml
            return inner.replace("''", "'")
        if head == '"':
            match = DOUBLE_END.fullmatch(value, 1)
            if match is None:
                raise LeftToYaml
            return decode_double([match[1]])
        if head == "[":
            items, comment = flow_list(value)
            if comment:
                raise LeftToYaml
            return items
        return resolve_plain(_plain(value))
    first, *rest = value.split("\n")
    if head == "|":
        if first not in ("|", "|-"):
            raise LeftToYaml
        lines = []
        for line in rest:
            if line and not line.startswith("    "):
                raise LeftToYaml
            lines.append(line[4:])
        if not lines[0] or lines[0][0] == " " or not lines[-1]:
            raise LeftToYaml  # blank lines at either end, or a deeper indentation: the line reader knows
        body = "\n".join(lines)
        return body if first == "|-" else body + "\n"
    pieces = [first]
    for line in rest:
        if not line.startswith("    ") or line[4:5] in ("", " "):
            raise LeftToYaml
        pieces.append(line[4:])
    if head == "'":
        if not pieces[-1].endswith("'") or any(p.endswith(" ") for p in pieces[:-1]):
            raise LeftToYaml
        pieces[0], pieces[-1] = pieces[0][1:], pieces[-1][:-1]
        if any("'" in p.replace("''", "") for p in pieces):
            raise LeftToYaml
        return " ".join(pieces).replace("''", "'")
    if head == '"':
        pieces[0] = pieces[0][1:]
        last = DOUBLE_END.fullmatch(pieces[-1])
        if last is None or not all(_DOUBLE_BODY.fullmatch(p) for p in pieces[:-1]):
            raise LeftToYaml
        pieces[-1] = last[1]
        return decode_double(pieces)
    for piece in pieces:
        _plain(piece)
    return resolve_plain(" ".join(pieces))


def scan(raw: str) -> Scanned | None:
    """The file's values and layout, or None if it holds YAML this reader leaves to the loader."""
    if _LEAVE_TO_YAML.search(raw):
        return None
    try:
        return _Scanner(raw).run()
    except LeftToYaml:
        return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class _Scanner:
    """Reads the file a line at a time; every method raises LeftToYaml at anything it does not know."""

    def __init__(self, raw: str) -> None:
        # A file without a final newline (some editors) reads as if it had one, except where that
        # would change a value: a literal block running to the end of the file.
        self.missing_newline = bool(raw) and not raw.endswith("\n")
        self.raw = raw + "\n" if self.missing_newline else raw
        self.lines = self.raw.split("\n")
        self.lines.pop()  # what follows the last newline is no line
        # Offsets of the lines that start or end something, found on the way forward: summing
        # every line's length would cost as much as reading the canonical entries.
        self.offsets = {0: 0}
        self.cursor = (0, 0)

    def offset(self, index: int) -> int:
        """Where line ``index`` starts in the text (the text's length past the last line)."""
        known = self.offsets.get(index)
        if known is not None:
            return known
        line, position = self.cursor if index > self.cursor[0] else (0, 0)
        for text in self.lines[line:index]:
            position += len(text) + 1
        self.know(index, min(position, len(self.raw)))
        return self.offsets[index]

    def know(self, index: int, position: int) -> None:
        self.offsets[index] = position
        if index > self.cursor[0]:
            self.cursor = (index, position)

    def run(self) -> Scanned:
        lines = self.lines
        top: dict = {}
        key_index = None
        found: list[tuple[int, int, ScannedEntry, tuple[str, ...]]] = []  # (first line, end line, entry, comments)
        indent = 0
        index = 0
        while (index := self.past_blank_and_comment_lines(index)) < len(lines):
            line = lines[index]
            match = _TOP_KEY.match(line)
            if match is None or match[1] in top:
                raise LeftToYaml
            key, rest = match[1], (match[2] or "").strip(" ")
            index += 1
            if key != "bookmarks":
                top[key] = self.single_line_value(rest)[0]
                if self.followed_by_more_indented(index, 0):
                    raise LeftToYaml
                continue
            key_index = index - 1
            if re.fullmatch(r"\[ *\] *(?:#.*)?", rest):
                top[key] = []
                if self.followed_by_more_indented(index, 0):
                    raise LeftToYaml
                continue
            if rest and rest[0] != "#":
                raise LeftToYaml
            top[key] = None
            index, indent = self.entries(index, found)
        if key_index is None:
            raise LeftToYaml
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

    def past_blank_and_comment_lines(self, index: int) -> int:
        """``index``, or the first line after it that holds more than spaces or a comment."""
        lines = self.lines
        while index < len(lines):
            stripped = lines[index].lstrip(" ")
            if stripped and stripped[0] != "#":
                break
            index += 1
        return index

    # -- the list and its entries -----------------------------------------------------------------

    def entries(self, index: int, found: list) -> tuple[int, int]:
        """Entries from line ``index`` on; (the first line after them, the column of their dashes)."""
        lines = self.lines
        indent = None
        while (index := self.past_blank_and_comment_lines(index)) < len(lines):
            line = lines[index]
            stripped = line.lstrip(" ")
            column = len(line) - len(stripped)
            if not stripped.startswith("- "):
                if column == 0:
                    break  # the next top-level key
                raise LeftToYaml
            if indent is None:
                indent = column
            elif column != indent:
                raise LeftToYaml
            first = index
            quick = self.canonical_entry(index) if indent == 0 else None
            if quick is not None:
                entry, index = quick
                found.append((first, index, entry, ()))
                continue
            self.offset(first)
            entry, index, inner = self.entry(index, indent)
            self.offset(index)
            found.append((first, index, entry, inner))
        return index, indent or 0

    def canonical_entry(self, index: int) -> tuple[ScannedEntry, int] | None:
        """The entry on line ``index`` if it is exactly as kliping writes it (one regular
        expression reads all of it: a hundred thousand entries take a second, not five); None
        for anything else, which :meth:`entry` reads a line at a time."""
        match = _CANONICAL_ENTRY.match(self.raw, self.offset(index))
        if match is None:
            return None
        values: dict = {"start": int(match["start"]), "end": int(match["end"])}
        try:
            for key in _DECODED_KEYS:
                value = match[key]
                # Most values are plain text starting with a letter, wrapped onto lines indented by
                # four spaces: that needs no decoding beyond joining the lines with spaces.
                head = value[:1]
                if head.isalpha():
                    if "\n" in value and not ("\n     " in value or " \n" in value or ":\n" in value):
                        value = value.replace("\n    ", " ")
                    if value not in _NOT_TEXT_WORDS and _plain_is_text(value):
                        values[key] = value
                        continue
                elif head.isdigit() and _HEX_WORD.fullmatch(value):  # ids and hashes
                    values[key] = value
                    continue
                elif head == "[" and _SIMPLE_FLOW.fullmatch(value):
                    items = value[1:-1].split(", ") if value != "[]" else []
                    if not _NOT_TEXT_WORDS.intersection(items):
                        values[key] = items
                        continue
                elif value == "''":
                    values[key] = ""
                    continue
                values[key] = _canonical_value(match[key])
        except LeftToYaml:
            return None
        values["created"], values["updated"] = match["created"], match["updated"]
        end = index + match.group().count("\n")
        self.know(end, match.end())
        return ScannedEntry(values, index + 1, match=match), end

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
            raise LeftToYaml
        end = index
        while True:
            match = _KEY.match(body)
            if match is None:
                raise LeftToYaml
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
                raise LeftToYaml
            body = lines[index][key_column:]
        return entry, end, tuple(text for line, text in comments if line < end)

    # -- values -----------------------------------------------------------------------------------

    def value(self, text: str, index: int, key_column: int) -> tuple[object, int, str | None]:
        """The value starting with ``text`` on line ``index``: (value, the line after it, comment)."""
        head = text[:1]
        if head == '"':
            return self.quoted(text[1:], index, key_column, DOUBLE_END, decode_double)
        if head == "'":
            return self.quoted(text[1:], index, key_column, SINGLE_END, decode_single)
        if head == "|":
            return self.literal(text, index, key_column)
        if head == "[":
            items, comment = flow_list(text)
            if self.followed_by_more_indented(index + 1, key_column):
                raise LeftToYaml
            return items, index + 1, comment
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
                raise LeftToYaml
            continuation.append(stripped)
            index += 1
        if continuation:
            value = resolve_plain(" ".join([text.rstrip(" "), *continuation]))
        if self.followed_by_more_indented(index, key_column):
            raise LeftToYaml
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
        if text and text[0] in PLAIN_START_FORBIDDEN and not (text[0] in "-?:" and text[1:2] not in ("", " ")):
            raise LeftToYaml
        if ": " in text or text.endswith(":"):
            raise LeftToYaml
        return resolve_plain(text), comment

    def quoted(self, text: str, index: int, key_column: int, end_pattern: re.Pattern, decode) -> tuple[object, int, str | None]:
        pieces = []
        while True:
            match = end_pattern.match(text)
            if match is not None:
                pieces.append(match[1])
                after = AFTER_VALUE.match(text, match.end())
                if after is None:
                    raise LeftToYaml
                index += 1
                if self.followed_by_more_indented(index, key_column):
                    raise LeftToYaml
                return decode(pieces), index, after[1]
            pieces.append(text)
            index += 1
            if index >= len(self.lines):
                raise LeftToYaml
            text = self.lines[index]
            if not text.strip(" ") or _indent(text) <= key_column:
                raise LeftToYaml  # blank lines fold to line breaks, and a dedent is the loader's to judge

    def literal(self, text: str, index: int, key_column: int) -> tuple[object, int, str | None]:
        header = _BLOCK_HEADER.match(text)
        if header is None:
            raise LeftToYaml
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
                raise LeftToYaml
            indent = _indent(lines[probe])
            if indent <= key_column or longest_blank > indent:
                raise LeftToYaml
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
            raise LeftToYaml
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
                raise LeftToYaml
            value, item_comment = self.single_line_value(stripped[2:])
            if item_comment is not None:
                raise LeftToYaml
            items.append(value)
            index += 1
        if self.followed_by_more_indented(index, key_column):
            raise LeftToYaml
        return (None if item_column is None else items), index, comment


def line_in_yaml(raw: str, number: int, key: str | None) -> int | None:
    """The line of ``key`` in the ``number``-th entry, from YAML's node tree (for a file the YAML
    loader read already, so this only runs to describe a mistake in it)."""
    try:
        root = yaml.compose(raw, Loader=FastSafeLoader)
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


def entry_place(raw: str, path: Path, number: int, key: str | None, scanned: ScannedEntry | None) -> str:
    """``file, line N, key 'k' (bookmark K)`` for a mistake in the ``number``-th entry: the key's
    line where it is known, else the entry's (``scanned``: the entry as :func:`scan` read it)."""
    key_line: int | None = None
    line: int | None
    if scanned is not None:
        key_line = scanned.line_of(key) if key else None
        line = key_line or scanned.line
    else:
        line = key_line = line_in_yaml(raw, number, key)
    where = f"{path}, line {line}" if line else str(path)
    if key and key_line:
        where += f", key {key!r}"
    return f"{where} (bookmark {number})"
