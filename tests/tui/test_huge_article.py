"""A 2 MB article of one paragraph opens and the reader works in it as in any other (Pilot, real
keys): the passage cursor moves by sentence, G goes to the end, and a bookmark is marked."""

from __future__ import annotations

from pathlib import Path

from kliping.articles.sentences import sentence_spans
from kliping.bookmarks.store import BookmarkStore
from kliping.library.folder import Library
from kliping.tui.app import ReaderApp
from kliping.tui.widgets.article_list import ArticleList
from kliping.tui.widgets.reader_pane import ReaderPane
from tests.support.tui import run_async, settle, wait_for, widget_text

SIZE = (120, 40)
SENTENCES = 27_000


@run_async
async def test_a_two_megabyte_one_paragraph_article_opens_and_the_cursor_and_bookmarks_work(tmp_path: Path) -> None:
    root = tmp_path / "library"
    root.mkdir()
    body = " ".join(f"Kalimat nomor {n} bercerita tentang warga kota, dll. Lalu M. Yusuf pulang." for n in range(SENTENCES))
    (root / "besar.txt").write_text("Artikel Satu Paragraf Raksasa\n\n" + body + "\n", "utf-8")
    library = Library(root)
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        article_list = app.main.query_one(ArticleList)
        reader = app.main.query_one(ReaderPane)
        await wait_for(pilot, app, lambda: article_list.rows and app.session.bookmark_store is not None)
        await pilot.press("enter")
        await wait_for(pilot, app, lambda: reader.article is not None and app.focused is reader)
        sentences = sentence_spans(reader.article.text)
        assert len(sentences) == SENTENCES
        assert reader.passage == sentences[0]
        await pilot.press("right_parenthesis", "right_parenthesis")
        assert reader.passage == sentences[2]
        await pilot.press("b", "escape")  # bookmark the third sentence, no note
        await wait_for(pilot, app, lambda: len(BookmarkStore.for_library(root).all()) == 1)
        await settle(pilot, app)
        [saved] = BookmarkStore.for_library(root).all()
        assert (saved.start, saved.end) == sentences[2]
        assert reader.bookmarks == [(saved.start, saved.end, saved.id)]
        assert "▌" in widget_text(reader)
        await pilot.press("G")
        await settle(pilot, app)
        assert f"nomor {SENTENCES - 1} " in widget_text(reader)
        assert reader.passage[0] >= reader.top_offset() > sentences[-40][0]  # the cursor followed to the end
