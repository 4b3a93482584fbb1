"""What a save does to a bookmarks file written or edited by hand: comments and layout survive,
only the changed entries are rewritten, and every mistake in it is one line naming the line and key."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kliping.bookmarks import yaml_scan
from kliping.bookmarks.file_format import dump_bookmarks
from kliping.bookmarks.model import Bookmark
from kliping.bookmarks.store import BookmarkStore
from tests.support.bookmarks import bookmark_on


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "bookmarks.yaml"




PASSAGES = [
    "Menteri Luar Negeri Rusia Sergey Lavrov",
    "Pertemuan itu membahas gencatan senjata di Gaza",
    "Harga beras naik menjadi Rp 14.600 per kilogram",
    "Pemerintah berjanji menambah pasokan",
]


def _with_hand_comments(path: Path) -> str:
    """The store's own file with comments added where people put them."""
    text = path.read_text("utf-8")
    lines = text.splitlines(keepends=True)
    dashes = [i for i, line in enumerate(lines) if line.startswith("- id:")]
    lines.insert(dashes[1], "# Baca lagi sebelum rapat\n\n")
    lines[dashes[0]] = lines[dashes[0]].rstrip("\n") + "  # yang pertama\n"
    lines.insert(0, "# Kumpulan untuk bab 3 (tulisan saya)\n")
    lines.append("# akhir berkas\n")
    edited = "".join(lines)
    path.write_text(edited, "utf-8")
    return edited


HAND_COMMENTS = ("# Kumpulan untuk bab 3 (tulisan saya)", "# Baca lagi sebelum rapat", "# yang pertama", "# akhir berkas")


def test_hand_comments_survive_saves_in_the_file_and_its_backup(path: Path) -> None:
    store = BookmarkStore(path)
    first, second = store.add(bookmark_on(PASSAGES[0])), store.add(bookmark_on(PASSAGES[1]))
    edited = _with_hand_comments(path)
    store.add(bookmark_on(PASSAGES[2]))
    store.update(second.id, note="dua kali disimpan")
    text, backup = path.read_text("utf-8"), path.with_name("bookmarks.yaml.bak").read_text("utf-8")
    for comment in HAND_COMMENTS:
        assert comment in text and comment in backup
    # The entry nobody touched is byte for byte what was there.
    untouched = edited[edited.index("- id: " + first.id) : edited.index("# Baca lagi")]
    assert untouched in text
    assert {b.id: b.note for b in BookmarkStore(path).all()}[second.id] == "dua kali disimpan"
    assert len(BookmarkStore(path)) == 3


def test_a_changed_entry_keeps_the_comments_written_inside_it(path: Path) -> None:
    store = BookmarkStore(path)
    bookmark = store.add(bookmark_on(PASSAGES[0], note="lama"))
    text = path.read_text("utf-8").replace("  start:", "  # catatan di dalam entri\n  start:", 1)
    path.write_text(text, "utf-8")
    store.update(bookmark.id, note="baru")
    saved = path.read_text("utf-8")
    assert "# catatan di dalam entri" in saved and "baru" in saved
    assert BookmarkStore(path).get(bookmark.id).note == "baru"


def test_a_deleted_entry_leaves_the_comment_above_it(path: Path) -> None:
    store = BookmarkStore(path)
    store.add(bookmark_on(PASSAGES[0]))
    second = store.add(bookmark_on(PASSAGES[1]))
    _with_hand_comments(path)
    store.delete(second.id)
    saved = path.read_text("utf-8")
    assert second.id not in saved
    for comment in HAND_COMMENTS:
        assert comment in saved
    assert len(BookmarkStore(path)) == 1


