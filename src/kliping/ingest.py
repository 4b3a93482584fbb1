"""Reading article files into Articles. (Minimal first version; the full cleaner replaces it.)"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from kliping.article import Article

SUFFIXES = (".txt", ".md")


def is_article_file(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


@dataclass(slots=True)
class ReadResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_articles(path: Path, *, relpath: str, data: bytes | None = None) -> ReadResult:
    raw = Path(path).read_bytes() if data is None else data
    text = raw.decode("utf-8", "replace")
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    if not paragraphs:
        return ReadResult(errors=[f"{path}: empty file"])
    article_id = hashlib.sha1(relpath.encode()).hexdigest()[:16]
    return ReadResult([Article(id=article_id, title=paragraphs[0], paragraphs=tuple(paragraphs[1:]), original=text, path=relpath)])
