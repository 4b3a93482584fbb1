"""The reader pane's keys: scrolling (the same keys as the article list), search matches, and
the passage cursor that bookmarks are made from.

A table of their own: with a tooltip each (the help screen shows them) they were a sixth of the
pane's lines and none of its logic. Every binding has an ``id``, the name a user's
keymap file rebinds it by (``reader.bookmark: B``); the pane's ``check_action`` decides which of
the two bindings of ``j``/``k`` runs: scrolling, or extending a selection.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from kliping.tui.widgets.line_view import Motion, motion_bindings

READER_BINDINGS: list[BindingType] = [
    *motion_bindings(
        down=Motion("scroll_lines(1)", "reader.down", "Down", "Scroll down one line"),
        up=Motion("scroll_lines(-1)", "reader.up", "Up", "Scroll up one line"),
        page_down=Motion("page(1)", "reader.page-down", "Page down", "Scroll down one page"),
        page_up=Motion("page(-1)", "reader.page-up", "Page up", "Scroll up one page"),
        top=Motion("to_top", "reader.top", "Top", "Go to the start of the article"),
        bottom=Motion("to_bottom", "reader.bottom", "Bottom", "Go to the end of the article"),
    ),
    Binding("n", "next_match", "Next match", id="reader.next-match", tooltip="Go to the next search match (wraps)"),
    Binding("N", "previous_match", "Prev match", id="reader.previous-match", tooltip="Go to the previous search match (wraps)"),
    Binding(
        "right_parenthesis",
        "sentence(1)",
        "Next sentence",
        show=False,
        id="reader.next-sentence",
        tooltip="Move the passage cursor to the next sentence",
    ),
    Binding(
        "left_parenthesis",
        "sentence(-1)",
        "Prev sentence",
        show=False,
        id="reader.previous-sentence",
        tooltip="Move the passage cursor to the previous sentence",
    ),
    Binding(
        "right_curly_bracket",
        "paragraph(1)",
        "Next paragraph",
        show=False,
        id="reader.next-paragraph",
        tooltip="Cursor to the next paragraph; while selecting, extend to the paragraph's end",
    ),
    Binding(
        "left_curly_bracket",
        "paragraph(-1)",
        "Prev paragraph",
        show=False,
        id="reader.previous-paragraph",
        tooltip="Cursor to the paragraph's start; while selecting, extend to it",
    ),
    Binding(
        "v",
        "toggle_selection",
        "Select",
        show=False,
        id="reader.select",
        tooltip="Start (or cancel) a selection at the passage cursor",
    ),
    # While selecting, j/k move by sentence; otherwise check_action passes them to the scrolling bindings.
    Binding(
        "j,down", "extend(1)", "Extend", show=False, id="reader.extend-down", tooltip="While selecting: extend by a sentence"
    ),
    Binding("k,up", "extend(-1)", "Shrink", show=False, id="reader.extend-up", tooltip="While selecting: move back a sentence"),
    Binding("escape", "cancel_selection", "Cancel", id="reader.cancel-selection", tooltip="Cancel the selection"),
    Binding("b", "bookmark", "Bookmark", id="reader.bookmark", tooltip="Bookmark the sentence at the cursor, or the selection"),
    Binding(
        "e", "edit_note", "Edit note", show=False, id="reader.edit-note", tooltip="Edit the note of the bookmark at the cursor"
    ),
    Binding(
        "d", "delete_bookmark", "Delete", show=False, id="reader.delete-bookmark", tooltip="Delete the bookmark at the cursor"
    ),
    Binding("u", "undo_delete", "Undo", show=False, id="reader.undo-delete", tooltip="Bring back the last deleted bookmark"),
    Binding(
        "apostrophe",
        "bookmark_step(1)",
        "Next bookmark",
        show=False,
        id="reader.next-bookmark",
        tooltip="Go to the next bookmark in the article (wraps)",
    ),
    Binding(
        "quotation_mark",
        "bookmark_step(-1)",
        "Prev bookmark",
        show=False,
        id="reader.previous-bookmark",
        tooltip="Go to the previous bookmark in the article (wraps)",
    ),
]
