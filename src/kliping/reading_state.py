"""Where the reader left off: the last open article, the scroll position in each article, which
articles have been read, and the last query.

It is kept per library as a small, human-readable JSON file in the library's data directory and
written atomically. A file that cannot be read is never overwritten: it is renamed aside and the
reader starts afresh, saying so.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from kliping import paths
from kliping.atomic import write_atomic

STATE_NAME = "reading-state.json"
STATE_VERSION = 1


@dataclass(slots=True)
class ReadingState:
    """``positions`` maps an article id to the offset in ``Article.text`` shown at the top of the
    reader, so a position survives a change of window width."""

    last_article: str | None = None
    last_query: str = ""
    positions: dict[str, int] = field(default_factory=dict)
    read: set[str] = field(default_factory=set)

    def to_json(self) -> dict:
        return {
            "version": STATE_VERSION,
            "last_article": self.last_article,
            "last_query": self.last_query,
            "positions": dict(sorted(self.positions.items())),
            "read": sorted(self.read),
        }

    @classmethod
    def from_json(cls, data: object) -> ReadingState:
        """Validate what was read from the file; raises ValueError naming the first bad field."""
        if not isinstance(data, dict):
            raise ValueError("the file does not hold a JSON object")
        last_article = data.get("last_article")
        if last_article is not None and not isinstance(last_article, str):
            raise ValueError("'last_article' is not a string")
        last_query = data.get("last_query") or ""
        if not isinstance(last_query, str):
            raise ValueError("'last_query' is not a string")
        positions = data.get("positions") or {}
        if not isinstance(positions, dict) or not all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
            for k, v in positions.items()
        ):
            raise ValueError("'positions' is not a map of article ids to offsets")
        read = data.get("read") or []
        if not isinstance(read, list) or not all(isinstance(item, str) for item in read):
            raise ValueError("'read' is not a list of article ids")
        return cls(last_article, last_query, dict(positions), set(read))


class ReadingStateStore:
    """Loads and saves the :class:`ReadingState` of one library.

    After :meth:`load`, :attr:`problem` holds a one-line message when the file could not be read
    (and was moved aside), else ``None``.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.problem: str | None = None
        self.writable = True  # False when an unreadable file could not be moved aside

    @classmethod
    def for_library(cls, library_root: Path) -> ReadingStateStore:
        return cls(paths.library_data_dir(library_root) / STATE_NAME)

    def load(self) -> ReadingState:
        self.problem = None
        self.writable = True
        try:
            raw = self.path.read_text("utf-8")
        except FileNotFoundError:
            return ReadingState()
        except (OSError, UnicodeDecodeError) as exc:
            return self._set_aside(f"cannot be read: {getattr(exc, 'strerror', None) or exc}")
        try:
            return ReadingState.from_json(json.loads(raw))
        except json.JSONDecodeError as exc:
            return self._set_aside(f"line {exc.lineno}: {exc.msg}")
        except ValueError as exc:
            return self._set_aside(str(exc))

    def save(self, state: ReadingState) -> None:
        """Write the state; read markers saved meanwhile by another reader of the same library
        are kept (union). Raises OSError (the caller tells the user)."""
        if not self.writable:
            return
        merged = ReadingState(state.last_article, state.last_query, dict(state.positions), set(state.read))
        try:
            on_disk = ReadingState.from_json(json.loads(self.path.read_text("utf-8")))
        except (OSError, ValueError):
            on_disk = None
        if on_disk is not None:
            merged.read |= on_disk.read
            merged.positions = {**on_disk.positions, **merged.positions}
        text = json.dumps(merged.to_json(), ensure_ascii=False, indent=2) + "\n"
        write_atomic(self.path, text)

    def _set_aside(self, reason: str) -> ReadingState:
        aside = self.path.with_name(f"{self.path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            self.path.rename(aside)
        except OSError as exc:
            self.problem = (
                f"{self.path}: {reason}; it could not be moved aside ({exc.strerror or exc}), "
                "so reading positions will not be saved this session"
            )
            self.writable = False  # never overwrite the unreadable file
            return ReadingState()
        self.problem = f"{self.path}: {reason}; kept it as {aside.name} and started with a fresh reading state"
        return ReadingState()
