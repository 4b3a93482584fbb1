"""What the user can do to bookmarks, from the reader or the bookmarks screen: add (with the note
dialog), edit a note, delete, undo, re-attach, export, and list them.

Every change goes to the session's store queue (:class:`kliping.tui.session.StoreJobQueue`), which
runs the jobs in the order they were asked for; a thread worker of the main screen waits for each
job and posts its result (a message of :mod:`kliping.tui.messages`) to the screen that shows it.
The workers belong to the main screen, so they die with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TypeVar

from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen

from kliping.articles.model import Article
from kliping.bookmarks.model import Bookmark, normalize_note, normalize_tags
from kliping.bookmarks.store import BookmarkStore
from kliping.files import paths
from kliping.files.sanitize import one_line
from kliping.tui.messages import BookmarkFailed, BookmarkRowsListed, BookmarksChanged, BookmarksExported
from kliping.tui.screens.export_dialog import ExportDialog
from kliping.tui.screens.note_dialog import NoteDialog, NoteResult, shorten
from kliping.tui.session import Problem, ReadingSession

T = TypeVar("T")
StoreJob = Callable[[BookmarkStore], Message | None]
STILL_LOADING = "Bookmarks are still loading; try again in a moment."
GONE = "That bookmark is gone (deleted in another window?)."


def _deliver(future: Future[Message | Problem | None], target: MessagePump) -> None:
    """The worker's whole job: wait for the store job, post what it says."""
    result = future.result()
    message = BookmarkFailed(result.message) if isinstance(result, Problem) else result
    if message is not None:
        target.post_message(message)


def _reply(outcome: T | Problem, success: Callable[[T], Message]) -> Message:
    """The message for a session call's outcome: what ``success`` makes of its value, or the problem."""
    return BookmarkFailed(outcome.message) if isinstance(outcome, Problem) else success(outcome)


class BookmarkActions:
    """Bookmark requests for the main screen ``host`` (it handles the results) over ``session``."""

    def __init__(self, host: Screen, session: ReadingSession) -> None:
        self.host = host
        self.session = session

    def run(self, job: StoreJob, reply_to: MessagePump | None = None) -> None:
        """Run ``job`` on the store after every job asked for before it; its message goes to
        ``reply_to`` (the host by default)."""
        future = self.session.store_jobs.submit(job)
        deliver = partial(_deliver, future, reply_to or self.host)
        self.host.run_worker(deliver, thread=True, group="bookmarks-store", description="a bookmark store job")

    def writable_store(self) -> BookmarkStore | None:
        """The store if bookmarks can be saved now; else say why and return None."""
        store = self.session.bookmark_store
        if store is None:
            self.host.app.notify(STILL_LOADING, severity="warning")
            return None
        if store.read_only:
            why = f"Cannot save bookmarks: {one_line(store.problem or '')}"
            self.host.app.notify(why, title="Bookmarks are read-only", severity="error", timeout=10)
            return None
        return store

    # -- making and changing bookmarks ------------------------------------------------------------

    def add(self, article: Article, start: int, end: int) -> None:
        """Bookmark ``article[start:end]``, then offer the note dialog."""
        if self.writable_store() is None:
            return
        try:
            bookmark = Bookmark.new(article.id, article.text, start, end)
        except ValueError as exc:
            self.host.app.notify("Cannot bookmark that passage: " + one_line(str(exc)), severity="warning")
            return

        def add(store: BookmarkStore) -> Message:
            store.add(bookmark)
            return BookmarksChanged(None)

        self.run(add)
        # The dialog opens at once, so what is typed next goes into the note, not to the reader.
        self.host.app.push_screen(
            NoteDialog(bookmark.quote, heading="Bookmarked: add a note?"), callback=partial(self._note_entered, bookmark)
        )

    def _note_entered(self, bookmark: Bookmark, result: NoteResult | None) -> None:
        if result is None or (not normalize_note(result.note) and not result.tags):
            self.host.app.notify("Bookmarked.", timeout=3)
            return

        def save_note(store: BookmarkStore) -> Message:
            if store.get(bookmark.id) is None:  # the first save failed: the note still must not be lost
                store.add(replace(bookmark, note=normalize_note(result.note), tags=normalize_tags(result.tags)))
            else:
                store.update(bookmark.id, note=result.note, tags=result.tags)
            return BookmarksChanged("Bookmarked with a note.")

        self.run(save_note)

    def edit_note(self, bookmark_id: str) -> None:
        store = self.writable_store()
        if store is None:
            return
        bookmark = store.get(bookmark_id)
        if bookmark is None:
            self.host.app.notify(GONE, severity="warning")
            return

        def entered(result: NoteResult | None) -> None:
            if result is None:
                return

            def save(store: BookmarkStore) -> Message:
                store.update(bookmark_id, note=result.note, tags=result.tags)
                return BookmarksChanged("Note saved.")

            self.run(save)

        self.host.app.push_screen(
            NoteDialog(bookmark.quote, note=bookmark.note, tags=bookmark.tags, heading="Edit note"), callback=entered
        )

    def delete(self, bookmark_id: str) -> None:
        if self.writable_store() is None:
            return

        def delete(store: BookmarkStore) -> Message:
            gone = store.delete(bookmark_id)
            return BookmarksChanged(f"Deleted the bookmark “{shorten(gone.quote, 40)}”. u brings it back.")

        self.run(delete)

    def undo_delete(self) -> None:
        store = self.writable_store()
        if store is None:
            return
        if not store.can_undo:
            self.host.app.notify("No deleted bookmark to bring back.", timeout=3)
            return

        def undo(store: BookmarkStore) -> Message:
            restored = store.undo()
            return BookmarksChanged(f"Brought back “{shorten(restored.quote, 40)}”." if restored else None)

        self.run(undo)

    def reattach(self, bookmark_id: str) -> None:
        if self.writable_store() is None:
            return
        session = self.session

        def reattach(store: BookmarkStore) -> Message:
            found = session.reattach(store, bookmark_id)
            return _reply(found, lambda span: BookmarksChanged(f"Re-attached to “{shorten(span[2], 60)}”."))

        self.run(reattach)

    # -- listing and exporting --------------------------------------------------------------------

    def list_rows(self, reply_to: MessagePump) -> None:
        """Send ``reply_to`` (the bookmarks screen) fresh rows."""
        session = self.session

        def rows(store: BookmarkStore) -> Message:
            return BookmarkRowsListed(session.bookmark_rows(store), store.problem)

        self.run(rows, reply_to)

    def default_export_path(self) -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        return paths.library_data_dir(self.session.library.root) / f"bookmarks-{stamp}.md"

    def export(self) -> None:
        """Ask for a file (a new one in the data directory is offered) and export Markdown to it."""
        store = self.session.bookmark_store
        if store is None:
            self.host.app.notify(STILL_LOADING, severity="warning")
            return
        if not len(store):
            self.host.app.notify("No bookmarks to export yet.", severity="warning")
            return
        session = self.session

        def chosen(target: Path | None) -> None:
            if target is None:
                return

            def export(store: BookmarkStore) -> Message:
                written = session.export_bookmarks(store, target)
                return _reply(written, lambda n: BookmarksExported(f"Exported {n} bookmark{'s' if n != 1 else ''} to {target}"))

            self.run(export)

        self.host.app.push_screen(ExportDialog(self.default_export_path(), len(store)), callback=chosen)
