"""Reading a small YAML file the user wrote, so every complaint about it can name a line.

Used for theme files and the settings file. Values are built with the safe loader only; the
node tree (`yaml.compose` with the safe loader, which builds no objects) is read just to learn on
which line each key sits.

Also home to what every YAML reader in kliping (front matter, bookmarks, these files) shares:
:func:`too_deep`, the guard run before building anything, because no YAML loader survives hostile
nesting, and :func:`safe_load`, the safe loader whose values that a type cannot take
(`2024-02-30`, `!!int abc`) are YAML errors with a line, like every other mistake in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.constructor import ConstructorError

from kliping.files.regular_file import read_regular

# libyaml's C parser and emitter where PyYAML was built with them (ten times faster on the large
# files: imported articles' front matter, a thousand bookmarks), else the pure-Python ones. The C
# classes have the pure-Python ones' interface, and that is all the type checker is told.
if TYPE_CHECKING:
    FastSafeLoader = yaml.SafeLoader
    FastSafeDumper = yaml.SafeDumper
else:
    FastSafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    FastSafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# A settings or theme file is a few hundred bytes; the pure-Python loader (needed for key lines)
# takes about a minute on 20 MB, so a file this much larger than any real one is refused unread.
MAX_FILE_BYTES = 1024 * 1024

# libyaml builds nested collections recursively in C: some tens of thousands of levels (`[[[[…`,
# `- - - - …`, 100 KB of text) overflow the C stack and kill the process outright, and the
# pure-Python loader raises RecursionError far earlier. Real files are a few levels deep.
MAX_DEPTH = 100
_NESTING_MARKS = ("[", "{", "- ", "? ", ": ")


def too_deep(text: str) -> bool:
    """Is the YAML nested deeper than MAX_DEPTH? Its events are read one by one (libyaml's parser
    keeps its own stack, no recursion), and only when the text has enough nesting marks to matter:
    text in block scalars, such as an imported article's original, gives no events.

    Nesting by indentation alone carries no marks, but takes quadratic room (a thousand levels is
    half a megabyte of spaces): it cannot reach libyaml's limit, and the pure-Python loader's
    RecursionError is caught by the callers.
    """
    if sum(text.count(mark) for mark in _NESTING_MARKS) <= MAX_DEPTH:
        return False
    try:
        return _deeper_than_limit(text, FastSafeLoader)
    except yaml.YAMLError:
        pass
    # libyaml refuses deep nesting itself, in some versions before the parser has handed over a
    # hundred levels of events, with its own wording. kliping's limit decides, whatever the
    # version: the pure-Python parser (no nesting limit, no recursion) reads up to the mistake.
    try:
        return _deeper_than_limit(text, yaml.SafeLoader)
    except yaml.YAMLError:
        return False  # the real load reports it, with its line


def _deeper_than_limit(text: str, loader_class: type) -> bool:
    depth = 0
    for event in yaml.parse(text, Loader=loader_class):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return False


# What PyYAML's constructors raise for a scalar its tag's type cannot take: an impossible date
# (ValueError), `!!int abc` (ValueError), `!!bool maybe` (KeyError), `!!timestamp x`
# (AttributeError, from a regex that did not match), a huge exponent (OverflowError).
BAD_VALUE_ERRORS = (ValueError, TypeError, KeyError, AttributeError, OverflowError)


def bad_value(node: yaml.Node) -> ConstructorError:
    """The YAML error, with the node's line, for a value its tag's type cannot take."""
    kind = str(node.tag).rsplit(":", 1)[-1]
    shown = node.value if isinstance(node.value, str) else kind
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    return ConstructorError(None, None, f"{shown!r} is not a valid {kind}", node.start_mark)


class _ValueCheckingConstructor:
    """Mixed into the safe loaders: such a value raises deep in PyYAML, with none of the YAML
    errors a caller expects from a load. It becomes a ConstructorError carrying its line."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except BAD_VALUE_ERRORS:
            raise bad_value(node) from None


class _SafeLoader(_ValueCheckingConstructor, yaml.SafeLoader):
    """The pure-Python safe loader, values checked: it records each node's line."""


