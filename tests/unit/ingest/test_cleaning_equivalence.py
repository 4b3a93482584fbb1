"""The cleaner's fast paths (whole-text passes, runs of plain lines taken at once, paragraphs
joined without copying) give exactly what the cleaner gave before them, kept in
tests/support/oracles/cleaning_before.py: on the seeds, on the four shapes of bench/open_article.py, and on
generated text mixing plain lines with every kind of line a rule looks at."""

from __future__ import annotations

import sys

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kliping.ingest import cleaning
from tests.support import REPO, SEEDS_DIR
from tests.support.oracles import cleaning_before as before

SEEDS = sorted((SEEDS_DIR).glob("*.txt"))

# Lines every rule of the cleaner looks at, and plain ones that the fast path takes whole.
SPECIAL_LINES = [
    "Share", "bagikan artikel ini", "Baca juga: Harga cabai naik", "Simak berita lainnya", "Oleh Budi Santoso",
    "By John Smith and Jane Doe", "Penulis: Rina", "Penulis :", "Editor: Ahmad", "Sumber: Antara",
    "Foto: ilustrasi", "(ANTARA/Sigid Kurniawan)", "Presiden tiba di Jakarta (Dok. Setpres)",
    "foto-presiden-jokowi.jpg", "a-b-c", "Home / Berita / Politik", "Berita › Daerah › Riau", "# Judul Besar",
    "## Sub judul", "> kutipan dari sumber", "**Tebal** dan *miring* dan _garis_", "[tautan](http://x.id) lagi",
    "12 comments", "One comment", "No Comments", "Related Posts", "Tinggalkan Balasan", "Artikel Terkait",
    "JAKARTA (ANTARA) - Pemerintah menetapkan", "**Harakatuna.com.** Jakarta - Kabar", "Pantau - Kabar terbaru",
    "ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT", "loading...", "inline.viewport.io kata",
    "Pelatih ,, Gareth", "grup  ,.", "kata,", ", awal", "Rp. 44.600", "M. Yusuf berkata.", "\u200ekata\u200b",
    "\x1b[31mmerah\x1b[0m", "\x1b]0;judul\x07teks", "\x9b31m", "kata\tdan\u00a0spasi  ganda", "Ǆ ſhare", "ſhare",
    "20 Komentar", "written by Foo Bar", "kata , dan", "a ,b", "akhir ,", "x,, y", "x, ,y", "x,.", "x,;y",
    "Your email address will not be published.", "\"kata\"", "“kutipan” itu",
]
WORDS = ["kata", "dan", "Yang", "presiden", "Jakarta", "rakyat", "anak-anak", "Jum'at", "44.600", "3,5", "itu."]


@st.composite
def articles(draw: st.DrawFn) -> str:
    def plain_line() -> str:
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
        line = " ".join(words)
        opening = draw(st.sampled_from(["", " ", "\"", "“"]))
        return opening + line + draw(st.sampled_from(["", ".", ",", "!", "?", "\"", " ", "…"]))

    lines = []
    for kind in draw(st.lists(st.sampled_from(["plain", "plain", "blank", "special", "random"]), max_size=40)):
        if kind == "plain":
            lines.append(plain_line())
        elif kind == "blank":
            lines.append(draw(st.sampled_from(["", " ", "\t", "\u00a0"])))
        elif kind == "special":
            lines.append(draw(st.sampled_from(SPECIAL_LINES)))
        else:
            lines.append(draw(st.text(alphabet=" ab.,:;()-_*[]#>|/\"'\u200e\x1b\u00a0Kſ1\t!?…⁄›»`<", max_size=20)))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


def _fields(cleaned: object) -> list:
    return [getattr(cleaned, name) for name in cleaned.__slots__]


def _same_as_before(text: str, title: str | None = None) -> None:
    assert _fields(cleaning.clean_article_text(text, title=title)) == _fields(before.clean_article_text(text, title=title))


def test_the_seeds_clean_as_before() -> None:
    for seed in SEEDS:
        _same_as_before(seed.read_text("utf-8"))


def test_the_bench_shapes_clean_as_before() -> None:
    sys.path.insert(0, str(REPO / "bench"))
    from open_article import article_shapes

    # The seeds' words, so the test needs nothing beside the checkout (the bench uses CLICK-ID's).
    seed_words = " ".join(seed.read_text("utf-8") for seed in SEEDS).replace(",", " ").split()
    words = (seed_words * (12_000 // len(seed_words) + 1))[:12_000]
    for text in article_shapes(60_000, words).values():
        _same_as_before(text)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles(), st.sampled_from([None, "Judul Berita Hari Ini", "kata"]))
@example("Judul Berita Yang Panjang\n\nkata\n\nkata\nShare\nkata dan\n", None)
@example("Judul\n\n" + "\n".join(["satu dua tiga empat lima enam"] * 5) + "\nJakarta Selatan berkata.\n", None)
@example("Judul Berita Yang Panjang\n\nkata\n\nsatu \x1b]0;judul\ndua\x07 tiga\n\nkata\n", None)
@example("Judul Berita Yang Panjang\n\nkata\n\nsatu , dua\n\nkata\n", None)
def test_any_text_cleans_as_before(text: str, title: str | None) -> None:
    _same_as_before(text, title)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=" aB.,!?\"\n", max_size=30), max_size=30))
def test_paragraphs_join_as_before(paragraphs: list[str]) -> None:
    assert cleaning.join_broken_paragraphs(paragraphs) == before.join_broken_paragraphs(paragraphs)


def test_tidy_and_normalize_as_before() -> None:
    for line in [*SPECIAL_LINES, " a  b ", "a , b", ",,x,.", "\t\u2003x\u3000y "]:
        assert cleaning.tidy_paragraph(line) == before.tidy_paragraph(line)
        assert cleaning.normalize_spaces(line) == before.normalize_spaces(line)
