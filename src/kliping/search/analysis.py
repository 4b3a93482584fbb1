"""How text becomes index terms: the Indonesian and English analyzers.

Both share one tokenizer that
- keeps numbers whole (`1.000`, `3,5`, `10:30`) and words with digits (`covid19`, `g20`);
- folds reduplication: `anak-anak`, `anak2`, `berlari-lari`, `tembak-menembak` give one token
  (the shorter half, which is the root more often), spanning the whole surface form;
- splits other hyphenated words into their parts (`Al-Qassam` -> `al`, `qassam`);
- lowercases, folds accents (`é` -> `e`) and drops apostrophes (`Jum'at` -> `jumat`).
Each token keeps its character offsets into the original text, which is what highlighting marks.

The Indonesian analyzer then removes the standard Indonesian stop words (the list of the
`stop-words` package, the one Lucene's Indonesian analyzer uses) and stems with Sastrawi; the
English one removes English stop words and stems with Snowball English. Stop words are renumbered
away on both sides, so a field-scoped phrase with a stop word inside (`title:"..."`) still matches
in order.

Quoted phrases are searched on the words as the tokenizer makes them (folded, stop words
included, not stemmed): the exact analyzer is the tokenizer alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from stop_words import get_stop_words
from whoosh.analysis import StemFilter, StopFilter, Token, Tokenizer
from whoosh.lang.stopwords import stoplists

from kliping.search.stemming import stem_english, stem_indonesian

# Bump whenever tokenizing, stop words or stemming change: the index is then rebuilt.
ANALYSIS_VERSION = 1

_WORD = re.compile(r"\d+(?:[.,:]\d+)+|[^\W_]+(?:['\u2019\-\u2010\u2011][^\W_]+)*")
_HYPHENS = re.compile(r"[\-\u2010\u2011]")
_APOSTROPHES = str.maketrans("", "", "'\u2019")
_INFORMAL_PLURAL = re.compile(r"([^\W\d_]{2,})2")  # anak2 -> anak


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lowercase, strip accents and apostrophes."""
    word = word.lower()
    if not word.isascii():
        decomposed = unicodedata.normalize("NFKD", word)
        word = "".join(c for c in decomposed if not unicodedata.combining(c))
    return word.translate(_APOSTROPHES)


def _is_reduplication(first: str, second: str) -> bool:
    if min(len(first), len(second)) < 2:
        return False
    if first == second or first.endswith(second) or second.startswith(first) or second.endswith(first):
        return True
    # tembak-menembak, tolong-menolong: the meN- prefix replaces the root's first consonant
    return len(first) >= 4 and second.startswith("me") and second.endswith(first[1:])


def split_word(surface: str, start: int) -> list[tuple[str, int, int]]:
    """The tokens (folded text, start, end) in one word match at offset ``start``."""
    if "-" not in surface and "\u2010" not in surface and "\u2011" not in surface:
        plural = _INFORMAL_PLURAL.fullmatch(surface)
        text = fold(plural.group(1) if plural else surface)
        return [(text, start, start + len(surface))] if text else []
    parts: list[tuple[str, int, int]] = []
    offset = 0
    for piece in _HYPHENS.split(surface):
        parts.extend(split_word(piece, start + offset))
        offset += len(piece) + 1
    if len(parts) == 2 and _is_reduplication(parts[0][0], parts[1][0]):
        shorter = min(parts[0][0], parts[1][0], key=len)
        return [(shorter, start, start + len(surface))]
    return parts


class WordTokenizer(Tokenizer):
    """Words, numbers and folded reduplications, with positions and character offsets."""

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value  # type: ignore[attr-defined]  # a Token takes any attribute
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        pos = start_pos
        for match in _WORD.finditer(value):
            for text, start, end in split_word(match.group(), match.start()):
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = value[start:end]  # type: ignore[attr-defined]
                if positions:
                    token.pos = pos
                    pos += 1
                if chars:
                    token.startchar, token.endchar = start_char + start, start_char + end
                yield token


