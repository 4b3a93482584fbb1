"""The library: a folder of article files that the user owns, kept in step with its catalog.

Everything derived from the folder (the catalog of :mod:`kliping.library.catalog`, the search
index) lives in the cache directory and can always be rebuilt. A refresh walks the folder, pairs
each file with what the catalog knew of it, and parses only the files whose size or mtime moved;
opening an article reads its one file (the last few parsed files are kept).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from kliping.articles.model import Article
from kliping.files import paths, regular_file
from kliping.files.regular_file import read_regular
from kliping.library.catalog import CATALOG_NAME, CatalogEntry, LibraryFile, load_catalog, save_catalog
from kliping.library.columns import FileTable

# A dataset in the library is read whole to hash it (a text article has its own, smaller limit).
MAX_DATASET_BYTES = 2 * 1024 * 1024 * 1024
_NO_SHA1 = bytes(20)  # the content hash of a file never read yet: matches no file's


@dataclass(slots=True)
class CatalogChanges:
    """What a refresh found: article ids added, changed and removed, and per-file problems."""

    added: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)


class Library:
    """A folder of articles. Use :meth:`entries` for the list and :meth:`article` for one article."""

    def __init__(self, root: Path, *, cache_dir: Path | None = None) -> None:
        self.root = Path(root).expanduser()
        self.cache_dir = cache_dir or paths.library_cache_dir(self.root)
        self._files = FileTable()
        self._entries: dict[str, CatalogEntry] = {}
        self._sorted: list[CatalogEntry] | None = None  # entries() result until the catalog changes
        # A small LRU of parsed files: relpath -> ((size, mtime_ns) when parsed, articles by id).
        self._parsed: OrderedDict[str, tuple[tuple[int, int], dict[str, Article]]] = OrderedDict()
        self._loaded = False
        self.scan_problems: list[str] = []  # from the last files(): links not followed, folders not read
        self.catalog_problem: str | None = None  # why the saved catalog was not read, when it is not a file
        self.unreadable_dirs: list[str] = []  # relpaths ("." for the root) whose contents are unknown

    # -- the folder -------------------------------------------------------------------------------

    def files(self) -> list[LibraryFile]:
        """Every article file under the root, sorted. Hidden files and folders are skipped, and so
        are symlinks that loop or lead outside the library; :attr:`scan_problems` says which (and
        which folders could not be read) after each call."""
        from kliping.ingest.reading import is_article_file

        root = self.root.resolve()
        found: list[LibraryFile] = []
        self.scan_problems = []
        self.unreadable_dirs = []
        seen_dirs: set[tuple[int, int]] = set()
        stack: list[tuple[str, str]] = [(str(root), "")]  # (folder path, its relpath prefix)
        while stack:
            directory, prefix = stack.pop()
            try:
                st = os.stat(directory)
                if (st.st_dev, st.st_ino) in seen_dirs:
                    continue  # a link back to a folder already walked
                seen_dirs.add((st.st_dev, st.st_ino))
                # Walked as it is read, not listed first: a list of 100,000 DirEntry objects
                # would cost tens of MB at the reader's start-up.
                with os.scandir(directory) as items:
                    for item in items:
                        name = item.name
                        if name[0] == ".":
                            continue  # hidden, and the temp files of writes in progress
                        try:
                            # The common case, inline: at 100,000 files every call shows.
                            if is_article_file(name) and item.is_file(follow_symlinks=False):
                                status = item.stat()
                                found.append(LibraryFile(prefix + name, status.st_size, status.st_mtime_ns))
                                continue
                        except FileNotFoundError:
                            continue  # deleted since the folder was read
                        except OSError as exc:
                            self.scan_problems.append(f"{item.path}: cannot read: {exc.strerror or exc}")
                            continue
                        self._scan_item(item, root, prefix, found, stack, is_article_file)
            except OSError as exc:
                self.scan_problems.append(f"{directory}: cannot read this folder: {exc.strerror or exc}")
                self.unreadable_dirs.append(prefix.rstrip("/") or ".")
                continue
        found.sort(key=attrgetter("relpath"))
        return found

    def _scan_item(self, item: os.DirEntry, root: Path, prefix: str, found: list[LibraryFile],
                   stack: list[tuple[str, str]], is_article_file: Callable[[str], bool]) -> None:
        """Anything but a plain article file: a folder, a link, or a file to skip."""
        name = item.name
        try:
            if item.is_symlink():
                target = Path(item.path).resolve(strict=True)
                if not target.is_relative_to(root):
                    if item.is_dir() or is_article_file(name):
                        self.scan_problems.append(f"{item.path}: links to {target}, outside the library; not followed")
                    return
            if item.is_dir():
                stack.append((item.path, f"{prefix}{name}/"))
            elif is_article_file(name) and item.is_file():
                st = item.stat()
                found.append(LibraryFile(prefix + name, st.st_size, st.st_mtime_ns))
            elif is_article_file(name):
                # A FIFO would block the reader at its first read, a device never end: said, not read.
                kind = regular_file.kind_of(item.stat().st_mode)
                self.scan_problems.append(f"{item.path}: is {kind}, not a regular file; not read")
        except RuntimeError:
            self.scan_problems.append(f"{item.path}: a symlink loop; skipped")
        except FileNotFoundError:
            if item.is_symlink() and is_article_file(name):
                self.scan_problems.append(f"{item.path}: a link to a file that does not exist; skipped")
        except (OSError, ValueError) as exc:
            self.scan_problems.append(f"{item.path}: cannot read: {getattr(exc, 'strerror', None) or exc}")

    # -- the catalog ------------------------------------------------------------------------------

    @property
    def catalog_path(self) -> Path:
        return self.cache_dir / CATALOG_NAME

    def _load_catalog(self) -> None:
        self._loaded = True
        self._sorted = None
        self._files, self._entries, self.catalog_problem = load_catalog(self.catalog_path)

    def refresh(self, progress: Callable[[int, int], None] | None = None) -> CatalogChanges:
        """Bring the catalog up to date with the folder, parsing only files that changed."""
        if not self._loaded:
            self._load_catalog()
        changes = CatalogChanges()
        if self.catalog_problem:
            changes.errors.append(self.catalog_problem)
            self.catalog_problem = None
        current = self.files()
        changes.errors.extend(self.scan_problems)
        if self._files.matches(current):
            return changes  # the usual start: nothing added, changed or gone
        old, table = self._files, FileTable()
        stale: list[tuple[LibraryFile, int]] = []  # files to read, with their row in the new table
        dropped = 0
        row = 0

        def drop_or_keep(row: int) -> None:
            nonlocal dropped
            if self._under_unreadable_dir(old.paths[row]):
                # Not seen because its folder could not be read, not because it is gone.
                table.append_row_of(old, row)
                return
            dropped += 1
            for article_id in old.row_ids(row):
                if self._entries.pop(article_id, None) is not None:
                    changes.removed.add(article_id)

        # Both are sorted by relpath: one pass pairs each file with what the catalog knew of it.
        for file in current:
            while row < len(old) and old.paths[row] < file.relpath:
                drop_or_keep(row)
                row += 1
            if row < len(old) and old.paths[row] == file.relpath:
                new_row = table.append_row_of(old, row)
                if old.sizes[row] != file.size or old.mtimes[row] != file.mtime_ns:
                    stale.append((file, new_row))
                row += 1
            else:
                # Never read yet: a placeholder that stays stale until the file is read.
                stale.append((file, table.append(file.relpath, -1, -1, _NO_SHA1, (), ())))
        for rest in range(row, len(old)):
            drop_or_keep(rest)
        del current
        self._files = table
        for done, (file, row) in enumerate(stale, 1):
            if self._read_file(file, row, changes) and progress:
                progress(done, len(stale))
        if stale or dropped or changes.any:
            self._sorted = None
            save_catalog(self.catalog_path, self.root, self._files, self._entries)
        return changes

    def _read_file(self, file: LibraryFile, row: int, changes: CatalogChanges) -> bool:
        """Catalog the articles of one new or changed file; False if it could not be read (its row,
        and whatever was catalogued from it, then stay as they were, so it is tried again next time)."""
        from kliping.ingest.reading import JSONL_SUFFIXES, MAX_ARTICLE_BYTES, read_articles

        table = self._files
        path = self.root / file.relpath
        dataset = file.relpath.lower().endswith(JSONL_SUFFIXES)
        limit = MAX_DATASET_BYTES if dataset else MAX_ARTICLE_BYTES
        try:
            raw = read_regular(path, limit)
        except (regular_file.NotARegularFile, regular_file.FileTooLarge) as exc:
            changes.errors.append(f"{path}: {exc.strerror}")
            return False
        except OSError as exc:
            changes.errors.append(f"{path}: cannot read: {exc.strerror or exc}")
            return False
        sha1 = hashlib.sha1(raw).digest()
        if table.sha1(row) == sha1:
            # Touched but not changed: only the stamp moves.
            table.sizes[row], table.mtimes[row] = file.size, file.mtime_ns
            changes.errors.extend(table.errors.get(table.paths[row], ()))
            return False
        try:
            result = read_articles(path, relpath=file.relpath, data=raw)
        except Exception as exc:  # a reader bug costs this file, never the library
            changes.errors.append(f"{path}: could not be read ({type(exc).__name__}: {exc}); please report this")
            return False
        changes.errors.extend(result.errors)
        relpath = table.paths[row]
        new_ids: list[str] = []
        for article in result.articles:
            if article.id in self._entries and self._entries[article.id].relpath != relpath:
                changes.errors.append(
                    f"{path}: article id {article.id} is already used by {self._entries[article.id].relpath}; skipped"
                )
                continue
            entry = CatalogEntry.from_article(article)
            entry.relpath = relpath  # the file table's string, not a copy of it
            previous = self._entries.get(article.id)
            if previous is None:
                changes.added.add(article.id)
            elif previous.hash != entry.hash:
                changes.changed.add(article.id)
            self._entries[article.id] = entry
            new_ids.append(article.id)
        for gone in set(table.row_ids(row)) - set(new_ids):
            if self._entries.pop(gone, None) is not None:
                changes.removed.add(gone)
        table.replace(row, file.size, file.mtime_ns, sha1, tuple(new_ids), tuple(result.errors))
        if dataset:
            self._parsed.pop(relpath, None)  # a dataset's articles are too many to keep
        else:
            # Kept, as an open would read them: an article just added is often opened next, and
            # parsing a 2 MB one again took as long as the rest of opening it.
            self._keep_parsed(relpath, (file.size, file.mtime_ns), {article.id: article for article in result.articles})
        return True

    def _under_unreadable_dir(self, relpath: str) -> bool:
        return any(d == "." or relpath.startswith(d + "/") for d in self.unreadable_dirs)

    def entries(self) -> list[CatalogEntry]:
        """All articles' metadata, newest first (unknown dates last)."""
        if not self._loaded:
            self.refresh()
        if self._sorted is None:
            # By date, then title, both descending: two stable sorts, the title one without a
            # Python key function, are twice as fast as one on (date, title) pairs.
            ordered = sorted(self._entries.values(), key=attrgetter("title"), reverse=True)
            ordered.sort(key=lambda e: e.published.sort_key() if e.published else (0, 0, 0), reverse=True)
            self._sorted = ordered
        return list(self._sorted)

    def entry(self, article_id: str) -> CatalogEntry | None:
        if not self._loaded:
            self.refresh()
        return self._entries.get(article_id)

    def article(self, article_id: str) -> Article | None:
        """The full article, read from its file (the last few parsed files are kept in memory)."""
        entry = self.entry(article_id)
        if entry is None:
            return None
        path = self.root / entry.relpath
        try:
            # The kept parse is used only while the file is still the one parsed: it may have been
            # edited, removed or replaced (by a FIFO, say) since.
            status = path.stat()
        except OSError:
            return None
        stamp = (status.st_size, status.st_mtime_ns)
        kept = self._parsed.get(entry.relpath)
        if kept is not None and kept[0] == stamp and stat.S_ISREG(status.st_mode):
            self._parsed.move_to_end(entry.relpath)
            return kept[1].get(article_id)
        from kliping.ingest.reading import read_articles

        try:
            result = read_articles(path, relpath=entry.relpath)
        except Exception:  # gone, a FIFO now, or a reader bug: not there to open
            return None
        articles = {a.id: a for a in result.articles}
        self._keep_parsed(entry.relpath, stamp, articles)
        return articles.get(article_id)

    def _keep_parsed(self, relpath: str, stamp: tuple[int, int], articles: dict[str, Article]) -> None:
        self._parsed[relpath] = (stamp, articles)
        self._parsed.move_to_end(relpath)
        while len(self._parsed) > 4:
            self._parsed.popitem(last=False)

    def problems_of(self, relpath: str) -> tuple[str, ...]:
        """The problems found in one file when it was last read (one line each)."""
        if not self._loaded:
            self.refresh()
        return self._files.errors.get(relpath, ())
