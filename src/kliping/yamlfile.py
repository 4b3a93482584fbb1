"""Reading a small YAML file the user wrote, so every complaint about it can name a line.

Used for theme files and the settings file. Values are built with `yaml.safe_load` only; the
node tree (`yaml.compose` with the safe loader, which builds no objects) is read just to learn on
which line each key sits.

Also home to :func:`too_deep`, the guard every YAML reader in kliping (front matter, bookmarks,
these files) runs before building anything, because no YAML loader survives hostile nesting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


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
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader_class):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return True
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return False  # the real load reports it, with its line
    return False


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
        with Path(path).open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise YamlFileError(exc.strerror or str(exc)) from None
    if len(raw) > MAX_FILE_BYTES:
        raise YamlFileError(f"larger than {MAX_FILE_BYTES // 1024} KB, far more than such a file holds; not read")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlFileError(f"not UTF-8 text (byte {exc.start})") from None
    if too_deep(text):
        raise YamlFileError(f"nested more than {MAX_DEPTH} levels deep")
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise YamlFileError(_describe_yaml_error(exc)) from None
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


def _describe_yaml_error(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
    return problem