INDONESIAN_STOP_WORDS = frozenset(fold(w) for w in get_stop_words("indonesian"))
ENGLISH_STOP_WORDS = frozenset(stoplists["en"])


def indonesian_analyzer():
    return WordTokenizer() | StopFilter(stoplist=INDONESIAN_STOP_WORDS, minsize=1) | StemFilter(
        stemfn=stem_indonesian, cachesize=None
    )


def english_analyzer():
    return WordTokenizer() | StopFilter(stoplist=ENGLISH_STOP_WORDS, minsize=1) | StemFilter(
        stemfn=stem_english, cachesize=None
    )


_STEMMING = {"id": (INDONESIAN_STOP_WORDS, stem_indonesian), "en": (ENGLISH_STOP_WORDS, stem_english)}


@lru_cache(maxsize=200_000)
def _word_tokens(surface: str) -> tuple[tuple[str, int, int], ...]:
    """The folded tokens of one word match, with offsets relative to the word (a word's tokens
    do not depend on its neighbours, so each distinct word is split once)."""
    return tuple(split_word(surface, 0))


def analyze(
    text: str, language: str, stem_if: Callable[[str], bool] | None = None
) -> list[tuple[str | None, int, int]]:
    """(term, start, end) for every index term of ``text``: exactly what the language's analyzer
    makes, without Whoosh's token objects (three times faster; highlighting runs it per hit).

    ``stem_if``: when given, a word is stemmed only if ``stem_if(word)`` is true, and gets the
    term None otherwise (highlighting passes a cheap test of whether a word can stem to a wanted
    term: stemming a word never seen before costs Sastrawi a dictionary search)."""
    stops, stem = _STEMMING.get(language, _STEMMING["id"])
    terms: list[tuple[str | None, int, int]] = []
    append = terms.append
    for match in _WORD.finditer(text):
        base = match.start()
        for word, start, end in _word_tokens(match.group()):
            if word not in stops:
                append((stem(word) if stem_if is None or stem_if(word) else None, base + start, base + end))
    return terms


def exact_analyzer():
    """For quoted phrases: every folded word, stop words included, no stemming."""
    return WordTokenizer()


def surface_tokens(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) for every word of ``text``, stop words included: the terms of
    the exact analyzer, without Whoosh's token objects."""
    tokens: list[tuple[str, int, int]] = []
    append = tokens.append
    for match in _WORD.finditer(text):
        base = match.start()
        for word, start, end in _word_tokens(match.group()):
            append((word, base + start, base + end))
    return tokens


def field_terms(text: str, language: str) -> tuple[list[str], list[str]]:
    """The terms of ``text`` in the body field and in the exact field, in order, from one pass of
    the tokenizer: what the language's analyzer and the exact analyzer make of it. Whoosh indexes
    a list of terms as given, numbering their positions by their place in the list, as the
    analyzers number their tokens (stop words renumbered away), so the index is the same; the
    text is not tokenized twice and no token object passes through Whoosh's filters."""
    stops, stem = _STEMMING.get(language, _STEMMING["id"])
    exact: list[str] = []
    for match in _WORD.finditer(text):
        surface = match.group()
        if surface[-1] == "2" or _HYPHENS.search(surface):
            exact.extend(word for word, _, _ in split_word(surface, 0))
        elif word := fold(surface):  # what split_word makes of a plain word, without its tests
            exact.append(word)
    return [stem(word) for word in exact if word not in stops], exact


def plain_analyzer():
    """For names (sources, authors): folded words, no stop words, no stemming."""
    return WordTokenizer()


_ANALYZERS = {"id": indonesian_analyzer(), "en": english_analyzer()}


def analyzer_for(language: str):
    """The analyzer for an article language (anything but English is analyzed as Indonesian)."""
    return _ANALYZERS.get(language, _ANALYZERS["id"])
