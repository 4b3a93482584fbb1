"""The bookmarks of one library, kept in one YAML file that several processes may change at once.

The file is ``bookmarks.yaml`` in the library's data directory (its format is
:mod:`kliping.bookmarks.file_format`). The store's promises:

* Every write is atomic (temp file, fsync, rename) and keeps the previous version as ``.bak``.
* A write changes only the entries that changed: the user's comments and layout stay as they
  were (:mod:`kliping.bookmarks.yaml_layout`); the file is read by :mod:`kliping.bookmarks.yaml_scan`.
* Writers take an exclusive lock on ``bookmarks.yaml.lock`` and, under it, re-read the file and
  apply *only their own change* (add this bookmark, delete that one) to what is on disk before
  writing. No process ever writes back its possibly stale view, so concurrent processes lose
  nothing and a bookmark deleted by one process is not resurrected by another; tombstones are not
  needed. The one judgement call: editing the note of a bookmark that another process deleted
  meanwhile keeps the bookmark with the new note, because that note is the newest thing the user
  wrote.
* A file that does not parse, or holds something other than bookmarks, is never overwritten: the
  store becomes read-only and :attr:`BookmarkStore.problem` says which file and line is wrong.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from kliping.bookmarks import anchoring, yaml_layout, yaml_scan
from kliping.bookmarks.file_format import dump_bookmarks, parse_bookmarks
from kliping.bookmarks.model import (
    Bookmark,
    BookmarkError,
    BookmarkNotFound,
    BookmarksBusy,
    BookmarksReadOnly,
    normalize_note,
    normalize_tags,
    now_stamp,
)
from kliping.bookmarks.yaml_layout import Layout
from kliping.files import locks, paths
from kliping.files.atomic import write_atomic
from kliping.files.regular_file import read_regular

FILE_NAME = "bookmarks.yaml"
LOCK_TIMEOUT_SECONDS = 10.0
# 100,000 bookmarks take about 55 MB; a file far past that is not a bookmarks file (a link to
# /dev/zero or a disk image) and is refused before it fills the memory.
MAX_FILE_BYTES = 256 * 1024 * 1024
_ANCHOR_CACHE_SIZE = 4096

T = TypeVar("T")


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _moved_notice(root: Path, found: paths.MovedLibraryData) -> str | None:
    if found.moved_from and found.problem:
        return (
            f"{root}: the bookmarks of this folder from when it was at {found.moved_from} were found but not moved here: "
            f"{found.problem}"
        )
    if found.moved_from:
        return f"{root}: this library folder was at {found.moved_from}; its bookmarks came along"
    kept = [(directory / FILE_NAME, old) for directory, old in found.gone if (directory / FILE_NAME).is_file()]
    if not kept:
        return None
    (file, old), more = kept[0], len(kept) - 1
    others = f" (and those of {more} more such folders beside it)" if more else ""
    return f"{root}: no bookmarks for this folder yet; those of {old}, a library folder that is gone, are in {file}{others}"


class BookmarkStore:
    """The bookmarks of one library, backed by one YAML file.

    Reads are from memory (call :meth:`reload_if_changed` to see other processes' changes); each
    change locks the file, re-reads it, applies itself and writes atomically. Methods that change
    anything raise :class:`BookmarkError` subclasses with a one-line message.
    """

    def __init__(self, path: Path, *, lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.lock_timeout = lock_timeout
        self.problem: str | None = None
        self.notice: str | None = None  # something the user should know that is no problem
        self.library_root: Path | None = None
        self._recorded = False
        self._bookmarks: dict[str, Bookmark] = {}
        self._digest: str | None = None  # of the file's bytes as last read or written
        self._layout: Layout | None = None  # of those bytes, to save changes into (None: write whole)
        self._deleted: list[Bookmark] = []  # this session's deletions, newest last, for undo
        self._anchors: dict[tuple[Bookmark, str], anchoring.Anchor] = {}
        self.load()

    @classmethod
    def for_library(cls, library_root: Path) -> BookmarkStore:
        """The store for the library at ``library_root`` (its file lives in the user's data
        directory, under a key made from the folder's path: a folder that was renamed or moved
        takes its bookmarks along, see :func:`paths.find_moved_library_data`)."""
        found = paths.find_moved_library_data(library_root)
        store = cls(paths.library_data_dir(library_root) / FILE_NAME)
        store.library_root = Path(library_root)
        store.notice = _moved_notice(Path(library_root), found)
        paths.record_library(library_root)
        return store

    # -- reading ----------------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """True while the file has a problem (see :attr:`problem`); changes raise BookmarksReadOnly."""
        return self.problem is not None

    def load(self) -> None:
        """(Re)read the file. On a problem keep what was last read, and become read-only."""
        try:
            self._bookmarks, self._digest, self._layout = self._read_file()
            self.problem = None
        except BookmarksReadOnly as exc:
            self.problem = str(exc)

    def reload_if_changed(self) -> bool:
        """Re-read the file if another process (or a hand edit) changed it; True if it did."""
        before = (self._digest, self.problem)
        self.load()
        return (self._digest, self.problem) != before

    def all(self) -> list[Bookmark]:
        """Every bookmark, by article and position."""
        return sorted(self._bookmarks.values(), key=Bookmark.sort_key)

    def __len__(self) -> int:
        return len(self._bookmarks)

    def __iter__(self) -> Iterator[Bookmark]:
        return iter(self.all())

    def get(self, bookmark_id: str) -> Bookmark | None:
        return self._bookmarks.get(bookmark_id)

    def for_article(self, article_id: str) -> list[Bookmark]:
        """The article's bookmarks in stored position order."""
        return sorted((b for b in self._bookmarks.values() if b.article_id == article_id), key=Bookmark.sort_key)

    def anchors_for(self, article_id: str, text: str) -> list[tuple[Bookmark, anchoring.Anchor]]:
        """Each of the article's bookmarks with where it is in ``text`` now (orphaned ones included)."""
        key = anchoring.text_hash(text)
        found = []
        for bookmark in self.for_article(article_id):
            anchor = self._anchors.get((bookmark, key))
            if anchor is None:
                # An orphan costs a fuzzy search of the whole text; redrawing must not repeat it.
                if len(self._anchors) > _ANCHOR_CACHE_SIZE:
                    self._anchors.clear()
                anchor = self._anchors[(bookmark, key)] = anchoring.anchor(bookmark, text)
            found.append((bookmark, anchor))
        return found

    def bookmark_spans_for(self, article_id: str, text: str) -> list[tuple[int, int, Bookmark]]:
        """``(start, end, bookmark)`` for each of the article's bookmarks found in ``text``, by position.

        For drawing bookmarks in the reader pane; orphaned bookmarks have no span and are left out
        (:meth:`anchors_for` lists them).
        """
        spans = [
            (a.start, a.end, b)
            for b, a in self.anchors_for(article_id, text)
            if a.start is not None and a.end is not None  # found: only an orphan has no span
        ]
        return sorted(spans, key=lambda item: (item[0], item[1], item[2].id))

    def search_items(self) -> Iterator[tuple[str, str, str, str, tuple[str, ...]]]:
        """``(bookmark_id, article_id, quote, note, tags)`` for each bookmark, for the search index."""
        for b in self.all():
            yield (b.id, b.article_id, b.quote, b.note, b.tags)

    # -- changing ---------------------------------------------------------------------------------

    def add(self, bookmark: Bookmark) -> Bookmark:
        """Save a new bookmark (made with :meth:`Bookmark.new`); when this returns it is on disk."""

        def change(current: dict[str, Bookmark]) -> Bookmark:
            if bookmark.id in current:
                raise BookmarkError(f"{self.path}: a bookmark with id {bookmark.id!r} already exists")
            current[bookmark.id] = bookmark
            return bookmark

        return self._transaction(change)

    def update(self, bookmark_id: str, *, note: str | None = None, tags: Iterable[str] | None = None) -> Bookmark:
        """Change a bookmark's note and/or tags (``None`` leaves that part as it is)."""

        def change(current: dict[str, Bookmark]) -> Bookmark:
            base = self._find(bookmark_id, current)
            changes: dict = {"updated": now_stamp()}
            if note is not None:
                changes["note"] = normalize_note(note)
            if tags is not None:
                changes["tags"] = normalize_tags(tags)
            current[bookmark_id] = replace(base, **changes)
            return current[bookmark_id]

        return self._transaction(change)

    def reattach(self, bookmark_id: str, text: str, span: tuple[int, int]) -> Bookmark:
        """Anchor a bookmark (typically an orphaned one) to ``text[span[0]:span[1]]`` of its article."""

        def change(current: dict[str, Bookmark]) -> Bookmark:
            moved = anchoring.reattach(self._find(bookmark_id, current), text, span)
            current[bookmark_id] = replace(moved, updated=now_stamp())
            return current[bookmark_id]

        return self._transaction(change)

    def delete(self, bookmark_id: str) -> Bookmark:
        """Delete a bookmark; :meth:`undo` brings it back during this session."""

        def change(current: dict[str, Bookmark]) -> Bookmark:
            gone = self._find(bookmark_id, current)
            current.pop(bookmark_id, None)
            return gone

        gone = self._transaction(change)
        self._deleted.append(gone)
        return gone

    @property
    def can_undo(self) -> bool:
        return bool(self._deleted)

    def undo(self) -> Bookmark | None:
        """Restore the most recently deleted bookmark of this session (None if there is none)."""
        if not self._deleted:
            return None
        restored = self._deleted[-1]

        def change(current: dict[str, Bookmark]) -> Bookmark:
            current.setdefault(restored.id, restored)
            return current[restored.id]

        result = self._transaction(change)
        self._deleted.pop()
        return result

    def _find(self, bookmark_id: str, current: dict[str, Bookmark]) -> Bookmark:
        # What is on disk wins; if another process deleted it meanwhile, our copy is used.
        found = current.get(bookmark_id) or self._bookmarks.get(bookmark_id)
        if found is None:
            raise BookmarkNotFound(f"no bookmark with id {bookmark_id!r}")
        return found

    # -- the file ---------------------------------------------------------------------------------

    def _transaction(self, change: Callable[[dict[str, Bookmark]], T]) -> T:
        if self.problem is not None:
            raise BookmarksReadOnly(self.problem)
        with self._locked():
            try:
                current, _, layout = self._read_file()
            except BookmarksReadOnly as exc:
                self.problem = str(exc)
                raise
            before = dict(current)
            result = change(current)
            text, layout = yaml_layout.save_text(before, current, layout)
            if layout is None:
                text = dump_bookmarks(current.values())
                scanned = yaml_scan.scan(text)
                layout = scanned.layout if scanned is not None else None
            payload = text.encode("utf-8")
            try:
                write_atomic(self.path, payload, backup=True)
            except OSError as exc:
                raise BookmarkError(f"{self.path}: cannot save bookmarks: {exc.strerror or exc}") from None
            self._bookmarks, self._digest, self._layout = current, _digest(payload), layout
        if self.library_root is not None and not self._recorded:
            paths.record_library(self.library_root)  # the first save made the data directory
            self._recorded = True
        return result

    def _read_file(self) -> tuple[dict[str, Bookmark], str | None, Layout | None]:
        """The bookmarks on disk, a digest of the bytes and their layout; the same bytes as last
        time are not re-parsed."""
        try:
            data = read_regular(self.path, MAX_FILE_BYTES)
        except FileNotFoundError:
            return {}, None, None
        except OSError as exc:
            raise BookmarksReadOnly(f"{self.path}: cannot read: {exc.strerror or exc}; bookmarks are read-only") from None
        digest = _digest(data)
        if digest == self._digest and self.problem is None:
            return dict(self._bookmarks), digest, self._layout
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise BookmarksReadOnly(f"{self.path}, line {line}: not UTF-8 text; bookmarks are read-only") from None
        bookmarks, layout = parse_bookmarks(raw, self.path)
        return bookmarks, digest, layout

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            lock = locks.acquire(self.lock_path, timeout=self.lock_timeout, poll=0.02)
        except OSError as exc:
            raise BookmarkError(f"{self.lock_path}: cannot lock the bookmarks: {exc.strerror or exc}") from None
        if lock is None:
            raise BookmarksBusy(
                f"{self.path}: another reader process is still saving bookmarks "
                f"(waited {self.lock_timeout:g} s); try again"
            )
        with lock:
            self._remove_stale_temp_files()
            yield

    def _remove_stale_temp_files(self) -> None:
        # Writers only write while holding the lock, so a temp file seen under the lock was left
        # by a process killed mid-write. It was never the real file; remove the litter.
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                leftover.unlink()