def test_a_hand_layout_is_kept_and_new_entries_follow_it(path: Path) -> None:
    """Indented list, keys in another order, a block list of tags, no final newline."""
    path.parent.mkdir(parents=True)
    hand = (
        "version: 1\n"
        "bookmarks:  # disusun sendiri\n"
        "  - article_id: a1\n"
        "    id: tangan1\n"
        "    start: 0\n"
        "    end: 40\n"
        "    quote: Menteri Luar Negeri Rusia Sergey Lavrov\n"
        "    tags:\n"
        "      - rusia\n"
        "      - diplomasi\n"
        "    note: |\n"
        "      Baris satu.\n"
        "      Baris dua."
    )
    path.write_text(hand, "utf-8")
    store = BookmarkStore(path)
    assert store.get("tangan1").tags == ("rusia", "diplomasi")
    assert store.get("tangan1").note == "Baris satu.\nBaris dua."
    added = store.add(bookmark_on(PASSAGES[2], article_id="b2"))
    saved = path.read_text("utf-8")
    assert saved.startswith(hand)
    assert f"\n  - id: {added.id}\n    article_id: b2\n" in saved
    assert yaml.safe_load(saved)["bookmarks"][1]["id"] == added.id
    assert {b.id for b in BookmarkStore(path).all()} == {"tangan1", added.id}


def test_an_emptied_list_and_the_next_bookmark_keep_the_comments(path: Path) -> None:
    store = BookmarkStore(path)
    only = store.add(bookmark_on(PASSAGES[0]))
    path.write_text(path.read_text("utf-8").replace("bookmarks:\n", "bookmarks:  # daftar\n# di atas entri\n"), "utf-8")
    store.delete(only.id)
    emptied = path.read_text("utf-8")
    assert "bookmarks: []  # daftar" in emptied and "# di atas entri" in emptied
    assert yaml.safe_load(emptied)["bookmarks"] == []
    store.add(bookmark_on(PASSAGES[1]))
    again = path.read_text("utf-8")
    assert "bookmarks:  # daftar" in again and "# di atas entri" in again and len(BookmarkStore(path)) == 1


# -- random edits and saves against a full dump ----------------------------------------------------

note_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("add"), st.integers(0, len(PASSAGES) - 1), note_text,
            st.lists(st.sampled_from(["a", "b c", "#x", "2024"]), max_size=3),
        ),
        st.tuples(st.just("update"), st.integers(0, 50), note_text, st.lists(st.sampled_from(["ekonomi", "d'e"]), max_size=2)),
        st.tuples(st.just("delete"), st.integers(0, 50), st.just(""), st.just([])),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_random_edits_load_back_as_a_full_dump_would_and_keep_comments(tmp_path: Path, ops) -> None:
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "bookmarks.yaml"  # one folder per example
    store = BookmarkStore(path)
    store.add(bookmark_on(PASSAGES[0], note="awal"))
    store.add(bookmark_on(PASSAGES[1]))
    _with_hand_comments(path)
    store.load()
    for op, number, note, tags in ops:
        existing = store.all()
        if op == "add":
            store.add(bookmark_on(PASSAGES[number], note=note, tags=tags))
        elif existing and op == "update":
            store.update(existing[number % len(existing)].id, note=note, tags=tags)
        elif existing and op == "delete":
            store.delete(existing[number % len(existing)].id)
        saved = path.read_text("utf-8")
        fresh = BookmarkStore(path)
        assert fresh.problem is None
        assert fresh.all() == store.all()
        # The patched file means to YAML what a full dump of the same bookmarks means.
        full = yaml.safe_load(dump_bookmarks(store.all()))
        data = yaml.safe_load(saved)
        assert sorted(data["bookmarks"] or [], key=lambda e: e["id"]) == sorted(full["bookmarks"], key=lambda e: e["id"])
        for comment in HAND_COMMENTS:
            assert comment in saved


def test_the_fast_reader_reads_what_yaml_reads(path: Path) -> None:
    tricky = [
        "  leading spaces and a trailing one ",
        "a: colon, a #hash and 'quotes' \"both\"",
        "baris\nkedua\n\n  menjorok\n",
        "- looks like a list\n? or a key",
        "\x85NEL \u2028LS \u2029PS \x1b[31m\x9b \u202e",
        "yes",
        "2024-02-30",
        "0x1F",
        "~",
        "kata " * 40,
        "\\ backslash \\" * 10,
    ]
    made = []
    for number, text in enumerate(tricky):
        base = bookmark_on(PASSAGES[number % len(PASSAGES)])
        fields = {f: getattr(base, f) for f in base.__slots__}
        made.append(Bookmark(**{**fields, "quote": text, "note": text.strip(), "prefix": text[:32], "id": f"t{number}"}))
    document = dump_bookmarks(made)
    scanned = yaml_scan.scan(document)
    assert scanned is not None
    assert scanned.top == yaml.safe_load(document)


