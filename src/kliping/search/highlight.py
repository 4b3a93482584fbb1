"""Where a query matches in a text: character spans for the reader pane, and KWIC snippets.

The text is analyzed with its language's analyzer, exactly as it was indexed, and every token
whose term the query asks for is marked by its surface offsets, so `dievakuasi` is marked for the
query `evakuasi`. A phrase is marked whole, from its first word to its last, stop words inside
included. A quoted (exact) phrase is found on the folded surface words instead, so `"dievakuasi"`
marks `dievakuasi` and not `mengevakuasi`. Negated parts of the query are never marked.

Highlighting takes the query as parsed (:class:`ParsedQuery`), never its text: the search that
found an article hands its parsed form on (``SearchResults.parsed``), so a query is parsed once.

Only the words near a possible match are analyzed (half of a query's time went into analyzing
every word of every hit). A word can only stem to a wanted term if it contains the term without
its first letter, or the whole term if that is no root (the rule of :func:`may_stem_to`), and
only spell an exact word if it contains it; so a search for those needles in the lowercased
text, in C, finds the whitespace-bounded stretches worth analyzing, and the rest is skipped.
Folding can change letters only where a word has a non-ASCII letter or an inner apostrophe, so
those stretches are always analyzed. A phrase must not run across skipped text that held a word,
so a separator token stands for it. The spans are exactly those of analyzing the whole text (tests/unit/search/test_highlight.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain

from rapidfuzz.distance import Levenshtein
from whoosh import query as wq

from kliping.files.sanitize import one_line
from kliping.search.analysis import analyze, surface_tokens
from kliping.search.query import ParsedQuery, exact_words
from kliping.search.schema import EXACT_FIELD, text_fields_for
from kliping.search.stemming import may_stem_to

SNIPPET_CHARS = 200

Token = tuple[str | None, int, int]  # (term, start, end); term None: a word nothing asked for

# Where folding may turn letters into others (an accent stripped, an inner apostrophe dropped):
# there a word's needle is not necessarily in its lowercased surface form.
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_APOSTROPHES = ("'", "\u2019")
# More needles than one per this many characters (a needle in most words): analyze everything.
_CHARS_PER_HIT = 24
# How far from a needle a space or newline is looked for; a stretch longer than this without one
# (a giant URL, a text without spaces) makes the whole text analyzed, so a search never rescans it.
_REACH = 256
# Stands for skipped text holding a word: no phrase runs across it.
_APART: Token = (None, -1, -1)


@dataclass(slots=True)
class MatchSpec:
    """What to mark in one language's fields: terms, phrases, prefixes and fuzzy terms (all
    stemmed), and exact phrases (folded surface words)."""

    terms: set[str] = field(default_factory=set)
    phrases: list[tuple[str, ...]] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    fuzzy: list[tuple[str, int, int]] = field(default_factory=list)  # (term, maxdist, prefixlength)
    exact_phrases: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def has_stemmed_parts(self) -> bool:
        return bool(self.terms or self.phrases or self.prefixes or self.fuzzy)

    def __bool__(self) -> bool:
        return self.has_stemmed_parts or bool(self.exact_phrases)


def match_spec(parsed: ParsedQuery, language: str) -> MatchSpec:
    """The parts of the parsed query that apply to the title and body fields of ``language``, and
    its exact phrases (the exact field serves every language)."""
    spec = MatchSpec()
    fields = set(text_fields_for(language))

    def walk(q: wq.Query) -> None:
        if isinstance(q, wq.AndNot):
            walk(q.a)
        elif isinstance(q, wq.Not):
            return
        elif isinstance(q, (wq.Term, wq.Phrase)) and q.fieldname == EXACT_FIELD:
            spec.exact_phrases.append(tuple(exact_words(q)))
        elif isinstance(q, wq.Phrase):
            if q.fieldname in fields:
                spec.phrases.append(tuple(q.words))
        elif isinstance(q, wq.FuzzyTerm):
            if q.fieldname in fields:
                spec.fuzzy.append((q.text, q.maxdist, q.prefixlength))
        elif isinstance(q, wq.Prefix):
            if q.fieldname in fields:
                spec.prefixes.append(q.text)
        elif isinstance(q, wq.Term):
            if q.fieldname in fields:
                spec.terms.add(q.text)
        elif isinstance(q, wq.CompoundQuery):
            for sub in q.subqueries:
                walk(sub)

    if parsed.query is not None:
        walk(parsed.query)
    return spec


def query_spans(parsed: ParsedQuery, text: str, language: str = "id") -> list[tuple[int, int]]:
    """Every match of the parsed query in ``text`` (an article's clean text in ``language``):
    sorted, non-overlapping (start, end) offsets."""
    return spans_for(match_spec(parsed, language), text, language)


def within_edits(a: str, b: str, maxdist: int) -> bool:
    """Is the Levenshtein distance between a and b at most maxdist? (rapidfuzz, in C: a fuzzy
    word is compared with every distinct word of the article or vocabulary.)"""
    return Levenshtein.distance(a, b, score_cutoff=maxdist) <= maxdist


def _term_matcher(spec: MatchSpec):
    cache: dict[str, bool] = {}

    def matches(term: str) -> bool:
        hit = cache.get(term)
        if hit is None:
            hit = (
                term in spec.terms
                or any(term.startswith(p) for p in spec.prefixes)
                or any(term[:pl] == t[:pl] and within_edits(term, t, d) for t, d, pl in spec.fuzzy)
            )
            cache[term] = hit
        return hit

    return matches


def _stem_filter(spec: MatchSpec, language: str) -> Callable[[str], bool] | None:
    """Which words need stemming to be compared with ``spec`` (None: all of them). English stems
    in C, so it is not worth it; a fuzzy term can come from any word."""
    if language == "en" or spec.fuzzy:
        return None
    terms = set(chain(spec.terms, *spec.phrases))
    prefixes = tuple(spec.prefixes)
    cache: dict[str, bool] = {}

    def wanted(word: str) -> bool:
        hit = cache.get(word)
        if hit is None:
            # a prefix's stem starts with it, so a word stemming to one contains all but its first letter
            hit = any(may_stem_to(word, t) for t in terms) or any(p[1:] in word for p in prefixes)
            cache[word] = hit
        return hit

    return wanted


def spans_for(spec: MatchSpec, text: str, language: str, prefilter: bool = True) -> list[tuple[int, int]]:
    """Every match of ``spec`` in ``text``: sorted, non-overlapping (start, end) offsets.

    ``prefilter``: analyze only the stretches of text near a needle (see the module docstring);
    False analyzes every word, the reference the prefiltered spans equal."""
    if not spec or not text:
        return []
    spans: list[tuple[int, int]] = []
    if spec.has_stemmed_parts:
        wanted = _stem_filter(spec, language)

        def stemmed(chunk: str) -> list[Token]:
            return analyze(chunk, language, wanted)

        words = set(chain(*spec.phrases))
        if prefilter and wanted is not None:
            needles = {_core(t) for t in chain(spec.terms, words)} | {p[1:] for p in spec.prefixes}
            tokens = _near_needles(text, needles, stemmed, words)
        else:
            tokens = stemmed(text)
        matches = _term_matcher(spec)
        spans.extend((start, end) for term, start, end in tokens if term is not None and matches(term))
        spans.extend(_phrase_spans(spec.phrases, tokens))
    if spec.exact_phrases:
        words = set(chain(*spec.exact_phrases))
        exact: Sequence[Token] = (
            _near_needles(text, words, surface_tokens, words) if prefilter else surface_tokens(text)
        )
        spans.extend(_phrase_spans(spec.exact_phrases, exact))
    return _merge(spans)


def _core(stem: str) -> str:
    """What every word that may stem to ``stem`` contains: the stem without its first letter if
    it is a root (may_stem_to holds for that core exactly then), else the whole stem (`uu`)."""
    return stem[1:] if may_stem_to(stem[1:], stem) else stem


def _near_needles(
    text: str, needles: set[str], tokenize: Callable[[str], Sequence[Token]], joinable: set[str]
) -> list[Token]:
    """What ``tokenize(text)`` gives for every word containing one of ``needles`` (or where
    folding changes letters), in order, with :data:`_APART` for skipped text holding a word
    where a phrase could otherwise run across it: between two ``joinable`` terms."""
    hits = _hits(text, needles)
    regions = None if hits is None else _regions(text, hits)
    if regions is None:
        return list(tokenize(text))
    tokens: list[Token] = []
    last_end = 0
    for start, end in regions:
        found = tokenize(text[start:end])
        if not found:
            continue
        if tokens and not (
            tokens[-1][0] in joinable and found[0][0] in joinable and not tokenize(text[last_end:start])
        ):
            tokens.append(_APART)
        tokens.extend([(term, s + start, e + start) for term, s, e in found])
        last_end = end
    return tokens


def _hits(text: str, needles: set[str]) -> list[tuple[int, int]] | None:
    """Sorted (start, end) of every needle in the lowercased text (str.find, far faster than a
    regex here), and of every place where folding may change letters; None when analyzing
    everything is as cheap (a needle on every few words, an empty needle) or lowercasing changes
    the text's length (then offsets in it are not offsets in the text)."""
    lowered = text.lower()
    if "" in needles or len(lowered) != len(text):
        return None
    most = len(text) // _CHARS_PER_HIT + 1
    hits: list[tuple[int, int]] = []
    for needle in needles:
        find, size = lowered.find, len(needle)
        at = find(needle)
        while at >= 0:
            hits.append((at, at + size))
            if len(hits) > most:
                return None
            at = find(needle, at + size)
    if not text.isascii():  # an accent or a non-Latin letter: NFKD may change it
        hits.extend(m.span() for m in _NON_ASCII.finditer(text) if any(c.isalnum() for c in m.group()))
    last = len(text) - 1
    for apostrophe in _APOSTROPHES:  # inside a word, folding drops it
        at = text.find(apostrophe)
        while at >= 0:
            if 0 < at < last and text[at - 1].isalnum() and text[at + 1].isalnum():
                hits.append((at - 1, at + 2))
            at = text.find(apostrophe, at + 1)
    hits.sort()
    return hits


def _regions(text: str, hits: list[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """The stretches of ``text`` around ``hits``, widened to the nearest space or newline (no
    word crosses one, so a stretch is tokenized as in the whole text), adjacent ones joined; None
    when a hit has no space or newline within reach."""
    regions: list[tuple[int, int]] = []
    pos, size = 0, len(text)
    rfind, find = text.rfind, text.find
    for hit, hit_end in hits:
        if hit < pos:  # inside the last stretch
            continue
        low = max(pos, hit - _REACH)
        before = max(rfind(" ", low, hit), rfind("\n", low, hit))
        if before < 0 and low > 0:
            return None
        start = before + 1
        high = min(size, hit_end + _REACH)
        after = [i for i in (find(" ", hit_end, high), find("\n", hit_end, high)) if i >= 0]
        if after:
            end = min(after)
        elif high == size:
            end = size
        else:
            return None
        if regions and start == regions[-1][1] + 1:
            regions[-1] = (regions[-1][0], end)
        else:
            regions.append((start, end))
        pos = end
    return regions


def _phrase_spans(phrases: list[tuple[str, ...]], tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Each run of ``tokens`` (term, start, end) spelling a phrase, from its first word's start
    to its last word's end."""
    spans: list[tuple[int, int]] = []
    for phrase in phrases:
        n = len(phrase)
        first = phrase[0]
        for i in range(len(tokens) - n + 1):
            if tokens[i][0] == first and all(tokens[i + k][0] == phrase[k] for k in range(1, n)):
                spans.append((tokens[i][1], tokens[i + n - 1][2]))
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> tuple[str, list[tuple[int, int]]]:
    """A one-line fragment of ``text`` around its densest cluster of matches, with the matches'
    spans re-based into the fragment. Control characters are removed (spans stay right)."""
    if not text:
        return "", []
    if spans:
        best, best_count = 0, 0
        j = 0
        for i, (start, _) in enumerate(spans):
            while j < len(spans) and spans[j][1] <= start + width:
                j += 1
            if j - i > best_count:
                best, best_count = i, j - i
        first_start = spans[best][0]
        last_end = spans[best + best_count - 1][1]
        slack = max(0, width - (last_end - first_start))
        begin = max(0, first_start - min(slack // 3, 60))
    else:
        begin, last_end = 0, 0
    end = min(len(text), max(begin + width, last_end))
    # widen to word boundaries so no word is cut in half (within a word's length)
    limit = begin - 30
    while begin > 0 and begin > limit and not text[begin - 1].isspace():
        begin -= 1
    limit = end + 30
    while end < len(text) and end < limit and not text[end].isspace():
        end += 1
    inside = [(s, e) for s, e in spans if s >= begin and e <= end]
    pieces: list[str] = []
    out_spans: list[tuple[int, int]] = []
    length = 0
    prefix = "…" if begin > 0 else ""
    pieces.append(prefix)
    length += len(prefix)
    cursor = begin
    for s, e in inside:
        gap = _flat(text[cursor:s])
        pieces.append(gap)
        length += len(gap)
        marked = _flat(text[s:e])
        pieces.append(marked)
        if marked:
            out_spans.append((length, length + len(marked)))
        length += len(marked)
        cursor = e
    pieces.append(_flat(text[cursor:end]))
    if end < len(text):
        pieces.append("…")
    fragment = "".join(pieces)
    # trim leading/trailing whitespace without moving spans past the text
    lead = len(fragment) - len(fragment.lstrip())
    fragment = fragment.strip()
    out_spans = [(s - lead, e - lead) for s, e in out_spans if s - lead >= 0 and e - lead <= len(fragment)]
    return fragment, out_spans


def _flat(text: str) -> str:
    """One line, no control characters; runs of whitespace become one space."""
    if not text:
        return ""
    flat = one_line(text)
    # one_line strips edge whitespace; keep a single space at the edges so words stay apart
    if text[0].isspace() and flat:
        flat = " " + flat
    if text[-1].isspace() and flat:
        flat += " "
    if not flat and text and any(c.isspace() for c in text):
        flat = " "
    return flat
