"""kliping.articles.sentences as it was at commit 7961365, before the lazy body and the bulk sentence
pass: the oracle that the tests of the current module are held to. Not imported by kliping;
never edit it to make a test pass.

Its own docstring follows.

Sentence and paragraph spans over an article's clean text, for the passage cursor and bookmarks.

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
_LINE = re.compile(r"[^\n]+")
# A terminator run, the closing quotes/brackets/emphasis that belong with it, then whitespace.
# It starts only where a run of marks starts: trying every mark of a long run ("....x") would
# rescan the rest of the run each time.
_SENTENCE_END = re.compile(r"(?<![.!?\u2026])(?:[.!?\u2026]+)[\"'\u201d\u2019\u00bb)\]*_]*(?=\s|\Z)")
_TERMINATOR = re.compile(r"[.!?\u2026]")
_WORD_BEFORE = re.compile(r"(\w+)$")
# The word before a full stop is looked for this far back: any longer word is neither an
# initial nor an abbreviation, and searching from the line's start made a long line quadratic.
_WORD_WINDOW = 32
# What may start the next sentence: anything but a lower-case letter (and not more punctuation
# that continues the current one, like the comma in "dll., ...").
_CONTINUES = re.compile(r"\s+[a-z,;:]")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """The paragraphs of ``text`` (runs of text between blank lines), whitespace trimmed."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` in order; they never cross a line or paragraph break."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        line_text = line.group()
        if _TERMINATOR.search(line_text) is None:  # most short lines: the line is the sentence
            stripped = line_text.strip()
            if stripped:
                start = line.start() + len(line_text) - len(line_text.lstrip())
                spans.append((start, start + len(stripped)))
            continue
        spans.extend(_line_sentences(text, line.start(), line.end()))
    return spans


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
    if _CONTINUES.match(line, match.end()):
        return False
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


def span_index_at(spans: list[tuple[int, int]], offset: int) -> int:
    """Index of the span containing ``offset``, else of the first span after it (else the last).

    For moving a passage cursor to where the reader is looking; ``-1`` when there are no spans.
    """
    if not spans:
        return -1
    starts = [start for start, _ in spans]
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0 and offset < spans[index][1]:
        return index
    return min(index + 1, len(spans) - 1)
