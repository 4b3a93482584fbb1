"""Bookmarks out of kliping: Markdown to paste into a document, JSON for other programs.

Both group the passages by article, under a citation of the article (title, source, authors,
date, url where known), articles in date order and passages in text order. Article metadata comes
from a lookup (the library catalog), so exporting reads no article files; a bookmark whose article
is no longer in the library is still exported, under its article id.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from kliping.articles.model import PublishedDate
from kliping.bookmarks.model import Bookmark
from kliping.files.sanitize import json_line, one_line, strip_controls


class ArticleInfo(Protocol):
    """What a citation needs; a library CatalogEntry or an Article both fit."""

    title: str
    source: str | None
    authors: tuple[str, ...]
    published: PublishedDate | None
    url: str | None


@dataclass(frozen=True, slots=True)
class ArticleGroup:
    article_id: str
    info: ArticleInfo | None  # None: the article is no longer in the library
    bookmarks: tuple[Bookmark, ...]


def group_by_article(bookmarks: Iterable[Bookmark], lookup: Callable[[str], ArticleInfo | None]) -> list[ArticleGroup]:
    """Bookmarks grouped by article: dated articles oldest first, then undated, then unknown ones."""
    by_article: dict[str, list[Bookmark]] = {}
    for bookmark in bookmarks:
        by_article.setdefault(bookmark.article_id, []).append(bookmark)
    groups = [
        ArticleGroup(article_id, lookup(article_id), tuple(sorted(items, key=Bookmark.sort_key)))
        for article_id, items in by_article.items()
    ]

    def order(group: ArticleGroup) -> tuple:
        info = group.info
        if info is None:
            return (2, (0, 0, 0), "", group.article_id)
        dated = info.published is not None
        date_key = info.published.sort_key() if info.published else (0, 0, 0)
        return (0 if dated else 1, date_key, info.title.casefold(), group.article_id)

    return sorted(groups, key=order)


# -- Markdown -------------------------------------------------------------------------------------

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)
_SAFE_URL = re.compile(r"^https?://[^\s<>]+$")


def escape_markdown(text: str) -> str:
    """Plain text that stays plain in Markdown: no emphasis, links, headings or lists by accident."""
    text = _INLINE_SPECIAL.sub(r"\\\1", strip_controls(text))
    return _LINE_START_SPECIAL.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), text)


def _escape_marker(marker: str) -> str:
    if marker[0].isdigit():
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker


def citation(info: ArticleInfo) -> str:
    """``Source · Author, Author · 6 Des 2024 · <url>`` from whatever of these is known."""
    parts: list[str] = []
    if info.source:
        parts.append(f"*{escape_markdown(one_line(info.source))}*")
    if info.authors:
        parts.append(escape_markdown(", ".join(one_line(a) for a in info.authors)))
    if info.published:
        parts.append(info.published.display())
    if info.url:
        url = one_line(info.url)
        parts.append(f"<{url}>" if _SAFE_URL.match(url) else escape_markdown(url))
    return " · ".join(parts)


def to_markdown(groups: list[ArticleGroup], *, exported: dt.datetime | None = None) -> str:
    """The bookmarks as a Markdown document: a heading and citation per article, then each passage
    as a block quote followed by its note and tags."""
    exported = exported or dt.datetime.now().astimezone()
    count = sum(len(g.bookmarks) for g in groups)
    lines = [
        "# Bookmarks",
        "",
        f"{count} passage{'s' if count != 1 else ''} from {len(groups)} article{'s' if len(groups) != 1 else ''}, "
        f"exported {exported:%Y-%m-%d %H:%M}.",
    ]
    for group in groups:
        lines.append("")
        if group.info is None:
            lines += [f"## Article {escape_markdown(group.article_id)}", "", "*No longer in the library.*"]
        else:
            lines.append(f"## {escape_markdown(one_line(group.info.title)) or escape_markdown(group.article_id)}")
            cited = citation(group.info)
            if cited:
                lines += ["", cited]
        for bookmark in group.bookmarks:
            lines.append("")
            lines += _quote_block(bookmark.quote)
            if bookmark.note:
                lines.append("")
                note_lines = [escape_markdown(line.rstrip()) for line in bookmark.note.splitlines()]
                note_lines[0] = f"**Note:** {note_lines[0]}"
                # Two trailing spaces keep the note's own line breaks; blank lines stay paragraph breaks.
                lines += _hard_breaks(note_lines)
            if bookmark.tags:
                lines += ["", "*Tags:* " + ", ".join(escape_markdown(one_line(t)) for t in bookmark.tags)]
    return "\n".join(lines) + "\n"


def _quote_block(quote: str) -> list[str]:
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", strip_controls(quote).strip())]
    block: list[str] = []
    for paragraph in paragraphs:
        if block:
            block.append(">")
        block.append("> " + escape_markdown(paragraph))
    return block


def _hard_breaks(lines: list[str]) -> list[str]:
    result: list[str] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        result.append(line + "  " if line and following else line)
    return result


# -- JSON -----------------------------------------------------------------------------------------


def to_json(groups: list[ArticleGroup], *, exported: dt.datetime | None = None) -> str:
    """The bookmarks as one JSON document (UTF-8, indented), grouped by article; C1, DEL and bidi
    controls are escaped (``\\u009b``), since the file may be shown in a terminal."""
    exported = exported or dt.datetime.now().astimezone()
    data = {
        "exported": exported.isoformat(timespec="seconds"),
        "articles": [
            {
                "article": _article_json(group),
                "bookmarks": [bookmark_json(b) for b in group.bookmarks],
            }
            for group in groups
        ],
    }
    return json_line(data, indent=2) + "\n"


def _article_json(group: ArticleGroup) -> dict:
    info = group.info
    if info is None:
        return {"id": group.article_id, "in_library": False}
    return {
        "id": group.article_id,
        "in_library": True,
        "title": info.title,
        "source": info.source,
        "authors": list(info.authors),
        "published": info.published.iso() if info.published else None,
        "url": info.url,
    }


def bookmark_json(bookmark: Bookmark) -> dict:
    """One bookmark as plain JSON values (also used by `reader bookmarks list --json`)."""
    return {
        "id": bookmark.id,
        "article_id": bookmark.article_id,
        "quote": bookmark.quote,
        "note": bookmark.note,
        "tags": list(bookmark.tags),
        "start": bookmark.start,
        "end": bookmark.end,
        "created": bookmark.created,
        "updated": bookmark.updated,
    }


FORMATS = {"markdown": to_markdown, "json": to_json}


def export(
    bookmarks: Iterable[Bookmark],
    lookup: Callable[[str], ArticleInfo | None],
    fmt: str = "markdown",
    *,
    exported: dt.datetime | None = None,
) -> str:
    """Export in ``fmt`` (``markdown`` or ``json``); the bookmarks screen and the CLI both use this."""
    return FORMATS[fmt](group_by_article(bookmarks, lookup), exported=exported)
