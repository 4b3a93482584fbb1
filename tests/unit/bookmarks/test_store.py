"""The bookmark store: the YAML file's format, atomic saving with a backup, merging with other
processes' changes, undo, and refusing to overwrite a file it cannot read."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kliping.bookmarks.model import (
    Bookmark,
    BookmarkError,
    BookmarkNotFound,
    BookmarksBusy,
    BookmarksReadOnly,
    parse_tags,
)
from kliping.bookmarks.store import BookmarkStore
from kliping.bookmarks.yaml_layout import FIELDS
from tests.support.bookmarks import ARTICLE_TEXT, bookmark_on, span_of


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "bookmarks.yaml"




def test_new_bookmark_captures_quote_context_offsets_and_hash() -> None:
    passage = "Pertemuan itu membahas gencatan senjata di Gaza"
    bookmark = bookmark_on(passage, note="Kenapa penting\r\n", tags=["#gaza", "Gaza", " rusia "])
    start, end = span_of(ARTICLE_TEXT, "Pertemuan itu membahas gencatan senjata di Gaza")
    assert (bookmark.start, bookmark.end) == (start, end)
    assert bookmark.quote == ARTICLE_TEXT[start:end]
    assert bookmark.prefix == ARTICLE_TEXT[start - 32 : start] and len(bookmark.prefix) == 32
    assert bookmark.suffix == ARTICLE_TEXT[end : end + 32]
    assert bookmark.note == "Kenapa penting"
    assert bookmark.tags == ("gaza", "rusia")
    assert len(bookmark.id) == 12 and bookmark.created == bookmark.updated
    with pytest.raises(ValueError):
        Bookmark.new("a1", ARTICLE_TEXT, 5, 5)
    with pytest.raises(ValueError):
        Bookmark.new("a1", "a  b", 1, 3)  # only whitespace


def test_parse_tags_splits_on_commas_and_spaces() -> None:
    assert parse_tags("ekonomi, #gaza  rusia,,Ekonomi") == ("ekonomi", "gaza", "rusia")
    assert parse_tags("  ") == ()


def test_saved_file_is_readable_sorted_yaml_with_block_notes(path: Path) -> None:
    store = BookmarkStore(path)
    later = store.add(bookmark_on("Kenaikan ini terjadi di banyak daerah.", article_id="b2"))
    first = store.add(bookmark_on("Harga beras naik", note="Baris satu\nBaris dua", tags=["ekonomi"]))
    earlier = store.add(bookmark_on("Menteri Luar Negeri Rusia"))
    raw = path.read_text("utf-8")
    data = yaml.safe_load(raw)
    assert [e["id"] for e in data["bookmarks"]] == [earlier.id, first.id, later.id]
    assert all(list(entry) == list(FIELDS) for entry in data["bookmarks"])
    assert "note: |-\n    Baris satu\n    Baris dua\n" in raw
    assert "tags: [ekonomi]" in raw
    assert raw.startswith("# kliping bookmarks")
    # Stable: reloading and saving an unrelated change leaves every other entry's text as it was.
    again = BookmarkStore(path)
    assert again.all() == store.all()


def test_every_save_keeps_the_previous_version_as_bak(path: Path) -> None:
    store = BookmarkStore(path)
    one = store.add(bookmark_on("Menteri Luar Negeri Rusia"))
    before = path.read_bytes()
    store.add(bookmark_on("Harga beras naik"))
    assert path.with_name("bookmarks.yaml.bak").read_bytes() == before
    assert [b.id for b in BookmarkStore(path.with_name("bookmarks.yaml.bak")).all()] == [one.id]


def test_update_delete_and_undo(path: Path) -> None:
    store = BookmarkStore(path)
    bookmark = store.add(bookmark_on("Harga beras naik", note="lama"))
    updated = store.update(bookmark.id, note="baru\ndua baris", tags=["harga"])
    assert (updated.note, updated.tags, updated.created) == ("baru\ndua baris", ("harga",), bookmark.created)
    assert store.update(bookmark.id, tags=[]).note == "baru\ndua baris"
    assert not store.can_undo and store.undo() is None
    store.delete(bookmark.id)
    assert store.get(bookmark.id) is None and BookmarkStore(path).get(bookmark.id) is None
    assert store.can_undo
    restored = store.undo()
    assert restored is not None and restored.id == bookmark.id and restored.note == "baru\ndua baris"
    assert BookmarkStore(path).get(bookmark.id) == restored
    assert not store.can_undo
    with pytest.raises(BookmarkNotFound):
        store.delete("nope")


def test_reattach_moves_the_anchor_and_keeps_the_note(path: Path) -> None:
    store = BookmarkStore(path)
    bookmark = store.add(bookmark_on("Harga beras naik", note="penting"))
    new_text = "Paragraf baru.\n\nHarga gula naik tajam."
    moved = store.reattach(bookmark.id, new_text, span_of(new_text, "Harga gula naik"))
    assert (moved.quote, moved.start, moved.note, moved.id) == ("Harga gula naik", 16, "penting", bookmark.id)
    assert BookmarkStore(path).get(bookmark.id) == moved


def test_other_processes_additions_are_merged_not_lost(path: Path) -> None:
    mine, theirs = BookmarkStore(path), BookmarkStore(path)
    a = mine.add(bookmark_on("Menteri Luar Negeri Rusia"))
    b = theirs.add(bookmark_on("Harga beras naik"))  # theirs never saw a
    c = mine.add(bookmark_on("Kenaikan ini terjadi"))  # mine never saw b
    assert {x.id for x in BookmarkStore(path).all()} == {a.id, b.id, c.id}
    assert {x.id for x in mine.all()} == {a.id, b.id, c.id}  # a write also brings in the others' changes


def test_a_deletion_elsewhere_is_not_resurrected_by_a_stale_writer(path: Path) -> None:
    mine = BookmarkStore(path)
    victim = mine.add(bookmark_on("Menteri Luar Negeri Rusia"))
    theirs = BookmarkStore(path)
    theirs.delete(victim.id)
    mine.add(bookmark_on("Harga beras naik"))  # mine still holds victim in memory
    assert BookmarkStore(path).get(victim.id) is None
    assert mine.get(victim.id) is None


def test_editing_a_note_deleted_elsewhere_keeps_the_newest_note(path: Path) -> None:
    mine = BookmarkStore(path)
    bookmark = mine.add(bookmark_on("Menteri Luar Negeri Rusia"))
    BookmarkStore(path).delete(bookmark.id)
    mine.update(bookmark.id, note="ditulis setelah dihapus di tempat lain")
    assert BookmarkStore(path).get(bookmark.id).note == "ditulis setelah dihapus di tempat lain"


def test_reload_if_changed_sees_other_writers(path: Path) -> None:
    mine = BookmarkStore(path)
    assert mine.reload_if_changed() is False
    BookmarkStore(path).add(bookmark_on("Harga beras naik"))
    assert mine.reload_if_changed() is True and len(mine) == 1
    assert mine.reload_if_changed() is False


BROKEN_FILES = {
    "bad yaml": ("version: 1\nbookmarks:\n- id: x\n  quote: [unclosed\n", "line 5"),
    "tab indentation": ("version: 1\nbookmarks:\n\t- id: x\n", "line 3"),
    "top-level list": ("- a\n- b\n", "expected 'version' and 'bookmarks'"),
    "unknown key": ("version: 1\nbookmark: []\n", "unknown top-level key 'bookmark'"),
    "newer version": ("version: 9\nbookmarks: []\n", "format version 9"),
    "start not a number": (
        "version: 1\nbookmarks:\n- id: abc\n  article_id: a\n  quote: q\n  start: five\n  end: 9\n",
        "line 6, key 'start' (bookmark 1): 'start' must be a whole number",  # the key's own line
    ),
    "misspelt field": (
        "version: 1\nbookmarks:\n- id: abc\n  article_id: a\n  quote: q\n  start: 1\n  end: 9\n  nots: x\n",
        "unknown field 'nots'",
    ),
    "missing quote": ("version: 1\nbookmarks:\n- id: abc\n  article_id: a\n  start: 1\n  end: 9\n", "missing field 'quote'"),
    "entry not a mapping": ("version: 1\nbookmarks:\n- just text\n", "(bookmark 1): an entry must be a mapping"),
    "duplicate id": (
        "version: 1\nbookmarks:\n"
        + "- {id: abc, article_id: a, quote: q, start: 1, end: 9}\n" * 2,
        "used twice",
    ),
    "not utf-8": (b"version: 1\nbookmarks:\n- id: \xff\n", "line 3: not UTF-8"),
}


@pytest.mark.parametrize("name", sorted(BROKEN_FILES))
def test_a_file_with_a_problem_is_never_overwritten(path: Path, name: str) -> None:
    content, expected = BROKEN_FILES[name]
    path.parent.mkdir(parents=True)
    raw = content if isinstance(content, bytes) else content.encode("utf-8")
    path.write_bytes(raw)
    store = BookmarkStore(path)
    assert store.read_only
    assert store.problem is not None and "\n" not in store.problem
    assert str(path) in store.problem and expected in store.problem
    with pytest.raises(BookmarksReadOnly):
        store.add(bookmark_on("Harga beras naik"))
    assert path.read_bytes() == raw
    assert not path.with_name("bookmarks.yaml.bak").exists()


def test_a_file_broken_while_open_stops_writes_and_keeps_what_was_shown(path: Path) -> None:
    store = BookmarkStore(path)
    kept = store.add(bookmark_on("Harga beras naik"))
    good = path.read_bytes()
    path.write_text("version: 1\nbookmarks: [\n", "utf-8")  # a hand edit gone wrong, mid-session
    with pytest.raises(BookmarksReadOnly, match="line 3"):
        store.add(bookmark_on("Menteri Luar Negeri Rusia"))
    assert store.read_only and store.all() == [kept]
    assert path.read_text("utf-8") == "version: 1\nbookmarks: [\n"
    path.write_bytes(good)  # the user repairs it
    store.load()
    assert not store.read_only
    store.add(bookmark_on("Menteri Luar Negeri Rusia"))
    assert len(BookmarkStore(path)) == 2


def test_hand_edited_values_are_accepted(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(
        "bookmarks:\n"
        "- id: 42\n  article_id: a\n  quote: Harga beras naik\n  start: 77\n  end: 93\n"
        "  tags: ekonomi, pangan\n  created: 2024-12-06T09:30:00Z\n",
        "utf-8",
    )
    store = BookmarkStore(path)
    assert store.problem is None
    (bookmark,) = store.all()
    assert (bookmark.id, bookmark.tags, bookmark.created) == ("42", ("ekonomi", "pangan"), "2024-12-06T09:30:00Z")
    assert bookmark.note == ""
    store.update("42", note="ok")
    assert "id: '42'" in path.read_text("utf-8")  # written back as text, so it stays an id


def test_empty_or_missing_file_is_an_empty_store(path: Path) -> None:
    assert len(BookmarkStore(path)) == 0 and not path.exists()
    path.parent.mkdir(parents=True)
    path.write_text("", "utf-8")
    assert len(BookmarkStore(path)) == 0 and not BookmarkStore(path).read_only


def test_a_held_lock_times_out_with_a_message(path: Path) -> None:
    store = BookmarkStore(path, lock_timeout=0.2)
    path.parent.mkdir(parents=True)
    fd = os.open(store.lock_path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(BookmarksBusy, match="another reader process"):
            store.add(bookmark_on("Harga beras naik"))
    finally:
        os.close(fd)
    store.add(bookmark_on("Harga beras naik"))
    assert len(BookmarkStore(path)) == 1


def test_temp_files_left_by_a_killed_writer_are_cleaned_up(path: Path) -> None:
    path.parent.mkdir(parents=True)
    leftover = path.parent / ".bookmarks.yaml.abc123.tmp"
    leftover.write_text("half a fi", "utf-8")
    BookmarkStore(path).add(bookmark_on("Harga beras naik"))
    assert not leftover.exists()


def test_a_failed_save_leaves_file_and_memory_as_they_were(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import kliping.bookmarks.store

    store = BookmarkStore(path)
    kept = store.add(bookmark_on("Harga beras naik"))
    before = path.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(kliping.bookmarks.store, "write_atomic", disk_full)
    with pytest.raises(BookmarkError) as info:
        store.add(bookmark_on("Menteri Luar Negeri Rusia"))
    assert str(info.value) == f"{path}: cannot save bookmarks: No space left on device"
    assert store.all() == [kept] and path.read_bytes() == before
    with pytest.raises(BookmarkError):
        store.delete(kept.id)
    assert store.all() == [kept] and not store.can_undo


def test_search_items_and_spans_for_the_reader(path: Path) -> None:
    store = BookmarkStore(path)
    b1 = store.add(bookmark_on("Harga beras naik", note="catatan", tags=["ekonomi"]))
    b2 = store.add(bookmark_on("Menteri Luar Negeri Rusia"))
    other = store.add(bookmark_on("Menteri Luar Negeri Rusia", article_id="zz"))
    assert sorted(store.search_items()) == sorted(
        [
            (b1.id, "a1", "Harga beras naik", "catatan", ("ekonomi",)),
            (b2.id, "a1", "Menteri Luar Negeri Rusia", "", ()),
            (other.id, "zz", "Menteri Luar Negeri Rusia", "", ()),
        ]
    )
    assert store.bookmark_spans_for("a1", ARTICLE_TEXT) == [(b2.start, b2.end, b2), (b1.start, b1.end, b1)]
    shifted = "Sisipan baru. " + ARTICLE_TEXT.replace("Harga beras naik", "Sesuatu lain")
    spans = store.bookmark_spans_for("a1", shifted)
    assert spans == [(b2.start + 14, b2.end + 14, b2)]  # b1 is orphaned: not drawn
    assert [(b.id, a.status) for b, a in store.anchors_for("a1", shifted)] == [(b2.id, "moved"), (b1.id, "orphaned")]


@settings(max_examples=60, deadline=None)
@given(
    quote_text=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60).filter(str.strip),
    note=st.text(st.characters(blacklist_categories=("Cs",)), max_size=60),
    tags=st.lists(st.text(min_size=1, max_size=10), max_size=4),
)
def test_any_text_survives_a_save_and_reload_exactly(tmp_path_factory, quote_text: str, note: str, tags: list[str]) -> None:
    path = tmp_path_factory.mktemp("roundtrip") / "bookmarks.yaml"
    text = "awal " + quote_text + " akhir"
    saved = BookmarkStore(path).add(Bookmark.new("a\u2028b", text, 5, 5 + len(quote_text), note=note, tags=tags))
    reloaded = BookmarkStore(path)
    assert reloaded.problem is None
    assert reloaded.all() == [saved]


def test_bookmark_matches_filters_over_quote_note_tags_and_title() -> None:
    from kliping.bookmarks.model import bookmark_matches

    bookmark = bookmark_on("Harga beras naik", note="Lihat data BPS", tags=["Ekonomi"])
    assert bookmark_matches(bookmark, "")
    assert bookmark_matches(bookmark, "BERAS bps")
    assert bookmark_matches(bookmark, "ekonomi", title="Judul")
    assert bookmark_matches(bookmark, "lavrov beras", title="Lavrov Terima Hamas")
    assert not bookmark_matches(bookmark, "beras gula")


def test_text_that_cannot_be_saved_is_refused_when_the_bookmark_is_made() -> None:
    with pytest.raises(ValueError, match="broken Unicode"):
        Bookmark.new("a", "awal \udc80 akhir", 0, 4)
