"""Markdown as the words it shows, and YAML front matter read and written safely.

Articles are read, never rendered: `[Ismail Haniyeh](#)` is the words "Ismail Haniyeh", `**x**`
and `*x*` are emphasis around x, an image is nothing. Front matter is loaded with the safe
loader only, so a tag such as ``!!python/object/apply`` is an error, never code; a value its type
cannot take (`created: 2024-02-30`, `!!int abc`) is kept as the text it is, with a problem naming
its line and key, so the article keeps its id and metadata.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
# Link text holds no `[`: each `[` then starts at most one short scan, so a line of ten thousand
# `[` takes linear time instead of quadratic.
_LINK = re.compile(r"\[([^\[\]\n]+)\]\((?:[^()\n]|\([^()\n]*\))*\)")
_REFERENCE_LINK = re.compile(r"\[([^\[\]\n]+)\]\[[^\[\]\n]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS_STAR = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")
_EMPHASIS_UNDERSCORE = re.compile(r"(?<![_\w])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![_\w])")
_CODE = re.compile(r"`([^`\n]+)`")
_HTML_TAG = re.compile(r"</?(?:a|b|i|em|strong|span|u|small|sup|sub|br)\b[^>]*>", re.IGNORECASE)
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_BLOCK_PREFIX = re.compile(r"^\s{0,3}(?:>\s?)+")


def inline_to_text(text: str) -> str:
    """The words a line of Markdown shows."""
    if not any(ch in text for ch in "[*_`<!"):
        return text  # the common case: plain prose, nothing to do
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _REFERENCE_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS_STAR.sub(r"\1", text)
    text = _EMPHASIS_UNDERSCORE.sub(r"\1", text)
    return _HTML_TAG.sub("", text)


def heading(line: str) -> tuple[int, str] | None:
    """``(level, text)`` for an ATX heading line (`# Title`), else None."""
    m = _HEADING.match(line)
    return (len(m[1]), m[2]) if m else None


def strip_block_prefix(line: str) -> str:
    """Drop a blockquote marker (`> `); list markers stay, they are part of what is shown."""
    return _BLOCK_PREFIX.sub("", line)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    data: dict | None  # None when there is no front matter or it could not be used
    body: str  # the text after the front matter (the whole text when there is none)
    error: str | None = None  # why a front matter block was not used
    line_count: int = 0  # lines taken by the front matter block, fences included
    kept_as_text: tuple[str, ...] = ()  # `line 4, column 10, key 'created': …` for each value kept as written


_FENCE = re.compile(r"^---[ \t]*$")
_CLOSING_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


def split_front_matter(text: str) -> FrontMatter:
    """Split `---`-fenced YAML front matter from the body; never raises on bad YAML."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return FrontMatter(None, text)
    for end in range(1, len(lines)):
        if _CLOSING_FENCE.match(lines[end]):
            break
    else:
        return FrontMatter(None, text)
    block = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    import yaml  # only for files with front matter: plain text is read without loading YAML

    from kliping.files.yamlfile import MAX_DEPTH, describe_yaml_error, safe_load, too_deep

    if too_deep(block):
        return FrontMatter(None, body, f"front matter nested more than {MAX_DEPTH} levels deep", end + 1)
    kept: tuple[str, ...] = ()
    try:
        # libyaml's parser where installed: imported articles carry their original text in the
        # front matter, which the pure-Python parser takes milliseconds per article to read.
        try:
            data = safe_load(block)
        except yaml.constructor.ConstructorError:
            data, kept = _load_keeping_bad_values(block)  # raises the first error again if that was not it
    except RecursionError:
        return FrontMatter(None, body, "front matter nested too deeply", end + 1)
    except yaml.YAMLError as exc:
        # The block starts on the file's second line, after the opening fence.
        return FrontMatter(None, body, f"invalid YAML front matter, {describe_yaml_error(exc, block, 2)}", end + 1)
    if data is None:
        return FrontMatter({}, body, None, end + 1)
    if not isinstance(data, dict):
        return FrontMatter(
            None, body, f"front matter is a {type(data).__name__}, not a mapping of keys", end + 1
        )
    return FrontMatter({str(k): v for k, v in data.items()}, body, None, end + 1, kept)


def _load_keeping_bad_values(block: str) -> tuple[object, tuple[str, ...]]:
    """The front matter with each scalar its tag's type cannot take (an impossible date, `!!int
    abc`) as the text written, and a line naming each; any other mistake raises as before."""
    import yaml

    from kliping.files.yamlfile import BAD_VALUE_ERRORS, FastSafeLoader, bad_value, describe_yaml_error

    problems: list[str] = []

    class KeepingLoader(FastSafeLoader):
        def construct_object(self, node, deep=False):
            try:
                return super().construct_object(node, deep)
            except BAD_VALUE_ERRORS:
                if not isinstance(node, yaml.ScalarNode):
                    raise bad_value(node) from None  # a YAML error, which the caller reports
                problems.append(describe_yaml_error(bad_value(node), block, 2))
                self.recursive_objects.pop(node, None)  # PyYAML's bookkeeping for the node it gave up on
                self.constructed_objects[node] = node.value
                return node.value

    loader = KeepingLoader(block)
    try:
        return loader.get_single_data(), tuple(problems)
    finally:
        loader.dispose()


def dump_front_matter(data: dict) -> str:
    """`---`-fenced YAML for ``data``; long and multi-line strings as readable block scalars."""
    import yaml

    dumped = yaml.dump(data, Dumper=_block_string_dumper(), allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{dumped}---\n"


@functools.cache
def _block_string_dumper() -> type:
    """The safe dumper (libyaml's where installed), writing multi-line strings as `|` blocks."""
    import yaml

    from kliping.files.yamlfile import FastSafeDumper

    def represent_str(dumper: FastSafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    class BlockStringDumper(FastSafeDumper):
        pass

    BlockStringDumper.add_representer(str, represent_str)
    return BlockStringDumper
