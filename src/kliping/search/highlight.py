"""Where a query matches in a text: character spans for the reader pane, and KWIC snippets.

The text is analyzed with its language's analyzer, exactly as it was indexed, and every token
whose term the query asks for is marked by its surface offsets, so `dievakuasi` is marked for the
query `evakuasi`. A phrase is marked whole, from its first word to its last, stop words inside
included. A quoted (exact) phrase is found on the folded surface words instead, so `"dievakuasi"`
marks `dievakuasi` and not `mengevakuasi`. Negated parts of the query are never marked.

Highlighting takes the query as parsed (:class:`ParsedQuery`), never its text: the search that
found an article hands its parsed form on (``SearchResults.parsed``), so a query is parsed once.
"""

from __future__ import annotations

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


def spans_for(spec: MatchSpec, text: str, language: str) -> list[tuple[int, int]]:
    """Every match of ``spec`` in ``text``: sorted, non-overlapping (start, end) offsets."""
    if not spec or not text:
        return []
    spans: list[tuple[int, int]] = []
    if spec.has_stemmed_parts:
        tokens = analyze(text, language, _stem_filter(spec, language))
        matches = _term_matcher(spec)
        spans.extend((start, end) for term, start, end in tokens if term is not None and matches(term))
        spans.extend(_phrase_spans(spec.phrases, tokens))
    if spec.exact_phrases:
        spans.extend(_phrase_spans(spec.exact_phrases, surface_tokens(text)))
    return _merge(spans)


def _phrase_spans(
    phrases: list[tuple[str, ...]], tokens: Sequence[tuple[str | None, int, int]]
) -> list[tuple[int, int]]:
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
