"""Reading article files into Articles: plain text, Markdown, HTML and JSON Lines datasets.

`read_articles` never raises on bad content: what it can read becomes articles, and every problem
becomes one line naming the file (and line); a dataset says the first MAX_PROBLEMS_PER_FILE of its
records' problems and how many more there were.
Only failing to read the file at all is an OSError: among them NotARegularFile for a FIFO or a
device (opened without blocking, never drained) and FileTooLarge past MAX_ARTICLE_BYTES.
Plain text and Markdown, the common case, import nothing heavy: HTML extraction (trafilatura) and
YAML are loaded only when a file needs them.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import itertools
import json
import re
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from kliping.articles.dates import parse_date, reconcile_with_url
from kliping.articles.model import Article, PublishedDate
from kliping.files.regular_file import open_regular, read_regular
from kliping.ingest.cleaning import (
    Cleaned,
    clean_article_text,
    derive_title,
    detect_language,
    normalize_spaces,
    split_comma_joined,
)
from kliping.ingest.decoding import decode_bytes, decode_file, normalize_newlines, repair_mojibake
from kliping.ingest.markdown_text import split_front_matter

TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES

# Keys with a meaning of their own, in front matter and in dataset records; any other key is
# kept in the article's `extra`.
TEXT_KEYS = ("content", "text", "body")
KNOWN_KEYS = frozenset(
    ("id", "title", "title_derived", "source", "author", "authors", "editor", "published", "date",
     "place", "language", "lang", "url", "extra", "original", *TEXT_KEYS)
)


# A file with more problems than this reports the first ones and a count of the rest: a 3 KB gzip
# of a million `{}` lines would otherwise print (and catalog) a million lines.
MAX_PROBLEMS_PER_FILE = 20
# A text, Markdown or HTML article: twice the largest tested (50 MB), far past any real one.
MAX_ARTICLE_BYTES = 100 * 1024 * 1024
# One dataset record; a longer line (a file of zeros has no newline at all) is skipped unkept.
MAX_LINE_BYTES = 32 * 1024 * 1024
# Deflate packs at most about 1,000 to 1; text and JSON, 3 to 10. A stream that has unpacked to
# more than MIN_BOMB_BYTES at over MAX_RATIO times its packed size is a compression bomb.
MAX_RATIO = 200
MIN_BOMB_BYTES = 4 * 1024 * 1024
# JSON records nested deeper are skipped: their metadata would be front matter too deep to read
# back (kliping.files.yamlfile.MAX_DEPTH), and no real dataset nests so deep.
MAX_RECORD_DEPTH = 50


_ONE_VALUE_KEYS = ("title", "title_derived", "source", "editor", "place", "language", "lang", "url")


def is_article_file(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


@dataclass(slots=True)
class ReadResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class KnownRecord:
    """A dataset record that the caller of :func:`iter_articles` said it has already, unread."""

    line: int
    id: str


# Asked of each dataset record before it is cleaned: (line number, the line, the article id it
# gets); True means the caller has it already and a KnownRecord stands in for the article.
Known = Callable[[int, str, str], bool]


def path_id(relpath: str, line: int | None = None) -> str:
    """A stable id from where an article lives: the same file (and line) always gets the same id."""
    key = relpath if line is None else f"{relpath}:{line}"
    return hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def read_articles(path: Path, *, relpath: str, data: bytes | None = None) -> ReadResult:
    """Read the article(s) in one file. ``data``, when given, is the file's content already read."""
    result = ReadResult()
    for item in iter_articles(path, relpath=relpath, data=data):
        if isinstance(item, Article):
            result.articles.append(item)
        elif isinstance(item, str):
            result.errors.append(item)
    return result


