"""The top hits of a query and the number of matches, scored a posting list at a time.

Whoosh scores a query by walking a tree of matchers one document at a time; each step and each
score is several Python calls, about 6 µs a match. `jakarta -banjir` has 32,761 matches at 100,000
articles: 200 ms. Its block bounds do not help: a block's best weight and shortest field come from
different documents, so at that size almost no block can be skipped (measured: 30,742 of 32,761
still scored).

So queries are scored here instead, the same way but a term at a time: each term's postings are
read a block at a time (whoosh3's private arrays, through whoosh_internals.py; a posting at a
time through the public API when that says they are not there) and scored with BM25F in one
loop (the same formula, Whoosh's statistics and scorer parameters), and AND, OR, NOT, the
optional title clause, dates, prefixes and fuzzy words become operations on {document: score}
maps. A phrase reads word positions only in the
documents that have all its words. Scores are Whoosh's up to the order of additions; a test
compares the two on the same index. A query of a shape not known here (none that query.py makes
today) is scored by Whoosh's matchers, one document at a time.

Doing it this way also fixed a Whoosh bug: its AND NOT matcher never excluded the first match of
a segment when the excluded word's first document came before it (`korupsi -kpk` showed one
article with `KPK` in it). The one-at-a-time path has the fix too (:class:`_AndNot`).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.matching import AndNotMatcher
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.util.numeric import byte_to_length, length_to_byte

from kliping.search import whoosh_internals
from kliping.search.results import SearchCancelled

Scores = dict[int, float]
# Jump through a posting list instead of reading it whole when it is this many times longer than
# the candidates (skip_to costs a few microseconds, reading a posting a fraction of one).
_SKIP_RATIO = 20


@dataclass(slots=True)
class TopHits:
    hits: list[tuple[float, int]]  # (score, document number), best first; ties: lower number first
    total: int  # how many documents match


class FieldLengths:
    """Each segment's field lengths, one byte per document as Whoosh stores them, read whole
    once: Whoosh reads them a byte at a time (3 µs each, more than scoring the posting).
    Segments never change, so what is read stays right; a segment merged away is dropped."""

    def __init__(self) -> None:
        self._bytes: dict[tuple[str, str], bytes] = {}

    def of(self, reader, fieldname: str) -> bytes:
        key = (reader.segment().segment_id(), fieldname)
        found = self._bytes.get(key)
        if found is None:
            found = self._bytes[key] = _read_length_bytes(reader, fieldname)
        return found

    def keep_only(self, segment_ids: set[str]) -> None:
        for key in [key for key in self._bytes if key[0] not in segment_ids]:
            del self._bytes[key]


def top_hits(
    searcher, query: wq.Query, limit: int, lengths: FieldLengths, cancelled: Callable[[], bool] | None = None
) -> TopHits:
    """The ``limit`` best documents for ``query`` and the number of documents it matches.

    ``cancelled`` is asked before each term and clause (and every 1,024 matches one at a time):
    when it says so, :class:`SearchCancelled` is raised."""
    scores: Scores = {}
    leaves = searcher.leaf_searchers()
    lengths.keep_only({leaf.reader().segment().segment_id() for leaf, _ in leaves})
    for leaf, offset in leaves:
        leaf_scores = TermAtATime(searcher, leaf, lengths, cancelled).scores(query)
        if leaf_scores is None:
            return one_at_a_time(searcher, query, limit, cancelled)
        scores.update((offset + docnum, score) for docnum, score in leaf_scores.items())
    best = heapq.nsmallest(limit, ((-score, docnum) for docnum, score in scores.items()))
    return TopHits([(-negated, docnum) for negated, docnum in best], len(scores))


def one_at_a_time(searcher, query: wq.Query, limit: int, cancelled: Callable[[], bool] | None = None) -> TopHits:
    """The top hits and the number of matches through Whoosh's public matchers, every match
    scored and counted: what :func:`top_hits` falls back to for a query shape it does not score
    term at a time (its AND NOT fixed, see :class:`_AndNot`)."""
    query = _with_fixed_and_not(query)
    context = searcher.context()
    top: list[tuple[float, int]] = []
    total = 0
    for leaf, offset in searcher.leaf_searchers():
        matcher = query.matcher(leaf, context)
        while matcher.is_active():
            total += 1
            if cancelled is not None and not total % 1024 and cancelled():
                raise SearchCancelled
            item = (matcher.score(), -(offset + matcher.id()))
            if len(top) < limit:
                heapq.heappush(top, item)
            elif item > top[0]:
                heapq.heapreplace(top, item)
            matcher.next()
    top.sort(reverse=True)
    return TopHits([(score, -negated) for score, negated in top], total)


class _AndNotMatcher(AndNotMatcher):
    """Whoosh's AND NOT matcher, which skips excluded documents at the start only when both lists
    start on the same one; this one skips them wherever the excluded list starts."""

    def __init__(self, a, b) -> None:
        super().__init__(a, b)
        self.skip_excluded()

    def reset(self) -> None:
        super().reset()
        self.skip_excluded()

    def skip_excluded(self) -> None:
        a, b = self.a, self.b
        while a.is_active() and b.is_active():
            if b.id() < a.id():
                b.skip_to(a.id())
            if not b.is_active() or b.id() != a.id():
                return
            a.next()


class _AndNot(wq.AndNot):
    def matcher(self, searcher, context=None):
        return _AndNotMatcher(self.a.matcher(searcher, context), self.b.matcher(searcher, searcher.boolean_context()))


def _with_fixed_and_not(q: wq.Query) -> wq.Query:
    if not q.is_leaf():
        q = q.apply(_with_fixed_and_not)
    return _AndNot(q.a, q.b) if type(q) is wq.AndNot else q


class TermAtATime:
    """{document: score} for a query over one segment, or None for what it does not score.

    ``within``: only these documents can still match (an AND's rarest part is scored first,
    and the others only where it matched: `pemilu 2019` reads the 827 documents of `pemilu` in
    the 99,000 of `2019` instead of scoring all of them)."""

    def __init__(self, searcher, leaf, lengths: FieldLengths, cancelled: Callable[[], bool] | None = None) -> None:
        self.searcher = searcher
        self.leaf = leaf
        self.reader = leaf.reader()
        self.lengths = lengths
        self.cancelled = cancelled
        self._deleted: frozenset[int] | None = None

    def scores(self, q: wq.Query, within: Scores | None = None) -> Scores | None:
        if self.cancelled is not None and self.cancelled():
            raise SearchCancelled
        if type(q) is wq.Term:
            return self.term(q, within)
        if type(q) is wq.Phrase:
            return self.phrase(q, within)
        if isinstance(q, wq.AndMaybe):  # the required part, plus the optional part where it matches
            required = self.scores(q.a, within)
            optional = self.scores(q.b, required) if required is not None else None
            if required is None or optional is None:
                return None
            for docnum, score in optional.items():
                required[docnum] += score
            return required
        if isinstance(q, wq.AndNot):
            found = self.scores(q.a, within)
            excluded = self.scores(q.b, found) if found is not None else None
            if found is None or excluded is None:
                return None
            for docnum in excluded:
                del found[docnum]
            return found
        if type(q) is wq.And and q.boost == 1.0:
            summed: Scores | None = None  # None until the first (rarest) part is scored
            for part in sorted(q.subqueries, key=self.estimate):
                scores = self.scores(part, within if summed is None else summed)
                if scores is None:
                    return None
                summed = scores if summed is None else {d: summed[d] + score for d, score in scores.items()}
                if not summed:
                    return {}
            return within if summed is None else summed
        if type(q) is wq.Or and q.boost == 1.0 and not q.minmatch and not q.scale:
            result: Scores = {}
            for part in q.subqueries:
                scores = self.scores(part, within)
                if scores is None:
                    return None
                for docnum, score in scores.items():
                    result[docnum] = result[docnum] + score if docnum in result else score
            return result
        if isinstance(q, (wq.Prefix, wq.FuzzyTerm)) and q.boost == 1.0:
            # as Whoosh does: the OR of the words the prefix or the fuzzy word stands for
            expanded = [wq.Term(fieldname, text) for fieldname, text in q.expanded_terms(self.reader)]
            return self.scores(wq.Or(expanded), within) if expanded else {}
        if type(q) is wq.Every and q.fieldname in (None, "", "*"):  # `-word` alone: every document, as Whoosh scores it
            return dict.fromkeys(self.reader.all_doc_ids() if within is None else within, q.boost)
        if isinstance(q, wq.ConstantScoreQuery) and isinstance(q.child, (wq.Term, wq.TermRange)):
            docs: set[int] = set()
            for text in self.texts(q.child):
                docs.update(docnum for docnum, _ in self.postings(q.child.fieldname, text, within))
            return dict.fromkeys(docs, q.score)
        return None

    def term(self, q: wq.Term, within: Scores | None) -> Scores | None:
        if q.boost != 1.0:
            return None
        fieldname, text = q.fieldname, q.text
        if fieldname not in self.reader.schema or (fieldname, text) not in self.reader:
            return {}
        scorer = self.searcher.weighting.scorer(self.leaf, fieldname, text)
        if type(scorer) is WeightScorer:
            return dict(self.postings(fieldname, text, within))
        if type(scorer) is not BM25FScorer:  # a subclass may score otherwise
            return None
        idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        k1_plus_1 = K1 + 1
        # whoosh.scoring.bm25 term for term, its length part looked up by the stored length byte
        norms = [K1 * ((1 - B) + B * byte_to_length(b) / avgfl) for b in range(256)]
        length_bytes = self.lengths.of(self.reader, fieldname)
        return {
            docnum: idf * ((tf * k1_plus_1) / (tf + norms[length_bytes[docnum]]))
            for docnum, tf in self.postings(fieldname, text, within)
        }

    def phrase(self, q: wq.Phrase, within: Scores | None) -> Scores | None:
        """Documents with the words in this order, scored as Whoosh scores a phrase: the sum of
        its words' scores. Positions are read only where all the words are."""
        fieldname, words = q.fieldname, list(q.words)
        if q.boost != 1.0 or q.slop != 1 or q.char_ranges or fieldname not in self.reader.schema:
            return None
        if not self.reader.schema[fieldname].format.supports("positions") or not words:
            return None
        if any((fieldname, word) not in self.reader for word in words):
            return {}
        word_scores: dict[str, Scores] = {}
        candidates = within
        for word in sorted(set(words), key=lambda w: self.reader.doc_frequency(fieldname, w)):
            scores = self.term(wq.Term(fieldname, word), candidates)
            if scores is None:
                return None
            word_scores[word] = candidates = scores
            if not candidates:
                return {}
        # where the phrase can start in each candidate: the first word's positions, kept where
        # the k-th word is k positions on
        decode = self.reader.schema[fieldname].format.decoder("positions")
        with_every_word: Scores = candidates or {}  # never empty here: the loop returned
        starts: dict[int, set[int]] = {}
        for k, word in enumerate(words):
            postings = self.reader.postings(fieldname, word)
            wanted: Collection[int] = with_every_word if k == 0 else starts
            for docnum, value in _values(postings, sorted(wanted), wanted):
                shifted = {position - k for position in decode(value)}
                if k == 0:
                    starts[docnum] = shifted
                elif remaining := starts[docnum] & shifted:
                    starts[docnum] = remaining
                else:
                    del starts[docnum]
            if not starts:
                return {}
        return {docnum: sum(word_scores[word][docnum] for word in words) for docnum in starts}

    def postings(self, fieldname: str, text, within: Scores | None):
        """(document, weight) of a term's live postings, only those ``within`` when given."""
        if fieldname not in self.reader.schema or (fieldname, text) not in self.reader:
            return
        postings = self.reader.postings(fieldname, text)
        if within is not None and len(within) * _SKIP_RATIO < self.reader.doc_frequency(fieldname, text):
            # a few candidates in a long list: jump to each (blocks know their last document)
            for docnum in sorted(within):
                if not postings.is_active():
                    return
                postings.skip_to(docnum)
                if postings.is_active() and postings.id() == docnum:
                    yield docnum, postings.weight()
            return
        deleted = self.deleted()
        for docnum, weight in _blocks(postings):
            if (within is None or docnum in within) and docnum not in deleted:
                yield docnum, weight

    def texts(self, q: wq.Term | wq.TermRange):
        return [q.text] if type(q) is wq.Term else [text for _, text in q.expanded_terms(self.reader)]

    def estimate(self, q: wq.Query) -> int:
        """About how many documents ``q`` matches, to score an AND's rarest part first."""
        if type(q) is wq.Term:
            present = q.fieldname in self.reader.schema and (q.fieldname, q.text) in self.reader
            return self.reader.doc_frequency(q.fieldname, q.text) if present else 0
        if isinstance(q, (wq.AndMaybe, wq.AndNot)):
            return self.estimate(q.a)
        if type(q) is wq.And:
            return min((self.estimate(sub) for sub in q.subqueries), default=0)
        if type(q) is wq.Or:
            return sum(self.estimate(sub) for sub in q.subqueries)
        return self.reader.doc_count_all()

    def deleted(self) -> frozenset[int]:
        if self._deleted is None:
            # A segment reader's own set, cached on the reader the index keeps between queries:
            # asking is_deleted() of every document cost 2.8 ms per segment per query.
            reader = self.reader
            self._deleted = reader.deleted_docs_set if reader.has_deletions() else frozenset()
        return self._deleted


