"""A bookmark: one passage of one article, with the user's note and tags.

What a bookmark is and how its note and tags are kept, apart from the file that stores them
(:mod:`kliping.bookmarks.file_format`) and the locked store that changes it
(:mod:`kliping.bookmarks.store`). The errors are here too: every layer above raises them, and each
``str()`` is one line for the user.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from kliping.bookmarks import anchoring


class BookmarkError(Exception):
    """A bookmark operation that could not be done; ``str()`` is a one-line message for the user."""


class BookmarksReadOnly(BookmarkError):
    """The bookmarks file has a problem, so nothing is written until it is fixed."""


class BookmarksBusy(BookmarkError):
    """Another process held the bookmarks lock for longer than the timeout."""


class BookmarkNotFound(BookmarkError):
    """No bookmark with that id (it may have been deleted by another process)."""


def now_stamp() -> str:
    """The current UTC time as stored in the file (``2024-12-06T09:30:00Z``)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id() -> str:
    """A short random id; 48 bits make a collision in one library vanishingly unlikely."""
    return uuid.uuid4().hex[:12]


def normalize_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as stored: trimmed, without a leading ``#``, no empty ones, no repeats (first spelling kept)."""
    seen: set[str] = set()
    result: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split()).lstrip("#").strip()
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            result.append(tag)
    return tuple(result)


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags typed in one field, separated by commas or spaces: ``"ekonomi, #gaza rusia"``."""
    return normalize_tags(re.split(r"[,\s]+", text))


def normalize_note(note: str) -> str:
    """A note as stored: Unix newlines, no trailing blank space."""
    return note.replace("\r\n", "\n").replace("\r", "\n").rstrip()


@dataclass(frozen=True, slots=True)
class Bookmark:
    """One bookmarked passage of one article, with the user's note and tags.

    ``quote`` is ``text[start:end]`` of the article text it was made on (whose hash is
    ``text_hash``); ``prefix``/``suffix`` are up to 32 characters either side, used to find the
    passage again when the text changes (see :mod:`kliping.bookmarks.anchoring`).
    """

    id: str
    article_id: str
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int
    text_hash: str
    note: str = ""
    tags: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""

    @classmethod
    def new(
        cls, article_id: str, text: str, start: int, end: int, note: str = "", tags: Iterable[str] = ()
    ) -> Bookmark:
        """A bookmark of ``text[start:end]`` in the article ``article_id`` (ValueError if the span is empty)."""
        stamp = now_stamp()
        return cls(
            id=new_id(),
            article_id=article_id,
            note=normalize_note(note),
            tags=normalize_tags(tags),
            created=stamp,
            updated=stamp,
            **anchoring.capture(text, start, end),
        )

    def sort_key(self) -> tuple:
        return (self.article_id, self.start, self.end, self.created, self.id)


def bookmark_matches(bookmark: Bookmark, query: str, title: str = "") -> bool:
    """Filter-as-you-type for the bookmarks screen: every word of ``query`` (case-insensitive)
    occurs in the quote, the note, a tag or the article ``title``."""
    haystack = " ".join((bookmark.quote, bookmark.note, " ".join(bookmark.tags), title)).casefold()
    return all(word in haystack for word in query.casefold().split())