def iter_articles(
    path: Path, *, relpath: str, data: bytes | None = None, known: Known | None = None
) -> Iterator[Article | str | KnownRecord]:
    """The article(s) in one file and the problems found, one at a time, in file order.

    A JSON Lines dataset is read a line at a time, so importing one of any size holds only the
    record at hand in memory. Problems are strings naming the file (and line); past
    MAX_PROBLEMS_PER_FILE, one more line says how many others there were. A dataset record that
    ``known`` says the caller has already is not cleaned: a KnownRecord comes in its place.
    """
    name = str(path).lower()
    if name.endswith(JSONL_SUFFIXES):
        whole_file: list[str] = []  # damaged, cut off, a bomb: said after the records, never counted away
        yield from _capped(path, _iter_jsonl(Path(path), relpath, data, whole_file, known))
        yield from whole_file
        return
    raw = read_regular(path, MAX_ARTICLE_BYTES) if data is None else data
    decoded = decode_file(raw)
    if isinstance(decoded, str):
        yield f"{path}: {decoded}, not text; skipped"
        return
    if decoded.replaced:
        yield f"{path}: {decoded.replaced} byte(s) are not valid {decoded.encoding}; shown as �"
    text = decoded.text
    if not text.strip():
        yield f"{path}: empty file"
        return
    errors: list[str] = []
    article = _read_html(text, relpath) if name.endswith(HTML_SUFFIXES) else _read_text(path, text, relpath, errors)
    yield from errors
    if article.paragraphs or article.title:
        yield article
    else:
        yield f"{path}: no article text found"


# --- plain text and Markdown -----------------------------------------------------------------


def _read_text(path: Path, text: str, relpath: str, errors: list[str]) -> Article:
    front = split_front_matter(text) if text.startswith("---") else None
    if front is None or front.data is None:
        if front is not None and front.error:
            errors.append(f"{path}: {front.error}; read as plain text")
        body = front.body if front is not None and front.error else text
        return _article(path_id(relpath), clean_article_text(body), {}, text, relpath)
    errors.extend(f"{path}: front matter {problem}; kept as text" for problem in front.kept_as_text)
    meta = dict(front.data)
    article_id = _text_value(meta.get("id")) or path_id(relpath)
    if "original" in meta:
        # Written by `reader import`: the body is already the clean text, paragraph by paragraph.
        paragraphs = [p.strip() for p in front.body.split("\n\n") if p.strip()]
        cleaned = Cleaned(title=None, paragraphs=paragraphs)
        original = str(meta.get("original") or "")
    else:
        cleaned = clean_article_text(front.body, title=_text_value(meta.get("title")))
        original = text
    return _article(article_id, cleaned, meta, original, relpath, errors=errors, where=str(path))


