"""The article model: what kliping knows about one article once it has been read and cleaned."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

MONTHS_SHORT_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


@dataclass(frozen=True, slots=True)
class PublishedDate:
    """A publication date whose year (or day) may be unknown: `Senin (6/11)` has no year.

    Unknown parts stay ``None``; they are never guessed.
    """

    year: int | None
    month: int | None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if self.day is not None and not 1 <= self.day <= 31:
            raise ValueError(f"day out of range: {self.day}")
        if self.year is not None and self.month is not None and self.day is not None:
            dt.date(self.year, self.month, self.day)  # raises ValueError for 31 February

    def iso(self) -> str:
        """ISO 8601 where possible; unknown parts as ``--`` (``--11-06`` is 6 November, year unknown)."""
        year = f"{self.year:04d}" if self.year is not None else "-"
        if self.month is None:
            return year
        month = f"-{self.month:02d}"
        day = f"-{self.day:02d}" if self.day is not None else ""
        return f"{year}{month}{day}" if self.year is not None else f"--{self.month:02d}{day}"

    @classmethod
    def from_iso(cls, text: str) -> PublishedDate:
        """Parse what :meth:`iso` writes (and plain ISO dates / datetimes)."""
        text = text.strip()
        if text.startswith("--"):
            parts = text[2:].split("-")
            return cls(None, int(parts[0]), int(parts[1]) if len(parts) > 1 else None)
        parts = text[:10].split("-")
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else None
        day = int(parts[2]) if len(parts) > 2 else None
        return cls(year, month, day)

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year or 0, self.month or 0, self.day or 0)

    def display(self) -> str:
        """Short human form: ``6 Des 2024``, ``6 Nov`` (year unknown), ``Des 2024``."""
        parts: list[str] = []
        if self.day is not None:
            parts.append(str(self.day))
        if self.month is not None:
            parts.append(MONTHS_SHORT_ID[self.month - 1])
        if self.year is not None:
            parts.append(str(self.year))
        return " ".join(parts)

    def __str__(self) -> str:
        return self.iso()


@dataclass(frozen=True, slots=True)
class Article:
    """One clean article.

    ``paragraphs`` is the clean body; :attr:`text` joins them with blank lines and is *the* text
    that search highlight offsets and bookmark anchors point into. ``original`` keeps the raw text
    as read, so nothing is lost by cleaning.
    """

    id: str
    title: str
    paragraphs: tuple[str, ...]
    original: str = ""
    title_derived: bool = False
    source: str | None = None
    authors: tuple[str, ...] = ()
    editor: str | None = None
    published: PublishedDate | None = None
    place: str | None = None
    language: str = "id"
    url: str | None = None
    path: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def word_count(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)

    def reading_minutes(self, words_per_minute: int = 200) -> int:
        return max(1, round(self.word_count / words_per_minute))

    def metadata(self) -> dict:
        """Everything but the body, as plain JSON-able values (for `reader list --json`)."""
        return {"id": self.id, **metadata_json(self), "path": self.path, "extra": self.extra}

    def to_dict(self) -> dict:
        """Metadata plus the clean body (for `reader show --json`)."""
        return {**self.metadata(), "paragraphs": list(self.paragraphs), "text": self.text}


class ArticleMetadata(Protocol):
    """What an article and the library catalog's entry for it both carry (read-only)."""

    @property
    def title(self) -> str: ...
    @property
    def title_derived(self) -> bool: ...
    @property
    def source(self) -> str | None: ...
    @property
    def authors(self) -> tuple[str, ...]: ...
    @property
    def editor(self) -> str | None: ...
    @property
    def published(self) -> PublishedDate | None: ...
    @property
    def place(self) -> str | None: ...
    @property
    def language(self) -> str: ...
    @property
    def url(self) -> str | None: ...


def metadata_json(article: ArticleMetadata) -> dict:
    """The metadata of an article or of its catalog entry as JSON-able values, in the order that
    `reader list --json` and `reader show --json` print them and `reader import` writes them."""
    return {
        "title": article.title,
        "title_derived": article.title_derived,
        "source": article.source,
        "authors": list(article.authors),
        "editor": article.editor,
        "published": article.published.iso() if article.published else None,
        "place": article.place,
        "language": article.language,
        "url": article.url,
    }
