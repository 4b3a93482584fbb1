"""Checking a user's keymap (binding id -> keys) before the app applies it with App.set_keymap.

Pure: the app passes in its bindings, so this runs without Textual. Key strings follow
Textual's: comma-separated keys, each like `ctrl+x`, `f2`, `T`, `question_mark` or `?`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

# Keys that many terminals or shells act on before the application ever sees them.
SWALLOWED_KEYS = {
    "ctrl+c": "interrupt",
    "ctrl+s": "XOFF flow control freezes output",
    "ctrl+q": "XON flow control",
    "ctrl+z": "suspends the program",
    "ctrl+j": "arrives as Enter (newline)",
    "ctrl+b": "tmux's prefix key",
}

_MODIFIER_ORDER = ("ctrl", "alt", "meta", "super", "hyper", "shift")
# Textual's names for the punctuation Unicode calls something else.
_NAME_REPLACEMENTS = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}


def _modifier_rank(modifier: str) -> int:
    return _MODIFIER_ORDER.index(modifier) if modifier in _MODIFIER_ORDER else len(_MODIFIER_ORDER)


def normalise_key(key: str) -> str:
    """One key in a canonical spelling: modifiers lower-case in a fixed order, `?` as `question_mark`."""
    text = key.strip()
    if text == "+" or text.endswith("++"):  # the plus key itself, e.g. "ctrl++"
        modifiers, name = [m for m in text[:-1].split("+") if m], "+"
    else:
        *modifiers, name = text.split("+")
    mods = sorted({m.lower() for m in modifiers}, key=_modifier_rank)
    if mods and len(name) == 1 and name.isalpha():
        name = name.lower()  # with modifiers Textual names letters in lower case
    if len(name) == 1 and not name.isalnum():
        try:
            name = unicodedata.name(name).lower().replace("-", "_").replace(" ", "_")
        except ValueError:
            pass
        name = _NAME_REPLACEMENTS.get(name, name)
    elif len(name) > 1:
        name = name.lower()
    return "+".join([*mods, name])


def normalise_keys(keys: str) -> list[str]:
    """A comma-separated key list, each key normalised, empty entries dropped."""
    return [normalise_key(key) for key in keys.split(",") if key.strip()]


def check_keymap(keymap: Mapping[str, str], bindings: Mapping[str, str]) -> list[str]:
    """Problems with a keymap override, one line each; empty when it is fine.

    ``bindings`` maps every binding id the app has to its default keys. Reports ids the app does
    not have, keys that two bindings would share after the remap, and keys terminals swallow.
    """
    problems: list[str] = []
    effective = {binding_id: normalise_keys(keys) for binding_id, keys in bindings.items()}
    for binding_id, keys in keymap.items():
        if binding_id not in bindings:
            problems.append(f"keymap: there is no binding '{binding_id}'; ignored")
            continue
        effective[binding_id] = normalise_keys(keys)
        if not effective[binding_id]:
            problems.append(f"keymap: {binding_id} has no keys")
        for key in effective[binding_id]:
            if key in SWALLOWED_KEYS:
                problems.append(
                    f"keymap: {binding_id} = {key}: terminals often take {key} ({SWALLOWED_KEYS[key]}); choose another key"
                )
    owners: dict[str, list[str]] = {}
    for binding_id, keys in effective.items():
        for key in keys:
            owners.setdefault(key, []).append(binding_id)
    for key, ids in owners.items():
        # A clash the user's remap caused; clashes among the app's own defaults are not theirs to fix.
        remapped = [binding_id for binding_id in ids if binding_id in keymap]
        if len(ids) > 1 and remapped:
            others = ", ".join(binding_id for binding_id in ids if binding_id != remapped[0])
            problems.append(f"keymap: {remapped[0]} = {key} clashes with {others}")
    return problems
