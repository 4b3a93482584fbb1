"""Checking a user's keymap (binding id -> keys) before the app applies it with App.set_keymap.

Pure: the app passes in its bindings, so this runs without Textual. Key strings follow
Textual's: comma-separated keys, each like `ctrl+x`, `f2`, `T`, `question_mark` or `?`.
"""

from __future__ import annotations

import contextlib
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


def normalize_key(key: str) -> str:
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
        with contextlib.suppress(ValueError):  # a character without a name keeps itself
            name = unicodedata.name(name).lower().replace("-", "_").replace(" ", "_")
        name = _NAME_REPLACEMENTS.get(name, name)
    elif len(name) > 1:
        name = name.lower()
    return "+".join([*mods, name])


def normalize_keys(keys: str) -> list[str]:
    """A comma-separated key list, each key normalized, empty entries dropped."""
    return [normalize_key(key) for key in keys.split(",") if key.strip()]


# Textual's names for the keys that are not characters (`textual.keys.Keys` without the
# combinations; a test holds the two together, since this module cannot import Textual).
NAMED_KEYS = frozenset(
    {"up", "down", "left", "right", "home", "end", "pageup", "pagedown", "insert", "delete", "backspace"}
    | {"tab", "enter", "return", "escape", "space"}
    | {f"f{number}" for number in range(1, 25)}
)
_LONGEST_KEY = 80


def check_key_names(keys: str) -> str:
    """``keys`` (a comma-separated list, as in the keymap setting) if every entry names a key
    Textual can bind; else ValueError `'…' is not a key name`, quoting the first that does not.

    Run when the settings are read: a name that is no key would never fire, and one holding an
    escape sequence or markup would be drawn in the footer as it is."""
    for key in keys.split(","):
        if key.strip() and not _is_key(key.strip()):
            shown = key.strip() if len(key.strip()) <= 40 else key.strip()[:40] + "…"
            raise ValueError(f"{shown!r} is not a key name")  # repr: controls shown as \x1b, inert
    return keys


def _is_key(key: str) -> bool:
    # Control, format (bidi), unassigned and private characters: none is a key a terminal sends.
    if len(key) > _LONGEST_KEY or any(unicodedata.category(char)[0] == "C" for char in key):
        return False
    *modifiers, name = normalize_key(key).split("+")
    if not name or any(modifier not in _MODIFIER_ORDER for modifier in modifiers):
        return False
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    return name in NAMED_KEYS or name in _NAME_REPLACEMENTS.values() or _is_character_name(name)


def _is_character_name(name: str) -> bool:
    """Is ``name`` Textual's name for one character (`question_mark`, `full_stop`, `section_sign`)?
    Its Unicode name has spaces or hyphens where ``name`` has underscores, so each is tried."""
    words = name.split("_")
    if not name.replace("_", "").isalnum() or len(words) > 8:
        return False
    for joints in range(2 ** (len(words) - 1)):
        spelled = words[0]
        for index, word in enumerate(words[1:]):
            spelled += ("-" if joints >> index & 1 else " ") + word
        try:
            character = unicodedata.lookup(spelled)
        except KeyError:
            continue
        return len(character) == 1 and normalize_key(character) == name
    return False


def check_keymap(keymap: Mapping[str, str], bindings: Mapping[str, str]) -> list[str]:
    """Problems with a keymap override, one line each; empty when it is fine.

    ``bindings`` maps every binding id the app has to its default keys. Reports ids the app does
    not have, keys that two bindings would share after the remap, and keys terminals swallow.
    """
    problems: list[str] = []
    effective = {binding_id: normalize_keys(keys) for binding_id, keys in bindings.items()}
    for binding_id, keys in keymap.items():
        if binding_id not in bindings:
            problems.append(f"keymap: there is no binding {binding_id!r}; ignored")
            continue
        effective[binding_id] = normalize_keys(keys)
        if not effective[binding_id]:
            problems.append(f"keymap: {binding_id} has no keys")
        for key in effective[binding_id]:
            if key in SWALLOWED_KEYS:
                problems.append(
                    f"keymap: {binding_id} = {key}: terminals often take {key} ({SWALLOWED_KEYS[key]}); choose another key"
                )
    owners: dict[str, list[str]] = {}
    for binding_id, bound in effective.items():
        for key in bound:
            owners.setdefault(key, []).append(binding_id)
    for key, ids in owners.items():
        # A clash the user's remap caused; clashes among the app's own defaults are not theirs to fix.
        remapped = [binding_id for binding_id in ids if binding_id in keymap]
        if len(ids) > 1 and remapped:
            others = ", ".join(binding_id for binding_id in ids if binding_id != remapped[0])
            problems.append(f"keymap: {remapped[0]} = {key} clashes with {others}")
    return problems
