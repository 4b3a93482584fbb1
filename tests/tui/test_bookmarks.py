"""Bookmarks in the reader app, driven by real key presses (Textual's Pilot).

Each test runs the app on a fresh copy of the seed articles with isolated data directories, and
checks what the user sees as well as what is on disk in the bookmarks file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from textual.geometry import Offset
from textual.selection import Selection
from textual.widgets import OptionList

from kliping.articles.sentences import paragraph_spans, sentence_spans
from kliping.bookmarks.model import Bookmark
from kliping.bookmarks.store import BookmarkStore
from kliping.library.folder import Library
from kliping.tui.app import ReaderApp
from kliping.tui.screens.bookmarks import BookmarksScreen
from kliping.tui.screens.note_dialog import NoteDialog
from kliping.tui.textual_internals import notifications
from kliping.tui.widgets.article_list import ArticleList
from kliping.tui.widgets.reader_pane import ReaderPane
from tests.support.tui import make_library, run_async, running, settle, wait_for, widget_text

SIZE = (120, 40)


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return Library(make_library(tmp_path / "library"))


def reader_of(app: ReaderApp) -> ReaderPane:
    return app.main.query_one(ReaderPane)


def store_on_disk(library: Library) -> list[Bookmark]:
    """The bookmarks as a new process would read them."""
    return BookmarkStore.for_library(library.root).all()


def file_entries(library: Library) -> list[dict]:
    path = BookmarkStore.for_library(library.root).path
    return yaml.safe_load(path.read_text("utf-8"))["bookmarks"]


async def open_first_article(pilot, app: ReaderApp) -> ReaderPane:
    await settle(pilot, app)
    await wait_for(pilot, app, lambda: app.session.bookmark_store is not None)
    await pilot.press("enter")  # the list has focus: open the highlighted (newest) article
    await wait_for(pilot, app, lambda: reader_of(app).article is not None and app.focused is reader_of(app))
    return reader_of(app)


async def open_bookmarks_screen(pilot, app: ReaderApp) -> BookmarksScreen:
    """Press B once the bookmarks are loaded; the screen, once it lists them."""
    await wait_for(pilot, app, lambda: app.session.bookmark_store is not None)
    await pilot.press("B")
    await wait_for(pilot, app, lambda: isinstance(app.screen, BookmarksScreen) and app.screen.loaded)
    assert isinstance(app.screen, BookmarksScreen)
    return app.screen


async def wait_saved(pilot, app: ReaderApp, library: Library, count: int) -> None:
    await wait_for(pilot, app, lambda: len(store_on_disk(library)) == count)
    await settle(pilot, app)


@run_async
async def test_b_bookmarks_the_sentence_at_the_cursor_with_a_note_and_tags(library: Library) -> None:
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_first_article(pilot, app)
        text = reader.article.text
        sentences = sentence_spans(text)
        assert reader.passage == sentences[0]  # the cursor starts on the first sentence on screen
        await pilot.press("right_parenthesis")
        assert reader.passage == sentences[1]
        await pilot.press("b")
        assert isinstance(app.screen, NoteDialog)  # at once: the next keys go into the note
        await pilot.press(*"Kutipan untuk bab dua", "enter", *"baris kedua", "tab", *"gaza, #Diplomasi", "ctrl+o")
        await wait_for(pilot, app, lambda: any(b.note for b in store_on_disk(library)))
        await settle(pilot, app)
        assert app.screen is app.main
        [saved] = store_on_disk(library)
        assert (saved.start, saved.end) == sentences[1]
        assert saved.quote == text[sentences[1][0] : sentences[1][1]]
        assert saved.note == "Kutipan untuk bab dua\nbaris kedua"
        assert saved.tags == ("gaza", "Diplomasi")
        [entry] = file_entries(library)
        assert entry["quote"] == saved.quote and entry["note"] == saved.note
        # The reader marks it: the bookmark colour layer and a mark in the margin.
        assert reader.bookmarks == [(saved.start, saved.end, saved.id)]
        assert "▌" in widget_text(reader)
        assert "1 bookmark" in str(reader.border_subtitle)


@run_async
async def test_a_selection_and_a_paragraph_and_esc_keeps_the_bookmark_without_a_note(library: Library) -> None:
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_first_article(pilot, app)
        text = reader.article.text
        sentences, paragraphs = sentence_spans(text), paragraph_spans(text)
        # v, then j j: three sentences (j scrolls again once the selection is done).
        await pilot.press("v", "j", "j")
        assert reader.selecting
        assert reader.passage == (sentences[0][0], sentences[2][1])
        await pilot.press("b", "escape")
        await wait_saved(pilot, app, library, 1)
        assert not reader.selecting
        # The cursor stayed on the third sentence, inside the second paragraph: { goes to that
        # paragraph's start, } to the next one's, and back; then v } selects all of it.
        assert sentences[2][0] > paragraphs[1][0]
        await pilot.press("left_curly_bracket")
        assert reader.passage == sentences[1] and sentences[1][0] == paragraphs[1][0]
        await pilot.press("right_curly_bracket")
        assert reader.passage[0] == paragraphs[2][0]
        await pilot.press("left_curly_bracket")  # at a paragraph's start: to the previous one
        assert reader.passage[0] == paragraphs[1][0]
        await pilot.press("v", "right_curly_bracket")
        assert reader.passage == paragraphs[1]
        await pilot.press("b", "escape")
        await wait_saved(pilot, app, library, 2)
        first, second = store_on_disk(library)
        assert first.quote == text[sentences[0][0] : sentences[2][1]] and first.note == ""
        assert second.quote == text[paragraphs[1][0] : paragraphs[1][1]] and second.note == ""
        assert [(s, e) for s, e, _ in reader.bookmarks] == [(first.start, first.end), (second.start, second.end)]
        # ' and " move between them by start, wrapping, selecting the passage. The cursor is on
        # the paragraph's last sentence, after both starts, so the next one is the first again.
        assert first.start < second.start < reader.passage[0]
        await pilot.press("apostrophe")
        assert reader.passage == (first.start, first.end) and reader.selecting
        await pilot.press("apostrophe")
        assert reader.passage == (second.start, second.end)
        await pilot.press("quotation_mark")
        assert reader.passage == (first.start, first.end)
        await pilot.press("quotation_mark")
        assert reader.passage == (second.start, second.end)


@run_async
async def test_a_mouse_selection_is_bookmarked(library: Library) -> None:
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_first_article(pilot, app)
        first_body_line = reader.header_height
        line = reader.body_lines[0]
        margin = (reader.scrollable_content_region.width - len(line.text)) // 2
        # Drag over the first body line from its 5th character to its 20th.
        await pilot.mouse_down(reader, offset=(1 + margin + 4, 1 + first_body_line))
        await pilot.hover(reader, offset=(1 + margin + 12, 1 + first_body_line))
        await pilot.hover(reader, offset=(1 + margin + 19, 1 + first_body_line))
        await pilot.mouse_up(reader, offset=(1 + margin + 19, 1 + first_body_line))
        await settle(pilot, app)
        selected = reader.passage
        assert selected is not None and reader.selecting
        assert selected[0] - line.start in (3, 4, 5) and 15 <= selected[1] - line.start <= 21
        await pilot.press("b", "escape")
        await wait_saved(pilot, app, library, 1)
        [saved] = store_on_disk(library)
        assert (saved.start, saved.end) == selected
        # A selection set directly (as Textual does across lines) maps to text offsets too.
        app.screen.selections = {reader: Selection(Offset(margin, first_body_line), Offset(margin + 5, first_body_line + 1))}
        await settle(pilot, app)
        start, end = reader.passage
        assert start == line.start and end > line.end


@run_async
async def test_e_edits_the_note_d_deletes_and_u_brings_it_back(library: Library) -> None:
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_article(pilot, app)
        await pilot.press("b", *"catatan lama", "ctrl+o")
        await wait_for(pilot, app, lambda: [b.note for b in store_on_disk(library)] == ["catatan lama"])
        await settle(pilot, app)
        await pilot.press("e")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*" dan baru", "f2")
        await wait_for(pilot, app, lambda: [b.note for b in store_on_disk(library)] == ["catatan lama dan baru"])
        await pilot.press("d")
        await wait_saved(pilot, app, library, 0)
        assert reader_of(app).bookmarks == []
        await pilot.press("u")
        await wait_saved(pilot, app, library, 1)
        [restored] = store_on_disk(library)
        assert restored.note == "catatan lama dan baru"
        assert len(reader_of(app).bookmarks) == 1
        # e with no bookmark under the cursor says so and opens nothing.
        await pilot.press("right_curly_bracket", "right_curly_bracket", "e")
        assert app.screen is app.main


@run_async
async def test_bookmarks_are_there_after_a_restart(library: Library) -> None:
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_first_article(pilot, app)
        article_id = reader.article.id
        await pilot.press("right_parenthesis", "b", *"tetap ada", "ctrl+o")
        await wait_for(pilot, app, lambda: [b.note for b in store_on_disk(library)] == ["tetap ada"])
        await pilot.press("q")
    again = ReaderApp(library)
    async with running(again, SIZE) as pilot:
        reader = reader_of(again)
        await wait_for(pilot, again, lambda: reader.article is not None and reader.bookmarks)
        assert reader.article.id == article_id  # the last article reopens, its bookmark marked
        [(start, end, _)] = reader.bookmarks
        assert reader.article.text[start:end] == store_on_disk(library)[0].quote
        await pilot.press("B")
        await wait_for(pilot, again, lambda: isinstance(again.screen, BookmarksScreen) and again.screen.loaded)
        assert "tetap ada" in str(again.screen.query_one(OptionList).get_option_at_index(0).prompt)


@run_async
async def test_bookmarks_screen_filters_as_you_type_and_enter_opens_the_passage(library: Library) -> None:
    store = BookmarkStore.for_library(library.root)
    library.refresh()
    articles = [library.article(entry.id) for entry in library.entries()[:3]]
    made = []
    for article, note in zip(articles, ("tentang harga", "soal diplomasi", "untuk kutipan"), strict=True):
        start, end = sentence_spans(article.text)[2]
        made.append(store.add(Bookmark.new(article.id, article.text, start, end, note=note, tags=("bab1",))))
    app = ReaderApp(library)
    async with running(app, SIZE) as pilot:
        screen = await open_bookmarks_screen(pilot, app)
        assert len(screen.shown) == 3
        await pilot.press(*"diplo")
        assert [row.bookmark.id for row in screen.shown] == [made[1].id]
        await pilot.press("enter")
        reader = reader_of(app)
        await wait_for(pilot, app, lambda: reader.article is not None and reader.article.id == made[1].article_id)
        await settle(pilot, app)
        assert app.screen is app.main and app.focused is reader
        assert reader.passage == (made[1].start, made[1].end) and reader.selecting
        assert reader.article.text[made[1].start : made[1].end].split()[0] in widget_text(reader)


@run_async
async def test_orphaned_bookmarks_are_shown_and_can_be_reattached_or_deleted(library: Library) -> None:
    library.refresh()
    entry = library.entries()[0]
    article = library.article(entry.id)
    start, end = sentence_spans(article.text)[1]
    store = BookmarkStore.for_library(library.root)
    gone = store.add(Bookmark.new(entry.id, article.text, start, end, note="hilang"))
    # The article is edited: that sentence is rewritten beyond recognition.
    path = library.root / article.path
    original = article.text[start:end]
    words = original.split()
    rewritten = " ".join("diubah" if i % 3 else w for i, w in enumerate(words))
    path.write_text(path.read_text("utf-8").replace(original, rewritten), "utf-8")
    app = ReaderApp(library)
    async with running(app, SIZE) as pilot:
        screen = await open_bookmarks_screen(pilot, app)
        [row] = screen.shown
        assert row.orphaned and row.bookmark.id == gone.id
        assert "ORPHANED" in str(screen.query_one(OptionList).get_option_at_index(0).prompt)
        await pilot.press("tab", "r")  # to the list, re-attach
        await wait_for(pilot, app, lambda: screen.shown and not screen.shown[0].orphaned)
        [moved] = store_on_disk(library)
        assert "diubah" in moved.quote and moved.note == "hilang"
        await pilot.press("d")
        await wait_saved(pilot, app, library, 0)
        await wait_for(pilot, app, lambda: not screen.shown)


@run_async
async def test_export_from_the_bookmarks_screen_writes_markdown(library: Library, tmp_path: Path) -> None:
    app = ReaderApp(library)
    target = tmp_path / "out" / "kutipan.md"
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_first_article(pilot, app)
        await pilot.press("b", *"catatan ekspor", "ctrl+o")
        await wait_for(pilot, app, lambda: [b.note for b in store_on_disk(library)] == ["catatan ekspor"])
        await pilot.press("B")
        await wait_for(pilot, app, lambda: isinstance(app.screen, BookmarksScreen) and app.screen.loaded)
        await pilot.press("tab", "x")
        field = app.screen.query_one("#export-path")
        assert field.value.endswith(".md")
        field.value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, app, lambda: target.exists())
        exported = target.read_text("utf-8")
        assert "catatan ekspor" in exported
        assert reader.article.title in exported
        await wait_for(pilot, app, lambda: any(str(target) in str(n.message) for n in notifications(app)))


@run_async
async def test_a_note_is_found_by_the_main_search_and_opens_at_its_passage(library: Library) -> None:
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_first_article(pilot, app)
        await pilot.press("right_parenthesis", "right_parenthesis", "b", *"zebrakuning penting", "ctrl+o")
        await wait_for(pilot, app, lambda: [b.note for b in store_on_disk(library)] == ["zebrakuning penting"])
        [saved] = store_on_disk(library)
        await wait_for(pilot, app, lambda: app.session.index is not None)
        await settle(pilot, app)
        await pilot.press("slash", *"zebrakuning")
        article_list = app.main.query_one(ArticleList)
        await wait_for(pilot, app, lambda: article_list.searching and article_list.rows)
        [row] = article_list.rows
        assert row.kind == "note" and row.bookmark_id == saved.id
        assert "note" in widget_text(article_list)
        await pilot.press("enter", "enter")  # to the hits, open it
        await wait_for(pilot, app, lambda: reader.passage == (saved.start, saved.end))
        assert reader.selecting and app.focused is reader


@run_async
async def test_a_broken_bookmarks_file_is_read_only_and_kept(library: Library) -> None:
    path = BookmarkStore.for_library(library.root).path
    path.parent.mkdir(parents=True, exist_ok=True)
    broken = "version: 1\nbookmarks:\n  - id: abc\n    quote: [unclosed\n"
    path.write_text(broken, "utf-8")
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_article(pilot, app)
        messages = [str(n.message) for n in notifications(app)]
        assert any(str(path) in m and "line" in m for m in messages), messages
        await pilot.press("b")
        await settle(pilot, app)
        assert app.screen is app.main  # no dialog: nothing could be saved
        assert any("Cannot save bookmarks" in str(n.message) for n in notifications(app))
    assert path.read_text("utf-8") == broken
