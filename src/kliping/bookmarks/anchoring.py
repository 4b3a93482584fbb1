"""Finding a bookmarked passage again after the article's text has changed.

A bookmark remembers its quote, 32 characters of context either side (prefix and suffix), its
character offsets and a hash of the text it was made on. Against the current text it is, in order:

``anchored``
    the text at the stored offsets is still exactly the quote;
``moved``
    the exact quote is elsewhere (the occurrence nearest the old offset wins when there are several);
``fuzzy``
    a passage close to the quote is found: its similarity to the quote (0..1, see below) is at
    least :data:`FUZZY_QUOTE_MIN` (0.75), or at least :data:`FUZZY_QUOTE_WITH_CONTEXT_MIN` (0.6)
    when the 32 characters around it still match the stored prefix and suffix with similarity
    :data:`FUZZY_CONTEXT_MIN` (0.9) or more: a reworded sentence in an unchanged paragraph;
``orphaned``
    none of these. The bookmark is kept with its stored quote; :func:`best_candidates` offers places
    to re-attach it and :func:`reattach` moves it there.

Similarity is difflib's ``SequenceMatcher`` ratio (``2 * M / T``, M the characters in its
matching blocks), the measure the thresholds were chosen for. It is pure Python and costs tens of
milliseconds on a 2,000-character quote, so the search ranks candidates by an upper bound of it,
``2 * LCS / T`` (rapidfuzz's bit-parallel Indel similarity; difflib's matching blocks are a common
subsequence, so M <= LCS), and difflib only confirms the few candidates that bound lets through:
one or two per bookmark instead of the few hundred windows the search tries.

Approximate search: the words of the quote vote for alignments ("this quote word sits at this text
word, so the quote would start here"); the few best-supported alignments are refined by trying the
word boundaries around them. The search first looks around the stored offsets and widens to the
whole text only when nothing close enough is there, so an edited passage near its old place wins
over a copy elsewhere (as the nearest exact occurrence does for ``moved``). Rare words vote first
and common ones only while the votes stay within a budget, so a text that repeats one word
thousands of times costs no more than any other.

Nothing here imports the bookmark store; it works on anything with the bookmark's fields.
"""

from __future__ import annotations

import dataclasses
import hashlib
import heapq
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Protocol

from rapidfuzz.distance import Indel

CONTEXT_CHARS = 32
FUZZY_QUOTE_MIN = 0.75
FUZZY_QUOTE_WITH_CONTEXT_MIN = 0.6
FUZZY_CONTEXT_MIN = 0.9
_ALIGNMENTS_TRIED = 5
_BOUNDARY_SLACK = 3  # words tried either side of an alignment's start and end
_NEARBY_CHARS = 2000  # looked through either side of the old place before the whole text is
_VOTE_BUDGET = 200_000  # (quote word, text word) pairs counted at most, rarest words first
_SHIFTS_POOLED = 64  # the best-voted alignments whose neighbours' votes are pooled

ANCHORED, MOVED, FUZZY, ORPHANED = "anchored", "moved", "fuzzy", "orphaned"
_WORD = re.compile(r"\S+")
_WORD_KEY = re.compile(r"\w+")
_SPACE = re.compile(r"\s")


