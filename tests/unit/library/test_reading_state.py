"""The reading state file: round trip, merging with another reader, and never losing a bad file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kliping.library import reading_state
from kliping.library.reading_state import ReadingState, ReadingStateStore


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


# -- hostile files: every value a type cannot take is one line, the file is kept aside ------------

HOSTILE_STATES = {
    "nested 100,000 deep": "[" * 100_000 + "]" * 100_000,
    "nested inside a field": '{"read": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "a 5000-digit number": '{"positions": {"a1": ' + "9" * 5000 + "}}",
    "an offset far past any article": '{"positions": {"a1": ' + "9" * 60 + "}}",
    "NaN as an offset": '{"positions": {"a1": NaN}}',
    "a number as the query": '{"last_query": 0}',
    "a list as the positions": '{"positions": []}',
    "a map as the read list": '{"read": {}}',
    "false as the read list": '{"read": false}',
    "a lone surrogate in the query": '{"last_query": "separuh \\ud800"}',
    "a lone surrogate in an id": '{"read": ["a\\udcff"]}',
    "a version from elsewhere": '{"version": 99, "read": ["a1"]}',
    "a version of the wrong type": '{"version": "1", "read": ["a1"]}',
}


@pytest.mark.parametrize("name", list(HOSTILE_STATES))
def test_a_hostile_state_file_is_one_line_kept_aside_and_the_next_save_works(name: str, tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    text = HOSTILE_STATES[name]
    path.write_text(text, "utf-8")
    store = ReadingStateStore(path)
    assert store.load() == ReadingState()
    assert store.problem and str(path) in store.problem, store.problem
    assert "\n" not in store.problem and len(store.problem) < 400, store.problem
    [aside] = tmp_path.glob("state.json.unreadable-*")
    assert aside.read_text("utf-8") == text
    store.save(ReadingState(last_article="b", read={"b"}))
    assert ReadingStateStore(path).load() == ReadingState(last_article="b", read={"b"})


@pytest.mark.parametrize("name", ["nested 100,000 deep", "a 5000-digit number", "a lone surrogate in an id"])
def test_saving_over_a_file_that_turned_hostile_meanwhile_does_not_raise(name: str, tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    store = ReadingStateStore(path)
    store.load()
    path.write_text(HOSTILE_STATES[name], "utf-8")  # another process wrote it after the load
    store.save(ReadingState(last_article="b"))
    assert ReadingStateStore(path).load().last_article == "b"


def test_controls_in_the_saved_query_never_reach_the_search_box(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"last_query": "gencatan\x1b[31m\x9b2J\u202e senjata\x07"}), "utf-8")
    store = ReadingStateStore(path)
    assert store.load().last_query == "gencatan senjata"
    assert store.problem is None


def test_a_state_file_over_the_limit_is_kept_aside_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading_state, "MAX_STATE_BYTES", 1000)
    path = tmp_path / "state.json"
    text = json.dumps({"read": [f"artikel-{n}" for n in range(200)]})
    path.write_text(text, "utf-8")
    store = ReadingStateStore(path)
    assert store.load() == ReadingState()
    assert store.problem and str(path) in store.problem and "larger than" in store.problem, store.problem
    [aside] = tmp_path.glob("state.json.unreadable-*")
    assert aside.read_text("utf-8") == text
