"""Reading a small YAML file the user wrote, so every complaint about it can name a line.

Used for theme files and the settings file. Values are built with `yaml.safe_load` only; the
node tree (`yaml.compose` with the safe loader, which builds no objects) is read just to learn on
which line each key sits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


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
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlFileError(f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise YamlFileError(exc.strerror or str(exc)) from None
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise YamlFileError(_describe_yaml_error(exc)) from None
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
