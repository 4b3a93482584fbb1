"""Finding a bookmarked passage again after the article's text has changed.

A bookmark remembers its quote, 32 characters of context either side (prefix and suffix), its
character offsets and a hash of the text it was made on. Against the current text it is, in order:

``anchored``
    the text at the stored offsets is still exactly the quote;
``moved``
    the exact quote is elsewhere (the occurrence nearest the old offset wins when there are several);
``fuzzy``
    a passage close to the quote is found: its similarity to the quote (difflib ratio, 0..1) is at
    least :data:`FUZZY_QUOTE_MIN` (0.75), or at least :data:`FUZZY_QUOTE_WITH_CONTEXT_MIN` (0.6)
    when the 32 characters around it still match the stored prefix and suffix with similarity
    :data:`FUZZY_CONTEXT_MIN` (0.9) or more: a reworded sentence in an unchanged paragraph;
``orphaned``
    none of these. The bookmark is kept with its stored quote; :func:`best_candidates` offers places
    to re-attach it and :func:`reattach` moves it there.

Approximate search: the words of the quote vote for alignments ("this quote word sits at this text
word, so the quote would start here"); the few best-supported alignments are refined by trying the
word boundaries around them and scored with :class:`difflib.SequenceMatcher`. That costs a few
milliseconds per bookmark on a long article and only runs when the exact steps fail.

Nothing here imports the bookmark store; it works on anything with the bookmark's fields.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Protocol

CONTEXT_CHARS = 32
FUZZY_QUOTE_MIN = 0.75
FUZZY_QUOTE_WITH_CONTEXT_MIN = 0.6
FUZZY_CONTEXT_MIN = 0.9
_ALIGNMENTS_TRIED = 5
_BOUNDARY_SLACK = 3  # words tried either side of an alignment's start and end

ANCHORED, MOVED, FUZZY, ORPHANED = "anchored", "moved", "fuzzy", "orphaned"
_WORD = re.compile(r"\S+")
_WORD_KEY = re.compile(r"\w+")


class Anchorable(Protocol):
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a bookmark is in the current text. ``start``/``end`` are ``None`` when orphaned."""

    status: str
    start: int | None
    end: int | None
    score: float

    @property
    def found(self) -> bool:
        return self.status != ORPHANED


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a bookmark could be re-attached to, with its similarity (0..1, higher is closer)."""

    start: int
    end: int
    score: float
    quote_score: float
    context_score: float


def text_hash(text: str) -> str:
    """A short hash of an article's text, stored with a bookmark to tell if the text changed."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def capture(text: str, start: int, end: int) -> dict:
    """The anchoring fields of a passage ``text[start:end]``: quote, prefix, suffix, offsets, hash."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"passage {start}..{end} is outside the text (length {len(text)})")
    if not text[start:end].strip():
        raise ValueError("a passage must contain some text")
    try:
        text[max(0, start - CONTEXT_CHARS) : end + CONTEXT_CHARS].encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("the passage contains characters that cannot be saved (broken Unicode)") from None
    return {
        "quote": text[start:end],
        "prefix": text[max(0, start - CONTEXT_CHARS) : start],
        "suffix": text[end : end + CONTEXT_CHARS],
        "start": start,
        "end": end,
        "text_hash": text_hash(text),
    }


def anchor(bookmark: Anchorable, text: str) -> Anchor:
    """Locate ``bookmark`` in ``text`` (see the module docstring for the order of attempts)."""
    quote = bookmark.quote
    if text[bookmark.start : bookmark.end] == quote:
        return Anchor(ANCHORED, bookmark.start, bookmark.end, 1.0)
    exact = _occurrences(text, quote)
    if exact:
        start = min(exact, key=lambda pos: (abs(pos - bookmark.start), pos))
        return Anchor(MOVED, start, start + len(quote), 1.0)
    for candidate in _approximate(bookmark, text):  # best first
        if _acceptable(candidate):
            return Anchor(FUZZY, candidate.start, candidate.end, candidate.score)
    return Anchor(ORPHANED, None, None, 0.0)


def best_candidates(bookmark: Anchorable, text: str, n: int = 3) -> list[Candidate]:
    """Up to ``n`` non-overlapping places in ``text`` most like the bookmark, best first.

    Exact occurrences of the quote come first (nearest the old offset first); the rest are the
    approximate matches, whether or not they are close enough to anchor on their own.
    """
    chosen: list[Candidate] = []
    exact = sorted(_occurrences(text, bookmark.quote), key=lambda pos: (abs(pos - bookmark.start), pos))
    pool = [_score(bookmark, text, pos, pos + len(bookmark.quote)) for pos in exact]
    pool += _approximate(bookmark, text)
    for candidate in pool:
        if len(chosen) >= n:
            break
        if all(candidate.end <= c.start or candidate.start >= c.end for c in chosen):
            chosen.append(candidate)
    return chosen


def reattach(bookmark, text: str, span: tuple[int, int]):
    """A copy of ``bookmark`` anchored to ``text[span[0]:span[1]]`` (new quote, context, offsets, hash).

    The note, tags, id and creation time stay; ``updated`` is left for the store to set.
    """
    start, end = span
    return dataclasses.replace(bookmark, **capture(text, start, end))


def _occurrences(text: str, quote: str) -> list[int]:
    found: list[int] = []
    pos = text.find(quote)
    while pos != -1:
        found.append(pos)
        pos = text.find(quote, pos + 1)
    return found


def _acceptable(candidate: Candidate) -> bool:
    if candidate.quote_score >= FUZZY_QUOTE_MIN:
        return True
    return candidate.quote_score >= FUZZY_QUOTE_WITH_CONTEXT_MIN and candidate.context_score >= FUZZY_CONTEXT_MIN


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _score(bookmark: Anchorable, text: str, start: int, end: int) -> Candidate:
    quote_score = _similarity(bookmark.quote, text[start:end])
    # The stored context is shorter than 32 characters at the ends of the text: compare like with like.
    prefix = text[max(0, start - len(bookmark.prefix)) : start]
    suffix = text[end : end + len(bookmark.suffix)]
    prefix_score = _similarity(bookmark.prefix, prefix)
    suffix_score = _similarity(bookmark.suffix, suffix)
    context_score = (prefix_score + suffix_score) / 2
    weight_quote = max(len(bookmark.quote), 1)
    weight_context = len(bookmark.prefix) + len(bookmark.suffix)
    score = (quote_score * weight_quote + context_score * weight_context) / (weight_quote + weight_context)
    return Candidate(start, end, round(score, 4), round(quote_score, 4), round(context_score, 4))


def _word_key(token: str) -> str:
    return "".join(_WORD_KEY.findall(token.lower()))


def _approximate(bookmark: Anchorable, text: str) -> list[Candidate]:
    """Approximate matches of the quote in ``text``, best (highest combined score) first."""
    quote_words = [_word_key(m.group()) for m in _WORD.finditer(bookmark.quote)]
    text_words = list(_WORD.finditer(text))
    if not quote_words or not text_words:
        return []
    positions: dict[str, list[int]] = {}
    for index, match in enumerate(text_words):
        positions.setdefault(_word_key(match.group()), []).append(index)
    votes: Counter[int] = Counter()
    for q_index, key in enumerate(quote_words):
        if key:
            for t_index in positions.get(key, ()):
                votes[t_index - q_index] += 1
    if not votes:
        return []
    # Insertions and deletions shift the alignment by a word or two: pool nearby votes.
    pooled = {
        shift: sum(votes.get(shift + d, 0) for d in range(-_BOUNDARY_SLACK, _BOUNDARY_SLACK + 1))
        for shift in votes
    }
    length = len(quote_words)
    shifts: list[int] = []
    for shift in sorted(pooled, key=lambda s: (-pooled[s], abs(s))):
        if all(abs(shift - taken) > length // 2 for taken in shifts):
            shifts.append(shift)
        if len(shifts) >= _ALIGNMENTS_TRIED:
            break
    candidates = [_refine(bookmark, text, text_words, shift, length) for shift in shifts]
    candidates.sort(key=lambda c: (-c.score, abs(c.start - bookmark.start)))
    return candidates


def _refine(bookmark: Anchorable, text: str, words: list[re.Match[str]], shift: int, length: int) -> Candidate:
    """The best window near one alignment: its boundaries are tried a few words either way and
    judged by quote and context together, so unchanged surroundings pin down an edited passage."""
    last = len(words) - 1
    best: Candidate | None = None
    first_choices = {min(max(shift + d, 0), last) for d in range(-_BOUNDARY_SLACK, _BOUNDARY_SLACK + 1)}
    for first in sorted(first_choices):
        last_choices = {
            min(max(first + length - 1 + d, first), last) for d in range(-_BOUNDARY_SLACK, _BOUNDARY_SLACK + 1)
        }
        for final in sorted(last_choices):
            candidate = _score(bookmark, text, words[first].start(), words[final].end())
            if best is None or candidate.score > best.score:
                best = candidate
    assert best is not None  # first_choices is never empty
    return best
