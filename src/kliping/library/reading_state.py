"""Where the reader left off: the last open article, the scroll position in each article, which
articles have been read, and the last query.

It is kept per library as a small, human-readable JSON file in the library's data directory and
written atomically. A file that cannot be read is never overwritten: it is renamed aside and the
reader starts afresh, saying so.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from kliping.files import paths
from kliping.files.atomic import write_atomic
from kliping.files.regular_file import FileTooLarge, NotARegularFile, read_regular
from kliping.files.sanitize import one_line

STATE_NAME = "reading-state.json"
STATE_VERSION = 1
# At 100,000 articles, every one read and with a position, the file is about 6 MB.
MAX_STATE_BYTES = 64 * 1024 * 1024
# Offsets are into an article's text; no article comes near two thousand million characters.
MAX_OFFSET = 2**31 - 1


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
        """Validate what was read from the file; raises ValueError naming the first bad field.

        A missing field is empty, but a field of the wrong type is an error even when it is
        empty-looking (`"read": false`): the file is then not one kliping wrote."""
        if not isinstance(data, dict):
            raise ValueError("the file does not hold a JSON object")
        version = data.get("version", STATE_VERSION)
        if type(version) is not int or version != STATE_VERSION:
            raise ValueError(f"'version' is {_shown(version)}, and this kliping reads version {STATE_VERSION}")
        last_article = data.get("last_article")
        if last_article is not None and not _is_text(last_article):
            raise ValueError("'last_article' is not an article id")
        last_query = data.get("last_query", "")
        if not _is_text(last_query):
            raise ValueError("'last_query' is not text")
        positions = data.get("positions", {})
        if not isinstance(positions, dict) or not all(
            _is_text(k) and type(v) is int and 0 <= v <= MAX_OFFSET for k, v in positions.items()
        ):
            raise ValueError("'positions' is not a map of article ids to offsets")
        read = data.get("read", [])
        if not isinstance(read, list) or not all(_is_text(item) for item in read):
            raise ValueError("'read' is not a list of article ids")
        # The query goes back into the search box: nothing in it may drive the terminal.
        return cls(last_article, one_line(last_query), dict(positions), set(read))


def _is_text(value: object) -> bool:
    """A string that can be written back: a lone surrogate (`"\\ud800"` in the JSON) would make
    the next save fail to encode."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


def parse_state(raw: bytes) -> ReadingState:
    """The state in the bytes of a state file; ValueError says in one line what is wrong."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text (byte {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"line {exc.lineno}: {exc.msg}") from None
    except ValueError:  # the only other complaint of json.loads: an integer too long to convert
        raise ValueError(f"holds a number of more than {sys.get_int_max_str_digits()} digits") from None
    except RecursionError:
        raise ValueError("nested too deeply to be a reading state") from None
    return ReadingState.from_json(data)


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
        # A moved library's data is taken along first: the state may be saved before the bookmarks
        # are loaded, and a new data directory made by that save would hide the old one.
        paths.find_moved_library_data(library_root, tell=False)
        return cls(paths.library_data_dir(library_root) / STATE_NAME)

    def load(self) -> ReadingState:
        self.problem = None
        self.writable = True
        try:
            return parse_state(read_regular(self.path, MAX_STATE_BYTES))
        except FileNotFoundError:
            return ReadingState()
        except (NotARegularFile, FileTooLarge) as exc:
            return self._set_aside(exc.strerror or str(exc))
        except OSError as exc:
            return self._set_aside(f"cannot be read: {exc.strerror or exc}")
        except ValueError as exc:
            return self._set_aside(str(exc))

    def save(self, state: ReadingState) -> None:
        """Write the state; read markers saved meanwhile by another reader of the same library
        are kept (union). Raises OSError (the caller tells the user)."""
        if not self.writable:
            return
        merged = ReadingState(state.last_article, state.last_query, dict(state.positions), set(state.read))
        try:
            on_disk = parse_state(read_regular(self.path, MAX_STATE_BYTES))
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
