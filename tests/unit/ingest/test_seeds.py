"""What each bundled seed article must yield, written from reading the files themselves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kliping.articles.model import Article, PublishedDate
from kliping.ingest.reading import path_id, read_articles
from tests.support import SEEDS_DIR


def seed(prefix: str) -> Article:
    path = next(SEEDS_DIR.glob(f"{prefix}_*.txt"))
    result = read_articles(path, relpath=path.name)
    assert result.errors == []
    assert len(result.articles) == 1
    return result.articles[0]


# What each seed must yield, one object per file prefix; the body's first paragraph is checked by
# its start, its last one whole, and ``published`` is written as PublishedDate.iso() writes it.
EXPECTED = json.loads((Path(__file__).with_name("seed_expectations.json")).read_text("utf-8"))


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_metadata_and_body(prefix: str) -> None:
    article, want = seed(prefix), EXPECTED[prefix]
    assert article.title == want["title"]
    assert article.title_derived is want["title_derived"]
    assert article.source == want["source"]
    assert article.authors == tuple(want["authors"])
    assert article.editor == want["editor"]
    assert article.published == (PublishedDate.from_iso(want["published"]) if want["published"] else None)
    assert article.place == want["place"]
    assert article.language == "id"
    assert article.paragraphs[0].startswith(want["first"])
    assert article.paragraphs[-1] == want["last"]
    assert len(article.paragraphs) == want["count"]


# Every line of site chrome in the seeds, as it appears there: none may survive in any body.
BOILERPLATE = [
    "Pantau Flash", "HOME", "SHARE", "Foto:", "Baca juga", "Baca Juga", "Penulis", "Editor",
    "Oleh ", "written by", "Israel-Protes-Rusia-Dukung-Palestina", "Evakuasi-Warga-Rusia-Dari-Gaza",
    "Similar Posts", "One Comment", "Tinggalkan Balasan", "Alamat email", "Ruas yang wajib",
    "viewport.io", "scroll", "Sumber:", "source.wustl.edu", "Presiden Rusia Vladimir Putin dalam Suatu Acara",
    "(#)", "**", "*Al-Mayadeen*", "# ", "RIAUPOS.CO", "Harakatuna", "Pantau -", "Jawapos.com",
]


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_no_boilerplate_survives(prefix: str) -> None:
    text = seed(prefix).text
    for chrome in BOILERPLATE:
        assert chrome not in text, chrome


def test_repeated_title_line_is_not_body() -> None:
    article = seed("001")
    assert article.title not in article.paragraphs
    assert article.text.count("Hamas Temui Rusia") == 0


def test_markdown_links_and_emphasis_are_words() -> None:
    text = seed("003").text
    assert "Hamas Ismail Haniyeh melakukan" in text
    assert "pejabat tinggi Rusia untuk" in text
    assert "Saluran televisi Al-Mayadeen yang berbasis" in text


def test_sentences_broken_by_a_blank_line_are_joined() -> None:
    paragraphs = seed("003").paragraphs
    assert any("kata seorang juru bicara Hamis, dilaporkan Al-Mayadeen." in p for p in paragraphs)
    assert not any(p.startswith(("Hamis", "ekonomi pada")) for p in paragraphs)
    assert "memaksakan perdamaian ekonomi pada rakyat Palestina" in paragraphs[-1]


def test_caption_site_is_not_the_source_and_credit_is_kept() -> None:
    article = seed("002")
    assert article.source == "RIAUPOS.CO"
    assert article.extra == {"credit": "Jawapos.com"}


def test_subheadings_stay_and_image_slugs_go() -> None:
    paragraphs = seed("004").paragraphs
    assert "Evakuasi Warga Rusia Dari Gaza" in paragraphs
    assert "Putin Tawarkan Bantuan Untuk Redakan Perang di Gaza" in paragraphs


def test_original_text_is_kept_whole() -> None:
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        article = read_articles(path, relpath=path.name).articles[0]
        assert article.original == path.read_text("utf-8")


def test_ids_are_stable_hashes_of_the_library_path() -> None:
    path = next(SEEDS_DIR.glob("001_*.txt"))
    first = read_articles(path, relpath="news/001.txt").articles[0]
    again = read_articles(path, relpath="news/001.txt", data=path.read_bytes()).articles[0]
    elsewhere = read_articles(path, relpath="other/001.txt").articles[0]
    assert first.id == again.id == path_id("news/001.txt")
    assert len(first.id) == 16 and int(first.id, 16) >= 0
    assert elsewhere.id != first.id
