"""kliping.tui.layout as it was at commit 7961365, before the lazy body and the bulk sentence
pass: the oracle that the tests of the current module are held to. Not imported by kliping;
never edit it to make a test pass.

Its own docstring follows.

Wrapping an article's text into screen lines that remember where they came from.

Every body line knows the range of ``Article.text`` it shows, so search hits, bookmarks and the
reading position (all offsets into ``Article.text``) map to lines and columns without re-searching.
Text is made inert here: control sequences are removed for display while the offsets still point
into the original text.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate
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
    cumulative: list[int] | None = None
    if not text.isascii():
        # Sizes per distinct character: a paragraph has few, and most are one cell wide.
        sizes = {char: get_character_cell_size(char) for char in set(text)}
        if any(size != 1 for size in sizes.values()):
            cumulative = list(accumulate(map(sizes.__getitem__, text)))
    ranges: list[tuple[int, int]] = []
    pos = 0
    while pos < n:
        while pos < n and text[pos] == " ":
            pos += 1
        if pos >= n:
            break
        if cumulative is None:
            limit = pos + width
        else:
            base = cumulative[pos - 1] if pos else 0
            limit = max(pos + 1, bisect_right(cumulative, base + width))
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


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] == " ":
        end -= 1
    return end


def wrap_body(paragraphs: tuple[str, ...], width: int) -> list[BodyLine]:
    """The body as screen lines, paragraphs separated by one blank line, as in ``Article.text``."""
    lines: list[BodyLine] = []
    offset = 0
    control = sanitize._CONTROL
    for number, paragraph in enumerate(paragraphs):
        if number:
            lines.append(BodyLine("", offset, offset))
            offset += 2  # the "\n\n" that joins paragraphs in Article.text
        size = len(paragraph)
        if size <= width and paragraph.isascii() and "\n" not in paragraph and "\t" not in paragraph:
            if control.search(paragraph) is None:
                # The usual short paragraph (a heading, a one-word line): one line, shown as it is.
                # Inline, because a call per paragraph was most of the time for 200k of them.
                start, end = size - len(paragraph.lstrip(" ")), len(paragraph.rstrip(" "))
                if start < end:
                    lines.append(BodyLine(paragraph[start:end], offset + start, offset + end))
                offset += size
                continue
        shown, kept = inert(paragraph)
        for start, end in wrap_ranges(shown, width):
            if kept is None:
                lines.append(BodyLine(shown[start:end], offset + start, offset + end))
            else:
                line_offsets = tuple(offset + k for k in kept[start:end])
                if line_offsets:
                    lines.append(BodyLine(shown[start:end], line_offsets[0], line_offsets[-1] + 1, line_offsets))
                else:  # an empty line from a newline inside the paragraph
                    at = offset + (kept[start] if start < len(kept) else len(paragraph))
                    lines.append(BodyLine("", at, at))
        offset += len(paragraph)
    return lines


def wrap_plain(text: str, width: int) -> list[str]:
    """Wrap one line of already-inert text (a title, a metadata line)."""
    return [text[start:end] for start, end in wrap_ranges(text, width)] or [""]


def line_for_offset(starts: list[int], offset: int) -> int:
    """Index of the body line showing ``offset`` (or the nearest line before it), given the
    ``start`` of every body line."""
    return max(0, bisect_right(starts, offset) - 1)