def _text_value(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = normalize_spaces(str(value))
    return text or None


def _names_value(value: object) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [n for n in (_text_value(v) for v in value) if n]
    text = _text_value(value)
    return [n.strip() for n in text.split(",") if n.strip()] if text else []


def _date_value(value: object, url: str | None) -> PublishedDate | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PublishedDate(value.year, value.month, value.day)
    text = _text_value(value)
    return reconcile_with_url(parse_date(text), url) if text else None


def _article(
    article_id: str,
    cleaned: Cleaned,
    meta: dict,
    original: str,
    relpath: str,
    *,
    errors: list[str] | None = None,
    where: str = "",
) -> Article:
    """Combine what the cleaner found with the metadata the file states (stated metadata wins)."""
    url = _text_value(meta.get("url"))
    title = _text_value(meta.get("title"))
    title_derived = bool(meta.get("title_derived")) if title else False
    if not title:
        title = cleaned.title
    if not title:
        title, title_derived = derive_title(cleaned.paragraphs) or "(untitled)", True
    published = cleaned.published
    extra = {k: v for k, v in meta.items() if k not in KNOWN_KEYS}
    # A list or an object where one value belongs (a title) is kept as it was, not dropped.
    extra.update((k, meta[k]) for k in _ONE_VALUE_KEYS if isinstance(meta.get(k), (dict, list)))
    for key in ("published", "date"):
        if meta.get(key) not in (None, ""):
            stated = _date_value(meta[key], url)
            if stated is not None:
                published = stated
            else:
                # Kept as written, so nothing is lost, but not guessed at.
                extra[f"{key}_text"] = str(meta[key])
                if errors is not None:
                    errors.append(f"{where}: {key} {str(meta[key])!r} is not a date I can read; kept as text")
            break
    if isinstance(meta.get("extra"), dict):
        extra = {**meta["extra"], **extra}
    elif meta.get("extra") is not None:
        extra["extra"] = meta["extra"]
    if cleaned.credit and "credit" not in extra:
        extra["credit"] = cleaned.credit
    language = _text_value(meta.get("language") or meta.get("lang"))
    if language not in ("id", "en"):
        language = detect_language(" ".join(cleaned.paragraphs))
    authors = _names_value(meta.get("authors")) or _names_value(meta.get("author")) or cleaned.authors
    return Article(
        id=article_id,
        title=title,
        paragraphs=tuple(cleaned.paragraphs),
        original=original,
        title_derived=title_derived,
        source=_text_value(meta.get("source")) or cleaned.source,
        authors=tuple(authors),
        editor=_text_value(meta.get("editor")) or cleaned.editor,
        published=published,
        place=_text_value(meta.get("place")) or cleaned.place,
        language=language,
        url=url,
        path=relpath,
        extra=_plain_mapping(extra),
    )


def _plain_mapping(mapping: dict) -> dict:
    return {str(k): _plain(v) for k, v in mapping.items()}


def _plain(value: object) -> object:
    """JSON-able copy of YAML/JSON metadata (YAML dates become ISO strings)."""
    if isinstance(value, dict):
        return _plain_mapping(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


# --- HTML ----------------------------------------------------------------------------------------


def _read_html(html: str, relpath: str) -> Article:
    from kliping.ingest.html_text import extract_html

    page = extract_html(html)
    cleaned = clean_article_text(page.text, title=page.title)
    meta = {"url": page.url, "source": page.site, "author": page.author, "date": page.date}
    return _article(path_id(relpath), cleaned, {k: v for k, v in meta.items() if v}, html, relpath)


# --- JSON Lines datasets -------------------------------------------------------------------------


_CHUNK = 1 << 20


def _chunks(path: Path, data: bytes | None, problems: list[str]) -> Iterator[bytes]:
    """The file's bytes a megabyte at a time, gunzipped (every member) for `.gz`. The file is
    opened only if it is a regular file (a FIFO would block, /dev/zero never end)."""
    gzipped = str(path).lower().endswith(".gz")
    with (io.BytesIO(data) if data is not None else open_regular(path)) as source:
        if gzipped:
            yield from _gunzip(path, source, problems)
            return
        while chunk := source.read(_CHUNK):
            yield chunk


def _gunzip(path: Path, source: BinaryIO, problems: list[str]) -> Iterator[bytes]:
    """Unpacked data at most a megabyte at a time, however densely packed. A damaged or cut-off
    stream gives what came before the damage, and a problem; so does a compression bomb."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pending = False  # input given to the current member that has not reached its end
    packed = unpacked = 0
    data = b""
    full = False  # the last call filled its megabyte: zlib may hold more output without more input
    while True:
        if not data and not full:
            data = source.read(_CHUNK)
            packed += len(data)
            if not data:
                break
        pending = pending or bool(data)  # only input given to the current member counts
        try:
            out = decompressor.decompress(data, _CHUNK)
        except zlib.error:
            problems.append(f"{path}: damaged gzip data; read what came before it")
            return
        full = len(out) == _CHUNK
        unpacked += len(out)
        used = packed - len(decompressor.unconsumed_tail)
        if unpacked > MIN_BOMB_BYTES and unpacked > MAX_RATIO * used:
            problems.append(f"{path}: unpacks to over {MAX_RATIO} times its size, as a compression bomb does; "
                            f"read the first {unpacked >> 20} MB")
            return
        if out:
            yield out
        if decompressor.eof:
            data, pending = decompressor.unused_data, False
            decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        else:
            data = decompressor.unconsumed_tail
    if pending:
        problems.append(f"{path}: gzip data is cut off; read what was there")


def _split_lines(chunks: Iterator[bytes]) -> Iterator[tuple[bytes | None, bool]]:
    """(line, whether a newline ended it) for each line of a stream of chunks; None for a line
    longer than MAX_LINE_BYTES, whose bytes are dropped as they come instead of kept."""
    parts: list[bytes] = []  # the current line's pieces so far
    size = 0
    overlong = False
    for chunk in chunks:
        *ended, tail = chunk.split(b"\n")
        for piece in ended:
            if overlong or size + len(piece) > MAX_LINE_BYTES:
                yield None, True
            else:
                yield (b"".join((*parts, piece)) if parts else piece), True
            parts, size, overlong = [], 0, False
        if tail and not overlong:
            size += len(tail)
            overlong = size > MAX_LINE_BYTES
            parts = [] if overlong else [*parts, tail]
    if overlong:
        yield None, False
    elif parts:
        yield b"".join(parts), False


def _as_utf8(chunks: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    """UTF-16 or UTF-32 chunks as UTF-8 ones, decoded as they come (never the whole file)."""
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    for chunk in chunks:
        yield decoder.decode(chunk).encode("utf-8")
    yield decoder.decode(b"", True).encode("utf-8")


def _text_lines(path: Path, data: bytes | None, problems: list[str]) -> Iterator[tuple[int, str | None, bool]]:
    """(line number, text, whether a newline ended it) for each line of a JSON Lines file; text
    is None for a line longer than MAX_LINE_BYTES.

    UTF-8 (the JSON standard) is decoded line by line; a file in UTF-16 or UTF-32, which no
    line splitting on bytes can handle, is turned into UTF-8 first. A binary file gives a
    problem instead.
    """
    chunks = _chunks(path, data, problems)
    first = b""
    for first in chunks:
        if first:
            break
    if not first:
        return
    # The first 8 KB say both whether it is text and, by BOM or zero bytes, whether UTF-16 or -32.
    head = decode_file(first[:8192])
    if isinstance(head, str):
        problems.append(f"{path}: {head}, not JSON Lines text; skipped")
        return
    stream: Iterator[bytes] = itertools.chain((first,), chunks)
    encoding = head.encoding
    if encoding.startswith(("utf-16", "utf-32")):
        stream = _as_utf8(stream, encoding)
    elif first.startswith(codecs.BOM_UTF8):
        stream = itertools.chain((first[len(codecs.BOM_UTF8) :],), chunks)
    number = 0
    for raw_line, ended in _split_lines(stream):
        if raw_line is None:
            number += 1
            yield number, None, ended
            continue
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError:
            line = decode_bytes(raw_line).text  # a legacy-encoded line: same guesses as for a file
        if "\r" in line.rstrip("\r"):
            # Old Mac line ends inside what looked like one line.
            parts = normalize_newlines(line).split("\n")
            for i, part in enumerate(parts):
                number += 1
                yield number, part, ended or i < len(parts) - 1
            continue
        number += 1
        yield number, line, ended


def _count_record_ids(path: Path, data: bytes | None) -> dict[str, int]:
    """How many records use each id, from a first quick pass that parses only the lines that can
    hold an `id` key (most datasets have none, and then nothing is parsed)."""
    counts: dict[str, int] = {}
    for _, line, _ in _text_lines(path, data, []):
        if line is None or ('"id"' not in line and "\\u" not in line):
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(record, dict) and (rid := _record_id(record)) is not None:
            counts[rid] = counts.get(rid, 0) + 1
    return counts


def _nested_deeper_than(value: object, limit: int) -> bool:
    """Do ``value``'s lists and objects nest more than ``limit`` levels? Walked without recursion."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _capped(path: Path, items: Iterator[Article | str | KnownRecord]) -> Iterator[Article | str | KnownRecord]:
    """The items, but only the first MAX_PROBLEMS_PER_FILE problems, then a count of the others."""
    problems = 0
    for item in items:
        if isinstance(item, str):
            problems += 1
            if problems > MAX_PROBLEMS_PER_FILE:
                continue
        yield item
    if problems > MAX_PROBLEMS_PER_FILE:
        yield f"{path}: and {problems - MAX_PROBLEMS_PER_FILE:,} more problems in this file"


def _iter_jsonl(
    path: Path, relpath: str, data: bytes | None, problems: list[str], known: Known | None
) -> Iterator[Article | str | KnownRecord]:
    """The records' articles and problems; problems with the whole file go to ``problems``."""
    id_counts = _count_record_ids(path, data)
    reported: set[str] = set()
    too_deep = f"JSON nested more than {MAX_RECORD_DEPTH} levels deep; skipped"
    for number, line, ended in _text_lines(path, data, problems):
        if line is None:
            yield f"{path}:{number}: longer than {MAX_LINE_BYTES >> 20} MB; skipped"
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            cut = "" if ended else " (the line is cut off)"
            yield f"{path}:{number}: not valid JSON: {exc.msg} at column {exc.colno}{cut}"
            continue
        except ValueError:  # the one other refusal: a number too long to turn into an int
            yield f"{path}:{number}: a number of more than {sys.get_int_max_str_digits()} digits; skipped"
            continue
        except RecursionError:
            yield f"{path}:{number}: {too_deep}"
            continue
        if not isinstance(record, dict):
            yield f"{path}:{number}: expected a JSON object, found {type(record).__name__}"
            continue
        if _nested_deeper_than(record, MAX_RECORD_DEPTH):
            yield f"{path}:{number}: {too_deep}"
            continue
        if _SURROGATE_ESCAPE.search(line):
            record = _without_lone_surrogates(record)
        rid = _record_id(record)
        if rid is not None and id_counts.get(rid, 1) > 1:
            if rid not in reported:
                reported.add(rid)
                yield (f"{path}:{number}: id {rid!r} is used by {id_counts[rid]} records; "
                       "they get ids from their line numbers")
            rid = None
        article_id = rid or path_id(relpath, number)
        if known is not None and known(number, line, article_id):
            yield KnownRecord(number, article_id)
            continue
        try:
            article = _record_article(record, article_id, relpath, number)
        except Exception as exc:  # a reader bug costs this record, never the rest of the file
            yield f"{path}:{number}: could not be read ({type(exc).__name__}); please report this"
            continue
        if article is None:
            yield f"{path}:{number}: no article text (expected one of {', '.join(TEXT_KEYS)})"
            continue
        yield article


# JSON may spell half of a UTF-16 pair on its own (`"\\ud800"`); such a character can be neither
# shown nor saved as UTF-8, so it becomes U+FFFD like any other undecodable text.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _without_lone_surrogates(value: object) -> object:
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_lone_surrogates(v) for v in value]
    return value


def _record_id(record: dict) -> str | None:
    value = record.get("id")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    return text or None


def _record_article(record: dict, article_id: str, relpath: str, line: int) -> Article | None:
    body = next((v for k in TEXT_KEYS if isinstance(v := record.get(k), str) and v.strip()), None)
    if body is None:
        return None
    original = body
    body = repair_mojibake(normalize_newlines(body))
    body = split_comma_joined(body)
    meta = dict(record)
    title = _text_value(meta.get("title"))
    if title:
        meta["title"] = title = repair_mojibake(title)
    cleaned = clean_article_text(body, title=title)
    meta = {k: v for k, v in meta.items() if k not in TEXT_KEYS}
    if meta.get("id") not in (None, "") and _record_id(record) != article_id:
        # An id of no usable kind (a list, a fraction) or shared by several records: kept, not used.
        meta["dataset_id"] = meta["id"]
    meta.setdefault("line", line)  # where in the dataset it came from
    return _article(article_id, cleaned, meta, original, relpath)
