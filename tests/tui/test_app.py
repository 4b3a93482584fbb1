"""The reader app driven by real key presses (Textual's Pilot) at a fixed size."""

from __future__ import annotations

from pathlib import Path

import pytest

from kliping.library.folder import Library
from kliping.tui.app import ReaderApp
from kliping.tui.screens.help import HelpScreen
from kliping.tui.search_input import SearchInput
from kliping.tui.textual_internals import notifications
from kliping.tui.widgets.article_list import ArticleList
from kliping.tui.widgets.reader_pane import ReaderPane
from tests.support.tui import make_library, run_async, running, settle, wait_for, widget_text

SIZE = (120, 40)
SEED_TITLES = (
    "Hamas Temui Rusia, Bahas Gencatan Senjata Permanen di Gaza",
    "Israel Protes Rusia Dukung Palestina",
)


def parts(app: ReaderApp) -> tuple[ArticleList, ReaderPane, SearchInput]:
    return app.main.query_one(ArticleList), app.main.query_one(ReaderPane), app.main.query_one(SearchInput)


async def open_long_article(pilot, app: ReaderApp) -> None:
    """Pick the long test article in the list and open it with Enter."""
    article_list = app.main.query_one(ArticleList)
    article_list.select_article(next(r.article_id for r in article_list.rows if r.title.startswith("Artikel Panjang")))
    await pilot.press("enter")
    await settle(pilot, app)


async def search(pilot, app: ReaderApp, query: str) -> None:
    await wait_for(pilot, app, lambda: app.session.index is not None)
    await pilot.press("slash", *query)
    await wait_for(pilot, app, lambda: parts(app)[0].searching and app.main.last_results is not None)
    await settle(pilot, app)


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return Library(make_library(tmp_path / "library", long=True, hostile=True))


@run_async
async def test_launch_lists_every_article(library: Library) -> None:
    app = ReaderApp(library)
    async with running(app, SIZE):
        article_list, reader, _ = parts(app)
        assert len(article_list.rows) == 7
        shown = widget_text(article_list)
        assert "Israel Protes Rusia Dukung Palestina" in shown
        assert "● " in shown  # nothing read yet
        assert "7 articles" in str(article_list.border_title)
        assert app.focused is article_list
        assert "No article open" in widget_text(reader)


@run_async
async def test_search_shows_hits_with_counts_and_snippets(library: Library) -> None:
    app = ReaderApp(library)
    async with running(app, SIZE) as pilot:
        await search(pilot, app, "gencatan")
        article_list, _, search_input = parts(app)
        assert search_input.value == "gencatan"
        ids = {row.article_id for row in article_list.rows}
        assert len(ids) >= 3
        assert all(row.hit_count and row.hit_count > 0 for row in article_list.rows)
        shown = widget_text(article_list)
        first = article_list.rows[0]
        assert f"{first.hit_count}×" in shown
        assert "gencatan" in shown.lower()  # the snippet line, with the match kept in view
        assert "hit" in str(article_list.border_title)


@run_async
async def test_enter_opens_the_article_at_its_first_match_and_n_moves(library: Library) -> None:
    app = ReaderApp(library)
    async with running(app, SIZE) as pilot:
        await search(pilot, app, "gencatan")
        article_list, reader, _ = parts(app)
        await pilot.press("enter")  # from the search bar to the list
        assert app.focused is article_list
        await open_long_article(pilot, app)
        assert app.focused is reader
        assert reader.article is not None and reader.article.title.startswith("Artikel Panjang")
        assert reader.match_count == 2
        matches = sorted(app.main.session.matches_in(reader.article, "gencatan"))  # what the reader shows
        assert reader.current_match == 0
        first_line = reader.line_of_offset(matches[0][0])
        height = reader.scrollable_content_region.height
        assert reader.scroll_y > 0
        assert reader.scroll_y <= first_line < reader.scroll_y + height
        assert str(reader.border_subtitle).startswith("1/2")
        await pilot.press("n")
        await pilot.pause()
        assert reader.current_match == 1
        assert str(reader.border_subtitle).startswith("2/2")
        second_line = reader.line_of_offset(matches[1][0])
        assert reader.scroll_y <= second_line < reader.scroll_y + height
        await pilot.press("n")  # wraps to the first
        await pilot.pause()
        assert reader.current_match == 0
        await pilot.press("N")  # and back, wrapping the other way
        await pilot.pause()
        assert reader.current_match == 1
        shown = widget_text(reader)
        assert "gencatan" in shown


@run_async
async def test_help_screen_lists_bindings_and_closes(library: Library) -> None:
    app = ReaderApp(library)
    async with running(app, SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for description in ("Next match", "Search", "Next article", "Sort", "Quit", "Switch pane"):
            assert description in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


@run_async
async def test_palette_jumps_to_an_article_by_title(library: Library) -> None:
    app = ReaderApp(library)
    async with running(app, SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"israel protes")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot, app)
        _, reader, _ = parts(app)
        assert reader.article is not None
        assert reader.article.title == "Israel Protes Rusia Dukung Palestina"


