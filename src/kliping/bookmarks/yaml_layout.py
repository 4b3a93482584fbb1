"""Writing ``bookmarks.yaml``, and saving a change without rewriting what the user wrote.

The file is meant to be edited by hand, so a save must keep the user's comments and layout. Each
entry's span of lines is remembered when the file is read (:class:`Layout`, made by
:mod:`kliping.bookmarks.yaml_scan`); a save re-writes only the entries that changed, removes deleted
ones, and inserts new ones in order. Everything else, comments included, stays byte for byte.
Comments inside an entry that kliping rewrites or deletes move to just above it, so nothing the
user wrote disappears.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml

from kliping.files.yamlfile import FastSafeDumper

if TYPE_CHECKING:
    from kliping.bookmarks.model import Bookmark

# The order an entry's keys are written in: what a person looks for first comes first.
FIELDS = ("id", "article_id", "quote", "note", "tags", "start", "end", "prefix", "suffix", "text_hash", "created", "updated")
HEADER = (
    "# kliping bookmarks: one entry per passage, safe to edit by hand.\n"
    "# The previous version of this file is kept beside it as bookmarks.yaml.bak.\n"
)


# -- writing --------------------------------------------------------------------------------------

# Presentation types for the dumper: multi-line quotes and notes as literal blocks, other text
# (ids, context) on one line, tags as a [flow, list].
class Text(str):
    pass


class Inline(str):
    pass


class Tags(tuple):
    pass


_OTHER_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # YAML reads NEL, LS and PS as line breaks, and PyYAML's plain and single-quoted styles fold them
    # into spaces on reading: only double quotes (which escape them) keep such text exact.
    if _OTHER_LINE_BREAKS.search(value):
        style = '"'
    elif "\n" in value:
        style = "|" if isinstance(value, Text) else '"'
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


def _represent_tags(dumper: yaml.SafeDumper, value: Tags) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(value), flow_style=True)


# libyaml's emitter where installed; the representing around it is still Python, which is why a
# save re-dumps only the entries that changed.
class _Dumper(FastSafeDumper):
    """The safe dumper with the presentation types above."""


_Dumper.add_representer(Text, _represent_text)
_Dumper.add_representer(Inline, _represent_text)
_Dumper.add_representer(Tags, _represent_tags)


def entry_of(bookmark: Bookmark) -> dict:
    """The entry as written to the file, keys in :data:`FIELDS` order."""
    values = {
        "id": Inline(bookmark.id),
        "article_id": Inline(bookmark.article_id),
        "quote": Text(bookmark.quote),
        "note": Text(bookmark.note),
        "tags": Tags(bookmark.tags),
        "start": bookmark.start,
        "end": bookmark.end,
        "prefix": Inline(bookmark.prefix),
        "suffix": Inline(bookmark.suffix),
        "text_hash": bookmark.text_hash,
        "created": bookmark.created,
        "updated": bookmark.updated,
    }
    return {key: values[key] for key in FIELDS}


def _dump(value: object) -> str:
    return yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


def dump_document(entries: Iterable[dict], version: int) -> str:
    """The whole file for these entries (already in file order): header, version, entries."""
    return HEADER + _dump({"version": version, "bookmarks": list(entries)})


def dump_entry(entry: dict, indent: int = 0) -> str:
    """One entry as a ``- key: value`` block whose dash is at column ``indent``."""
    text = _dump([entry])
    if not indent:
        return text
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


# -- the layout of a file that was read ----------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """A bookmarks file cut into the parts a save keeps and the entries it may replace.

    ``head + key_line + (gaps[0] + texts[0]) + ... + tail`` is the file. ``gaps[i]`` holds the
    comment and blank lines before entry ``i`` (they stay when the entry is changed or deleted).
    """

    head: str
    key_line: str  # the `bookmarks:` line itself
    gaps: list[str]
    texts: list[str]
    ids: list[str]
    inner_comments: list[tuple[str, ...]]  # comments written inside each entry
    tail: str
    indent: int  # column of the entries' dashes

    def render(self) -> str:
        parts = [self.head, _key_line(self.key_line, empty=not self.texts)]
        for gap, text in zip(self.gaps, self.texts, strict=True):
            parts.append(gap)
            parts.append(text)
        parts.append(self.tail)
        return "".join(parts)

    def patched(self, *, removed: set[str], changed: dict[str, dict], added: list[tuple[int, dict]]) -> Layout:
        """The layout with ``changed`` entries (by id) re-written, ``removed`` ones gone and each
        ``(position, entry)`` of ``added`` inserted before the entry now at that position."""
        gaps: list[str] = []
        texts: list[str] = []
        ids: list[str] = []
        comments: list[tuple[str, ...]] = []
        pending = ""  # lines of deleted entries' gaps, kept for the next entry
        insertions = sorted(added, key=lambda item: item[0])
        next_insert = 0
        pad = " " * self.indent
        for index, ident in enumerate(self.ids):
            while next_insert < len(insertions) and insertions[next_insert][0] <= index:
                entry = insertions[next_insert][1]
                gaps.append("")
                texts.append(dump_entry(entry, self.indent))
                ids.append(str(entry["id"]))
                comments.append(())
                next_insert += 1
            gap = pending + self.gaps[index]
            pending = ""
            # Comments the user wrote inside an entry that is rewritten or deleted move above it
            # (or to where it was) instead of vanishing.
            moved = "".join(f"{pad}{comment}\n" for comment in self.inner_comments[index])
            if ident in removed:
                pending = gap + moved
                continue
            if ident in changed:
                gaps.append(gap + moved)
                texts.append(dump_entry(changed[ident], self.indent))
                comments.append(())
            else:
                gaps.append(gap)
                texts.append(self.texts[index])
                comments.append(self.inner_comments[index])
            ids.append(ident)
        for _, entry in insertions[next_insert:]:
            gaps.append("")
            texts.append(dump_entry(entry, self.indent))
            ids.append(str(entry["id"]))
            comments.append(())
        tail = pending + self.tail
        return Layout(self.head, self.key_line, gaps, texts, ids, comments, tail, self.indent)


def save_text(before: dict, after: dict, layout: Layout | None) -> tuple[str, Layout | None]:
    """The file's new text after a change from ``before`` to ``after`` (bookmarks by id), and its
    layout; ``("", None)`` when there is no layout and the file must be written whole.

    With the layout of the file as read, only the entries that changed are written anew (100,000
    bookmarks would take PyYAML most of a minute to write whole), and the user's comments stay.
    """
    if layout is None:
        return "", None
    removed = {ident for ident in before if ident not in after}
    changed = {
        ident: entry_of(bookmark)
        for ident, bookmark in after.items()
        if ident in before and bookmark is not before[ident] and bookmark != before[ident]
    }
    new = sorted((b for ident, b in after.items() if ident not in before), key=lambda b: b.sort_key())
    added = []
    if new:
        # Each new entry goes before the first one that sorts after it, so a sorted file stays sorted.
        order = [before[ident].sort_key() for ident in layout.ids]
        added = [(bisect.bisect_right(order, b.sort_key()), entry_of(b)) for b in new]
    if not (removed or changed or added):
        return layout.render(), layout
    patched = layout.patched(removed=removed, changed=changed, added=added)
    return patched.render(), patched


_LIST_KEY = re.compile(r"(bookmarks:)( *)(\[ *\])?")


def _key_line(line: str, *, empty: bool) -> str:
    """The `bookmarks:` line for a list with or without entries, its comment and spacing kept."""
    match = _LIST_KEY.match(line)
    if match is None:
        return line
    rest = line[match.end() :]
    if empty:
        return line if match[3] else f"{match[1]} []{match[2]}{rest}"
    return match[1] + match[2] + rest
