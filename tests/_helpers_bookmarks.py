"""Shared pieces of the bookmark tests, and the child processes the kill and concurrency tests run.

Run as a script: ``python _helpers_bookmarks.py add-loop FILE TAG`` adds bookmarks until killed,
printing each id only after ``add()`` returned; ``python _helpers_bookmarks.py churn FILE TAG N``
adds N bookmarks and deletes every third one, printing ``added ID`` / ``deleted ID``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ARTICLE_TEXT = (
    "Menteri Luar Negeri Rusia Sergey Lavrov menerima delegasi Hamas di Moskow. "
    "Pertemuan itu membahas gencatan senjata di Gaza dan bantuan kemanusiaan.\n\n"
    "Harga beras naik menjadi Rp 14.600 per kilogram, kata M. Yusuf dari Bulog. "
    "Pemerintah berjanji menambah pasokan, dll. Kenaikan ini terjadi di banyak daerah.\n\n"
    "\u201cKami mendukung perjuangan rakyat Palestina,\u201d ujar Lavrov kepada wartawan."
)


def span_of(text: str, passage: str) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)


def _add_loop(path: Path, tag: str) -> None:
    from kliping.bookmarks import Bookmark, BookmarkStore

    store = BookmarkStore(path)
    start, end = span_of(ARTICLE_TEXT, "Pertemuan itu membahas gencatan senjata di Gaza")
    number = 0
    while True:
        number += 1
        bookmark = store.add(
            Bookmark.new(f"article-{number % 3}", ARTICLE_TEXT, start, end, note=f"{tag} #{number}\nline two", tags=[tag])
        )
        print(bookmark.id, flush=True)


def _churn(path: Path, tag: str, count: int) -> None:
    from kliping.bookmarks import Bookmark, BookmarkStore

    store = BookmarkStore(path)
    for number in range(count):
        start = (number * 7) % 200
        bookmark = store.add(Bookmark.new(f"article-{tag}", ARTICLE_TEXT, start, start + 20, note=f"{tag} {number}"))
        print("added", bookmark.id, flush=True)
        if number % 3 == 2:
            store.delete(bookmark.id)
            print("deleted", bookmark.id, flush=True)


if __name__ == "__main__":
    command, file_name, tag, *rest = sys.argv[1:]
    if command == "add-loop":
        _add_loop(Path(file_name), tag)
    elif command == "churn":
        _churn(Path(file_name), tag, int(rest[0]))
    else:
        raise SystemExit(f"unknown command {command!r}")