@run_async
async def test_next_and_previous_article_keys(library: Library) -> None:
    app = ReaderApp(library)
    async with running(app, SIZE) as pilot:
        article_list, reader, _ = parts(app)
        await pilot.press("right_square_bracket")
        await settle(pilot, app)
        first = reader.article.id
        await pilot.press("right_square_bracket")
        await settle(pilot, app)
        assert reader.article.id != first
        assert article_list.highlighted.article_id == reader.article.id
        await pilot.press("left_square_bracket")
        await settle(pilot, app)
        assert reader.article.id == first


@run_async
async def test_restart_restores_article_position_query_and_read_markers(library: Library) -> None:
    app = ReaderApp(library)
    async with running(app, SIZE) as pilot:
        article_list, reader, _ = parts(app)
        await open_long_article(pilot, app)
        await pilot.press("pagedown", "pagedown", "j", "j")
        await pilot.pause()
        position = reader.top_offset()
        article_id = reader.article.id
        assert position > 0
        await pilot.press("slash", *"kota", "enter")
        await settle(pilot, app)
        await pilot.press("q")
        await pilot.pause()

    again = ReaderApp(Library(library.root))
    async with running(again, SIZE) as pilot:
        article_list, reader, search_input = parts(again)
        assert reader.article is not None and reader.article.id == article_id
        assert reader.top_offset() == position
        assert search_input.value == "kota"
        assert article_id in article_list.read


@run_async
async def test_resize_rewraps_and_keeps_the_reading_position(library: Library) -> None:
    app = ReaderApp(library)
    async with running(app, SIZE) as pilot:
        _, reader, _ = parts(app)
        await open_long_article(pilot, app)
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()
        before = reader.top_offset()
        lines_before = len(reader.body_lines)
        await pilot.resize_terminal(70, 40)
        await settle(pilot, app)
        assert len(reader.body_lines) > lines_before  # narrower: more lines
        after = reader.top_offset()
        assert abs(after - before) < 200  # the same place, give or take a line
        assert all(len(line.text) <= reader.scrollable_content_region.width for line in reader.body_lines)


@run_async
async def test_user_text_is_never_markup_and_never_reaches_the_terminal_as_controls(library: Library) -> None:
    app = ReaderApp(library)
    async with running(app, SIZE) as pilot:
        article_list, reader, _ = parts(app)
        hostile = next(r for r in article_list.rows if r.title.startswith("Judul"))
        listed = widget_text(article_list)
        assert "[bold]tebal[/bold]" in listed
        assert "\x1b" not in listed and "\x07" not in listed
        article_list.select_article(hostile.article_id)
        await pilot.press("enter")
        await settle(pilot, app)
        shown = widget_text(reader)
        assert "[bold]tebal[/bold]" in shown
        assert "[link=https://evil.example]klik[/link]" in shown
        assert "[red]markup[/red]" in shown and "[/x]" in shown
        for control in ("\x1b", "\x07", "\x9b"):
            assert control not in shown
        assert "pwned" not in shown and "diganti" not in shown
        await search(pilot, app, "gencatan")
        listed = widget_text(article_list)
        assert "\x1b" not in listed
        assert "[/x]" in listed or "[red]" in listed or "Judul" in listed


@run_async
async def test_a_syntax_problem_is_a_quiet_message_and_zero_hits_offer_a_suggestion(library: Library) -> None:
    app = ReaderApp(library)
    async with running(app, SIZE) as pilot:
        await search(pilot, app, "gencatn")
        _, _, search_input = parts(app)
        suggestion = app.main.last_results.suggestion
        assert suggestion, "the index should suggest a spelling for a one-letter typo"
        message = str(app.main.query_one("#search-message").render())
        assert "Did you mean" in message and suggestion in message
        await pilot.press("tab")
        await wait_for(pilot, app, lambda: app.main.last_results is not None and app.main.last_results.hits)
        assert search_input.value == suggestion
        await pilot.press(*' "tidak ditutup')
        await settle(pilot, app)
        assert app.is_running  # an unbalanced quote is a message or a best effort, never a crash


@run_async
async def test_twenty_thousand_rows_are_drawn_without_a_widget_each(library: Library) -> None:
    from kliping.tui.widgets.article_list import ArticleRow

    app = ReaderApp(library)
    async with running(app, SIZE) as pilot:
        article_list, _, _ = parts(app)
        rows = [ArticleRow(f"id{n}", f"Artikel nomor {n:05d}", "Sumber", None, rank=n) for n in range(20_000)]
        article_list.set_rows(rows, searching=False)
        await pilot.pause()
        assert not article_list.children
        await pilot.press("G")
        await pilot.pause()
        assert article_list.cursor == 19_999
        assert article_list.highlighted.title in widget_text(article_list)
        await pilot.press("g", "j", "j")
        await pilot.pause()
        assert article_list.cursor == 2


@run_async
async def test_notifications_show_file_names_and_errors_literally(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "[bold]kosong[dim].txt").write_bytes(b"")  # an empty file: skipped with a notification
    (library / "isi.txt").write_text("Judul\n\nIsi artikel.\n", "utf-8")
    app = ReaderApp(Library(library))
    async with running(app, (100, 30)) as pilot:
        messages = [str(n.message) for n in notifications(app)]
        assert any("[bold]kosong[dim].txt" in m for m in messages), messages
        assert all(not n.markup for n in notifications(app))
        app.main.query_one(ArticleList).notify("[/x] dari sebuah widget")  # widgets default to markup
        await settle(pilot, app)
        assert app.is_running
