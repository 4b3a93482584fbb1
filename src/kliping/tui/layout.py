"""Wrapping an article's text into screen lines that remember where they came from.

Every body line knows the range of ``Article.text`` it shows, so search hits, bookmarks and the
reading position (all offsets into ``Article.text``) map to lines and columns without re-searching.
Text is made inert here: control sequences are removed for display while the offsets still point
into the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate, compress, count, repeat
from operator import add, gt, not_
from typing import NamedTuple

from rich.cells import get_character_cell_size

from kliping.files import sanitize
from kliping.files.sanitize import strip_controls


class BodyLine(NamedTuple):
    """One screen line of the body.

    ``text`` is what is shown; ``start``/``end`` is the range of ``Article.text`` it covers.
    ``offsets`` is ``None`` when ``text`` is exactly ``Article.text[start:end]`` (the usual case);
    when control characters were removed it gives, for each shown character, its offset in
    ``Article.text``. A named tuple: a 2 MB article has 400k of them, made in one go, and a
    tuple is made in a third of the time of a frozen dataclass.
    """

    text: str
    start: int
    end: int
    offsets: tuple[int, ...] | None = None

    def columns(self, span_start: int, span_end: int) -> tuple[int, int] | None:
        """The character columns of ``text`` that show the text range ``[span_start, span_end)``."""
        if span_end <= self.start or span_start >= self.end or not self.text:
            return None
        if self.offsets is None:
            first = max(span_start, self.start) - self.start
            last = min(span_end, self.end) - self.start
        else:
            first = bisect_left(self.offsets, span_start)
            last = bisect_left(self.offsets, span_end)
        first, last = max(0, first), min(len(self.text), last)
        return (first, last) if first < last else None

    def offset_at(self, column: int) -> int:
        """The offset in ``Article.text`` shown at character ``column`` (clamped to the line; past
        its last character, the line's end)."""
        column = max(0, min(column, len(self.text)))
        if self.offsets is None:
            return self.start + column
        return self.offsets[column] if column < len(self.offsets) else self.end


def inert(text: str) -> tuple[str, tuple[int, ...] | None]:
    """``text`` without control sequences, tabs shown as spaces, and (only when something was
    removed) the offset in ``text`` of each character kept."""
    if sanitize._CONTROL.search(text) is None:  # nothing strip_controls would remove (every
        return text.replace("\t", " "), None  # escape sequence starts with a control): skip it
    clean = strip_controls(text)
    kept = _kept_positions(text)
    if "".join(text[i] for i in kept) != clean:
        kept = _aligned_positions(text, clean)
    return clean.replace("\t", " "), tuple(kept)


def _kept_positions(text: str) -> list[int]:
    """The positions strip_controls keeps, found with its own two passes (sequences, then
    single controls) so that a sequence's parameters are never mistaken for text. (Its patterns
    are private to kliping.files.sanitize; the caller checks the result against strip_controls.)"""
    removed = bytearray(len(text))
    for match in sanitize._ESCAPE_SEQUENCE.finditer(text):
        removed[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    survivors = [i for i in range(len(text)) if not removed[i]]
    between = "".join(text[i] for i in survivors)
    dropped = {match.start() for match in sanitize._CONTROL.finditer(between)}
    return [i for j, i in enumerate(survivors) if j not in dropped]


def _aligned_positions(text: str, clean: str) -> list[int]:
    # Only used if the two passes above ever disagree with strip_controls: strip_controls only
    # deletes, so `clean` is a subsequence of `text` and a greedy alignment always exists.
    positions: list[int] = []
    j, n = 0, len(clean)
    for i, char in enumerate(text):
        if j < n and char == clean[j]:
            positions.append(i)
            j += 1
    return positions


def wrap_ranges(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of one paragraph into ``[start, end)`` ranges of at most ``width`` cells.

    Lines break at spaces (which are not shown at line ends) or, for a word longer than the line,
    inside the word; a newline forces a break.
    """
    width = max(1, width)
    n = len(text)
    sizes: dict[str, int] = {}
    odd: list[int] = []  # where the characters are that are not one cell wide
    if not text.isascii():
        # Sizes per distinct character: a paragraph has few, and most are one cell wide.
        sizes = {char: get_character_cell_size(char) for char in set(text)}
        if odd_chars := [char for char, size in sizes.items() if size != 1]:
            odd = [match.start() for match in re.finditer("[" + "".join(map(re.escape, odd_chars)) + "]", text)]
    ranges: list[tuple[int, int]] = []
    pos = 0
    while pos < n:
        while pos < n and text[pos] == " ":
            pos += 1
        if pos >= n:
            break
        limit = pos + width
        if odd and (at := bisect_left(odd, pos)) < len(odd) and odd[at] <= limit:
            limit = _cells_limit(text, pos, width, sizes)
        newline = text.find("\n", pos, min(limit, n) + 1)
        if newline != -1:
            ranges.append((pos, _rstrip(text, pos, newline)))
            pos = newline + 1
            continue
        if limit >= n:
            ranges.append((pos, _rstrip(text, pos, n)))
            break
        if text[limit] == " ":
            end = limit
        else:
            space = text.rfind(" ", pos, limit)
            end = space if space > pos else limit
        ranges.append((pos, _rstrip(text, pos, end)))
        pos = end
    return ranges


def _cells_limit(text: str, pos: int, width: int, sizes: dict[str, int]) -> int:
    """Where a line from ``pos`` of at most ``width`` cells ends: before the first character
    that would take it over (a line has at least one character)."""
    cells = 0
    for index in range(pos, len(text)):
        cells += sizes[text[index]]
        if cells > width:
            return max(pos + 1, index)
    return len(text)


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] == " ":
        end -= 1
    return end


class _Wrapped(NamedTuple):
    """A paragraph that wraps (or is other than one line as it is): its lines' ranges of
    ``shown``, where each line starts in ``Article.text``, and the lines themselves when control
    characters were removed (else they are made from the ranges when asked for)."""

    shown: str
    ranges: list[tuple[int, int]]
    starts: list[int]
    lines: list[BodyLine] | None


def _wrap_paragraph(paragraph: str, offset: int, width: int) -> _Wrapped:
    shown, kept = inert(paragraph)
    ranges = wrap_ranges(shown, width)
    if kept is None:
        return _Wrapped(shown, ranges, [offset + start for start, _ in ranges], None)
    lines: list[BodyLine] = []
    for start, end in ranges:
        line_offsets = tuple(offset + k for k in kept[start:end])
        if line_offsets:
            lines.append(BodyLine(shown[start:end], line_offsets[0], line_offsets[-1] + 1, line_offsets))
        else:  # an empty line from a newline inside the paragraph
            at = offset + (kept[start] if start < len(kept) else len(paragraph))
            lines.append(BodyLine("", at, at))
    return _Wrapped(shown, ranges, [line.start for line in lines], lines)


class BodyLines(Sequence[BodyLine]):
    """The body as screen lines, paragraphs separated by one blank line, as in ``Article.text``.

    Lines are made as they are asked for (when drawn). Only the paragraphs that can wrap
    (longer than the line, or holding newlines, tabs, control or wide characters) are wrapped
    at once, into ranges; every other one is one line. 200k one-word paragraphs are then counted
    in a few passes over their lengths, not made into 400k line objects (most of the time it
    took to open them).
    """

    def __init__(self, paragraphs: tuple[str, ...], width: int) -> None:
        self._paragraphs = paragraphs
        lengths = list(map(len, paragraphs))
        # Where each paragraph starts in Article.text ("\n\n" between them).
        self._offsets = list(accumulate(map(add, lengths, repeat(2)), initial=0))
        self._wrapped = {
            number: _wrap_paragraph(paragraphs[number], self._offsets[number], width)
            for number in self._wrapping(paragraphs, lengths, self._offsets, width)
        }
        counts = [1] * len(paragraphs)
        for number, wrapped in self._wrapped.items():
            counts[number] = len(wrapped.ranges)
        # The index of each paragraph's first line; a blank line comes before each but the first.
        self._first_lines = list(accumulate(map(add, counts, repeat(1)), initial=0))
        self._length = self._first_lines[-1] - 1 if paragraphs else 0

    @staticmethod
    def _wrapping(paragraphs: tuple[str, ...], lengths: list[int], paragraph_offsets: list[int], width: int) -> list[int]:
        """The paragraphs that are not exactly one line shown as it is."""
        # Longer than the line; blank (str.strip takes more than spaces: a paragraph it empties
        # is only wrapped when it need not be).
        numbers = set(compress(count(), map(gt, lengths, repeat(width))))
        numbers.update(compress(count(), map(not_, map(str.strip, paragraphs))))
        # The paragraphs holding a character that makes a short one other than one line as it
        # is, found in one pass over the whole text: most articles have none of them.
        text = "\n\n".join(paragraphs)
        special = set(sanitize._CONTROL.findall(text))
        if not text.isascii():
            special.update(char for char in set(text) if char != "\n" and get_character_cell_size(char) != 1)
        if "\t" in text:
            special.add("\t")
        if special:
            ends = [offset - 2 for offset in paragraph_offsets[1:]]
            found = re.compile("[" + "".join(map(re.escape, sorted(special))) + "]")
            numbers.update(bisect_left(ends, match.start()) for match in found.finditer(text))
        if text.count("\n") != 2 * (len(paragraphs) - 1):  # newlines inside paragraphs
            numbers.update(number for number, paragraph in enumerate(paragraphs) if "\n" in paragraph)
        return sorted(numbers)

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: int) -> BodyLine:  # type: ignore[override]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        number = bisect_right(self._first_lines, index) - 1
        within = index - self._first_lines[number]
        offset = self._offsets[number]
        wrapped = self._wrapped.get(number)
        if wrapped is None:
            if within == 0:
                paragraph = self._paragraphs[number]
                start, end = len(paragraph) - len(paragraph.lstrip(" ")), len(paragraph.rstrip(" "))
                return BodyLine(paragraph[start:end], offset + start, offset + end)
        elif within < len(wrapped.ranges):
            if wrapped.lines is not None:
                return wrapped.lines[within]
            start, end = wrapped.ranges[within]
            return BodyLine(wrapped.shown[start:end], offset + start, offset + end)
        at = self._offsets[number + 1] - 2  # the blank line after this paragraph
        return BodyLine("", at, at)

    def line_of_offset(self, offset: int) -> int:
        """Index of the line showing ``offset`` (or the nearest line before it): the last line
        that starts at or before it, counted over all lines."""
        if not self._paragraphs:
            return 0
        number = max(0, bisect_right(self._offsets, offset, hi=len(self._paragraphs)) - 1)
        # Only this paragraph's lines and the blank lines either side of it can be the one.
        if number + 1 < len(self._paragraphs) and self._offsets[number + 1] - 2 <= offset:
            return self._first_lines[number + 1] - 1  # the blank line after it
        wrapped = self._wrapped.get(number)
        if wrapped is None:
            paragraph = self._paragraphs[number]
            starts = [self._offsets[number] + len(paragraph) - len(paragraph.lstrip(" "))]
        else:
            starts = wrapped.starts
        on_lines = bisect_right(starts, offset)
        if on_lines:
            return self._first_lines[number] + on_lines - 1
        return max(0, self._first_lines[number] - 1)  # the blank line before it (or the first line)


def wrap_body(paragraphs: tuple[str, ...], width: int) -> BodyLines:
    """The body as screen lines (see :class:`BodyLines`)."""
    return BodyLines(paragraphs, width)


def wrap_plain(text: str, width: int) -> list[str]:
    """Wrap one line of already-inert text (a title, a metadata line)."""
    return [text[start:end] for start, end in wrap_ranges(text, width)] or [""]
