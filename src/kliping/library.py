"""The library: a folder of article files that the user owns, and a catalog of what is in it.

Everything derived from the folder (this catalog, the search index) lives in the cache directory
and can always be rebuilt. The catalog remembers, per file, its size, mtime and content hash and
the metadata of the articles in it, so opening an unchanged library of tens of thousands of
articles reads no article files at all.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kliping import paths
from kliping.article import Article, PublishedDate
from kliping.atomic import write_atomic

CATALOG_VERSION = 3
CATALOG_NAME = "catalog.json"


@dataclass(frozen=True, slots=True)
class LibraryFile:
    relpath: str
    size: int
    mtime_ns: int


@dataclass(slots=True)
class FileRecord:
    """What the catalog remembers of one file: its stamp, its content hash, what it held."""

    size: int
    mtime_ns: int
    sha1: str
    ids: tuple[str, ...]
    errors: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "sha1": self.sha1, "ids": list(self.ids),
                "errors": list(self.errors)}


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
    def from_json(cls, data: dict) -> CatalogEntry:
        published = data.get("published")
        return cls(
            id=data["id"],
            relpath=data["relpath"],
            title=data["title"],
            title_derived=bool(data.get("title_derived")),
            source=_shared(data.get("source")),
            authors=tuple(_shared(a) for a in data.get("authors") or ()),
            editor=_shared(data.get("editor")),
            published=_published(published) if published else None,
            place=_shared(data.get("place")),
            language=_shared(data.get("language") or "id"),
            url=data.get("url"),
            words=int(data.get("words") or 0),
            hash=data["hash"],
        )

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


def _shared(text: str | None) -> str | None:
    """One string object for a value many entries repeat (a source, a place, a language): at
    100,000 articles the catalog in memory is a third smaller."""
    return sys.intern(text) if text else text


@functools.lru_cache(maxsize=4096)
def _published(iso: str) -> PublishedDate:
    # Thousands of articles share each date; they can share one (frozen) PublishedDate too.
    return PublishedDate.from_iso(iso)


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
        self._files: dict[str, FileRecord] = {}  # relpath -> what was in that file
        self._entries: dict[str, CatalogEntry] = {}
        self._sorted: list[CatalogEntry] | None = None  # entries() result until the catalog changes
        self._parsed: OrderedDict[str, dict[str, Article]] = OrderedDict()  # small LRU of parsed files
        self._loaded = False
        self.scan_problems: list[str] = []  # from the last files(): links not followed, folders not read
        self.unreadable_dirs: list[str] = []  # relpaths ("." for the root) whose contents are unknown

    # -- the folder -------------------------------------------------------------------------------

    def files(self) -> list[LibraryFile]:
        """Every article file under the root, sorted. Hidden files and folders are skipped, and so
        are symlinks that loop or lead outside the library; :attr:`scan_problems` says which (and
        which folders could not be read) after each call."""
        from kliping.ingest import is_article_file

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
                with os.scandir(directory) as it:
                    items = list(it)
            except OSError as exc:
                self.scan_problems.append(f"{directory}: cannot read this folder: {exc.strerror or exc}")
                self.unreadable_dirs.append(prefix.rstrip("/") or ".")
                continue
            for item in items:
                name = item.name
                if name.startswith("."):
                    continue  # hidden, and the temp files of writes in progress
                try:
                    if item.is_symlink():
                        target = Path(item.path).resolve(strict=True)
                        if not target.is_relative_to(root):
                            if item.is_dir() or is_article_file(name):
                                self.scan_problems.append(
                                    f"{item.path}: links to {target}, outside the library; not followed"
                                )
                            continue
                    if item.is_dir():
                        stack.append((item.path, f"{prefix}{name}/"))
                    elif is_article_file(name) and item.is_file():
                        st = item.stat()
                        found.append(LibraryFile(prefix + name, st.st_size, st.st_mtime_ns))
                except RuntimeError:
                    self.scan_problems.append(f"{item.path}: a symlink loop; skipped")
                except FileNotFoundError:
                    if item.is_symlink() and is_article_file(name):
                        self.scan_problems.append(f"{item.path}: a link to a file that does not exist; skipped")
                except (OSError, ValueError) as exc:
                    self.scan_problems.append(f"{item.path}: cannot read: {getattr(exc, 'strerror', None) or exc}")
        found.sort(key=lambda f: f.relpath)
        return found

    # -- the catalog ------------------------------------------------------------------------------

    @property
    def catalog_path(self) -> Path:
        return self.cache_dir / CATALOG_NAME

    def _load_catalog(self) -> None:
        self._loaded = True
        try:
            data = json.loads(self.catalog_path.read_bytes())
            if data.get("version") != CATALOG_VERSION:
                return
            self._sorted = None
            entries = data.pop("entries")
            self._entries = {}
            while entries:  # entry by entry, so the parsed JSON is freed as the entries are made
                entry = CatalogEntry.from_json(entries.pop())
                self._entries[entry.id] = entry
            # Slotted records holding the entries' own id strings: a third of the memory of the
            # JSON dicts (63 MB at 100,000 articles).
            ids = {article_id: article_id for article_id in self._entries}
            self._files = {
                relpath: FileRecord(rec["size"], rec["mtime_ns"], rec["sha1"],
                                    tuple(ids.get(i, i) for i in rec["ids"]), tuple(rec.get("errors") or ()))
                for relpath, rec in data.pop("files").items()
            }
        except (OSError, ValueError, KeyError, TypeError):
            # A missing or damaged catalog is only a cache: start over and rebuild it.
            self._files, self._entries = {}, {}

    def _save_catalog(self) -> None:
        data = {
            "version": CATALOG_VERSION,
            "root": str(self.root),
            "files": {relpath: rec.to_json() for relpath, rec in self._files.items()},
            "entries": [e.to_json() for e in self._entries.values()],
        }
        try:
            # ASCII with \\u escapes: read back, it is an ASCII string (one byte a character; a
            # single emoji among 100,000 titles would make a UTF-8 one four bytes a character),
            # and a file name that is not valid UTF-8 (lone surrogates) survives as escapes.
            text = json.dumps(data, separators=(",", ":"))
            write_atomic(self.catalog_path, text.encode("ascii"))
        except OSError:
            pass  # a read-only cache only costs a re-parse next time

    def refresh(self, progress: Callable[[int, int], None] | None = None) -> CatalogChanges:
        """Bring the catalog up to date with the folder, parsing only files that changed."""
        from kliping.ingest import read_articles

        if not self._loaded:
            self._load_catalog()
        changes = CatalogChanges()
        current = {f.relpath: f for f in self.files()}
        changes.errors.extend(self.scan_problems)
        stale = [
            f
            for f in current.values()
            if (rec := self._files.get(f.relpath)) is None
            or rec.size != f.size
            or rec.mtime_ns != f.mtime_ns
        ]
        for relpath in set(self._files) - set(current):
            if self._under_unreadable_dir(relpath):
                continue  # not seen because its folder could not be read, not because it is gone
            for article_id in self._files.pop(relpath).ids:
                if self._entries.pop(article_id, None) is not None:
                    changes.removed.add(article_id)
        for done, file in enumerate(stale, 1):
            path = self.root / file.relpath
            try:
                raw = path.read_bytes()
            except OSError as exc:
                # Its record (if any) stays as it was, so the file is tried again next time and
                # whatever was catalogued from it is kept until it can be read.
                changes.errors.append(f"{path}: cannot read: {exc.strerror or exc}")
                continue
            old = self._files.get(file.relpath)
            sha1 = hashlib.sha1(raw).hexdigest()
            if old is not None and old.sha1 == sha1:
                # Touched but not changed: only the stamp moves.
                old.size, old.mtime_ns = file.size, file.mtime_ns
                changes.errors.extend(old.errors)
                continue
            try:
                result = read_articles(path, relpath=file.relpath, data=raw)
            except Exception as exc:  # noqa: BLE001 - a reader bug costs this file, never the library
                changes.errors.append(f"{path}: could not be read ({type(exc).__name__}: {exc}); please report this")
                continue
            articles, errors = result.articles, result.errors
            changes.errors.extend(errors)
            old_ids = set(old.ids) if old else set()
            new_ids: list[str] = []
            for article in articles:
                if article.id in self._entries and self._entries[article.id].relpath != file.relpath:
                    changes.errors.append(
                        f"{path}: article id {article.id} is already used by "
                        f"{self._entries[article.id].relpath}; skipped"
                    )
                    continue
                entry = CatalogEntry.from_article(article)
                previous = self._entries.get(article.id)
                if previous is None:
                    changes.added.add(article.id)
                elif previous.hash != entry.hash:
                    changes.changed.add(article.id)
                self._entries[article.id] = entry
                new_ids.append(article.id)
            for gone in old_ids - set(new_ids):
                if self._entries.pop(gone, None) is not None:
                    changes.removed.add(gone)
            self._files[file.relpath] = FileRecord(file.size, file.mtime_ns, sha1, tuple(new_ids), tuple(errors))
            self._parsed.pop(file.relpath, None)
            if progress:
                progress(done, len(stale))
        if stale or changes.any:
            self._sorted = None
            self._save_catalog()
        return changes

    def _under_unreadable_dir(self, relpath: str) -> bool:
        return any(d == "." or relpath.startswith(d + "/") for d in self.unreadable_dirs)

    def entries(self) -> list[CatalogEntry]:
        """All articles' metadata, newest first (unknown dates last)."""
        if not self._loaded:
            self.refresh()
        if self._sorted is None:
            self._sorted = sorted(
                self._entries.values(),
                key=lambda e: (e.published.sort_key() if e.published else (0, 0, 0), e.title),
                reverse=True,
            )
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
        articles = self._parsed.get(entry.relpath)
        if articles is None:
            from kliping.ingest import read_articles

            try:
                result = read_articles(self.root / entry.relpath, relpath=entry.relpath)
            except OSError:
                return None
            articles = {a.id: a for a in result.articles}
            self._parsed[entry.relpath] = articles
            while len(self._parsed) > 4:
                self._parsed.popitem(last=False)
        else:
            self._parsed.move_to_end(entry.relpath)
        return articles.get(article_id)

    def articles(self) -> Iterator[Article]:
        for entry in self.entries():
            article = self.article(entry.id)
            if article is not None:
                yield article

    def file_errors(self) -> list[str]:
        """Problems found in files at the last refresh (one line each)."""
        return [err for rec in self._files.values() for err in rec.errors]


def resolve_library_dir(option: str | None) -> Path:
    """Which library to open: `--library`, then $KLIPING_LIBRARY, then settings, then the default."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get("KLIPING_LIBRARY")
    if env:
        return Path(env).expanduser()
    from kliping.settings import load_settings

    configured = load_settings().settings.library
    if configured:
        return Path(configured).expanduser()
    return paths.default_library_dir()


def open_library(option: str | None = None) -> Library:
    """Open the library the user asked for; the default one is seeded with the bundled articles."""
    root = resolve_library_dir(option)
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
