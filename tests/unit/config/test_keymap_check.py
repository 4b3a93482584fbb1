"""The keymap checker reports unknown ids, clashes and keys terminals swallow."""

from __future__ import annotations

import pytest

from kliping.config.keymap import NAMED_KEYS, SWALLOWED_KEYS, check_key_names, check_keymap, normalize_key, normalize_keys
from tests.support.hardening import FORBIDDEN_OUTPUT

BINDINGS = {"quit": "q", "search": "slash", "theme": "T", "next_hit": "n", "bookmark": "b,ctrl+d"}


def test_a_clean_remap_has_no_problems() -> None:
    assert check_keymap({"quit": "ctrl+x", "search": "f,ctrl+f"}, BINDINGS) == []
    assert check_keymap({}, BINDINGS) == []


def test_unknown_binding_id() -> None:
    assert check_keymap({"fly": "x"}, BINDINGS) == ["keymap: there is no binding 'fly'; ignored"]


def test_clash_with_another_binding_in_any_spelling() -> None:
    assert check_keymap({"search": "n"}, BINDINGS) == ["keymap: search = n clashes with next_hit"]
    # "/" is Textual's "slash"; "Ctrl+D" is "ctrl+d".
    assert check_keymap({"quit": "/"}, BINDINGS) == ["keymap: quit = slash clashes with search"]
    assert check_keymap({"quit": "Ctrl+D"}, BINDINGS) == ["keymap: quit = ctrl+d clashes with bookmark"]


def test_moving_a_key_away_first_is_not_a_clash() -> None:
    assert check_keymap({"search": "n", "next_hit": "j"}, BINDINGS) == []


def test_case_matters_for_plain_letters() -> None:
    assert check_keymap({"quit": "t"}, BINDINGS) == []
    assert check_keymap({"quit": "T"}, BINDINGS) == ["keymap: quit = T clashes with theme"]


@pytest.mark.parametrize("key", sorted(SWALLOWED_KEYS))
def test_keys_terminals_swallow(key: str) -> None:
    [problem] = check_keymap({"quit": f"f5,{key.upper()}"}, BINDINGS)
    assert problem.startswith(f"keymap: quit = {key}: terminals often take {key}")


def test_swallowed_set_covers_the_usual_suspects() -> None:
    assert {"ctrl+s", "ctrl+q", "ctrl+z", "ctrl+c", "ctrl+j", "ctrl+b"} <= set(SWALLOWED_KEYS)


def test_empty_key_list() -> None:
    assert check_keymap({"quit": " , "}, BINDINGS) == ["keymap: quit has no keys"]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("Shift+Ctrl+A", "ctrl+shift+a"),
        ("?", "question_mark"),
        ("ctrl++", "ctrl+plus"),
        ("+", "plus"),
        ("F2", "f2"),
        ("T", "T"),
        ("-", "minus"),
    ],
)
def test_normalize_key(key: str, expected: str) -> None:
    assert normalize_key(key) == expected


def test_normalize_keys_splits_on_commas() -> None:
    assert normalize_keys("q, ctrl+Q,") == ["q", "ctrl+q"]


# -- key names: what settings may bind (checked when the settings are read) ----------------------

VALID_KEY_LISTS = [
    "ctrl+x", "f2", "F12", "T", "1", "é", "?", "question_mark", "slash", "/", "ctrl++", "plus",
    "shift+tab", "pageup", "space", "escape", "enter", "full_stop", "minus", "less_than_sign",
    "left_square_bracket", "alt+ctrl+left", "ctrl+shift+home", "comma", "q, ctrl+x", "section_sign",
]
NOT_KEYS = [
    "\x1b[31mq",  # an escape sequence
    "q\x07",  # BEL
    "\x9b2J",  # an 8-bit CSI
    "\u202eq",  # a bidi override
    "[bold]x[/bold]",  # markup
    "quit",  # a word that is no key
    "ctrl+",  # a modifier with no key
    "hyperx+a",  # no such modifier
    "solidus",  # Unicode's names for `/` and `-`: Textual calls them slash and minus, and
    "hyphen_minus",  # converts only single characters, so these would never fire
    "ctrl+" + "a" * 500,
]


@pytest.mark.parametrize("keys", VALID_KEY_LISTS)
def test_every_key_textual_can_bind_is_accepted(keys: str) -> None:
    assert check_key_names(keys) == keys


@pytest.mark.parametrize("keys", NOT_KEYS)
def test_a_name_that_is_not_a_key_is_refused_in_one_inert_line(keys: str) -> None:
    with pytest.raises(ValueError) as refused:
        check_key_names(f"f5,{keys}")
    message = str(refused.value)
    assert message.endswith("is not a key name") and "\n" not in message and len(message) < 200, message
    assert not any(c in message for c in FORBIDDEN_OUTPUT), message


def test_the_canonical_names_match_textual() -> None:
    """Every name kliping accepts is one Textual binds (keymap.py cannot import Textual itself)."""
    from textual.keys import Keys, _character_to_key

    textual_names = {key.value for key in Keys if "+" not in key.value and not key.value.startswith("<")}
    assert textual_names - {"ctrl-at"} == NAMED_KEYS
    for character in "/\\@-+_?.,;:'\"[]{}()<>|!#$%^&*=~`§":
        assert check_key_names(_character_to_key(character))
        assert normalize_key(character) == _character_to_key(character)
