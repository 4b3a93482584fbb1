"""Shared pieces of the search tests: small libraries written as Markdown files with front matter.

Run as a script, ``python -m tests.support.search hold-lock LIBRARY SECONDS`` takes that
library's index write lock, prints ``locked`` and holds the lock for SECONDS: the second process
of the concurrency tests. ``python -m tests.support.search open-search LIBRARY QUERY`` opens
(building or updating) the index, searches, and prints what it found as JSON.

:func:`whoosh_searcher` opens an index's folder with Whoosh itself, for tests that compare what
kliping finds with what Whoosh's own matchers find on the same index.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kliping.search import SearchIndex

# Run as a child process: `[*HELPER, command, ...]` (the repository root is on PYTHONPATH).
HELPER = (sys.executable, "-m", "tests.support.search")

ARTICLES = {
    "evakuasi": (
        "Warga Dievakuasi dari Gaza",
        [
            "Ratusan warga dievakuasi dari Jalur Gaza pada Jumat pagi. Tim gabungan mengevakuasi anak-anak "
            "lebih dahulu, lalu para orang tua.",
            "Proses evakuasinya berjalan lancar, kata juru bicara. Sebanyak 1.000 orang menunggu giliran.",
        ],
    ),
    "damai": (
        "Perundingan Damai di Doha",
        [
            "Perdamaian di kawasan itu dibahas dalam pertemuan para menteri luar negeri di Doha.",
            "Kedua delegasi bertemu selama tiga jam dan sepakat melanjutkan perundingan pekan depan.",
        ],
    ),
    "sandera": (
        "Sandera Dibebaskan",
        [
            "Kelompok bersenjata menyandera dua puluh orang sejak bulan lalu. Sebagian sandera dibebaskan kemarin.",
            "Keluarga mereka yang disandera berharap anak2 mereka segera pulang. Covid-19 tidak menjadi kendala.",
        ],
    ),
    "harga": (
        "Harga Beras Naik",
        [
            "Harga beras naik menjadi Rp 14.600 per kilogram di pasar tradisional, menurut pedagang.",
            "Pemerintah berjanji menambah pasokan beras dari gudang Bulog di berbagai daerah.",
        ],
    ),
}

ENGLISH = (
    "Hostages Released in Gaza",
    [
        "Twenty hostages were released on Friday after weeks of negotiations in Doha.",
        "Families of the people who were evacuated said they hoped for a lasting peace.",
    ],
)


def front_matter_md(
    article_id: str,
    title: str,
    paragraphs: list[str],
    *,
    language: str = "id",
    published: str | None = None,
    source: str | None = None,
    authors: list[str] | None = None,
) -> str:
    """An article file as `reader import` writes it: front matter, then the clean paragraphs."""
    meta = {"id": article_id, "title": title, "language": language, "original": ""}
    if published:
        meta["published"] = published
    if source:
        meta["source"] = source
    if authors:
        meta["authors"] = authors
    lines = ["---", *(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()), "---", ""]
    return "\n".join(lines) + "\n\n".join(paragraphs) + "\n"


def write_article(root: Path, article_id: str, title: str, paragraphs: list[str], **meta) -> Path:
    path = root / f"{article_id}.md"
    path.write_text(front_matter_md(article_id, title, paragraphs, **meta), "utf-8")
    return path


def make_library(root: Path, *, english: bool = False) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    dates = {"evakuasi": "2024-12-06", "damai": "2023-05-02", "sandera": "2024-01-15", "harga": "2019-10-09"}
    sources = {"evakuasi": "Kompas", "damai": "Tempo", "sandera": "tribunnews.com", "harga": "Okezone"}
    for article_id, (title, paragraphs) in ARTICLES.items():
        write_article(
            root, article_id, title, paragraphs,
            published=dates[article_id], source=sources[article_id], authors=["Budi Santoso"] if article_id == "damai" else None,
        )
    if english:
        write_article(root, "hostages", ENGLISH[0], ENGLISH[1], language="en", published="2024-12-07", source="Reuters")
    return root


@contextmanager
def whoosh_searcher(index: SearchIndex) -> Iterator[Any]:
    """A Whoosh searcher of ``index``'s folder as it is on disk, closed on leaving."""
    from whoosh import index as windex

    with windex.open_dir(str(index.directory)).searcher() as searcher:
        yield searcher


def hold_lock(library_root: str, seconds: float) -> None:
    from kliping.files import locks
    from kliping.library.folder import Library
    from kliping.search import SearchIndex

    index = SearchIndex(Library(Path(library_root)))
    lock = locks.acquire(index.lock_path, timeout=0.0, poll=0.1)
    print("locked" if lock else "busy", flush=True)
    time.sleep(seconds)
    if lock:
        lock.release()


def open_search(library_root: str, query: str) -> None:
    from kliping.library.folder import Library
    from kliping.search import SearchIndex

    index = SearchIndex.open(Library(Path(library_root)))
    results = index.search(query)
    print(json.dumps({"ids": sorted(h.article_id for h in results.hits), "report": index.report.message}))
    index.close()


if __name__ == "__main__":
    if sys.argv[1] == "hold-lock":
        hold_lock(sys.argv[2], float(sys.argv[3]))
    elif sys.argv[1] == "open-search":
        open_search(sys.argv[2], sys.argv[3])
