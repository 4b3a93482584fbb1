"""The reader app: themes, the keymap, notifications, quitting, and the main screen.

The work is elsewhere: :mod:`kliping.tui.screens.main` owns the list, the search and the reader
and their workers; :mod:`kliping.tui.session` holds the session's state without Textual. The
App keeps what is the same on every screen: bindings (their ids are what the keymap and its
clash check name), plain-text notifications, inert key names, theme choices saved to settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import App
from textual.binding import Binding, BindingType, Keymap
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from kliping.config.settings import SettingsSaveError, save_settings
from kliping.files.sanitize import one_line
from kliping.library.folder import Library
from kliping.library.reading_state import ReadingStateStore
from kliping.tui.commands import ReaderCommands
from kliping.tui.keys import help_sections
from kliping.tui.screens.bookmarks import BookmarksScreen
from kliping.tui.screens.help import HelpScreen
from kliping.tui.screens.main import MainScreen
from kliping.tui.search_input import SearchInput
from kliping.tui.session import ReadingSession
from kliping.tui.theming import choose_theme, register_themes, theme_variable_defaults
from kliping.tui.widgets.article_list import ArticleList

if TYPE_CHECKING:
    pass

SEARCH_DELAY = 0.04  # seconds of quiet typing before a search runs (stale results are dropped anyway)
SEARCH_LIMIT = 50  # hits with snippets; each snippet costs, and 50 fill several screens


class ReaderApp(App[None]):
    """``reader`` with no command: browse, search and read one library."""

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it too
    TITLE = "kliping"
    COMMANDS: ClassVar = App.COMMANDS | {ReaderCommands}
    ENABLE_COMMAND_PALETTE = True

    # Ids name bindings in the keymap (and its clash check), so they stay as they are.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit (your place is saved)"),
        Binding("question_mark,f1", "help", "Help", id="app.help", tooltip="Show every key and what it does"),
        Binding("T", "change_theme", "Theme", show=False, id="app.theme", tooltip="Pick a colour theme (the choice is saved)"),
        Binding(
            "B", "bookmarks", "Bookmarks", show=False, id="app.bookmarks",
            tooltip="Every bookmark of the library, to filter, open or export",
        ),
        # `/` and Enter-in-the-search-bar move focus. As priority bindings they run in the order
        # keys arrive, before later keys are handed to a widget, so `/gencatan⏎j` typed at full
        # speed lands where it should. check_action lets them through where they do not apply.
        Binding(
            "slash", "focus_search", "Search", priority=True, id="app.search", tooltip="Type a search; results update as you type"
        ),
        Binding(
            "enter", "search_to_results", "Results", priority=True, show=False, id="search.to-results",
            tooltip="From the search bar, move to the list of hits",
        ),
        Binding(
            "right_square_bracket", "step_article(1)", "Next article", show=False, id="app.next-article",
            tooltip="Open the next article in the list",
        ),
        Binding(
            "left_square_bracket", "step_article(-1)", "Previous article", show=False, id="app.previous-article",
            tooltip="Open the previous article in the list",
        ),
        Binding("escape", "back", "Back", show=False, id="app.back", tooltip="Back to the list; in the list, clear the search"),
        Binding(
            "ctrl+p", "command_palette", "Commands", show=False, priority=True, id="app.command-palette",  # the footer shows it
            tooltip="Jump to an article, search, switch theme or toggle panes",
        ),
    ]

    def __init__(
        self,
        library: Library,
        *,
        state_store: ReadingStateStore | None = None,
        measure: int = 80,
        search_delay: float = SEARCH_DELAY,
        search_limit: int = SEARCH_LIMIT,
        sort: str = "date",
        theme: str | None = None,
        startup_problems: Sequence[str] = (),
        remember_theme: bool = False,
        remember_sort: bool = False,
    ) -> None:
        super().__init__()
        self.initial_sort = sort
        self.startup_problems = list(startup_problems)
        # Choices made in the app (theme, sort) go to the settings file; not in tests, and not
        # the theme when --theme chose it for this session only.
        self.remember_theme = remember_theme
        self.remember_sort = remember_sort
        self.startup_problems += register_themes(self)
        theme_problem = choose_theme(self, theme)
        if theme_problem:
            self.startup_problems.append(theme_problem)
        self._saved: dict[str, object] = {"sort": sort, "theme": self.theme}  # what the settings file says
        self.search_delay = search_delay
        self.search_limit = search_limit
        self.measure = measure
        self.session = ReadingSession(library, state_store)
        self.keymap_overrides: dict[str, str] = {}

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return theme_variable_defaults(self.current_theme)

    def notify(
        self, message: str, *, title: str = "", severity: SeverityLevel = "information", timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification here is plain text: they carry file names, error messages and user
        text, where `[/x]` would be read as markup. (Widgets pass `markup=True` by default, so the
        argument is not trusted.)"""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def get_key_display(self, binding: Binding) -> str:
        """Inert: Textual shows a key as the keymap spells it, escape sequences included. One
        place for the footer, the help screen and Textual's own key panel."""
        return one_line(super().get_key_display(binding))

    def set_keymap(self, keymap: Keymap) -> None:
        self.keymap_overrides = dict(keymap)
        super().set_keymap(keymap)

    def update_keymap(self, keymap: Keymap) -> None:
        self.keymap_overrides.update(keymap)
        super().update_keymap(keymap)


    def get_default_screen(self) -> Screen:
        return MainScreen(self.session, self.measure, self.search_delay, self.search_limit, self.initial_sort)

    @property
    def main(self) -> MainScreen:
        """The main screen, also while a dialog (help, palette) is on top of it."""
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("the main screen is not running")

    @on(events.Ready)
    def first_paint_done(self) -> None:
        """First paint is done: now the main screen loads the library and the index behind it."""
        self.main.start()
        for problem in self.startup_problems:
            self.notify(one_line(problem), title="Settings and themes", severity="warning", timeout=15)
        self.theme_changed_signal.subscribe(self, self._theme_changed)


    @on(ArticleList.SortChanged)
    def sort_changed(self, message: ArticleList.SortChanged) -> None:
        if self.remember_sort and message.order in ("date", "title"):
            self._remember_setting("sort", message.order)

    def _theme_changed(self, theme: Theme) -> None:
        if self.remember_theme:
            self._remember_setting("theme", theme.name)

    def _remember_setting(self, key: str, value: object) -> None:
        if self._saved.get(key) == value:
            return
        # A few hundred bytes written atomically: quick enough for the UI thread.
        try:
            save_settings({key: value})
            self._saved[key] = value
        except (SettingsSaveError, OSError) as exc:
            self.notify(one_line(str(exc)), title="Not saved", severity="warning", timeout=10)


    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("focus_search", "search_to_results"):
            if not isinstance(self.screen, MainScreen):
                return False  # other screens (bookmarks, dialogs) have their own `/` and Enter
            in_search = isinstance(self.screen.focused, SearchInput)
            return in_search if action == "search_to_results" else not in_search
        return super().check_action(action, parameters)

    def action_search_to_results(self) -> None:
        self.main.focus_results()

    def action_focus_search(self) -> None:
        # At once, not after a refresh: the letters typed right after `/` belong to the search.
        self.main.focus_search()

    def action_step_article(self, step: int) -> None:
        self.main.step_article(step)

    async def action_back(self) -> None:
        if self.screen is self.main:
            self.main.back()

    def action_bookmarks(self) -> None:
        """Show every bookmark of the library (``B``)."""
        if not isinstance(self.screen, BookmarksScreen):
            self.main.show_bookmarks()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(help_sections(self.BINDINGS), self.keymap_overrides))

    async def action_quit(self) -> None:
        self.main.remember_position()
        problem = self.main.save_state()
        # A notification would vanish with the screen: say it on the terminal after the app closes.
        self.exit(message=Text(f"reader: {problem}") if problem else None)  # Text: a path is not markup