def _blocks(postings):
    """(document, weight) of a posting list: a block at a time where whoosh3's block arrays can be
    read (whoosh_internals), else one posting at a time. Deleted documents are included."""
    raw = whoosh_internals.block_matcher(postings)
    if raw is not None:
        yield from whoosh_internals.weights_by_block(raw)
        return
    while postings.is_active():
        yield postings.id(), postings.weight()
        postings.next()


def _values(postings, docs: list[int], wanted):
    """(document, encoded posting value) for each of ``docs`` (sorted, all in the posting list):
    block by block where whoosh3's block arrays can be read, skipping blocks with none of them;
    else by skip_to."""
    raw = whoosh_internals.block_matcher(postings)
    if raw is not None:
        yield from whoosh_internals.values_by_block(raw, docs, wanted)
        return
    for docnum in docs:
        postings.skip_to(docnum)
        yield docnum, postings.value()


def _read_length_bytes(reader, fieldname: str) -> bytes:
    """The field's length byte of every document in the segment (0: the field is empty): whoosh3's
    length column read at once where it can be (whoosh_internals), else through the public
    per-document call, slower but the same bytes (a test checks both agree)."""
    at_once = whoosh_internals.length_bytes(reader, fieldname)
    if at_once is not None:
        return at_once
    count = reader.doc_count_all()
    return bytes(length_to_byte(reader.doc_field_length(docnum, fieldname, 0)) for docnum in range(count))
