"""Sentence and paragraph spans over an article's clean text, for the passage cursor and bookmarks.

Spans are ``(start, end)`` character offsets into :attr:`kliping.articles.model.Article.text` with
surrounding whitespace left out, so ``text[start:end]`` is exactly the passage a bookmark quotes.

Indonesian news prose puts full stops in places that do not end a sentence: currency and list
abbreviations (``Rp.``, ``dll.``, ``dsb.``), titles (``Dr.``, ``H.``, ``Prof.``), numbers with
thousands separators or decimals (``44.600``, ``3.5``) and initials (``M. Yusuf``). A full stop,
question mark or exclamation mark ends a sentence only when it is followed by whitespace and then
something that can start a sentence (not a lower-case letter), and a full stop after one of those
abbreviations or a single letter never does. Closing quotes and brackets after the mark belong to
the sentence that ends there. A paragraph (text between blank lines) and a line always end a
sentence: scraped articles often lose the final full stop of a heading or a caption.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate, compress, repeat
from operator import add

# Words that are written with a full stop and are (almost) never the last word of a sentence.
# Compared lower-case and without the full stop.
ABBREVIATIONS = frozenset(
    """
    rp dll dsb dst dkk tsb yth sdr sdri bpk no hlm tel telp
    dr drs dra prof ir hj kh st sh se mpd spd skom ssi
    jl jln kec kab kel prov
    tn ny nn mr mrs ms jr sr vs etc
    jend kol letkol mayjen brigjen letjen kapt lettu letda serka pol
    kompol akbp aiptu aipda bripka brigpol
    """.split()
)

_PARAGRAPH = re.compile(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*\Z)", re.DOTALL)
# A line without its spaces at either end. A line without terminators is one sentence; only
# the lines with one are looked at mark by mark. (Most lines of an article of short paragraphs
# have none: they are found in one pass, not looked at one by one.)
_STRIPPED_LINE = re.compile(r"\S(?:[^\n]*\S)?")
# What may start the next sentence: anything but a lower-case letter (and not more punctuation
# that continues the current one, like the comma in "dll., ...").
_CONTINUES = r"\s+[a-z,;:]"
# A terminator run, the closing quotes/brackets/emphasis that belong with it, then whitespace,
# unless what follows continues the sentence. It starts only where a run of marks starts:
# trying every mark of a long run ("....x") would rescan the rest of the run each time. (The
# mark comes first and the look-behind after it, so that the regex engine skips to the next
# mark instead of trying the look-behind at every character.)
_SENTENCE_END = re.compile(
    rf"[.!?\u2026](?<![.!?\u2026]{{2}})[.!?\u2026]*[\"'\u201d\u2019\u00bb)\]*_]*(?=\s|\Z)(?!{_CONTINUES})"
)
_TERMINATOR = re.compile(r"[.!?\u2026]")
_WORD_BEFORE = re.compile(r"(\w+)$")
# The word before a full stop is looked for this far back: any longer word is neither an
# initial nor an abbreviation, and searching from the line's start made a long line quadratic.
_WORD_WINDOW = 32


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """The paragraphs of ``text`` (runs of text between blank lines), whitespace trimmed."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` in order; they never cross a line or paragraph break."""
    lines = _stripped_lines(text)
    marks = [mark.start() for mark in _TERMINATOR.finditer(text)]
    if not marks:
        return lines  # each line is a sentence
    starts = [start for start, _ in lines]
    spans: list[tuple[int, int]] = []
    done = 0  # lines[:done] are in spans
    for number in sorted({bisect.bisect_right(starts, mark) - 1 for mark in marks}):
        spans += lines[done:number]
        start, end = lines[number]
        line_end = text.find("\n", end)
        spans += _line_sentences(text, text.rfind("\n", 0, start) + 1, len(text) if line_end == -1 else line_end)
        done = number + 1
    spans += lines[done:]
    return spans


def _stripped_lines(text: str) -> list[tuple[int, int]]:
    """The span of each line that is not blank, without its spaces at either end."""
    lines = text.split("\n")
    lengths = list(map(len, lines))
    if list(map(len, map(str.strip, lines))) != lengths:
        return [line.span() for line in _STRIPPED_LINE.finditer(text)]
    # Every line is stripped already, as in any article the cleaner made (its paragraphs, and
    # the blank lines between them): the spans are counted from the lengths, with no call or
    # match object per line.
    starts = list(accumulate(map(add, lengths, repeat(1)), initial=0))
    return list(compress(zip(starts, map(add, starts, lengths), strict=False), lengths))


def _line_sentences(text: str, line_start: int, line_end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    line = text[line_start:line_end]
    trimmed = len(line.rstrip())
    start = _skip_space(line, 0)
    for match in _SENTENCE_END.finditer(line):
        if match.start() < start or not _ends_sentence(line, match, trimmed):
            continue
        spans.append((line_start + start, line_start + match.end()))
        start = _skip_space(line, match.end())
    if start < trimmed:
        spans.append((line_start + start, line_start + trimmed))
    return spans


def _ends_sentence(line: str, match: re.Match[str], trimmed: int) -> bool:
    """Whether the marks of ``match`` end a sentence (``trimmed``: the line's length without
    trailing whitespace)."""
    if match.end() >= trimmed:
        return True
    mark = line[match.start()]
    if mark != "." or line.startswith("..", match.start()):
        return True
    word = _WORD_BEFORE.search(line, max(0, match.start() - _WORD_WINDOW), match.start())
    if word is None:
        return True
    token = word.group(1)
    if len(token) == 1 and token.isalpha():
        return False  # an initial: "M. Yusuf", "B. J. Habibie"
    return token.lower() not in ABBREVIATIONS


def _skip_space(line: str, index: int) -> int:
    while index < len(line) and line[index].isspace():
        index += 1
    return index


def span_index_at(spans: list[tuple[int, int]], offset: int, starts: list[int] | None = None) -> int:
    """Index of the span containing ``offset``, else of the first span after it (else the last).

    For moving a passage cursor to where the reader is looking; ``-1`` when there are no spans.
    ``starts``, the spans' starts, spares making them again for each call on the same spans.
    """
    if not spans:
        return -1
    if starts is None:
        starts = [start for start, _ in spans]
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0 and offset < spans[index][1]:
        return index
    return min(index + 1, len(spans) - 1)
