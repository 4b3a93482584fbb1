"""Re-anchoring bookmarks after the article text changed: anchored, moved, fuzzy, orphaned."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from kliping.articles.sentences import paragraph_spans, sentence_spans
from kliping.bookmarks.anchoring import (
    ANCHORED,
    FUZZY,
    MOVED,
    ORPHANED,
    anchor,
    best_candidates,
    capture,
    reattach,
    text_hash,
)
from kliping.bookmarks.model import Bookmark
from kliping.bookmarks.store import BookmarkStore
from kliping.library.folder import Library
from tests.support.bookmarks import ARTICLE_TEXT, span_of

PASSAGE = "Harga beras naik menjadi Rp 14.600 per kilogram, kata M. Yusuf dari Bulog."


def bookmark_of(text: str, passage: str) -> Bookmark:
    start, end = span_of(text, passage)
    return Bookmark.new("a1", text, start, end)


def test_unchanged_text_is_anchored_at_the_same_offsets() -> None:
    bookmark = bookmark_of(ARTICLE_TEXT, PASSAGE)
    found = anchor(bookmark, ARTICLE_TEXT)
    assert (found.status, found.start, found.end) == (ANCHORED, bookmark.start, bookmark.end)


def test_text_inserted_before_the_passage_moves_it() -> None:
    bookmark = bookmark_of(ARTICLE_TEXT, PASSAGE)
    inserted = "Paragraf pembuka yang baru ditambahkan editor.\n\n"
    found = anchor(bookmark, inserted + ARTICLE_TEXT)
    assert (found.status, found.start, found.end) == (MOVED, bookmark.start + len(inserted), bookmark.end + len(inserted))


def test_slightly_edited_paragraph_is_found_fuzzily() -> None:
    bookmark = bookmark_of(ARTICLE_TEXT, PASSAGE)
    edited_passage = "Harga beras naik menjadi Rp 14.900 per kilogram, ujar M. Yusuf dari Perum Bulog."
    edited = ARTICLE_TEXT.replace(PASSAGE, edited_passage).replace("Pemerintah berjanji", "Pemerintah pusat berjanji")
    found = anchor(bookmark, edited)
    assert found.status == FUZZY
    assert edited[found.start : found.end] == edited_passage
    assert 0.75 <= found.score < 1


def test_heavily_reworded_passage_in_unchanged_surroundings_is_found_by_its_context() -> None:
    bookmark = bookmark_of(ARTICLE_TEXT, PASSAGE)
    reworded = "HARGA beras NAIK menjadi RP 14.600 PER kilogram, KATA M. YUSUF dari BULOG."
    found = anchor(bookmark, ARTICLE_TEXT.replace(PASSAGE, reworded))
    assert found.status == FUZZY
    assert ARTICLE_TEXT.replace(PASSAGE, reworded)[found.start : found.end] == reworded


def test_removed_passage_is_orphaned() -> None:
    bookmark = bookmark_of(ARTICLE_TEXT, PASSAGE)
    found = anchor(bookmark, ARTICLE_TEXT.replace(PASSAGE + " ", ""))
    assert (found.status, found.start, found.end) == (ORPHANED, None, None)


def test_replaced_passage_is_orphaned_but_keeps_its_quote_and_can_be_reattached() -> None:
    bookmark = bookmark_of(ARTICLE_TEXT, PASSAGE)
    replacement = "Harga gula turun drastis pekan ini."
    removed = ARTICLE_TEXT.replace(PASSAGE, replacement)
    found = anchor(bookmark, removed)
    assert (found.status, found.start, found.end, found.found) == (ORPHANED, None, None, False)
    assert bookmark.quote == PASSAGE  # what the orphan shows
    candidates = best_candidates(bookmark, removed, n=3)
    assert 1 <= len(candidates) <= 3
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)
    for one, other in itertools.pairwise(candidates):
        assert one.end <= other.start or one.start >= other.end
    assert candidates[0].start == removed.index(replacement)  # where the passage was, by its context
    moved = reattach(bookmark, removed, (candidates[0].start, candidates[0].end))
    assert moved.quote == removed[candidates[0].start : candidates[0].end]
    assert (moved.id, moved.note, moved.created) == (bookmark.id, bookmark.note, bookmark.created)
    assert moved.text_hash == text_hash(removed)
    assert anchor(moved, removed).status == ANCHORED


def test_a_quote_that_occurs_twice_anchors_to_the_nearest_occurrence() -> None:
    repeated = "Gencatan senjata harus segera dicapai."
    text = f"{repeated} Paragraf tengah yang panjang sekali. {'Isi lain. ' * 30}{repeated} Penutup."
    second = text.rindex(repeated)
    bookmark = Bookmark.new("a1", text, second, second + len(repeated))
    # Unchanged: the stored offsets still match, so the second occurrence it is.
    assert anchor(bookmark, text).start == second
    # Something inserted near the start: the old offset is nearer the second occurrence.
    shifted = "Baru. " + text
    found = anchor(bookmark, shifted)
    assert (found.status, found.start) == (MOVED, second + len("Baru. "))
    # The middle shrinks so the first occurrence lies nearest: still the nearest wins.
    first = Bookmark.new("a1", text, 0, len(repeated))
    found = anchor(first, "Baru. " + text)
    assert (found.status, found.start) == (MOVED, len("Baru. "))


def test_exact_candidates_come_first_nearest_first() -> None:
    repeated = "Gencatan senjata harus segera dicapai."
    text = f"{repeated} A. {'Isi lain. ' * 10}{repeated} B. {'Isi lain. ' * 10}{repeated}"
    middle = text.index(repeated, 10)
    bookmark = Bookmark.new("a1", text, middle, middle + len(repeated))
    candidates = best_candidates(bookmark, "x" + text)
    assert [c.start for c in candidates] == [middle + 1, 1, text.rindex(repeated) + 1]
    assert all(c.quote_score == 1.0 for c in candidates)


def test_article_gone_or_empty_is_orphaned() -> None:
    bookmark = bookmark_of(ARTICLE_TEXT, PASSAGE)
    assert anchor(bookmark, "").status == ORPHANED
    assert best_candidates(bookmark, "") == []


def test_capture_rejects_spans_outside_the_text() -> None:
    with pytest.raises(ValueError):
        capture("abc", 1, 9)
    assert capture("abcdef", 2, 4)["quote"] == "cd"


def test_seed_article_edited_each_way(seed_library: Path) -> None:
    """Real article: bookmark a sentence and a paragraph, then edit the file each way."""
    library = Library(seed_library)
    article = library.article("a8e3eba4f0ca49f0")
    text = article.text
    s_start, s_end = sentence_spans(text)[10]
    p_start, p_end = paragraph_spans(text)[3]
    sentence = Bookmark.new(article.id, text, s_start, s_end)
    paragraph = Bookmark.new(article.id, text, p_start, p_end)
    for bookmark in (sentence, paragraph):
        assert anchor(bookmark, text).status == ANCHORED
        assert anchor(bookmark, "Pembuka.\n\n" + text).status == MOVED
        quote_words = bookmark.quote.split()
        edited_quote = bookmark.quote.replace(quote_words[3], "sesuatu", 1)
        assert anchor(bookmark, text.replace(bookmark.quote, edited_quote)).status == FUZZY
        assert anchor(bookmark, text.replace(bookmark.quote, "")).status == ORPHANED


def test_store_anchors_are_cached_per_text(tmp_path: Path) -> None:
    store = BookmarkStore(tmp_path / "bookmarks.yaml")
    bookmark = store.add(bookmark_of(ARTICLE_TEXT, PASSAGE))
    removed = ARTICLE_TEXT.replace(PASSAGE, "")
    assert store.anchors_for("a1", removed)[0][1].status == ORPHANED
    assert store.anchors_for("a1", ARTICLE_TEXT)[0][1].status == ANCHORED
    assert store.bookmark_spans_for("a1", ARTICLE_TEXT) == [(bookmark.start, bookmark.end, bookmark)]


# -- long passages: the work grows with the passage, not with its square ---------------------------


def seed_prose() -> str:
    """The seed articles' paragraphs joined into one long article of real, varied prose."""
    from tests.support.tui import SEEDS_DIR

    paragraphs = []
    for seed in sorted(SEEDS_DIR.glob("*.txt")):
        paragraphs += [p.strip() for p in seed.read_text("utf-8").split("\n") if len(p.strip()) > 80]
    return "\n\n".join(paragraphs)


