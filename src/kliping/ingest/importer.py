"""`reader import`: files, folders and JSON Lines datasets into the library as clean Markdown.

Each article becomes `<id>.md` in the library: YAML front matter with its metadata and, under
`original`, the text exactly as it was read, then the clean body, one paragraph per block. The id
is stable (the same source file and line always give the same id), so running an import twice
finds the files already there: unchanged ones are skipped as duplicates, changed ones updated.
A dataset's records that the ledger (kliping.ingest.ledger) knows to be in place are skipped
without being cleaned, so importing the same 22,000-record dataset again takes seconds.

A dataset's record ids are unique only within that dataset: a second dataset (or a hand-made
file) may use `1` too. A file already in the library is only ever replaced by a newer import of
the same source; an article whose id another source's article holds gets an id scoped to its
own source (`1-3fa2c0de`, the dataset's id kept as `dataset_id`), the same on every import.

Durability: each article is written to a hidden temp file beside its target and renamed over it,
so a killed import never leaves a half-written article visible (temp files are dot-prefixed,
which the library skips, and the next import removes those of dead processes). Files are not
fsynced one by one: that made a 22,000-article import take minutes of waiting on the disk. The
whole library is synced once at the end instead. The trade-off: after a power cut (not a killed
process, whose writes the kernel still completes) during an import, articles written in its last
seconds may be empty or missing; running the import again rewrites them, since the source files
are still there. Bookmarks, notes and settings are not written this way: they are fsynced.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kliping.articles.model import Article, metadata_json
from kliping.files import paths as kliping_paths
from kliping.files.atomic import write_atomic
from kliping.files.regular_file import FileTooLarge, NotARegularFile, read_regular
from kliping.ingest.ledger import Entry, ImportLedger, file_stamp
from kliping.ingest.markdown_text import dump_front_matter, split_front_matter
from kliping.ingest.reading import MAX_ARTICLE_BYTES, Known, KnownRecord, is_article_file, iter_articles

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass(slots=True)
class ImportSummary:
    imported: int = 0
    updated: int = 0
    skipped: int = 0  # already in the library with the same content, or repeated within the import
    failed: list[str] = field(default_factory=list)  # one line each: what and why
    cannot_write: bool = False  # the library folder refused a write (read-only, full, no permission)

    @property
    def done_anything(self) -> bool:
        return bool(self.imported or self.updated or self.skipped)

    def line(self) -> str:
        return (
            f"imported {self.imported}, updated {self.updated}, "
            f"skipped as duplicate {self.skipped}, failed {len(self.failed)}"
        )


def article_document(article: Article, provenance: str) -> str:
    """The Markdown file `reader import` writes for one article."""
    meta = {
        "id": article.id,
        **metadata_json(article),
        "extra": {**article.extra, "imported_from": provenance},
        "original": article.original,
    }
    return dump_front_matter(meta) + "\n" + "\n\n".join(article.paragraphs) + "\n"


def file_name_for(article_id: str) -> str:
    """`<id>.md`; an id that is not safe as a file name (`a/b`, `..`) is spelled in hex."""
    if _SAFE_ID.match(article_id) and ".." not in article_id:
        return f"{article_id}.md"
    return "id-" + article_id.encode("utf-8").hex()[:120] + ".md"


def _sources(paths: list[Path], summary: ImportSummary) -> Iterator[Path]:
    """The article files named by the arguments; folders are walked (hidden entries skipped)."""

    def unreadable(exc: OSError) -> None:
        summary.failed.append(f"{exc.filename}: cannot read this folder: {exc.strerror or exc}")

    for path in paths:
        if not path.exists():
            loop = path.is_symlink() and _is_symlink_loop(path)
            summary.failed.append(f"{path}: {'a symlink loop' if loop else 'no such file or folder'}")
        elif path.is_dir():
            found = False
            for folder, dirs, files in os.walk(path, onerror=unreadable):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and is_article_file(name):
                        found = True
                        yield Path(folder) / name
            if not found:
                summary.failed.append(f"{path}: no article files (.txt, .md, .html, .jsonl, .jsonl.gz) in this folder")
        elif is_article_file(path.name):
            yield path
        else:
            summary.failed.append(f"{path}: not an article file (.txt, .md, .html, .jsonl, .jsonl.gz, .ndjson)")


def _is_symlink_loop(path: Path) -> bool:
    try:
        path.resolve(strict=True)
    except RuntimeError:
        return True
    except OSError:
        return False
    return False


def import_paths(
    library_root: Path,
    paths: list[Path],
    progress: Callable[[int, int, str], None] | None = None,
    *,
    cache_dir: Path | None = None,
) -> ImportSummary:
    """Import into ``library_root``; ``progress(done, total, name)`` is called after each file, and
    every few hundred articles within a dataset (``name`` then says how many were read).
    ``cache_dir`` (by default the library's) holds the ledger of what earlier imports wrote."""
    summary = ImportSummary()
    library_root = Path(library_root)
    try:
        library_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        summary.failed.append(f"{library_root}: cannot create the library folder: {exc.strerror or exc}")
        return summary
    library_resolved = library_root.resolve()
    remove_abandoned_temp_files(library_root)
    sources = list(_sources(paths, summary))
    seen_text: set[bytes] = set()  # digests of the texts imported so far, to skip repeats
    ledger = ImportLedger.open(cache_dir or kliping_paths.library_cache_dir(library_root))
    for done, source in enumerate(sources, 1):
        try:
            resolved = source.resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            reason = "a symlink loop" if isinstance(exc, RuntimeError) else f"cannot read: {exc.strerror or exc}"
            summary.failed.append(f"{source}: {reason}")
            continue
        if resolved.is_relative_to(library_resolved):
            summary.failed.append(f"{source}: already inside the library; nothing to import")
            continue
        # A source name that is not valid UTF-8 is noted with its odd bytes as \\xNN.
        where = os.fsencode(resolved).decode("utf-8", "backslashreplace")
        made: dict[str, tuple[int, str]] = {}  # article id -> (line, what it is made from), for the ledger
        known = _known_records(ledger, library_root, where, made)
        try:
            for number, item in enumerate(iter_articles(source, relpath=resolved.as_posix(), known=known), 1):
                if progress and number % 250 == 0:
                    progress(done - 1, len(sources), f"{source.name}: {number:,} read")
                if isinstance(item, str):
                    summary.failed.append(item)
                    continue
                if isinstance(item, KnownRecord):
                    # Already in the library as this import would write it: skipped, uncleaned.
                    summary.skipped += 1
                    seen_text.add(ledger.kept(where, item.line).text)
                    continue
                digest = hashlib.blake2b(item.text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
                if digest in seen_text:
                    summary.skipped += 1  # the same article twice in what is being imported
                    continue
                seen_text.add(digest)
                line = item.extra.get("line")
                provenance = f"{where}:{line}" if line else where
                target = _store(library_root, item, where, provenance, summary)
                if target is None:
                    if summary.cannot_write:
                        break  # the folder refuses writes: one message, not one per article
                    continue
                record = made.pop(item.id, None)
                if record is not None and target.name == file_name_for(item.id):
                    # Only under its own id: a scoped one depends on which files hold the others.
                    _note(ledger, where, record, digest, target)
        except (NotARegularFile, FileTooLarge) as exc:
            summary.failed.append(f"{source}: {exc.strerror}")
        except OSError as exc:
            summary.failed.append(f"{source}: cannot read: {exc.strerror or exc}")
        except Exception as exc:  # a reader bug costs this file, never the import
            summary.failed.append(f"{source}: could not be read ({type(exc).__name__}: {exc}); please report this")
        if summary.cannot_write:
            break
        if progress:
            progress(done, len(sources), source.name)
    ledger.save()
    _sync()
    return summary


def _known_records(ledger: ImportLedger, library_root: Path, where: str, made: dict[str, tuple[int, str]]) -> Known:
    """The question iter_articles asks of each record of the dataset ``where``: is it in the
    library already, as the ledger says? When not, what it is made from is left in ``made``."""

    def known(line: int, text: str, article_id: str) -> bool:
        made_from = ledger.made_from(text, article_id)
        if ledger.unchanged(library_root, where, line, made_from, file_name_for(article_id)) is not None:
            return True
        made[article_id] = (line, made_from)
        return False

    return known


def _note(ledger: ImportLedger, where: str, record: tuple[int, str], digest: bytes, target: Path) -> None:
    line, made_from = record
    with contextlib.suppress(OSError):  # gone already: the next import checks it in full
        ledger.note(where, line, Entry(made_from, digest, target.name, file_stamp(target)))


def _sync() -> None:
    # One flush of everything written, instead of an fsync per article (see the module docstring).
    if hasattr(os, "sync"):
        os.sync()


_TEMP_FILE = re.compile(r"^\..+\.md\.(\d+)-[^.]+\.tmp$")


def remove_abandoned_temp_files(library_root: Path) -> int:
    """Delete the temp files that killed imports left behind; a live process's are kept."""
    removed = 0
    try:
        names = os.listdir(library_root)
    except OSError:
        return 0
    for name in names:
        m = _TEMP_FILE.match(name)
        if m is None or _process_alive(int(m[1])):
            continue
        try:
            os.unlink(library_root / name)
            removed += 1
        except OSError:
            pass
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _store(library_root: Path, article: Article, source: str, provenance: str, summary: ImportSummary) -> Path | None:
    """Save one article from ``source`` (its file): the library file that now holds it, or None
    (and a line in ``summary.failed``) when it could not be saved."""
    scoped_id = f"{article.id}-{hashlib.sha1(source.encode('utf-8', 'surrogateescape')).hexdigest()[:8]}"
    for candidate in (article, dataclasses.replace(article, id=scoped_id, extra={**article.extra, "dataset_id": article.id})):
        target = library_root / file_name_for(candidate.id)
        document = article_document(candidate, provenance).encode("utf-8", "surrogateescape")
        try:
            existing = read_regular(target, 4 * MAX_ARTICLE_BYTES)
        except FileNotFoundError:
            existing = None
        except (NotARegularFile, FileTooLarge):
            continue  # not an article this import wrote: never replaced
        except OSError as exc:
            summary.failed.append(f"{target}: cannot read the existing file: {exc.strerror or exc}")
            return None
        if existing == document:
            summary.skipped += 1
            return target
        if existing is None or _imported_from(existing, candidate.id, source):
            break
    else:
        summary.failed.append(f"{source}: ids {article.id!r} and {scoped_id!r} are both taken by other files' "
                              "articles in the library; this one was not imported")
        return None
    try:
        write_atomic(target, document, durable=False)  # synced once at the end; see the docstring
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT):
            summary.cannot_write = True
            summary.failed.append(
                f"{library_root}: cannot save articles here: {exc.strerror or exc}; nothing more was imported"
            )
        else:
            summary.failed.append(f"{target}: cannot write: {exc.strerror or exc}")
        return None
    if existing is None:
        summary.imported += 1
    else:
        summary.updated += 1
    return target


def _imported_from(document: bytes, article_id: str, source: str) -> bool:
    """Is ``document`` the article ``article_id`` from an earlier import of ``source`` (at any line
    of it: an updated dataset may have moved the record)? Only then may an import write over it."""
    front = split_front_matter(document.decode("utf-8", "surrogateescape"))
    meta = front.data or {}
    extra = meta.get("extra")
    origin = extra.get("imported_from") if isinstance(extra, dict) else None
    if str(meta.get("id")) != article_id or not isinstance(origin, str):
        return False
    return origin == source or (origin.startswith(source + ":") and origin[len(source) + 1 :].isdigit())


def import_with_progress(library_root: Path, paths: list[Path]) -> ImportSummary:
    """Import, with a progress bar when standard error is a terminal."""
    if not sys.stderr.isatty():
        return import_paths(library_root, paths)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def update(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=name)

        return import_paths(library_root, paths, progress=update)
