"""Markdown and JSON export of bookmarks, grouped by article under a citation."""

from __future__ import annotations

import datetime as dt
import json

from kliping.articles.model import Article, PublishedDate
from kliping.bookmarks.export import escape_markdown, export, group_by_article
from kliping.bookmarks.model import Bookmark
from tests.support.bookmarks import ARTICLE_TEXT, span_of

EXPORTED = dt.datetime(2024, 12, 6, 9, 30, tzinfo=dt.UTC)

OLDER = Article(
    id="old",
    title="Lavrov Terima *Delegasi* Hamas",
    paragraphs=tuple(ARTICLE_TEXT.split("\n\n")),
    source="Harakatuna",
    authors=("Andi Saputra", "Budi"),
    published=PublishedDate(2022, 9, 10),
    url="https://example.com/lavrov?id=1",
)
NEWER = Article(id="new", title="Harga Beras", paragraphs=(ARTICLE_TEXT,), published=PublishedDate(2024, 1, None))
UNDATED = Article(id="undated", title="Tanpa Tanggal", paragraphs=(ARTICLE_TEXT,))
LIBRARY = {a.id: a for a in (OLDER, NEWER, UNDATED)}


def mark(article_id: str, passage: str, **kwargs) -> Bookmark:
    start, end = span_of(ARTICLE_TEXT, passage)
    return Bookmark.new(article_id, ARTICLE_TEXT, start, end, **kwargs)


def test_groups_are_ordered_by_date_then_undated_then_missing() -> None:
    bookmarks = [
        mark("gone", "Harga beras naik"),
        mark("undated", "Harga beras naik"),
        mark("new", "Pemerintah berjanji"),
        mark("old", "Pertemuan itu membahas"),
        mark("old", "Menteri Luar Negeri"),
    ]
    groups = group_by_article(bookmarks, LIBRARY.get)
    assert [g.article_id for g in groups] == ["old", "new", "undated", "gone"]
    assert [b.quote for b in groups[0].bookmarks] == ["Menteri Luar Negeri", "Pertemuan itu membahas"]
    assert groups[3].info is None


def test_markdown_reads_as_a_document() -> None:
    bookmarks = [
        mark(
            "old", "Pertemuan itu membahas gencatan senjata di Gaza", note="Bukti mediasi.\nLihat juga [laporan].",
            tags=["gaza", "rusia"],
        ),
        mark("old", "Menteri Luar Negeri Rusia Sergey Lavrov menerima delegasi Hamas di Moskow."),
        mark("gone", "Harga beras naik"),
    ]
    text = export(bookmarks, LIBRARY.get, "markdown", exported=EXPORTED)
    assert text == (
        "# Bookmarks\n"
        "\n"
        "3 passages from 2 articles, exported 2024-12-06 09:30.\n"
        "\n"
        "## Lavrov Terima \\*Delegasi\\* Hamas\n"
        "\n"
        "*Harakatuna* · Andi Saputra, Budi · 10 Sep 2022 · <https://example.com/lavrov?id=1>\n"
        "\n"
        "> Menteri Luar Negeri Rusia Sergey Lavrov menerima delegasi Hamas di Moskow.\n"
        "\n"
        "> Pertemuan itu membahas gencatan senjata di Gaza\n"
        "\n"
        "**Note:** Bukti mediasi.  \n"
        "Lihat juga \\[laporan\\].\n"
        "\n"
        "*Tags:* gaza, rusia\n"
        "\n"
        "## Article gone\n"
        "\n"
        "*No longer in the library.*\n"
        "\n"
        "> Harga beras naik\n"
    )


def test_markdown_quotes_keep_paragraphs_and_neutralise_markup_and_controls() -> None:
    text = "# Bukan judul\n\n- bukan daftar\x1b[31m merah\n\n2019. Tahun itu"
    bookmark = Bookmark.new("x", text, 0, len(text))
    out = export([bookmark], lambda _: None, "markdown", exported=EXPORTED)
    assert "> \\# Bukan judul\n>\n> \\- bukan daftar merah\n>\n> 2019\\. Tahun itu\n" in out
    assert "\x1b" not in out
    assert escape_markdown("a_b <c> `d` |e|") == "a\\_b \\<c\\> \\`d\\` \\|e\\|"


def test_json_export_has_citation_and_passages() -> None:
    bookmarks = [mark("old", "Harga beras naik", note="n", tags=["t"]), mark("gone", "Menteri")]
    data = json.loads(export(bookmarks, LIBRARY.get, "json", exported=EXPORTED))
    assert data["exported"] == "2024-12-06T09:30:00+00:00"
    first, second = data["articles"]
    assert first["article"] == {
        "id": "old",
        "in_library": True,
        "title": "Lavrov Terima *Delegasi* Hamas",
        "source": "Harakatuna",
        "authors": ["Andi Saputra", "Budi"],
        "published": "2022-09-10",
        "url": "https://example.com/lavrov?id=1",
    }
    (passage,) = first["bookmarks"]
    assert (passage["quote"], passage["note"], passage["tags"]) == ("Harga beras naik", "n", ["t"])
    assert second["article"] == {"id": "gone", "in_library": False}


def test_empty_export() -> None:
    assert export([], LIBRARY.get, "markdown", exported=EXPORTED).startswith("# Bookmarks\n\n0 passages from 0 articles")
    assert json.loads(export([], LIBRARY.get, "json", exported=EXPORTED))["articles"] == []
