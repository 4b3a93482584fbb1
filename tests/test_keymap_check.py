"""The keymap checker reports unknown ids, clashes and keys terminals swallow."""

from __future__ import annotations

import pytest

from kliping.keymap import SWALLOWED_KEYS, check_keymap, normalise_key, normalise_keys

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
def test_normalise_key(key: str, expected: str) -> None:
    assert normalise_key(key) == expected


def test_normalise_keys_splits_on_commas() -> None:
    assert normalise_keys("q, ctrl+Q,") == ["q", "ctrl+q"]