class _FastSafeLoader(_ValueCheckingConstructor, FastSafeLoader):
    """The same safe constructor over libyaml's parser, where installed."""


def safe_load(text: str) -> object:
    """Build the values of one YAML document with the safe loader (tags run no code); every
    mistake, values included, is a ``yaml.YAMLError``. The caller runs :func:`too_deep` first."""
    loader = _FastSafeLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


_KEY_ON_LINE = re.compile(r"^[\s-]*([^\s:#'\"{\[][^:#]*?)\s*:(?:\s|$)")


def key_on_line(text: str, line: int) -> str | None:
    """The mapping key written on 1-based ``line`` of ``text``, if the line starts with one."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    match = _KEY_ON_LINE.match(lines[line - 1])
    return match[1] if match else None


class YamlFileError(ValueError):
    """The file cannot be read as a YAML mapping; the message says where and why."""


@dataclass(frozen=True, slots=True)
class YamlMapping:
    data: dict[str, Any]
    # (key, subkey, ...) -> 1-based line of that key in the file
    key_lines: dict[tuple[str, ...], int] = field(default_factory=dict)

    def line_of(self, location: tuple[str | int, ...]) -> int | None:
        """The line of the deepest key in ``location`` that the file has."""
        path = tuple(str(part) for part in location)
        while path:
            if path in self.key_lines:
                return self.key_lines[path]
            path = path[:-1]
        return None


def read_yaml_mapping(path: Path) -> YamlMapping:
    """Parse ``path`` as a YAML mapping (an empty file is an empty mapping)."""
    try:
        # Not a plain open: a FIFO in the file's place would block it until a writer came (the
        # app froze at start), and a link to /dev/zero would be read without end.
        raw = read_regular(path, MAX_FILE_BYTES)
    except OSError as exc:
        raise YamlFileError(exc.strerror or str(exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlFileError(f"not UTF-8 text (byte {exc.start})") from None
    if too_deep(text):
        raise YamlFileError(f"nested more than {MAX_DEPTH} levels deep")
    try:
        # One pass of the (pure-Python) parser: the node tree gives the key lines, and the
        # values are built from that same tree.
        loader = _SafeLoader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise YamlFileError(describe_yaml_error(exc, text)) from None
    except RecursionError:
        raise YamlFileError("nested too deeply") from None
    if data is None:
        return YamlMapping({})
    if not isinstance(data, dict):
        raise YamlFileError(f"expected `key: value` lines at the top, found a {type(data).__name__}")
    if any(not isinstance(key, str) for key in data):
        bad = next(key for key in data if not isinstance(key, str))
        raise YamlFileError(f"key {bad!r} is not text")
    key_lines: dict[tuple[str, ...], int] = {}
    _collect_key_lines(root, (), key_lines)
    return YamlMapping(data, key_lines)


def _collect_key_lines(node: yaml.Node | None, prefix: tuple[str, ...], out: dict[tuple[str, ...], int]) -> None:
    if not isinstance(node, yaml.MappingNode):
        return
    for key_node, value_node in node.value:
        key = (*prefix, str(key_node.value))
        out[key] = key_node.start_mark.line + 1
        _collect_key_lines(value_node, key, out)


def describe_yaml_error(exc: yaml.YAMLError, text: str, first_line: int = 1) -> str:
    """`line 4, key `created`: '2024-02-30' is not a valid timestamp`: where and what, one line.
    ``first_line`` is the file line of the text's first line (front matter starts on line 2)."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or ["not valid YAML"])[0]
    if mark is None:
        position = getattr(exc, "position", None)  # a character YAML does not allow (NUL, controls)
        if not isinstance(position, int):
            return problem
        line = text.count("\n", 0, position) + 1
        return f"line {line + first_line - 1}: {problem}"
    where = f"line {mark.line + first_line}, column {mark.column + 1}"
    if isinstance(exc, ConstructorError):
        key = key_on_line(text, mark.line + 1)
        if key:
            where += f", key {key!r}"
    return f"{where}: {problem}"