def passage_near(text: str, middle: int, length: int) -> tuple[int, int]:
    start = text.rfind(" ", 0, middle) + 1
    return start, text.find(" ", start + length)


def with_word_inserted(text: str, start: int, end: int) -> tuple[str, str]:
    words = text[start:end].split(" ")
    edited = " ".join([*words[: len(words) // 2], "sekali", *words[len(words) // 2 :]])
    return text[:start] + edited + text[end:], edited


def calls_made(function, *args) -> tuple[object, int]:
    """``function(*args)`` and the number of function calls (Python and C) it made: a measure of
    work that does not depend on how busy the machine is."""
    import sys

    count = 0

    def profile(frame, event, arg) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        result = function(*args)
    finally:
        sys.setprofile(None)
    return result, count


def test_a_long_passage_after_one_inserted_word_is_found_with_work_linear_in_its_length() -> None:
    text = seed_prose()
    assert len(text) > 20_000
    work = {}
    for length in (300, 1200):
        start, end = passage_near(text, len(text) // 2, length)
        bookmark = Bookmark.new("a1", text, start, end)
        edited_text, edited = with_word_inserted(text, start, end)
        found, work[length] = calls_made(anchor, bookmark, edited_text)
        assert found.status == FUZZY
        assert edited_text[found.start : found.end] == edited
    # Four times the passage: about four times the work (the quadratic comparison was sixteen).
    assert work[1200] < 8 * work[300], work


def test_a_2000_character_passage_is_found_after_each_kind_of_edit() -> None:
    text = seed_prose()
    start, end = passage_near(text, len(text) // 3, 2000)
    bookmark = Bookmark.new("a1", text, start, end)
    inserted_text, inserted = with_word_inserted(text, start, end)
    words = text[start:end].split(" ")
    reworded = " ".join(word.upper() if i % 3 == 0 else word for i, word in enumerate(words))
    for edited_text, edited in ((inserted_text, inserted), (text[:start] + reworded + text[end:], reworded)):
        found = anchor(bookmark, edited_text)
        assert found.status == FUZZY
        assert edited_text[found.start : found.end] == edited
    assert anchor(bookmark, text[:start] + text[end:]).status == ORPHANED


def test_an_edited_passage_near_its_old_place_wins_over_a_closer_copy_far_away() -> None:
    """The search starts around the old offsets and only widens to the whole text when nothing
    close enough is there: like the nearest exact occurrence for ``moved``."""
    text = seed_prose()
    start, end = next((s, e) for s, e in paragraph_spans(text) if 200 < e - s < 600)
    bookmark = Bookmark.new("a1", text, start, end)
    words = text[start:end].split(" ")
    near = " ".join(word.upper() if i % 4 == 0 else word for i, word in enumerate(words))  # close enough
    far = " ".join([*words[:2], "pula", *words[2:]])  # one word added: closer to the quote
    ending = "\n\n" + far + "\n\nPenutup artikel ini."
    edited_text = text[:start] + near + text[end:] + ending
    found = anchor(bookmark, edited_text)
    assert found.status == FUZZY
    assert (found.start, found.end) == (start, start + len(near))
    # With the old place gone, the copy far away is found.
    gone = text[:start] + text[end:] + ending
    found = anchor(bookmark, gone)
    assert found.status == FUZZY and gone[found.start : found.end] == far


def test_a_sentence_rewritten_beyond_recognition_in_unchanged_surroundings_stays_orphaned(seed_library: Path) -> None:
    """The cheap bound the search ranks by is more lenient than difflib's ratio the thresholds
    are for (it called this sentence 'fuzzy'): only the ratio decides."""
    library = Library(seed_library)
    article = library.article(library.entries()[0].id)
    start, end = sentence_spans(article.text)[1]
    bookmark = Bookmark.new(article.id, article.text, start, end)
    quote = article.text[start:end]
    rewritten = " ".join("diubah" if i % 3 else word for i, word in enumerate(quote.split()))
    assert anchor(bookmark, article.text.replace(quote, rewritten)).status == ORPHANED
