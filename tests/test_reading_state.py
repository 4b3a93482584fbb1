"""The reading state file: round trip, merging with another reader, and never losing a bad file."""

from __future__ import annotations

import json
from pathlib import Path

from kliping.reading_state import ReadingState, ReadingStateStore


def test_round_trip_is_human_readable(tmp_path: Path) -> None:
    store = ReadingStateStore(tmp_path / "state.json")
    state = ReadingState("a1", "gencatan senjata", {"a1": 120, "b2": 0}, {"a1", "b2"})
    store.save(state)
    text = (tmp_path / "state.json").read_text("utf-8")
    assert '"last_query": "gencatan senjata"' in text and "\n  " in text  # indented JSON
    loaded = ReadingStateStore(tmp_path / "state.json").load()
    assert loaded == state


def test_missing_file_is_a_fresh_start(tmp_path: Path) -> None:
    store = ReadingStateStore(tmp_path / "none.json")
    assert store.load() == ReadingState()
    assert store.problem is None


def test_for_library_lives_in_the_library_data_dir(tmp_path: Path, isolated_dirs: Path) -> None:
    store = ReadingStateStore.for_library(tmp_path / "lib")
    assert str(store.path).startswith(str(isolated_dirs / "data"))


def test_an_unreadable_file_is_moved_aside_with_a_message_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text('{"last_article": "a1", "read": [', "utf-8")
    store = ReadingStateStore(path)
    assert store.load() == ReadingState()
    assert store.problem and "line 1" in store.problem and "state.json" in store.problem
    asides = list(tmp_path.glob("state.json.unreadable-*"))
    assert len(asides) == 1 and asides[0].read_text("utf-8") == '{"last_article": "a1", "read": ['
    store.save(ReadingState(last_article="b"))
    assert json.loads(path.read_text("utf-8"))["last_article"] == "b"
    assert asides[0].exists()


def test_wrong_types_are_reported_by_field(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"positions": {"a": "top"}}), "utf-8")
    store = ReadingStateStore(path)
    store.load()
    assert store.problem and "'positions'" in store.problem


def test_read_markers_from_another_reader_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    first, second = ReadingStateStore(path), ReadingStateStore(path)
    mine, theirs = first.load(), second.load()
    mine.read.add("a")
    theirs.read.add("b")
    first.save(mine)
    second.save(theirs)
    assert ReadingStateStore(path).load().read == {"a", "b"}
