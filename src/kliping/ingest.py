"""Reading article files into Articles: plain text, Markdown, HTML and JSON Lines datasets.

`read_articles` never raises on bad content: what it can read becomes articles, and every problem
becomes one line naming the file (and line). Only failing to read the file at all is an OSError.
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
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kliping.article import Article, PublishedDate
from kliping.cleaning import (
    Cleaned,
    clean_article_text,
    derive_title,
    detect_language,
    normalize_spaces,
    split_comma_joined,
)
from kliping.dates import parse_date, reconcile_with_url
from kliping.markdown_text import split_front_matter
from kliping.textio import binary_kind, decode_bytes, normalize_newlines, repair_mojibake

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


def is_article_file(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


@dataclass(slots=True)
class ReadResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


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
        else:
            result.errors.append(item)
    return result


def iter_articles(path: Path, *, relpath: str, data: bytes | None = None) -> Iterator[Article | str]:
    """The article(s) in one file and the problems found, one at a time, in file order.

    A JSON Lines dataset is read a line at a time, so importing one of any size holds only the
    record at hand in memory. Problems are strings naming the file (and line).
    """
    name = str(path).lower()
    if name.endswith(JSONL_SUFFIXES):
        yield from _iter_jsonl(Path(path), relpath, data)
        return
    raw = Path(path).read_bytes() if data is None else data
    if kind := binary_kind(raw):
        yield f"{path}: {kind}, not text; skipped"
        return
    decoded = decode_bytes(raw)
    if decoded.replaced:
        yield f"{path}: {decoded.replaced} byte(s) are not valid {decoded.encoding}; shown as �"
    text = decoded.text
    if not text.strip():
        yield f"{path}: empty file"
        return
    errors: list[str] = []
    if name.endswith(HTML_SUFFIXES):
        article = _read_html(text, relpath)
    else:
        article = _read_text(path, text, relpath, errors)
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
        extra=_plain(extra),
    )


def _plain(value: object) -> object:
    """JSON-able copy of YAML/JSON metadata (YAML dates become ISO strings)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


# --- HTML ----------------------------------------------------------------------------------------


def _read_html(html: str, relpath: str) -> Article:
    from kliping.html_text import extract_html

    page = extract_html(html)
    cleaned = clean_article_text(page.text, title=page.title)
    meta = {"url": page.url, "source": page.site, "author": page.author, "date": page.date}
    return _article(path_id(relpath), cleaned, {k: v for k, v in meta.items() if v}, html, relpath)


# --- JSON Lines datasets -------------------------------------------------------------------------


_CHUNK = 1 << 20


def _chunks(path: Path, data: bytes | None, problems: list[str]) -> Iterator[bytes]:
    """The file's bytes a megabyte at a time, gunzipped (every member) for `.gz`. A damaged or
    cut-off gzip stream gives what came before the damage, and a problem."""
    gzipped = str(path).lower().endswith(".gz")
    with (io.BytesIO(data) if data is not None else open(path, "rb")) as source:
        if not gzipped:
            while chunk := source.read(_CHUNK):
                yield chunk
            return
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = False  # input given to the current member that has not reached its end
        while chunk := source.read(_CHUNK):
            while chunk:
                pending = True
                try:
                    yield decompressor.decompress(chunk)
                except zlib.error as exc:
                    problems.append(f"{path}: damaged gzip data ({exc}); read what came before it")
                    return
                if not decompressor.eof:
                    break
                chunk, pending = decompressor.unused_data, False
                decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        if pending:
            problems.append(f"{path}: gzip data is cut off; read what was there")


def _split_lines(chunks: Iterator[bytes]) -> Iterator[tuple[bytes, bool]]:
    """(line, whether a newline ended it) for each line of a stream of chunks."""
    rest = b""
    for chunk in chunks:
        if not chunk:
            continue
        parts = (rest + chunk).split(b"\n") if rest else chunk.split(b"\n")
        rest = parts.pop()
        for part in parts:
            yield part, True
    if rest:
        yield rest, False


def _text_lines(path: Path, data: bytes | None, problems: list[str]) -> Iterator[tuple[int, str, bool]]:
    """(line number, text, whether a newline ended it) for each line of a JSON Lines file.

    UTF-8 (the JSON standard) is decoded line by line; a file in UTF-16 or UTF-32, which no
    line splitting on bytes can handle, is decoded whole. A binary file gives a problem instead.
    """
    chunks = _chunks(path, data, problems)
    first = b""
    for first in chunks:
        if first:
            break
    if not first:
        return
    if kind := binary_kind(first):
        problems.append(f"{path}: {kind}, not JSON Lines text; skipped")
        return
    if decode_bytes(first[:4096]).encoding.startswith(("utf-16", "utf-32")):
        text = decode_bytes(first + b"".join(chunks)).text
        lines = text.split("\n")
        for number, line in enumerate(lines, 1):
            yield number, line, number < len(lines) or text.endswith("\n")
        return
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8) :]
    number = 0
    for raw_line, ended in _split_lines(itertools.chain((first,), chunks)):
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
        if '"id"' not in line and "\\u" not in line:
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(record, dict) and (rid := _record_id(record)) is not None:
            counts[rid] = counts.get(rid, 0) + 1
    return counts


def _iter_jsonl(path: Path, relpath: str, data: bytes | None) -> Iterator[Article | str]:
    id_counts = _count_record_ids(path, data)
    problems: list[str] = []
    reported: set[str] = set()
    for number, line, ended in _text_lines(path, data, problems):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            cut = "" if ended else " (the line is cut off)"
            yield f"{path}:{number}: not valid JSON: {exc.msg} at column {exc.colno}{cut}"
            continue
        except RecursionError:
            yield f"{path}:{number}: JSON nested too deeply to read"
            continue
        if not isinstance(record, dict):
            yield f"{path}:{number}: expected a JSON object, found {type(record).__name__}"
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
        article = _record_article(record, rid or path_id(relpath, number), relpath, number)
        if article is None:
            yield f"{path}:{number}: no article text (expected one of {', '.join(TEXT_KEYS)})"
            continue
        yield article
    yield from problems


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
        meta["title"] = repair_mojibake(title)
    cleaned = clean_article_text(body, title=meta.get("title"))
    meta = {k: v for k, v in meta.items() if k not in TEXT_KEYS}
    meta.setdefault("line", line)  # where in the dataset it came from
    return _article(article_id, cleaned, meta, original, relpath)
