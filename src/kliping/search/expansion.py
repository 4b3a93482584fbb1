"""Prefixes and fuzzy words turned into the words they stand for, within bounds.

`ba*` stands for 1,159 words of CLICK-ID and `kota~2` for 246; scoring every one of them made 64
two-letter prefixes OR'ed take 7 s (30 s and more on a busy machine), and Whoosh finding the
words of 64 `word~2` took 16 s, walking the term file on disk for each word. So, before scoring:

- each prefix or fuzzy word keeps at most :data:`MAX_TERMS_PER_WORD` of its words (over all the
  fields it is searched in), and a query at most :data:`MAX_TERMS_PER_QUERY` in all, shared evenly
  between its prefixes and fuzzy words; the most frequent are kept (for a fuzzy word, the word
  itself first), and the search says in one line that the query was narrowed;
- the words are found in each segment's vocabulary, read once per first letter and kept in
  memory (segments never change): a prefix is a slice of it, a fuzzy word the words within its
  edit distance, computed in C by rapidfuzz (Levenshtein, as Whoosh's automaton counts edits).

Everyday prefixes and fuzzy words (`presid*`: 10 words, `banjir~2`: 27) are far below the bounds
and find what Whoosh finds; a test compares the two.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from whoosh import query as wq

from kliping.search.query import ParsedQuery
from kliping.search.results import SearchCancelled

MAX_TERMS_PER_WORD = 50
MAX_TERMS_PER_QUERY = 256

Cancelled = Callable[[], bool]


class Vocabulary:
    """Each segment's terms of a field that start with one letter, sorted, with their document
    frequencies: read once, when a prefix or fuzzy word first needs them."""

    def __init__(self) -> None:
        self._words: dict[tuple[str, str, str], tuple[list[str], list[int]]] = {}

    def of(self, reader, fieldname: str, letter: str) -> tuple[list[str], list[int]]:
        key = (reader.segment().segment_id(), fieldname, letter)
        found = self._words.get(key)
        if found is None:
            words, frequencies = [], []
            if fieldname in reader.schema:
                for btext, info in reader.iter_prefix(fieldname, letter):
                    words.append(btext.decode("utf-8"))
                    frequencies.append(info.doc_frequency())
            found = self._words[key] = (words, frequencies)
        return found

    def keep_only(self, segment_ids: set[str]) -> None:
        for key in [key for key in self._words if key[0] not in segment_ids]:
            del self._words[key]


@dataclass(slots=True)
class Expanded:
    """A query with its prefixes and fuzzy words replaced by their words (``replaced``: each
    original clause and what it became), and the one-line notice when any was narrowed."""

    query: wq.Query
    replaced: dict[wq.Query, wq.Query] = field(default_factory=dict)
    notice: str | None = None

    def apply(self, parsed: ParsedQuery) -> ParsedQuery:
        """The parsed query (the unranked one, for highlighting) with the same clauses rewritten alike."""
        if parsed.query is None:
            return parsed
        return replace(parsed, query=_rewrite(parsed.query, lambda leaf: self.replaced.get(leaf, leaf)))


def expand(query: wq.Query, searcher, vocabulary: Vocabulary, cancelled: Cancelled | None = None) -> Expanded:
    """``query`` with each prefix and fuzzy word replaced by the OR of its kept words.

    A word typed once is searched in several fields (`ba*` in the Indonesian and the English
    bodies): its bound is shared by them, the most frequent words of any of them kept."""
    typed: dict[str, list[wq.Prefix | wq.FuzzyTerm]] = {}
    for clause in dict.fromkeys(_expandable(query)):
        typed.setdefault(_as_typed(clause), []).append(clause)
    if not typed:
        return Expanded(query)
    leaves = [leaf.reader() for leaf, _ in searcher.leaf_searchers()]
    vocabulary.keep_only({reader.segment().segment_id() for reader in leaves})
    share = max(1, min(MAX_TERMS_PER_WORD, MAX_TERMS_PER_QUERY // len(typed)))
    replaced: dict[wq.Query, wq.Query] = {}
    narrowed: list[tuple[str, int]] = []  # (clause as typed, words it stands for)
    for label, clauses in typed.items():
        if cancelled is not None and cancelled():
            raise SearchCancelled
        frequencies: dict[tuple[int, str], int] = {}  # (clause, word) -> documents
        for number, clause in enumerate(clauses):
            for reader in leaves:
                for word, frequency in _words_of(clause, reader, vocabulary):
                    frequencies[number, word] = frequencies.get((number, word), 0) + frequency

        kept = sorted(frequencies, key=functools.partial(_rank, clauses, frequencies))[:share]
        if len(frequencies) > len(kept):
            narrowed.append((label, len(frequencies)))
        for number, clause in enumerate(clauses):
            terms = [wq.Term(clause.fieldname, word) for n, word in sorted(kept) if n == number]
            replaced[clause] = terms[0] if len(terms) == 1 else wq.Or(terms)
    return Expanded(_rewrite(query, lambda leaf: replaced.get(leaf, leaf)), replaced, _notice(narrowed, share))


def _rank(
    clauses: list[wq.Prefix | wq.FuzzyTerm], frequencies: dict[tuple[int, str], int], key: tuple[int, str]
) -> tuple[bool, int, str]:
    """Which of a clause's words to keep first: for a fuzzy word the word itself, then the most
    frequent, then in alphabetical order."""
    number, word = key
    clause = clauses[number]
    exact = isinstance(clause, wq.FuzzyTerm) and word == clause.text
    return (not exact, -frequencies[key], word)


def _words_of(clause: wq.Prefix | wq.FuzzyTerm, reader, vocabulary: Vocabulary):
    """(word, document frequency) in one segment for a prefix or a fuzzy word."""
    text = clause.text
    if not text:
        return []
    words, frequencies = vocabulary.of(reader, clause.fieldname, text[0])
    if isinstance(clause, wq.Prefix):
        start = bisect_left(words, text)
        end = bisect_left(words, text + "\U0010ffff", lo=start)
        return zip(words[start:end], frequencies[start:end], strict=False)
    # Whoosh's fuzzy term: the first `prefixlength` letters as written (query.py asks for one, so
    # the vocabulary is read by first letter), the rest within `maxdist` edits; with those letters
    # shared, the whole words are as many edits apart.
    lead = text[: max(1, clause.prefixlength)]
    start = bisect_left(words, lead)
    end = bisect_left(words, lead + "\U0010ffff", lo=start)
    found = process.extract(
        text, words[start:end], scorer=Levenshtein.distance, score_cutoff=clause.maxdist, limit=None
    )
    return [(word, frequencies[start + position]) for word, _, position in found]


def _expandable(q: wq.Query):
    if isinstance(q, (wq.Prefix, wq.FuzzyTerm)):
        yield q
    elif isinstance(q, wq.CompoundQuery):  # And, Or, and the binary AndNot and AndMaybe
        for sub in q.subqueries:
            yield from _expandable(sub)


def _rewrite(q: wq.Query, replace: Callable[[wq.Query], wq.Query]) -> wq.Query:
    if isinstance(q, (wq.Prefix, wq.FuzzyTerm)):
        return replace(q)
    if isinstance(q, wq.CompoundQuery):
        return q.apply(lambda sub: _rewrite(sub, replace))
    return q


def _as_typed(clause: wq.Prefix | wq.FuzzyTerm) -> str:
    return f"{clause.text}*" if isinstance(clause, wq.Prefix) else f"{clause.text}~{clause.maxdist}"


def _notice(narrowed: list[tuple[str, int]], share: int) -> str | None:
    if not narrowed:
        return None
    if len(narrowed) == 1:
        typed, found = narrowed[0]
        return f"The query was narrowed: “{typed}” stands for {found:,} words; the {share:,} most frequent were searched."
    found = sum(count for _, count in narrowed)
    return (
        f"The query was narrowed: {len(narrowed)} of its prefixes and fuzzy words stand for {found:,} words; "
        f"the {share:,} most frequent of each were searched."
    )
