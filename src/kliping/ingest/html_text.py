"""The main text of a saved web page.

trafilatura (a well-kept extraction library) finds the article among a page's navigation, ads and
comments much better than hand code. When it finds nothing (a very short page, odd markup), a
plain reading with the standard library's parser keeps the visible block text, without scripts,
styles, navigation, headers, footers and forms.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass(frozen=True, slots=True)
class Page:
    title: str | None
    text: str  # one paragraph a line
    url: str | None = None
    site: str | None = None
    author: str | None = None
    date: str | None = None


def extract_html(html: str) -> Page:
    page = _extract_with_trafilatura(html)
    if page is not None and page.text.strip():
        return page
    fallback = _extract_with_parser(html)
    if page is not None and not fallback.title:
        return Page(page.title, fallback.text)
    return fallback


def _extract_with_trafilatura(html: str) -> Page | None:
    try:
        import trafilatura
    except ImportError:
        return None
    try:
        found = trafilatura.extract(
            html, output_format="json", with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception:  # a page the extractor chokes on still gets the plain reading
        return None
    if not found:
        return None
    data = json.loads(found)
    return Page(
        title=data.get("title") or None,
        text=data.get("text") or "",
        url=data.get("source") or data.get("url") or None,
        site=data.get("sitename") or None,
        author=data.get("author") or None,
        date=data.get("date") or None,
    )


_SKIPPED = frozenset(("script", "style", "nav", "header", "footer", "aside", "form", "noscript",
                      "template", "svg", "iframe", "button", "select", "head"))
_BLOCKS = frozenset(("p", "div", "section", "article", "main", "li", "blockquote", "h1", "h2",
                     "h3", "h4", "h5", "h6", "br", "tr", "td", "pre", "figcaption", "dd", "dt"))
_VOID = frozenset(("br", "img", "hr", "meta", "link", "input", "source", "wbr"))


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.stack: list[str] = []
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.title: list[str] = []
        self.h1: list[str] = []
        self.in_title = False
        self.in_h1 = False

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "title":
            self.in_title = True
        if tag in _VOID:
            if tag == "br":
                self._flush()
            return
        self.stack.append(tag)
        if tag in _SKIPPED:
            self.skip_depth += 1
        if tag == "h1":
            self.in_h1 = True
        if tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            if open_tag in _SKIPPED:
                self.skip_depth -= 1
            if open_tag == "h1":
                self.in_h1 = False
            if open_tag == tag:
                break
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if self.skip_depth:
            return
        if self.in_h1:
            self.h1.append(data)
        self.current.append(data)


def _extract_with_parser(html: str) -> Page:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    parser._flush()
    h1 = " ".join("".join(parser.h1).split())
    title = h1 or re.split(r"\s+[|–—-]\s+", " ".join("".join(parser.title).split()))[0]
    return Page(title or None, "\n".join(parser.blocks))
