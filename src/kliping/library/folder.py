"""The library: a folder of article files that the user owns, and a catalog of what is in it.

Everything derived from the folder (this catalog, the search index) lives in the cache directory
and can always be rebuilt. The catalog remembers, per file, its size, mtime and content hash and
the metadata of the articles in it, so opening an unchanged library of tens of thousands of
articles reads no article files at all.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from kliping.files import paths

from kliping.files import regular_file
from kliping.articles.model import Article, PublishedDate
from kliping.files.atomic import write_atomic
from kliping.library.columns import (
    FileTable,
    as_table,
    authors_from_json,
    catalog_text,
    integers_column,
    optional_text,
    published_from_iso,
    shared_values,
    strings_column,
)
from kliping.files.regular_file import open_regular, read_regular

CATALOG_VERSION = 4  # 4: a JSON line per column instead of one JSON object per article and per file
CATALOG_NAME = "catalog.jsonl"
# Far above the catalog of a million articles; a larger "catalog" is not one, and is rebuilt.
MAX_CATALOG_BYTES = 2 * 1024 * 1024 * 1024
# A dataset in the library is read whole to hash it (a text article has its own, smaller limit).
MAX_DATASET_BYTES = 2 * 1024 * 1024 * 1024
_NO_SHA1 = bytes(20)  # the content hash of a file never read yet: matches no file's


@dataclass(frozen=True, slots=True)
class LibraryFile:
    relpath: str
    size: int
    mtime_ns: int


@dataclass(slots=True)
class CatalogEntry:
    """What the catalog keeps of one article: its metadata, where it lives, and a content hash."""

    id: str
    relpath: str
    title: str
    title_derived: bool
    source: str | None
    authors: tuple[str, ...]
    editor: str | None
    published: PublishedDate | None
    place: str | None
    language: str
    url: str | None
    words: int
    hash: str  # changes whenever the article's clean text or metadata changes

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "relpath": self.relpath,
            "title": self.title,
            "title_derived": self.title_derived,
            "source": self.source,
            "authors": list(self.authors),
            "editor": self.editor,
            "published": self.published.iso() if self.published else None,
            "place": self.place,
            "language": self.language,
            "url": self.url,
            "words": self.words,
            "hash": self.hash,
        }

    @classmethod
    def from_article(cls, article: Article) -> CatalogEntry:
        return cls(
            id=article.id,
            relpath=article.path,
            title=article.title,
            title_derived=article.title_derived,
            source=article.source,
            authors=article.authors,
            editor=article.editor,
            published=article.published,
            place=article.place,
            language=article.language,
            url=article.url,
            words=article.word_count,
            hash=article_hash(article),
        )


def article_hash(article: Article) -> str:
    """A hash of everything the index and the reader show of an article."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(json.dumps(article.metadata(), sort_keys=True, default=str).encode("utf-8"))
    digest.update(b"\0")
    digest.update(article.text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()



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
        try:
            with open_regular(self.catalog_path) as lines:
                if os.fstat(lines.fileno()).st_size > MAX_CATALOG_BYTES:
                    raise regular_file.FileTooLarge(errno.EFBIG, "far larger than any catalog; not read", str(self.catalog_path))
                header = json.loads(lines.readline(64 * 1024))
                if not isinstance(header, dict) or header.get("version") != CATALOG_VERSION:
                    return
                # Column by column: what is parsed at once is one column, never the whole file.
                columns = dict(json.loads(line) for line in lines)
            self._files, self._entries = self._columns_to_catalog(columns)
        except (regular_file.NotARegularFile, regular_file.FileTooLarge) as exc:
            # Only a cache, rebuilt as a regular file; but a FIFO there is worth a word.
            self.catalog_problem = f"{self.catalog_path}: {exc.strerror}; the catalog is rebuilt"
            self._files, self._entries = FileTable(), {}
        except (OSError, ValueError, KeyError, TypeError, IndexError, OverflowError, AttributeError, RecursionError):
            # A missing or damaged catalog is only a cache: start over and rebuild it.
            self._files, self._entries = FileTable(), {}

    @staticmethod
    def _columns_to_catalog(columns: dict) -> tuple[FileTable, dict[str, CatalogEntry]]:
        table = FileTable()
        table.paths = strings_column(columns.pop("path"), len(columns["articles"]))
        if any(a >= b for a, b in zip(table.paths, table.paths[1:])):
            raise ValueError("the catalog's files are not in order")
        table.sizes = array("q", columns.pop("size"))
        table.mtimes = array("q", columns.pop("mtime_ns"))
        table.sha1s = bytearray.fromhex(columns.pop("sha1"))
        if not len(table.sizes) == len(table.mtimes) == len(table.sha1s) // 20 == len(table.paths):
            raise ValueError("the catalog's file columns differ in length")
        table.errors = {path: tuple(strings_column(errors, len(errors))) for path, errors in columns.pop("errors").items()}

        # The entries are in file order, so each file's ids are the next few: the entries' ids and
        # relpaths are the file table's own strings.
        articles = integers_column(columns.pop("articles"))  # how many in each file
        ids = strings_column(columns.pop("id"), sum(articles))
        total = len(ids)
        if min(articles, default=0) < 0:
            raise ValueError("a file with fewer than no articles")
        relpaths: list[str] = []
        first = 0
        for path, count in zip(table.paths, articles):
            table.ids.append(ids[first] if count == 1 else tuple(ids[first:first + count]))
            relpaths += [path] * count
            first += count
        words: dict[int, int] = {}
        entries = map(
            CatalogEntry,
            ids,
            relpaths,
            strings_column(columns.pop("title"), total),
            [bool(flag) for flag in columns.pop("title_derived")],
            shared_values(**columns.pop("source"), decode=optional_text),
            shared_values(**columns.pop("authors"), decode=authors_from_json),
            shared_values(**columns.pop("editor"), decode=optional_text),
            shared_values(**columns.pop("published"), decode=published_from_iso),
            shared_values(**columns.pop("place"), decode=optional_text),
            shared_values(**columns.pop("language"), decode=catalog_text),
            strings_column(columns.pop("url"), total, optional=True),
            [words.setdefault(n, n) for n in integers_column(columns.pop("words"))],  # a few hundred distinct counts
            strings_column(columns.pop("hash"), total),
        )
        catalog = {entry.id: entry for entry in entries}
        if len(catalog) != total:
            raise ValueError("a catalog column of the wrong length, or an article twice")
        return table, catalog

    def _save_catalog(self) -> None:
        table = self._files
        # In file order, with each file's count of them: the file table's ids are read back from these.
        held = [[entry for article_id in table.row_ids(row) if (entry := self._entries.get(article_id)) is not None]
                for row in range(len(table))]
        entries = [entry for in_file in held for entry in in_file]
        columns = {
            "path": table.paths,
            "size": table.sizes.tolist(),
            "mtime_ns": table.mtimes.tolist(),
            "sha1": table.sha1s.hex(),
            "errors": {path: list(errors) for path, errors in table.errors.items()},
            "articles": [len(in_file) for in_file in held],
            "id": [e.id for e in entries],
            "title": [e.title for e in entries],
            "title_derived": [e.title_derived for e in entries],
            "source": as_table([e.source for e in entries]),
            "authors": as_table([e.authors for e in entries]),
            "editor": as_table([e.editor for e in entries]),
            "published": as_table([e.published.iso() if e.published else None for e in entries]),
            "place": as_table([e.place for e in entries]),
            "language": as_table([e.language for e in entries]),
            "url": [e.url for e in entries],
            "words": [e.words for e in entries],
            "hash": [e.hash for e in entries],
        }
        # One JSON line per column, after a header line. ASCII with \\u escapes: read back, each
        # column is an ASCII string (one byte a character; a single emoji among 100,000 titles would
        # make a UTF-8 one four bytes a character), and a file name that is not valid UTF-8 (lone
        # surrogates) survives as escapes.
        lines = [json.dumps({"version": CATALOG_VERSION, "root": str(self.root)})]
        lines += [json.dumps([name, values], separators=(",", ":")) for name, values in columns.items()]
        try:
            write_atomic(self.catalog_path, "\n".join(lines).encode("ascii") + b"\n")
            (self.cache_dir / "catalog.json").unlink(missing_ok=True)  # the older catalog this one replaces
        except OSError:
            pass  # a read-only cache only costs a re-parse next time

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
            self._save_catalog()
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
        except Exception as exc:  # noqa: BLE001 - a reader bug costs this file, never the library
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
        except Exception:  # noqa: BLE001 - gone, a FIFO now, or a reader bug: not there to open
            return None
        articles = {a.id: a for a in result.articles}
        self._keep_parsed(entry.relpath, stamp, articles)
        return articles.get(article_id)

    def _keep_parsed(self, relpath: str, stamp: tuple[int, int], articles: dict[str, Article]) -> None:
        self._parsed[relpath] = (stamp, articles)
        self._parsed.move_to_end(relpath)
        while len(self._parsed) > 4:
            self._parsed.popitem(last=False)

    def articles(self) -> Iterator[Article]:
        for entry in self.entries():
            article = self.article(entry.id)
            if article is not None:
                yield article

    def file_errors(self) -> list[str]:
        """Problems found in files at the last refresh (one line each)."""
        return [error for path in sorted(self._files.errors) for error in self._files.errors[path]]

    def problems_of(self, relpath: str) -> tuple[str, ...]:
        """The problems found in one file when it was last read (one line each)."""
        if not self._loaded:
            self.refresh()
        return self._files.errors.get(relpath, ())


def resolve_library_dir(option: str | None, warn: Callable[[str], None] | None = None) -> Path:
    """Which library to open: `--library`, then $KLIPING_LIBRARY, then settings, then the default.

    ``warn`` hears each problem of the settings file when it is consulted: a broken file means the
    default library, and a command must not say nothing about that."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get("KLIPING_LIBRARY")
    if env:
        return Path(env).expanduser()
    from kliping.config.settings import load_settings

    loaded = load_settings()
    for problem in loaded.problems if warn else ():
        warn(problem)
    if loaded.settings.library:
        return Path(loaded.settings.library).expanduser()
    return paths.default_library_dir()


def open_library(option: str | None = None, warn: Callable[[str], None] | None = None) -> Library:
    """Open the library the user asked for; the default one is seeded with the bundled articles."""
    root = resolve_library_dir(option, warn)
    if root == paths.default_library_dir():
        seed_default_library(root)
    return Library(root)


def seed_default_library(root: Path) -> None:
    """On first run, copy the bundled seed articles into the default library (never overwrite)."""
    marker = root / ".seeded"
    if marker.exists():
        return
    from importlib.resources import files

    root.mkdir(parents=True, exist_ok=True)
    seeds = files("kliping") / "seeds"
    for seed in sorted(seeds.iterdir(), key=lambda p: p.name):
        if seed.name.endswith(".txt"):
            target = root / seed.name
            if not target.exists():
                write_atomic(target, seed.read_bytes())
    marker.write_text("The bundled articles were copied here once; delete them freely.\n", "utf-8")
