"""Stem functions for the search analyzers.

Whoosh pickles the schema, and with it every stem function, so each stemmer here is a plain
module-level function. They all take a folded, lowercased word and return its stem.

Why Sastrawi for Indonesian (see bench/relevance.py and the README for the figures): it removes
Indonesian affixes against a dictionary of root words, so `dievakuasi`, `mengevakuasi` and
`evakuasinya` all become `evakuasi`, `perdamaian` becomes `damai` and `pertemuan` becomes
`temu` like `bertemu`. Snowball's Indonesian stemmer is a thousand times faster but stems by rule
alone and over-stems (`damai` -> `dama`, `bertemu` -> `berte`), so it misses exactly those
matches. Sastrawi is slow per word, but a library's vocabulary is small (a few hundred thousand
forms for 20,000 articles), so a per-form cache makes it affordable: each form is stemmed once.
"""

from __future__ import annotations

import threading

_MAX_CACHED_FORMS = 500_000

_sastrawi = None
_sastrawi_lock = threading.Lock()
_indonesian_cache: dict[str, str] = {}
_english_stem = None


class _RootWords:
    """Sastrawi's dictionary of root words as a set: its own ArrayDictionary is a list, and every
    stem looks words up in it dozens of times (24 ms a word with the list, 0.1 ms with a set)."""

    def __init__(self, words: list[str]) -> None:
        self.words = frozenset(w for w in words if w.strip())

    def contains(self, word: str) -> bool:
        return word in self.words


def _sastrawi_stemmer():
    """Sastrawi's stemmer over the set dictionary (its own wrapper re-normalizes every word; we
    pass it words that are already folded)."""
    global _sastrawi
    if _sastrawi is None:
        with _sastrawi_lock:
            if _sastrawi is None:
                from Sastrawi.Stemmer.Stemmer import Stemmer
                from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

                _sastrawi = Stemmer(_RootWords(StemmerFactory().get_words()))
    return _sastrawi


def stem_indonesian(word: str) -> str:
    """Sastrawi's stem of an Indonesian word; numbers, words with digits and very short words are kept."""
    cached = _indonesian_cache.get(word)
    if cached is not None:
        return cached
    stem = word if len(word) <= 3 or not word.isalpha() else (_sastrawi_stemmer().stem_word(word) or word)
    if len(_indonesian_cache) >= _MAX_CACHED_FORMS:
        _indonesian_cache.clear()
    _indonesian_cache[word] = stem
    return stem


def may_stem_to(word: str, stem: str) -> bool:
    """False only when ``word`` certainly does not have the Indonesian stem ``stem`` (nor, as the
    test holds for prefixes too, a stem starting with ``stem``): cheap, so highlighting can rule
    out most words without stemming them.

    Sastrawi returns a word unchanged unless it finds a root of its dictionary inside it, and it
    changes at most that root's first letter (meN-/peN-: `menulis` -> `tulis`, `menyandera` ->
    `sandera`). So a word other than `stem` itself can only stem to it when `stem` is a root and
    the word contains `stem` without its first letter (`ulis`). Checked on the 75,593 distinct
    words of 6,000 CLICK-ID articles: no word breaks it (tests/test_search_highlight.py)."""
    return word == stem or (stem[1:] in word and stem in _sastrawi_stemmer().dictionary.words)


def stem_english(word: str) -> str:
    """Snowball's (Porter 2) English stem, through PyStemmer (C, millions of words a second)."""
    global _english_stem
    if _english_stem is None:
        import Stemmer

        _english_stem = Stemmer.Stemmer("english").stemWord
    return _english_stem(word)