class Anchorable(Protocol):
    """What anchoring reads of a bookmark (read-only: a bookmark is frozen)."""

    @property
    def quote(self) -> str: ...
    @property
    def prefix(self) -> str: ...
    @property
    def suffix(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


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
    for lo, hi in _search_regions(bookmark, text):
        for bound in _approximate(bookmark, text, lo, hi):  # best first
            if _acceptable(bound):  # else difflib's ratio, never above the bound, fails too
                candidate = _score(bookmark, text, bound.start, bound.end)
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
    confirmed = [_score(bookmark, text, c.start, c.end) for c in _approximate(bookmark, text, 0, len(text))]
    pool += sorted(confirmed, key=lambda c: (-c.score, abs(c.start - bookmark.start)))
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


def _similarity_bound(a: str, b: str) -> float:
    """Never below :func:`_similarity` (see the module docstring), and far cheaper."""
    return Indel.normalized_similarity(a, b)


def _score(bookmark: Anchorable, text: str, start: int, end: int, similarity=_similarity) -> Candidate:
    quote_score = similarity(bookmark.quote, text[start:end])
    # The stored context is shorter than 32 characters at the ends of the text: compare like with like.
    prefix = text[max(0, start - len(bookmark.prefix)) : start]
    suffix = text[end : end + len(bookmark.suffix)]
    prefix_score = similarity(bookmark.prefix, prefix)
    suffix_score = similarity(bookmark.suffix, suffix)
    context_score = (prefix_score + suffix_score) / 2
    weight_quote = max(len(bookmark.quote), 1)
    weight_context = len(bookmark.prefix) + len(bookmark.suffix)
    score = (quote_score * weight_quote + context_score * weight_context) / (weight_quote + weight_context)
    return Candidate(start, end, round(score, 4), round(quote_score, 4), round(context_score, 4))


def _word_key(token: str) -> str:
    return "".join(_WORD_KEY.findall(token.lower()))


def _search_regions(bookmark: Anchorable, text: str) -> list[tuple[int, int]]:
    """Where to look, in order: around the old offsets, then (if that is not all of it) the text."""
    lo = max(0, min(bookmark.start, len(text)) - _NEARBY_CHARS)
    hi = min(len(text), bookmark.end + _NEARBY_CHARS)
    if lo > 0 and not text[lo - 1].isspace():  # not from the middle of a word
        space = _SPACE.search(text, lo)
        lo = space.end() if space else len(text)
    if hi < len(text) and not text[hi].isspace():
        space = _SPACE.search(text, hi)
        hi = space.start() if space else len(text)
    if lo == 0 and hi == len(text):
        return [(0, len(text))]
    return [(lo, hi), (0, len(text))] if lo < hi else [(0, len(text))]


def _approximate(bookmark: Anchorable, text: str, lo: int, hi: int) -> list[Candidate]:
    """Approximate matches of the quote in ``text[lo:hi]``, scored by the similarity bound, best first."""
    quote_words = [_word_key(word) for word in _WORD.findall(bookmark.quote)]
    # str.split and the \S+ of _WORD split at the same (Unicode) whitespace, so the i-th token is
    # the i-th word match; the tokens are made in C, and only the quote's words are indexed.
    tokens = text[lo:hi].split()
    wanted = set(quote_words) - {""}
    keys = {token: key for token in set(tokens) if (key := _word_key(token)) in wanted}
    if not keys:
        return []
    by_key: dict[str, list[int]] = {}
    for index in [i for i, token in enumerate(tokens) if token in keys]:
        by_key.setdefault(keys[tokens[index]], []).append(index)
    spans = [match.span() for match in _WORD.finditer(text, lo, hi)]
    votes = _votes(quote_words, by_key)  # never empty: keys is not, and the first word always votes
    # Insertions and deletions shift the alignment by a word or two: pool nearby votes.
    best_voted = heapq.nlargest(_SHIFTS_POOLED, votes, key=votes.__getitem__)
    pooled = {
        shift: sum(votes.get(shift + d, 0) for d in range(-_BOUNDARY_SLACK, _BOUNDARY_SLACK + 1))
        for shift in best_voted
    }
    old_index = bisect_left(spans, (bookmark.start, bookmark.start))  # ties go to the old place
    length = len(quote_words)
    shifts: list[int] = []
    for shift in sorted(pooled, key=lambda s: (-pooled[s], abs(s - old_index))):
        if all(abs(shift - taken) > length // 2 for taken in shifts):
            shifts.append(shift)
        if len(shifts) >= _ALIGNMENTS_TRIED:
            break
    candidates = [_refine(bookmark, text, spans, shift, length) for shift in shifts]
    candidates.sort(key=lambda c: (-c.score, abs(c.start - bookmark.start)))
    return candidates


def _votes(quote_words: list[str], by_key: dict[str, list[int]]) -> Counter[int]:
    """For each alignment (text word index minus quote word index), how many words agree on it.
    Rare words count first; common ones only while the pairs counted stay within the budget."""
    order = sorted((len(by_key.get(key, ())), q_index, key) for q_index, key in enumerate(quote_words) if key)
    votes: Counter[int] = Counter()
    counted = 0
    for occurrences, q_index, key in order:
        if not occurrences:
            continue
        if counted and counted + occurrences > _VOTE_BUDGET:
            break
        counted += occurrences
        votes.update([t_index - q_index for t_index in by_key[key]])  # Counter counts an iterable in C
    return votes


def _refine(bookmark: Anchorable, text: str, words: list[tuple[int, int]], shift: int, length: int) -> Candidate:
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
            candidate = _score(bookmark, text, words[first][0], words[final][1], _similarity_bound)
            if best is None or candidate.score > best.score:
                best = candidate
    assert best is not None  # first_choices is never empty
    return best