def test_hand_edits_the_fast_reader_once_read_otherwise_read_as_yaml_reads_them(path: Path) -> None:
    # Values lined up by hand (`note:  catatan`) kept their leading space, and `?` inside a flow
    # list was taken as text though YAML refuses it.
    document = dump_bookmarks([bookmark_on(PASSAGES[0], note="catatan", tags=("a", "b"))])
    lined_up = re.sub(r"^(  [a-z_]+): ", r"\1:  ", document, flags=re.MULTILINE)
    scanned = yaml_scan.scan(lined_up)
    assert scanned is None or scanned.top == yaml.safe_load(lined_up)
    path.parent.mkdir(parents=True)
    path.write_text(lined_up, "utf-8")
    (loaded,) = BookmarkStore(path).all()
    assert loaded.note == "catatan" and loaded.tags == ("a", "b") and not loaded.article_id.startswith(" ")
    broken = document.replace("tags: [a, b]", "tags: [a, b ?c]")
    assert broken != document
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(broken)
    assert yaml_scan.scan(broken) is None  # left to the loader, which names the mistake


any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(any_text, any_text, any_text, st.lists(any_text, max_size=3)), min_size=1, max_size=3))
def test_the_fast_reader_agrees_with_yaml_on_any_text(fields) -> None:
    made = []
    for number, (quote, note, context, tags) in enumerate(fields):
        base = bookmark_on(PASSAGES[number % len(PASSAGES)])
        values = {f: getattr(base, f) for f in base.__slots__}
        changed = {"id": f"{number}{context[:8]}", "quote": quote or "x", "note": note, "tags": tuple(tags)}
        made.append(Bookmark(**{**values, **changed, "prefix": context[:32], "suffix": context[-32:]}))
    document = dump_bookmarks(made)
    scanned = yaml_scan.scan(document)
    if scanned is not None:  # None: left to the YAML loader, which is then right by definition
        assert scanned.top == yaml.safe_load(document)
        assert scanned.layout.render() == document


# -- mistakes name the line and the key ------------------------------------------------------------

ENTRY = "version: 1\nbookmarks:\n- id: abc\n  article_id: x\n  quote: kutipan\n  start: 0\n  end: 5\n"


@pytest.mark.parametrize(
    ("change", "line", "key"),
    [
        (("start: 0", "start: awal"), 6, "start"),
        (("id: abc", "id: 2024-01-01"), 3, "id"),
        (("quote: kutipan", "quote: [a, b]"), 5, "quote"),
        (("end: 5", "end: 5.5"), 7, "end"),
        (("end: 5", "end: 5\n  created: 12"), 8, "created"),
        (("end: 5", "end: 5\n  tags: [{a: 1}]"), 8, "tags"),
        (("end: 5", "end: 5\n  created: 2024-02-30"), 8, "created"),
        (("start: 0", "start: !!int abc"), 6, "start"),
        (("end: 5", "end: 5\n  warna: merah"), 8, "warna"),
        # An anchor sends the file through the YAML loader: the same line and key from there.
        (("quote: kutipan", "quote: &k kutipan\n  note: *k\n  start: awal"), 7, "start"),
    ],
)
def test_a_wrong_value_is_one_line_naming_the_line_and_key(path: Path, change: tuple[str, str], line: int, key: str) -> None:
    path.parent.mkdir(parents=True)
    text = ENTRY.replace(*change, 1)
    if "start: awal" in change[1] and "&k" in change[1]:
        text = text.replace("  start: 0\n", "", 1)
    path.write_text(text, "utf-8")
    store = BookmarkStore(path)
    assert store.read_only
    problem = store.problem
    assert "\n" not in problem and str(path) in problem
    assert re.search(rf"line {line}\b", problem) and repr(key) in problem, problem
    assert path.read_text("utf-8") == text
