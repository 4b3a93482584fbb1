"""Indonesian-aware sentence and paragraph spans (the passage cursor and bookmarks point into them)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kliping.articles.sentences import paragraph_spans, sentence_spans, span_index_at


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def test_plain_sentences_split_on_full_stop_question_and_exclamation() -> None:
    text = "Hamas datang ke Moskow. Apakah Rusia setuju? Tentu saja! Pertemuan selesai."
    assert sentences(text) == [
        "Hamas datang ke Moskow.",
        "Apakah Rusia setuju?",
        "Tentu saja!",
        "Pertemuan selesai.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Harganya Rp. 44.600 per kilo. Mereka membeli beras, gula, dll. Lalu pulang. "
            "Ia tinggal di Jl. Sudirman No. 5 bersama Dr. Andi dan H. Salim. Buku, pena, dsb. Dibagikan.",
            [
                "Harganya Rp. 44.600 per kilo.",
                "Mereka membeli beras, gula, dll. Lalu pulang.",
                "Ia tinggal di Jl. Sudirman No. 5 bersama Dr. Andi dan H. Salim.",
                "Buku, pena, dsb. Dibagikan.",
            ],
            id="abbreviations do not end a sentence",
        ),
        pytest.param(
            "Menurut M. Yusuf, inflasi 3.5 persen. B. J. Habibie lahir 1936. Jumlahnya 1.100 orang.",
            ["Menurut M. Yusuf, inflasi 3.5 persen.", "B. J. Habibie lahir 1936.", "Jumlahnya 1.100 orang."],
            id="initials and numbers do not end a sentence",
        ),
        pytest.param(
            "\u201cKami mendukung Palestina.\u201d Lavrov mengangguk. (Ia diam.) \"Benar?\" Ya.",
            ["\u201cKami mendukung Palestina.\u201d", "Lavrov mengangguk.", "(Ia diam.)", '"Benar?"', "Ya."],
            id="closing quotes and brackets belong to the sentence",
        ),
    ],
)
def test_where_sentences_end(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_lower_case_after_a_stop_continues_the_sentence() -> None:
    assert sentences("Dia berkata... lalu pergi. Selesai.") == ["Dia berkata... lalu pergi.", "Selesai."]


def test_ellipsis_before_a_capital_ends_the_sentence() -> None:
    assert sentences("Dia menunggu... Akhirnya datang.") == ["Dia menunggu...", "Akhirnya datang."]


def test_lines_and_paragraphs_end_sentences_even_without_a_stop() -> None:
    text = "Judul tanpa titik\nBaris kedua. Kalimat lain\n\nParagraf baru di sini."
    assert sentences(text) == ["Judul tanpa titik", "Baris kedua.", "Kalimat lain", "Paragraf baru di sini."]


def test_spans_are_trimmed_offsets_into_the_text() -> None:
    text = "  Satu.   Dua.  \n\n  Tiga.  "
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["Satu.", "Dua.", "Tiga."]
    assert spans[0] == (2, 7)


def test_paragraph_spans_split_on_blank_lines() -> None:
    text = "Satu. Dua.\nmasih satu\n\n\nParagraf dua.\n  \nTiga"
    assert [text[s:e] for s, e in paragraph_spans(text)] == [
        "Satu. Dua.\nmasih satu",
        "Paragraf dua.",
        "Tiga",
    ]
    assert paragraph_spans("") == [] and paragraph_spans("  \n\n ") == []


def test_span_index_at_finds_the_containing_or_next_span() -> None:
    spans = [(0, 5), (7, 12), (14, 20)]
    assert span_index_at(spans, 0) == 0
    assert span_index_at(spans, 8) == 1
    assert span_index_at(spans, 6) == 1  # between sentences: the next one
    assert span_index_at(spans, 99) == 2
    assert span_index_at([], 3) == -1


def test_seed_article_sentences_cover_every_word(seed_library) -> None:
    from kliping.library.folder import Library
    from tests.support.library import articles_of

    for article in articles_of(Library(seed_library)):
        text = article.text
        spans = sentence_spans(text)
        covered = "".join(text[s:e] for s, e in spans)
        assert "".join(covered.split()) == "".join(text.split())


@given(st.text(alphabet="ab .?!\n\u201dRpdl", max_size=80))
def test_spans_are_ordered_non_empty_trimmed_and_within_paragraphs(text: str) -> None:
    spans = sentence_spans(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip() and "\n" not in piece
        previous_end = end
    assert "".join("".join(text[s:e] for s, e in spans).split()) == "".join(text.split())


def test_a_two_megabyte_line_is_split_without_hanging() -> None:
    """Each full stop used to search back to the line's start and copy the whole line: a 2 MB
    article of one paragraph never opened. The guard only turns a hang into a failure."""
    import threading

    from tests.support.tui import HANG_GUARD

    line = " ".join(f"Kalimat nomor {n} bercerita tentang warga kota, dll. Lalu M. Yusuf pulang." for n in range(27_000))
    assert len(line) > 2_000_000
    found: list[list[tuple[int, int]]] = []
    worker = threading.Thread(target=lambda: found.append(sentence_spans(line)), daemon=True)
    worker.start()
    worker.join(HANG_GUARD)
    assert found, "sentence_spans did not finish"
    [spans] = found
    assert len(spans) == 27_000
    assert line[spans[0][0] : spans[0][1]] == "Kalimat nomor 0 bercerita tentang warga kota, dll. Lalu M. Yusuf pulang."
    assert line[spans[-1][0] : spans[-1][1]].startswith("Kalimat nomor 26999 ")


def test_the_word_before_a_full_stop_is_judged_whole_however_long_the_line() -> None:
    long_word = "x" * 40 + "dll"  # longer than the look-back: not an abbreviation, so the stop ends it
    assert sentences(f"Kata {long_word}. Berikutnya di sini.") == [f"Kata {long_word}.", "Berikutnya di sini."]
    prefix = "Awal kalimat yang panjang sekali " * 2000
    assert sentences(prefix + "dibayar Rp. Lima ribu.") == [prefix.strip() + " dibayar Rp. Lima ribu."]
    assert sentences(prefix + "kata B. J. Habibie. Lalu.")[-1] == "Lalu."


def test_a_run_of_marks_that_does_not_end_a_sentence_is_text() -> None:
    assert sentences("Tunggu" + "." * 5000 + "x lalu. Akhir.") == ["Tunggu" + "." * 5000 + "x lalu.", "Akhir."]
