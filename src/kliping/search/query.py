"""The query language, parsed by hand so that no input can raise.

    kata lain          all of the words (AND), ranked by BM25F
    "kata lain"        exactly these words in this order (case and accents folded, stop words
                       inside matched as written, nothing stemmed)
    a OR b             either
    -kata, NOT kata    without
    kata*              words whose stem starts with `kata`
    kata~, kata~2      words within 1 (or 2) edits of `kata`
    ( ... )            grouping
    title:  source:  author:  lang:  tag:  kind:   one field (a word, a "phrase" or a prefix*)
    date:2024-12  date:2024-12-06  date:2024  date:2023..2024  date:2024-01..2024-03

Whatever the input (unbalanced quotes or brackets, lone operators, punctuation, control
characters), :func:`parse_query` returns a Whoosh query or None, plus a quiet message saying what
was ignored. Only the words of an article's language field are searched with that language's
analyzer; see schema.py.

A quoted phrase is searched in the `exact` field, whose terms are the folded words as written:
one word is a term, more words a phrase. A phrase scoped to a field (`title:"..."`,
`source:"..."`) is analyzed as that field is.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from whoosh import query as wq

from kliping.files.sanitize import one_line
from kliping.search.analysis import analyzer_for, fold, plain_analyzer
from kliping.search.schema import ALL_BODY_FIELDS, ALL_TITLE_FIELDS, EXACT_FIELD, TEXT_FIELDS, TITLE_OF_BODY

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 64
# Brackets nest at most this deep. The parser, Whoosh's query objects and everything that walks
# them recurse once or more per level: 330 levels fit in 1,000 characters and passed Python's
# recursion limit (1,000 frames). At 20 a query uses a few hundred frames at most.
MAX_DEPTH = 20
MIN_PREFIX = 2

_PLAIN = plain_analyzer()
# field name in the query language -> index fields searched
_FIELD_ALIASES = {
    "title": ALL_TITLE_FIELDS,
    "judul": ALL_TITLE_FIELDS,
    "body": ALL_BODY_FIELDS,
    "source": ("source",),
    "sumber": ("source",),
    "author": ("authors",),
    "authors": ("authors",),
    "penulis": ("authors",),
    "tag": ("tags",),
    "tags": ("tags",),
}
_ID_FIELDS = {"lang": "language", "language": "language", "bahasa": "language", "kind": "kind"}
_FIELD_ANALYZERS = {
    **{name: analyzer_for(lang) for lang, pair in TEXT_FIELDS.items() for name in pair},
    "source": _PLAIN,
    "authors": _PLAIN,
    "tags": _PLAIN,
}
_OPERATORS = {"AND", "OR", "NOT"}
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_FUZZY = re.compile(r"(.+?)~([12]?)")


@dataclass(slots=True)
class ParsedQuery:
    query: wq.Query | None  # what must match
    messages: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # plain words, for "did you mean"
    error: str | None = None  # why the query was refused (also in messages): not a non-match

    def ranked(self) -> wq.Query | None:
        """The query to rank with: what must match, plus its words in titles as an optional boost."""
        if self.query is None:
            return None
        in_titles = _or([q for q in _positive_leaves(self.query) if q is not None])
        return wq.AndMaybe(self.query, in_titles) if in_titles is not None else self.query

    @property
    def message(self) -> str | None:
        return " ".join(dict.fromkeys(self.messages)) or None


# -- lexing ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Lexeme:
    kind: str  # "word", "phrase", "open", "close", "op"
    text: str
    negated: bool = False
    field: str | None = None


def _lex(text: str, messages: list[str]) -> list[_Lexeme]:
    lexemes: list[_Lexeme] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        negated = False
        if c == "-" and i + 1 < n and not text[i + 1].isspace():
            negated, i = True, i + 1
            c = text[i]
        fieldname = None
        match = re.match(r"([A-Za-z]+):(?=\S)", text[i:])
        if match and match.group(1).lower() in (*_FIELD_ALIASES, *_ID_FIELDS, "date", "tanggal"):
            fieldname = match.group(1).lower()
            i += match.end()
            c = text[i]
        if c == '"':
            end = text.find('"', i + 1)
            if end < 0:
                messages.append("The closing quote was missing; searched the phrase to the end.")
                end = n
            lexemes.append(_Lexeme("phrase", text[i + 1 : end], negated, fieldname))
            i = end + 1
        elif c == "(" and fieldname is None:
            lexemes.append(_Lexeme("open", c, negated))
            i += 1
        elif c == ")" and fieldname is None and not negated:
            lexemes.append(_Lexeme("close", c))
            i += 1
        else:
            end = i
            while end < n and not text[end].isspace() and text[end] not in '()"':
                end += 1
            if end == i:  # a lone "-" before a bracket or quote handled above; skip the char
                end = i + 1
            word = text[i:end]
            if word in _OPERATORS and not negated and fieldname is None:
                lexemes.append(_Lexeme("op", word))
            else:
                lexemes.append(_Lexeme("word", word, negated, fieldname))
            i = end
    return lexemes


def _nesting(lexemes: list[_Lexeme]) -> int:
    """How deep the parser will recurse into brackets: an unclosed one is closed at the end, a
    closing one without an opening one is ignored, as :class:`_Parser` does."""
    depth = deepest = 0
    for lex in lexemes:
        if lex.kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif lex.kind == "close" and depth:
            depth -= 1
    return deepest


# -- parsing --------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, lexemes: list[_Lexeme], messages: list[str], words: list[str], any_word: bool) -> None:
        self.lexemes = lexemes
        self.any_word = any_word
        self.pos = 0
        self.messages = messages
        self.words = words
        self.clauses = 0

    def peek(self) -> _Lexeme | None:
        return self.lexemes[self.pos] if self.pos < len(self.lexemes) else None

    def parse(self) -> wq.Query | None:
        result = self.parse_or()
        while self.peek() is not None:  # stray ")" at top level
            self.pos += 1
            self.messages.append("An unmatched closing bracket was ignored.")
            more = self.parse_or()
            result = _and([result, more])
        return result

    def parse_or(self) -> wq.Query | None:
        branches = [self.parse_and()]
        while (lex := self.peek()) is not None and lex.kind == "op" and lex.text == "OR":
            self.pos += 1
            branches.append(self.parse_and())
        return _or([b for b in branches if b is not None])

    def parse_and(self) -> wq.Query | None:
        positive: list[wq.Query] = []
        negative: list[wq.Query] = []
        while (lex := self.peek()) is not None and not (lex.kind == "close" or (lex.kind == "op" and lex.text == "OR")):
            negate = False
            if lex.kind == "op":
                self.pos += 1
                if lex.text == "NOT":
                    negate = True
                    lex = self.peek()
                    if lex is None or lex.kind in ("close", "op"):
                        self.messages.append("NOT needs a word after it; it was ignored.")
                        continue
                else:
                    continue  # AND is what plain words mean anyway
            unary = self.parse_unary()
            if unary is None:
                continue
            negated, clause = unary
            (negative if negated != negate else positive).append(clause)
        if negative and not positive:
            positive = [wq.Every()]
        result = _or(positive) if self.any_word and len(positive) > 1 else _and(positive)
        excluded = _or(negative)
        if excluded is not None and result is not None:
            result = wq.AndNot(result, excluded)
        return result

    def parse_unary(self) -> tuple[bool, wq.Query] | None:
        lex = self.lexemes[self.pos]
        self.pos += 1
        if lex.kind == "open":
            inner = self.parse_or()
            if (close := self.peek()) is not None and close.kind == "close":
                self.pos += 1
            else:
                self.messages.append("A bracket was not closed; closed it at the end.")
            return (lex.negated, inner) if inner is not None else None
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            if self.clauses == MAX_CLAUSES + 1:
                self.messages.append(f"Only the first {MAX_CLAUSES} words were searched.")
            return None
        built = self.build(lex)
        return (lex.negated, built) if built is not None else None

    # -- one clause ---------------------------------------------------------------------------

    def build(self, lex: _Lexeme) -> wq.Query | None:
        fieldname = lex.field
        if fieldname in ("date", "tanggal"):
            return self.build_date(lex.text)
        if fieldname in _ID_FIELDS:
            value = fold(lex.text.strip())
            return wq.Term(_ID_FIELDS[fieldname], value) if value else None
        fields = _FIELD_ALIASES.get(fieldname, ALL_BODY_FIELDS) if fieldname else ALL_BODY_FIELDS
        if lex.kind == "phrase":
            return self.build_phrase(lex.text, fields)
        word = lex.text
        if word.endswith("*"):
            return self.build_prefix(word.rstrip("*"), fields)
        fuzzy = _FUZZY.fullmatch(word)
        if fuzzy:
            return self.build_fuzzy(fuzzy.group(1), int(fuzzy.group(2) or 1), fields)
        if not lex.negated and fieldname is None:
            self.words.append(word)
        return self.build_words(word, fields)

    def build_words(self, text: str, fields: tuple[str, ...]) -> wq.Query | None:
        """A word (or a run of tokens like `covid-19`) in each field, OR'ed across fields.

        A word that any language drops as a stop word is dropped everywhere: otherwise `dan`
        would be required in English fields only, and Indonesian articles could not match."""
        per_field: list[wq.Query] = []
        for name in fields:
            tokens = _analyze(name, text)
            if not tokens:
                if name in TITLE_OF_BODY and _tokens(_PLAIN, text):
                    return None  # a stop word
                continue
            per_field.append(_term_or_phrase(name, tokens))
        return _or(per_field)

    def build_phrase(self, text: str, fields: tuple[str, ...]) -> wq.Query | None:
        """Unscoped (or `body:`): the exact words in order. Scoped: as the field is analyzed."""
        if fields == ALL_BODY_FIELDS:
            words = _tokens(_PLAIN, text)
            built = _term_or_phrase(EXACT_FIELD, words) if words else None
        else:
            built = _or([_term_or_phrase(name, tokens) for name in fields if (tokens := _analyze(name, text))])
        if built is None and text.strip():
            self.messages.append(f"The phrase “{one_line(text)[:40]}” has no words to search for; it was ignored.")
        return built

    def build_prefix(self, stem: str, fields: tuple[str, ...]) -> wq.Query | None:
        tokens = _tokens(_PLAIN, stem)
        if len(tokens) != 1 or len(tokens[0]) < MIN_PREFIX:
            self.messages.append(f"A prefix needs at least {MIN_PREFIX} letters before *; “{one_line(stem)[:40]}*” was ignored.")
            return None
        return _or([wq.Prefix(name, tokens[0]) for name in fields])

    def build_fuzzy(self, word: str, maxdist: int, fields: tuple[str, ...]) -> wq.Query | None:
        per_field = []
        for name in fields:
            tokens = _analyze(name, word)
            if len(tokens) == 1:
                per_field.append(wq.FuzzyTerm(name, tokens[0], maxdist=maxdist, prefixlength=1))
        return _or(per_field)

    def build_date(self, text: str) -> wq.Query | None:
        start_text, dots, end_text = text.partition("..")
        try:
            start = _date_key(start_text) if start_text else None
            end = _date_key(end_text) if end_text else None
        except ValueError:
            self.messages.append(
                f"date:{one_line(text)[:30]} is not a date; use date:2024, date:2024-12, "
                "date:2024-12-06 or date:2023..2024. It was ignored."
            )
            return None
        if not dots:
            return wq.ConstantScoreQuery(wq.Term(*start), 0.0) if start else None
        if start is None and end is None:
            return None
        # Compare at the finer precision of the two ends: 2019..2019-09-15 runs over days
        # from 2019-01-01 (articles whose date is known only to a coarser precision fall out).
        precision = max((key[0] for key in (start, end) if key), key=_PRECISIONS.index)
        low = _widen(start[1], precision, first=True) if start else None
        high = _widen(end[1], precision, first=False) if end else None
        return wq.ConstantScoreQuery(wq.TermRange(precision, low, high), 0.0)


_PRECISIONS = ("year", "month", "day")


def _date_key(text: str) -> tuple[str, str]:
    """`2024` -> ("year", "2024"), `2024-1` -> ("month", "2024-01"), `2024-12-6` -> ("day", "2024-12-06")."""
    match = _DATE.fullmatch(text.strip())
    if not match:
        raise ValueError(text)
    year = int(match.group(1))
    if match.group(2) is None:
        return "year", f"{year:04d}"
    month = int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(text)
    if match.group(3) is None:
        return "month", f"{year:04d}-{month:02d}"
    day = int(match.group(3))
    dt.date(year, month, day)  # raises ValueError for 31 February
    return "day", f"{year:04d}-{month:02d}-{day:02d}"


def _widen(key: str, precision: str, first: bool) -> str:
    """A date key padded to ``precision``: its first (or last) month and day."""
    year = int(key[:4])
    month = int(key[5:7]) if len(key) > 4 else (1 if first else 12)
    if precision == "year":
        return key[:4]
    if precision == "month":
        return f"{year:04d}-{month:02d}"
    day = int(key[8:10]) if len(key) > 7 else (1 if first else calendar.monthrange(year, month)[1])
    return f"{year:04d}-{month:02d}-{day:02d}"


def _positive_leaves(q: wq.Query):
    """The words and phrases the query asks for in bodies (not under NOT), as title clauses.
    An exact phrase lifts titles holding its stems in order: titles are indexed stemmed only."""
    if isinstance(q, wq.AndNot):
        yield from _positive_leaves(q.a)
    elif isinstance(q, wq.Not):
        return
    elif isinstance(q, (wq.Term, wq.Phrase)) and not isinstance(q, (wq.Prefix, wq.FuzzyTerm)):
        if q.fieldname == EXACT_FIELD:
            text = " ".join(exact_words(q))
            for title in ALL_TITLE_FIELDS:
                if tokens := _analyze(title, text):
                    yield _term_or_phrase(title, tokens)
            return
        title_field = TITLE_OF_BODY.get(q.fieldname)
        if title_field is not None:
            yield wq.Term(title_field, q.text) if isinstance(q, wq.Term) else wq.Phrase(title_field, q.words)
    elif isinstance(q, wq.CompoundQuery):
        for sub in q.subqueries:
            yield from _positive_leaves(sub)


def exact_words(q: wq.Term | wq.Phrase) -> list[str]:
    """The words of an exact phrase, from its query on the exact field (a word or a phrase)."""
    return list(q.words) if isinstance(q, wq.Phrase) else [q.text]


def restrict_to_fields(q: wq.Query | None, present: set[str]) -> wq.Query | None:
    """``q`` without clauses on fields the index has no terms in (an English field in an all-
    Indonesian library): an OR loses them, an AND with one can match nothing."""
    if q is None:
        return None
    if isinstance(q, wq.AndNot):
        a, b = restrict_to_fields(q.a, present), restrict_to_fields(q.b, present)
        return a if b is None or a is None else wq.AndNot(a, b)
    if isinstance(q, wq.AndMaybe):
        a, b = restrict_to_fields(q.a, present), restrict_to_fields(q.b, present)
        return a if b is None or a is None else wq.AndMaybe(a, b)
    if isinstance(q, wq.Or):
        return _or([s for s in (restrict_to_fields(sub, present) for sub in q.subqueries) if s is not None])
    if isinstance(q, wq.And):
        parts = [restrict_to_fields(sub, present) for sub in q.subqueries]
        return None if any(s is None for s in parts) else _and(parts)
    if isinstance(q, wq.Every):
        return q
    fieldname = getattr(q, "fieldname", None)
    return q if fieldname is None or fieldname in present else None


def _tokens(analyzer, text: str) -> list[str]:
    return [t.text for t in analyzer(text, mode="query")]


def _analyze(fieldname: str, text: str) -> list[str]:
    return _tokens(_FIELD_ANALYZERS[fieldname], text)


def _term_or_phrase(fieldname: str, terms: list[str]) -> wq.Query:
    return wq.Term(fieldname, terms[0]) if len(terms) == 1 else wq.Phrase(fieldname, terms)


def _and(parts: Sequence[wq.Query | None]) -> wq.Query | None:
    kept = [p for p in parts if p is not None]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else wq.And(kept)


def _or(parts: Sequence[wq.Query]) -> wq.Query | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def parse_query(text: str, any_word: bool = False) -> ParsedQuery:
    """Parse any string into a Whoosh query (or None when there is nothing to search for).

    ``any_word``: plain words mean any of them (OR) instead of all of them; search falls back to
    this when no article has all the words, and BM25 still ranks articles with more of them first."""
    messages: list[str] = []
    words: list[str] = []
    clean = " ".join(one_line(text or "").split())
    if len(clean) > MAX_QUERY_CHARS:
        clean = clean[:MAX_QUERY_CHARS]
        messages.append(f"The query was cut to its first {MAX_QUERY_CHARS} characters.")
    lexemes = _lex(clean, messages)
    if (depth := _nesting(lexemes)) > MAX_DEPTH:
        error = f"Brackets are nested {depth} deep, more than {MAX_DEPTH}; nothing was searched."
        return ParsedQuery(None, [*messages, error], words, error)
    result = _Parser(lexemes, messages, words, any_word).parse()
    if result is None:
        if clean:
            messages.append("Nothing to search for: the query has only common words or punctuation.")
        else:
            messages.append("Type some words to search for.")
    return ParsedQuery(result, messages, words)
