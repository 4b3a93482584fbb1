""""Did you mean": correct query words from the library's own vocabulary.

Only words the index does not know are corrected. Candidates are the index's terms within one
(then two) edits sharing the first two letters (then the first), the closest and then the most frequent winning. The
vocabulary holds stems, which Sastrawi takes from its dictionary of root words, so suggestions
are real words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kliping.search.analysis import analyzer_for, fold
from kliping.search.highlight import within_edits
from kliping.search.results import SearchCancelled
from kliping.search.schema import TEXT_FIELDS

MAX_CANDIDATES = 3000


def _known(reader, word: str) -> bool:
    fields = set(reader.indexed_field_names())
    for language, (title, body) in TEXT_FIELDS.items():
        for token in analyzer_for(language)(word, mode="query"):
            if any(reader.doc_frequency(f, token.text) for f in (body, title) if f in fields):
                return True
    return False


def _closest(reader, word: str) -> str | None:
    best: tuple[int, int, str] | None = None
    fields = set(reader.indexed_field_names())
    # Most misspellings keep the first two letters; only if that finds nothing, try the first one.
    for prefix in (word[:2], word[:1]):
        for _, body in TEXT_FIELDS.values():
            if body not in fields:
                continue  # no article in this language yet
            for seen, btext in enumerate(reader.expand_prefix(body, prefix)):
                if seen >= MAX_CANDIDATES:
                    break
                term = btext.decode("utf-8") if isinstance(btext, bytes) else btext
                if abs(len(term) - len(word)) > 2 or term == word:
                    continue
                for distance in (1, 2):
                    if within_edits(term, word, distance):
                        key = (distance, -reader.doc_frequency(body, term), term)
                        if best is None or key < best:
                            best = key
                        break
        if best is not None:
            return best[2]
    return None


def suggest(searcher, query: str, words: list[str], cancelled: Callable[[], bool] | None = None) -> str | None:
    """``query`` with its unknown words replaced by their closest known words, or None
    (:class:`SearchCancelled` between words once ``cancelled`` says so)."""
    reader = searcher.reader()
    corrected = query
    changed = False
    for word in words:
        if cancelled is not None and cancelled():
            raise SearchCancelled
        folded = fold(word)
        if not folded.isalpha() or len(folded) < 3 or _known(reader, folded):
            continue
        replacement = _closest(reader, folded)
        if replacement:
            corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", replacement, corrected, count=1)
            changed = True
    return corrected if changed else None

