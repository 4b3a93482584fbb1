"""`reader import`: files, folders and JSON Lines datasets into the library as clean Markdown.

Each article becomes `<id>.md` in the library: YAML front matter with its metadata and, under
`original`, the text exactly as it was read, then the clean body, one paragraph per block. The id
is stable (the same source file and line always give the same id), so running an import twice
finds the files already there: unchanged ones are skipped as duplicates, changed ones updated.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kliping.article import Article
from kliping.atomic import write_atomic
from kliping.ingest import is_article_file, read_articles
from kliping.markdown_text import dump_front_matter

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass(slots=True)
class ImportSummary:
    imported: int = 0
    updated: int = 0
    skipped: int = 0  # already in the library with the same content, or repeated within the import
    failed: list[str] = field(default_factory=list)  # one line each: what and why

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
        "title": article.title,
        "title_derived": article.title_derived,
        "source": article.source,
        "authors": list(article.authors),
        "editor": article.editor,
        "published": article.published.iso() if article.published else None,
        "place": article.place,
        "language": article.language,
        "url": article.url,
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
    for path in paths:
        if not path.exists():
            summary.failed.append(f"{path}: no such file or folder")
        elif path.is_dir():
            found = False
            for folder, dirs, files in os.walk(path):
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


def import_paths(
    library_root: Path,
    paths: list[Path],
    progress: Callable[[int, int, str], None] | None = None,
) -> ImportSummary:
    """Import into ``library_root``; ``progress(done, total, name)`` is called after each file."""
    summary = ImportSummary()
    library_root = Path(library_root)
    library_root.mkdir(parents=True, exist_ok=True)
    library_resolved = library_root.resolve()
    sources = list(_sources(paths, summary))
    seen_text: set[str] = set()
    for done, source in enumerate(sources, 1):
        resolved = source.resolve()
        if resolved.is_relative_to(library_resolved):
            summary.failed.append(f"{source}: already inside the library; nothing to import")
            continue
        try:
            result = read_articles(source, relpath=resolved.as_posix())
        except OSError as exc:
            summary.failed.append(f"{source}: cannot read: {exc.strerror or exc}")
            continue
        summary.failed.extend(result.errors)
        for article in result.articles:
            if article.text in seen_text:
                summary.skipped += 1  # the same article twice in what is being imported
                continue
            seen_text.add(article.text)
            line = article.extra.get("line")
            provenance = f"{resolved.as_posix()}:{line}" if line else resolved.as_posix()
            _store(library_root, article, provenance, summary)
        if progress:
            progress(done, len(sources), source.name)
    return summary


def _store(library_root: Path, article: Article, provenance: str, summary: ImportSummary) -> None:
    target = library_root / file_name_for(article.id)
    document = article_document(article, provenance).encode("utf-8")
    try:
        existing = target.read_bytes()
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        summary.failed.append(f"{target}: cannot read the existing file: {exc.strerror or exc}")
        return
    if existing == document:
        summary.skipped += 1
        return
    try:
        write_atomic(target, document)
    except OSError as exc:
        summary.failed.append(f"{target}: cannot write: {exc.strerror or exc}")
        return
    if existing is None:
        summary.imported += 1
    else:
        summary.updated += 1


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
