"""Bookmarks in the reader app: the store, the note dialog, the bookmarks screen, search.

:class:`BookmarksMixin` is part of :class:`kliping.tui.app.ReaderApp`; it keeps the app module
about browsing and searching. Every change to the store (a write takes ~0.1 s) runs in a thread
worker, and those workers run strictly one after another in the order they were asked for, so
"bookmark, then add the note" is never saved the other way round. Workers only post messages;
the ``on_*`` handlers here update the screen. After each change the bookmarks and notes are put
into the search index (in another worker), so the main search finds them.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from textual import work
from textual.message import Message

from kliping.bookmarks import anchoring

from kliping.files import paths
from kliping.articles.model import Article
from kliping.bookmarks.model import Bookmark, BookmarkError, normalize_note, normalize_tags
from kliping.bookmarks.store import BookmarkStore
from kliping.files.sanitize import one_line
from kliping.tui.messages import (
    BookmarkFailed,
    BookmarkRowsListed,
    BookmarksChanged,
    BookmarksExported,
    BookmarksIndexed,
    BookmarksLoaded,
)
from kliping.tui.screens.bookmarks import BookmarkRow, BookmarksScreen
from kliping.tui.screens.export_dialog import ExportDialog
from kliping.tui.screens.note_dialog import NoteDialog, NoteResult, shorten
from kliping.tui.widgets.reader_pane import ReaderPane

JOB_WAIT_SECONDS = 30.0  # a store job waits at most this long for the ones before it

StoreJob = Callable[[BookmarkStore], Message | None]


@dataclass
class BookmarksReanchored(Message):
    """The bookmarks of ``article`` were found in its text: ``spans`` are ``(start, end, bookmark
    id)`` (orphans left out), for request ``generation`` of :meth:`BookmarksMixin.show_article_bookmarks`."""

    generation: int
    article: Article
    spans: list[tuple[int, int, str]]


class BookmarksMixin:
    """Bookmark handling for the reader app (mixed into ``ReaderApp``; uses its ``library``,
    ``main``, ``index``, ``entries_by_id``, ``open_article`` and ``notify``)."""

    def _init_bookmarks(self) -> None:
        self.bookmark_store: BookmarkStore | None = None
        self._select_after_open: tuple[str, str] | None = None  # (article id, bookmark id)
        self._jobs = threading.Condition()
        self._jobs_issued = 0
        self._jobs_done = 0
        self._reanchor_generation = 0  # of the latest request to mark the open article's bookmarks

    # -- loading ----------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="bookmarks-load")
    def load_bookmarks(self) -> None:
        self.post_message(BookmarksLoaded(BookmarkStore.for_library(self.library.root)))

    def on_bookmarks_loaded(self, message: BookmarksLoaded) -> None:
        if not self.main_running:
            return
        self.bookmark_store = message.store
        if message.store.problem:
            self.notify(one_line(message.store.problem), title="Bookmarks are read-only", severity="error", timeout=20)
        if message.store.notice:  # the library folder moved: where its bookmarks are
            self.notify(one_line(message.store.notice), title="Bookmarks", timeout=20)
        self.show_article_bookmarks()
        self.reindex_bookmarks()

    def show_article_bookmarks(self) -> None:
        """Mark the open article's bookmarks in the reader once they are re-anchored (in a worker:
        an edited article's bookmarks take a fuzzy search each); select one that was asked for."""
        store = self.bookmark_store
        article = self.main.query_one(ReaderPane).article
        if store is None or article is None:
            return
        self._reanchor_generation += 1
        self._reanchor_worker(self._reanchor_generation, store, article)

    # Described, so Textual does not repr the whole article on the UI thread (see find_matches).
    @work(thread=True, group="bookmarks-anchor", description="re-anchor the open article's bookmarks")
    def _reanchor_worker(self, generation: int, store: BookmarkStore, article: Article) -> None:
        # Not exclusive: a thread cannot be stopped, and the generation already drops stale results.
        if generation != self._reanchor_generation:
            return  # another article was opened while this waited for a thread: not worth the search
        spans = store.bookmark_spans_for(article.id, article.text)
        self.post_message(BookmarksReanchored(generation, article, [(start, end, b.id) for start, end, b in spans]))

    def on_bookmarks_reanchored(self, message: BookmarksReanchored) -> None:
        reader = self.main.query_one(ReaderPane) if self.main_running else None
        if reader is None or message.generation != self._reanchor_generation or reader.article is not message.article:
            return  # the article or its bookmarks changed since: a newer re-anchoring is on its way
        article, spans = message.article, message.spans
        reader.set_bookmarks(spans)
        wanted = self._select_after_open
        if wanted is not None and wanted[0] == article.id:
            self._select_after_open = None
            found = [(start, end) for start, end, bookmark_id in spans if bookmark_id == wanted[1]]
            if found:
                reader.select_passage(*found[0])
            else:
                self.notify(
                    "That bookmark is orphaned: its passage is no longer in the article (see B).", severity="warning"
                )

    # -- the store, one job at a time -------------------------------------------------------------

    def _writable_store(self) -> BookmarkStore | None:
        """The store if bookmarks can be saved now; else say why and return None."""
        store = self.bookmark_store
        if store is None:
            self.notify("Bookmarks are still loading; try again in a moment.", severity="warning")
            return None
        if store.read_only:
            self.notify(
                f"Cannot save bookmarks: {one_line(store.problem or '')}", title="Bookmarks are read-only", severity="error", timeout=10
            )
            return None
        return store

    def run_store_job(self, job: StoreJob) -> None:
        """Run ``job`` on the store in a worker, after every job asked for before it."""
        with self._jobs:
            ticket = self._jobs_issued
            self._jobs_issued += 1
        self._store_worker(ticket, job)

    @work(thread=True, group="bookmarks-store")
    def _store_worker(self, ticket: int, job: StoreJob) -> None:
        with self._jobs:
            self._jobs.wait_for(lambda: self._jobs_done >= ticket, timeout=JOB_WAIT_SECONDS)
        try:
            store = self.bookmark_store
            message = job(store) if store is not None else BookmarkFailed("Bookmarks are not loaded yet.")
        except BookmarkError as exc:
            message = BookmarkFailed(str(exc))
        except OSError as exc:
            message = BookmarkFailed(f"{getattr(exc, 'filename', '') or 'bookmarks'}: {exc.strerror or exc}")
        finally:
            with self._jobs:
                self._jobs_done += 1
                self._jobs.notify_all()
        if message is not None:
            self.post_message(message)

    def on_bookmark_failed(self, message: BookmarkFailed) -> None:
        if self.main_running:
            self.notify(one_line(message.message), title="Bookmarks", severity="error", timeout=10)

    def on_bookmarks_changed(self, message: BookmarksChanged) -> None:
        if not self.main_running:
            return
        if message.notice:
            self.notify(one_line(message.notice), timeout=4)
        self.show_article_bookmarks()
        if isinstance(self.screen, BookmarksScreen):
            self.list_bookmarks()
        self.reindex_bookmarks(refresh_hits=True)

    # -- making and changing bookmarks ------------------------------------------------------------

    def on_reader_pane_bookmark_requested(self, message: ReaderPane.BookmarkRequested) -> None:
        if self._writable_store() is None:
            return
        try:
            bookmark = Bookmark.new(message.article.id, message.article.text, message.start, message.end)
        except ValueError as exc:
            self.notify("Cannot bookmark that passage: " + one_line(str(exc)), severity="warning")
            return

        def add(store: BookmarkStore) -> Message:
            store.add(bookmark)
            return BookmarksChanged(None)

        self.run_store_job(add)
        # The dialog opens at once, so what is typed next goes into the note, not to the reader.
        self.push_screen(
            NoteDialog(bookmark.quote, heading="Bookmarked: add a note?"), callback=partial(self._note_entered, bookmark)
        )

    def _note_entered(self, bookmark: Bookmark, result: NoteResult | None) -> None:
        if result is None or (not normalize_note(result.note) and not result.tags):
            self.notify("Bookmarked.", timeout=3)
            return

        def save_note(store: BookmarkStore) -> Message:
            if store.get(bookmark.id) is None:  # the first save failed: the note still must not be lost
                store.add(replace(bookmark, note=normalize_note(result.note), tags=normalize_tags(result.tags)))
            else:
                store.update(bookmark.id, note=result.note, tags=result.tags)
            return BookmarksChanged("Bookmarked with a note.")

        self.run_store_job(save_note)

    def edit_bookmark_note(self, bookmark_id: str) -> None:
        store = self._writable_store()
        bookmark = store.get(bookmark_id) if store is not None else None
        if store is None:
            return
        if bookmark is None:
            self.notify("That bookmark is gone (deleted in another window?).", severity="warning")
            return

        def entered(result: NoteResult | None) -> None:
            if result is None:
                return

            def save(store: BookmarkStore) -> Message:
                store.update(bookmark_id, note=result.note, tags=result.tags)
                return BookmarksChanged("Note saved.")

            self.run_store_job(save)

        self.push_screen(NoteDialog(bookmark.quote, note=bookmark.note, tags=bookmark.tags, heading="Edit note"), callback=entered)

    def delete_bookmark(self, bookmark_id: str) -> None:
        if self._writable_store() is None:
            return

        def delete(store: BookmarkStore) -> Message:
            gone = store.delete(bookmark_id)
            return BookmarksChanged(f"Deleted the bookmark “{shorten(gone.quote, 40)}”. u brings it back.")

        self.run_store_job(delete)

    def undo_bookmark_delete(self) -> None:
        store = self._writable_store()
        if store is None:
            return
        if not store.can_undo:
            self.notify("No deleted bookmark to bring back.", timeout=3)
            return

        def undo(store: BookmarkStore) -> Message:
            restored = store.undo()
            return BookmarksChanged(f"Brought back “{shorten(restored.quote, 40)}”." if restored else None)

        self.run_store_job(undo)

    def reattach_bookmark(self, bookmark_id: str) -> None:
        if self._writable_store() is None:
            return

        def reattach(store: BookmarkStore) -> Message:
            bookmark = store.get(bookmark_id)
            if bookmark is None:
                return BookmarkFailed("That bookmark is gone (deleted in another window?).")
            with self._library_lock:
                article = self.library.article(bookmark.article_id)
            if article is None:
                return BookmarkFailed("Its article is no longer in the library: nothing to re-attach to (d deletes it).")
            candidates = anchoring.best_candidates(bookmark, article.text, 1)
            if not candidates:
                return BookmarkFailed("No passage of the article is like it: nothing to re-attach to (d deletes it).")
            best = candidates[0]
            store.reattach(bookmark_id, article.text, (best.start, best.end))
            return BookmarksChanged(f"Re-attached to “{shorten(article.text[best.start : best.end], 60)}”.")

        self.run_store_job(reattach)

    def on_reader_pane_note_edit_requested(self, message: ReaderPane.NoteEditRequested) -> None:
        self.edit_bookmark_note(message.bookmark_id)

    def on_reader_pane_delete_requested(self, message: ReaderPane.DeleteRequested) -> None:
        self.delete_bookmark(message.bookmark_id)

    def on_reader_pane_undo_requested(self, message: ReaderPane.UndoRequested) -> None:
        self.undo_bookmark_delete()

    # -- opening a bookmark -----------------------------------------------------------------------

    def open_bookmark(self, bookmark_id: str) -> bool:
        """Open the bookmark's article scrolled to the passage, with it selected (False if unknown)."""
        store = self.bookmark_store
        bookmark = store.get(bookmark_id) if store is not None else None
        if bookmark is None:
            return False
        if bookmark.article_id not in self.entries_by_id:
            self.notify("That bookmark's article is no longer in the library.", severity="warning")
            return True
        self._select_after_open = (bookmark.article_id, bookmark.id)
        self.open_article(bookmark.article_id, position=bookmark.start, focus_reader=True)
        return True

    # -- the bookmarks screen ---------------------------------------------------------------------

    def action_bookmarks(self) -> None:
        """Show every bookmark of the library (``B``)."""
        if isinstance(self.screen, BookmarksScreen):
            return
        if self.bookmark_store is None:
            self.notify("Bookmarks are still loading; try again in a moment.", severity="warning")
            return
        self.push_screen(BookmarksScreen())
        self.list_bookmarks()

    def list_bookmarks(self) -> None:
        """Send the bookmarks screen fresh rows (the file is re-read if another process changed it)."""

        def rows(store: BookmarkStore) -> Message:
            store.reload_if_changed()
            listed: list[BookmarkRow] = []
            by_article: dict[str, list[Bookmark]] = {}
            for bookmark in store.all():
                by_article.setdefault(bookmark.article_id, []).append(bookmark)
            for article_id, bookmarks in by_article.items():
                with self._library_lock:
                    entry = self.library.entry(article_id)
                    article = self.library.article(article_id) if entry is not None else None
                title = one_line(entry.title) if entry is not None else f"(not in the library: {one_line(article_id)})"
                date = entry.published.display() if entry is not None and entry.published else ""
                anchors = dict((b.id, a) for b, a in store.anchors_for(article_id, article.text)) if article else {}
                for bookmark in bookmarks:
                    anchor = anchors.get(bookmark.id)
                    status = anchor.status if anchor is not None else anchoring.ORPHANED
                    listed.append(BookmarkRow(bookmark, title, date, status, in_library=article is not None))
            listed.sort(key=lambda row: (row.bookmark.created, row.bookmark.id), reverse=True)  # newest first
            return BookmarkRowsListed(listed, store.problem)

        self.run_store_job(rows)

    def on_bookmark_rows_listed(self, message: BookmarkRowsListed) -> None:
        if self.main_running and isinstance(self.screen, BookmarksScreen):
            self.screen.show_rows(message.rows, problem=message.problem)

    def on_bookmarks_screen_requested(self, message: BookmarksScreen.Requested) -> None:
        if message.action == "open":
            self.pop_screen()
            if not self.open_bookmark(message.bookmark_id):
                self.notify("That bookmark is gone (deleted in another window?).", severity="warning")
        elif message.action == "edit":
            self.edit_bookmark_note(message.bookmark_id)
        elif message.action == "delete":
            self.delete_bookmark(message.bookmark_id)
        elif message.action == "reattach":
            self.reattach_bookmark(message.bookmark_id)

    def on_bookmarks_screen_undo_requested(self, message: BookmarksScreen.UndoRequested) -> None:
        self.undo_bookmark_delete()

    def on_bookmarks_screen_export_requested(self, message: BookmarksScreen.ExportRequested) -> None:
        self.export_bookmarks()

    # -- export -----------------------------------------------------------------------------------

    def default_export_path(self) -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        return paths.library_data_dir(self.library.root) / f"bookmarks-{stamp}.md"

    def export_bookmarks(self) -> None:
        """Ask for a file (a new one in the data directory is offered) and export Markdown to it."""
        store = self.bookmark_store
        if store is None:
            self.notify("Bookmarks are still loading; try again in a moment.", severity="warning")
            return
        if not len(store):
            self.notify("No bookmarks to export yet.", severity="warning")
            return

        def chosen(target: Path | None) -> None:
            if target is None:
                return

            def export(store: BookmarkStore) -> Message:
                from kliping.files.atomic import write_atomic
                from kliping.bookmarks.export import export as export_text

                with self._library_lock:
                    text = export_text(store.all(), self.library.entry, "markdown")
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    write_atomic(target, text)
                except OSError as exc:
                    return BookmarkFailed(f"{target}: cannot write: {exc.strerror or exc}")
                count = len(store)
                return BookmarksExported(f"Exported {count} bookmark{'s' if count != 1 else ''} to {target}")

            self.run_store_job(export)

        self.push_screen(ExportDialog(self.default_export_path(), len(store)), callback=chosen)

    def on_bookmarks_exported(self, message: BookmarksExported) -> None:
        if self.main_running:
            self.notify(one_line(message.notice), title="Export", timeout=15)

    # -- search -----------------------------------------------------------------------------------

    def reindex_bookmarks(self, *, refresh_hits: bool = False) -> None:
        """Put the current bookmarks and notes into the search index (when both are ready);
        ``refresh_hits`` re-runs the current search afterwards, for a change the user just made."""
        if self.index is not None and self.bookmark_store is not None:
            self._index_bookmarks_worker(self.index, self.bookmark_store, refresh_hits)

    @work(thread=True, exclusive=True, group="bookmarks-index")
    def _index_bookmarks_worker(self, index: Any, store: BookmarkStore, refresh_hits: bool) -> None:
        try:
            report = index.index_bookmarks(list(store.search_items()))
        except Exception as exc:  # noqa: BLE001 - only searching bookmarks is lost, and that is said
            message = f"Bookmarks could not be indexed for search: {one_line(str(exc))}"
            self.post_message(BookmarksIndexed(message, refresh_hits=False))
            return
        self.post_message(BookmarksIndexed(report.message if report.failed else None, refresh_hits=refresh_hits))

    def on_bookmarks_indexed(self, message: BookmarksIndexed) -> None:
        if not self.main_running:
            return
        if message.message:
            self.notify(one_line(message.message), severity="warning", timeout=8)
        elif message.refresh_hits and self.query_text and self._search_timer is None:
            # The list of hits shows the bookmarks and notes as they are now; the reader keeps
            # its matches and current match (only the list is searched again).
            self.run_search(self._search_generation, self.query_text)
