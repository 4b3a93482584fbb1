"""The search index of one library: open, build, update incrementally, search.

The index is a cache in the library's cache directory and can always be rebuilt:

    <cache>/libraries/<key>/index/             the Whoosh index
    <cache>/libraries/<key>/index-state.json   index version, Whoosh generation, article id -> hash,
                                               the bookmark documents (so a rebuild keeps them)
    <cache>/libraries/<key>/index.lock         one writer at a time, across processes

Opening compares the catalog's per-article content hashes with the state file, so an unchanged
library does no indexing work. When the version changes, or the index or its state cannot be
read, the index is rebuilt in a side folder and swapped in, and the report says why. Writers take
the lock with a timeout; when another process holds it, this one searches read-only and says so.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh import query as wq

from kliping.files import locks
from kliping.files.atomic import write_atomic
from kliping.files.locks import HeldLock
from kliping.library.catalog import CatalogEntry
from kliping.library.folder import Library
from kliping.search.analysis import field_terms
from kliping.search.expansion import Expanded, Vocabulary, expand
from kliping.search.highlight import query_spans, snippet
from kliping.search.query import ParsedQuery, parse_query, restrict_to_fields
from kliping.search.ranking import FieldLengths, top_hits
from kliping.search.results import Hit, IndexReport, SearchCancelled, SearchResults
from kliping.search.schema import (
    INDEX_VERSION,
    KIND_ARTICLE,
    KIND_BOOKMARK,
    KIND_NOTE,
    build_schema,
    date_terms,
    text_fields_for,
)
from kliping.search.suggest import suggest

Progress = Callable[[int, int], None]
BookmarkItem = tuple[str, str, str, str, Iterable[str]]  # (bookmark_id, article_id, quote, note, tags)

LOCK_WAIT_SECONDS = 10.0
# Segments stay separate files: a compound segment is copied into memory whole each time a
# searcher opens it (40 ms at 22k articles), separate files are read where needed.
WRITER_OPTIONS = {"compound": False}
_READ_ONLY_MESSAGE = "Another reader process is updating the search index; searching read-only, results may be out of date."


class SearchIndex:
    """Full-text search over one library. Safe to use from a worker thread."""

    def __init__(self, library: Library) -> None:
        self.library = library
        base = Path(library.cache_dir)
        self.directory = base / "index"
        self.state_path = base / "index-state.json"
        self.lock_path = base / "index.lock"
        self.read_only = False
        self.report = IndexReport()
        # Whoosh's FileIndex and Searcher once opened (Any: whoosh3's annotations miss methods
        # such as Searcher.stored_fields)
        self._ix: Any = None
        self._searcher: Any = None
        self._state: dict = {}
        self._lengths = FieldLengths()
        self._vocabulary = Vocabulary()
        self._mutex = threading.RLock()

    # -- opening ----------------------------------------------------------------------------------

    @classmethod
    def open(
        cls, library: Library, progress: Progress | None = None, wait: bool = True, rebuild: bool = False
    ) -> SearchIndex:
        """Open the library's index, building, rebuilding or updating it as needed.

        ``wait``: wait up to 10 s for another process's write lock before going read-only."""
        index = cls(library)
        index.report = index._open(progress, wait, rebuild)
        return index

    def _open(self, progress: Progress | None, wait: bool, rebuild: bool) -> IndexReport:
        started = time.perf_counter()
        problem = None if rebuild else self._load()
        if problem is None and not rebuild:
            report = self.update(progress, wait=wait) if self.needs_update() else IndexReport()
        else:
            report = self._rebuild(progress, wait, reason=problem, force=rebuild)
        report.seconds = time.perf_counter() - started
        return report

    def _load(self) -> str | None:
        """Open the index and its state; say what is wrong when they cannot be used as they are."""
        self._close_searcher()
        self._ix = None
        state = _read_json(self.state_path)
        if state is None:
            return None if not self.directory.exists() else "its state file is missing or unreadable"
        if state.get("version") != INDEX_VERSION:
            return "the index format changed with this version of kliping"
        if state.get("damaged"):
            return f"it was found damaged ({state['damaged']})"
        try:
            ix = windex.open_dir(str(self.directory))
            if ix.latest_generation() != state.get("generation"):
                return "it was changed without its state file being updated"
            searcher = ix.searcher()
            searcher.doc_count()
        except Exception as exc:  # any damage: TOC, segments, pickles, missing files
            return f"it could not be read ({_describe(exc)})"
        self._ix, self._searcher, self._state = ix, searcher, state
        return None

    # -- keeping up with the library --------------------------------------------------------------

    def needs_update(self) -> bool:
        """Is the index behind the library's catalog? (Cheap: compares content hashes in memory.)"""
        if self._ix is None:
            return True
        indexed = self._state.get("articles", {})
        entries = self.library.entries()
        if len(entries) != len(indexed):
            return True
        return any(indexed.get(entry.id) != entry.hash for entry in entries)

    def update(self, progress: Progress | None = None, wait: bool = True) -> IndexReport:
        """Index what was added or changed in the catalog and drop what was removed."""
        started = time.perf_counter()
        if self._ix is None:
            report = self._rebuild(progress, wait, reason=None)
            report.seconds = time.perf_counter() - started
            return report
        lock = self._acquire(wait)
        if lock is None:
            return self._go_read_only(started)
        try:
            with self._mutex:
                problem = self._load()  # another process may have updated it meanwhile
                if problem is not None:
                    lock.release()
                    lock = None
                    report = self._rebuild(progress, wait, reason=problem)
                    report.seconds = time.perf_counter() - started
                    return report
                entries = {e.id: e for e in self.library.entries()}
                indexed: dict[str, str] = self._state.get("articles", {})
                added = [i for i in entries if i not in indexed]
                changed = [i for i, e in entries.items() if i in indexed and indexed[i] != e.hash]
                removed = [i for i in indexed if i not in entries]
                if not (added or changed or removed):
                    return IndexReport(seconds=time.perf_counter() - started)
                with self._ix.writer(**WRITER_OPTIONS) as writer:  # commits, or cancels on any exception
                    for article_id in removed:
                        writer.delete_by_term("id", article_id)
                        indexed.pop(article_id, None)
                    todo = _in_file_order([entries[i] for i in added + changed])
                    fresh = set(added)
                    for done, entry in enumerate(todo, 1):
                        document = self.article_document(entry)
                        if document is not None:
                            (writer.add_document if entry.id in fresh else writer.update_document)(**document)
                            indexed[entry.id] = entry.hash
                        if progress:
                            progress(done, len(todo))
                self._save_state(indexed)
                self._load()
                return IndexReport(
                    added=len(added), updated=len(changed), removed=len(removed),
                    seconds=time.perf_counter() - started,
                )
        except Exception as exc:
            self._mark_damaged(exc)
            return IndexReport(
                seconds=time.perf_counter() - started,
                message=f"The search index could not be updated ({_describe(exc)}); it will be rebuilt next time.",
                failed=True,
            )
        finally:
            if lock is not None:
                lock.release()

    def rebuild(self, progress: Progress | None = None, wait: bool = True) -> IndexReport:
        """Throw the index away and build it anew."""
        started = time.perf_counter()
        report = self._rebuild(progress, wait, reason=None, force=True)
        report.seconds = time.perf_counter() - started
        return report

    def _rebuild(self, progress: Progress | None, wait: bool, reason: str | None, force: bool = False) -> IndexReport:
        """Build a fresh index in a side folder and swap it in."""
        lock = self._acquire(wait)
        if lock is None:
            report = self._go_read_only(time.perf_counter())
            if self._ix is None:
                self._load()
            return report
        if not force and self._load() is None and self._ix is not None:
            # Another process built or updated the index while this one waited for the lock
            # (or caught it between its commit and its state file): nothing needs rebuilding.
            lock.release()
            return self.update(progress, wait)
        message = f"The search index was rebuilt because {reason}." if reason else None
        building = self.directory.with_name("index.building")
        try:
            with self._mutex:
                entries = self.library.entries()
                bookmarks = self._state.get("bookmarks") or (_read_json(self.state_path) or {}).get("bookmarks", [])
                shutil.rmtree(building, ignore_errors=True)
                building.mkdir(parents=True)
                ix = windex.create_in(str(building), build_schema())
                indexed: dict[str, str] = {}
                with ix.writer(limitmb=128, **WRITER_OPTIONS) as writer:
                    todo = _in_file_order(entries)
                    for done, entry in enumerate(todo, 1):
                        document = self.article_document(entry)
                        if document is not None:
                            writer.add_document(**document)
                            indexed[entry.id] = entry.hash
                        if progress:
                            progress(done, len(todo))
                    for document in self._bookmark_documents(bookmarks):
                        writer.add_document(**document)
                self._close_searcher()
                self._ix = None
                old = self.directory.with_name(f"index.old-{os.getpid()}")
                if self.directory.exists():
                    os.replace(self.directory, old)
                os.replace(building, self.directory)
                shutil.rmtree(old, ignore_errors=True)
                self._state = {"bookmarks": bookmarks}
                self._save_state(indexed)
                problem = self._load()
                if problem is not None:
                    raise OSError(problem)
                return IndexReport(added=len(indexed), message=message)
        except Exception as exc:
            # What was half built would keep the space a full disk needs back.
            shutil.rmtree(building, ignore_errors=True)
            where = self.directory.parent
            return IndexReport(message=f"The search index could not be built in {where} ({_describe(exc)}).", failed=True)
        finally:
            lock.release()

    def index_bookmarks(self, items: Iterable[BookmarkItem]) -> IndexReport:
        """Replace all bookmark and note documents with ``items``:
        (bookmark_id, article_id, quote, note, tags)."""
        started = time.perf_counter()
        bookmarks = [[str(b), str(a), quote or "", note or "", [str(t) for t in tags or ()]] for b, a, quote, note, tags in items]
        if self._ix is not None and (self._state.get("bookmarks") or []) == bookmarks:
            return IndexReport(seconds=time.perf_counter() - started)  # already indexed: no write
        lock = self._acquire(wait=True)
        if lock is None:
            return self._go_read_only(started)
        try:
            with self._mutex:
                if self._ix is None and self._load() is not None:
                    lock.release()
                    lock = None
                    self._state["bookmarks"] = bookmarks
                    return self._rebuild(None, True, reason="it could not be read")
                with self._ix.writer(**WRITER_OPTIONS) as writer:
                    writer.delete_by_term("kind", KIND_BOOKMARK)
                    writer.delete_by_term("kind", KIND_NOTE)
                    for document in self._bookmark_documents(bookmarks):
                        writer.add_document(**document)
                self._state["bookmarks"] = bookmarks
                self._save_state(self._state.get("articles", {}))
                self._load()
                return IndexReport(added=len(bookmarks), seconds=time.perf_counter() - started)
        except Exception as exc:
            return IndexReport(message=f"Bookmarks could not be indexed ({_describe(exc)}).", failed=True)
        finally:
            if lock is not None:
                lock.release()

    # -- documents --------------------------------------------------------------------------------

    def article_document(self, entry: CatalogEntry) -> dict | None:
        """The Whoosh document that indexes ``entry``'s article (None: its file no longer has it)."""
        article = self.library.article(entry.id)
        if article is None:
            return None
        text = article.text
        title_field, body_field = text_fields_for(article.language)
        document = {
            "id": article.id,
            "kind": KIND_ARTICLE,
            "hash": entry.hash,
            "language": article.language,
            "packed_text": zlib.compress(text.encode("utf-8", "surrogatepass"), 6),
        }
        body = text
        if not article.title_derived:
            # The body field holds the title too (see schema.py). A title made from the first
            # words of the body is not indexed again: it would only count those words twice.
            document[title_field] = article.title
            body = f"{article.title}\n\n{text}"
        # The body and exact fields index the same words (exact: unstemmed, for quoted phrases),
        # so the text is tokenized once and Whoosh gets the terms of both.
        document[body_field], document["exact"] = field_terms(body, article.language)
        if article.source:
            document["source"] = article.source
        if article.authors:
            document["authors"] = " ; ".join(article.authors)
        document.update(date_terms(article.published))
        return document

    def _bookmark_documents(self, bookmarks: list) -> Iterable[dict]:
        for bookmark_id, article_id, quote, note, tags in bookmarks:
            entry = self.library.entry(article_id)
            language = entry.language if entry else "id"
            _, body_field = text_fields_for(language)
            text = f"{quote}\n\n{note}" if note else quote
            yield {
                "id": f"bookmark:{bookmark_id}",
                "kind": KIND_NOTE if note else KIND_BOOKMARK,
                "article_id": article_id,
                "bookmark_id": bookmark_id,
                "language": language,
                "packed_text": zlib.compress(text.encode("utf-8", "surrogatepass"), 6),
                body_field: text,
                "exact": text,
                "tags": " ; ".join(tags),
            }

    # -- searching --------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        limit: int = 50,
        snippets: bool = True,
        kinds: Iterable[str] | None = None,
        cancelled: Callable[[], bool] | None = None,
        parsed: ParsedQuery | None = None,
    ) -> SearchResults:
        """Ranked hits for ``query`` (see query.py for the language). Never raises on any input.

        ``parsed``: ``query`` already parsed by the caller (the reader parses a query once for
        its search and for the open article's highlights).

        ``cancelled`` is asked between terms, clauses and hits; once it answers True the search
        stops at the next of them with :class:`SearchCancelled` (the app quitting, or a newer
        query), so no search holds up the process for long."""
        parsed = parsed or parse_query(query)
        notices = [m for m in (parsed.message, _READ_ONLY_MESSAGE if self.read_only else None) if m]
        if parsed.query is None:
            return SearchResults(query, parsed, message=" ".join(notices) or None, error=parsed.error)
        if self._ix is None:
            # Never "no match": the index is missing, so nothing was searched.
            error = (
                self.report.message
                if self.report.failed and self.report.message
                else "The search index is not available yet (another process is building it); try again shortly."
            )
            notices = [m for m in notices if m != _READ_ONLY_MESSAGE]
            return SearchResults(query, parsed, message=" ".join([*notices, error]), error=error)
        limit = max(1, min(int(limit), 10_000))
        try:
            with self._mutex:
                self._searcher = self._searcher.refresh()
                found, total, expanded = self._run(parsed, kinds, limit, cancelled)
        except SearchCancelled:
            raise
        except Exception as exc:
            self._mark_damaged(exc)
            error = f"The search index could not be read ({_describe(exc)}); it will be rebuilt next time."
            return SearchResults(query, parsed, message=" ".join([*notices, error]), error=error)
        suggestion = None
        searched = parsed  # what found the hits: the query, or all its words OR'ed
        if total == 0 and parsed.words:
            suggestion = self._suggest(query, parsed.words, cancelled)
            if len(parsed.words) > 1:
                fallback = parse_query(query, any_word=True)
                try:
                    with self._mutex:
                        found, total, fallback_expanded = self._run(fallback, kinds, limit, cancelled)
                except SearchCancelled:
                    raise
                except Exception:  # the first search read this index; damage is reported there
                    found, total = [], 0
                if total:
                    searched, expanded = fallback, fallback_expanded
                    notices.append("No article has all of the words; showing those with most of them.")
        if expanded is not None and expanded.notice:
            notices.append(expanded.notice)
        # Snippets mark the words that were searched: a narrowed prefix marks only the words kept.
        marked = expanded.apply(searched) if expanded is not None else searched
        hits = []
        for score, stored in found:
            if cancelled is not None and cancelled():
                raise SearchCancelled
            hits.append(self._hit(score, stored, marked, snippets))
        return SearchResults(query, parsed, hits, total, " ".join(notices) or None, suggestion)

    def _run(
        self, parsed: ParsedQuery, kinds: Iterable[str] | None, limit: int, cancelled: Callable[[], bool] | None
    ) -> tuple[list, int, Expanded | None]:
        """The top ``limit`` (score, stored fields), the exact number of matching documents, and
        the query's prefixes and fuzzy words as they were expanded (None: nothing to search)."""
        present = set(self._searcher.reader().indexed_field_names())
        # restricted, the ranked query is None exactly when its required part is
        ranked = restrict_to_fields(parsed.ranked(), present)
        if ranked is None:
            return [], 0, None
        expanded = expand(ranked, self._searcher, self._vocabulary, cancelled)
        ranked = expanded.query
        if kinds is not None:
            ranked = wq.And([ranked, wq.Or([wq.Term("kind", k) for k in kinds])])
        top = top_hits(self._searcher, ranked, limit, self._lengths, cancelled)
        found = [(score, self._searcher.stored_fields(docnum)) for score, docnum in top.hits]
        return found, top.total, expanded

    def _hit(self, score: float, stored: dict, marked: ParsedQuery, snippets: bool) -> Hit:
        kind = stored.get("kind", KIND_ARTICLE)
        article_id: str = stored.get("article_id", "") if kind != KIND_ARTICLE else stored["id"]
        entry = self.library.entry(article_id)
        language = entry.language if entry else "id"
        fragment, fragment_spans, count = "", list[tuple[int, int]](), 0
        if snippets and stored.get("packed_text"):
            text = zlib.decompress(stored["packed_text"]).decode("utf-8", "surrogatepass")
            spans = query_spans(marked, text, language)
            fragment, fragment_spans = snippet(text, spans)
            count = len(spans)
        return Hit(
            article_id=article_id,
            score=float(score),
            title=entry.title if entry else "",
            source=entry.source if entry else None,
            published=entry.published if entry else None,
            snippet=fragment,
            snippet_spans=fragment_spans,
            hit_count=count,
            kind=kind,
            bookmark_id=stored.get("bookmark_id"),
        )

    def _suggest(self, query: str, words: list[str], cancelled: Callable[[], bool] | None) -> str | None:
        try:
            with self._mutex:
                suggestion = suggest(self._searcher, query, words, cancelled)
                if suggestion is None:
                    return None
                # searched as any query is: its prefixes bounded, its fields those of the index
                _, total, _ = self._run(parse_query(suggestion), None, 1, cancelled)
                return suggestion if total else None
        except SearchCancelled:
            raise
        except Exception:  # a suggestion is a nicety; a damaged index is reported by search itself
            return None

    # -- housekeeping -----------------------------------------------------------------------------

    def doc_count(self) -> int:
        with self._mutex:
            return self._searcher.doc_count() if self._searcher is not None else 0

    def close(self) -> None:
        with self._mutex:
            self._close_searcher()
            self._ix = None

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            with contextlib.suppress(Exception):
                self._searcher.close()
            self._searcher = None

    def _acquire(self, wait: bool) -> HeldLock | None:
        lock = locks.acquire(self.lock_path, timeout=LOCK_WAIT_SECONDS if wait else 0.0, poll=0.1)
        self.read_only = lock is None
        return lock

    def _go_read_only(self, started: float) -> IndexReport:
        self.read_only = True
        return IndexReport(seconds=time.perf_counter() - started, message=_READ_ONLY_MESSAGE, read_only=True)

    def _save_state(self, articles: dict[str, str]) -> None:
        ix = windex.open_dir(str(self.directory))
        self._state = {
            "version": INDEX_VERSION,
            "generation": ix.latest_generation(),
            "articles": articles,
            "bookmarks": self._state.get("bookmarks", []),
        }
        write_atomic(self.state_path, json.dumps(self._state, ensure_ascii=False, separators=(",", ":")))

    def _mark_damaged(self, exc: BaseException) -> None:
        """Remember that the index is damaged, so the next open rebuilds it (keeping bookmarks)."""
        try:
            state = dict(self._state)
            state["damaged"] = _describe(exc)
            write_atomic(self.state_path, json.dumps(state, ensure_ascii=False, separators=(",", ":")))
        except OSError:
            pass



def _in_file_order(entries: Iterable[CatalogEntry]) -> list[CatalogEntry]:
    """Articles sorted by file, so files holding many articles are parsed once, not once per article."""
    return sorted(entries, key=lambda e: (e.relpath, e.id))


def _read_json(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:  # the file and the reason, without "[Errno 28]"
        return f"{exc.filename}: {exc.strerror}"[-300:] if exc.filename else exc.strerror
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__
