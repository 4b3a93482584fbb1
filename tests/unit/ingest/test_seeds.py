"""What each bundled seed article must yield, written from reading the files themselves."""

from __future__ import annotations

from tests.support import SEEDS_DIR
from pathlib import Path

import pytest

from kliping.articles.model import Article, PublishedDate
from kliping.ingest.reading import path_id, read_articles



def seed(prefix: str) -> Article:
    path = next(SEEDS_DIR.glob(f"{prefix}_*.txt"))
    result = read_articles(path, relpath=path.name)
    assert result.errors == []
    assert len(result.articles) == 1
    return result.articles[0]


EXPECTED = {
    "000": dict(
        title="Hubungan antara kelompok militan Palestina, Hamas, dan Rusia semakin erat",
        title_derived=True, source=None, authors=(), editor=None, published=None, place=None,
        first="Dalam beberapa pekan terakhir, hubungan antara kelompok militan Palestina, Hamas, dan Rusia semakin erat. Meskipun",
        last="Bahkan dengan peningkatan hubungan diplomatik ini, upaya perdamaian masih membutuhkan dukungan global yang lebih luas dan komitmen dari seluruh pihak yang terlibat untuk menyelesaikan konflik ini secara adil dan berkelanjutan.",
        count=16,
    ),
    "001": dict(
        title="Hamas Temui Rusia, Bahas Gencatan Senjata Permanen di Gaza",
        title_derived=False, source="Pantau", authors=("Khalied Malvino",), editor="Sofian Faiq",
        published=PublishedDate(2024, 12, 6), place=None,
        first="Delegasi Hamas bertemu dengan utusan Rusia pada Jumat (6/12/2024) untuk membahas kemungkinan gencatan senjata permanen di Gaza, yang telah mengalami genosida selama lebih dari satu tahun.",
        last="Israel juga sedang menghadapi gugatan genosida di Mahkamah Internasional (ICJ) atas perang mematikannya di Gaza.",
        count=10,
    ),
    "002": dict(
        title='Rusia dengan tegas mengeluarkan seruan untuk "Aksi Kolektif" yang bertujuan untuk mengakhiri…',
        title_derived=True, source="RIAUPOS.CO", authors=(), editor="Edwar Yaman",
        published=PublishedDate(None, 11, 6), place="MOSKOW",
        first='Rusia, pada hari Senin (6/11), dengan tegas mengeluarkan seruan untuk "Aksi Kolektif" yang bertujuan untuk mengakhiri pertempuran antara Israel dan Hamas, mengambil tindakan ini hampir sebulan setelah konflik yang telah menelan korban ribuan nyawa.',
        last="Kehadiran warga negara Rusia di tengah konflik ini menunjukkan eskalasi konflik tersebut dan meningkatnya kekhawatiran internasional terkait dengan situasi di Timur Tengah.",
        count=12,
    ),
    "003": dict(
        title="Pemimpin Hamas Kunjungi Rusia Bahas Perjuangan Palestina",
        title_derived=False, source="Harakatuna", authors=("Harakatuna",), editor=None,
        published=PublishedDate(2022, 9, 10), place="Jakarta",
        first="Hamas Ismail Haniyeh melakukan kunjungan ke Rusia, Sabtu (10/9/2022). Dia dan delegasinya akan bertemu pejabat-pejabat tinggi Rusia untuk membahas perjuangan Palestina.",
        last="Kendati demikian, Polyansky menekankan, Rusia akan melanjutkan upayanya, termasuk koordinasi aksi bersama untuk kembali ke jalur proses penyelesaian Timur Tengah demi solusi adil dari masalah Palestina. “Seperti yang ditunjukkan oleh praktik, upaya untuk memonopoli pemukiman dan memaksakan perdamaian ekonomi pada rakyat Palestina alih-alih secara adil menghormati aspirasi mereka untuk menciptakan negara merdeka mereka sendiri tidak mengarah dan tidak dapat mengarah pada hasil nyata,\" kata Polyansky.",
        count=10,
    ),
    "004": dict(
        title="Israel Protes Rusia Dukung Palestina",
        title_derived=False, source=None, authors=(), editor=None, published=None, place=None,
        first="Benjamin Netanyahu sebagai Perdana Menteri Israel, protes kepada Presiden Vladimir Putin atas dukungan Rusia terhadap Palestina dan meminta Gencatan senjata di Jalur Gaza, Palestina.",
        last="Setelah selesai, barulah para warga yang dievakuasi bisa terbang ke Moskow. Pada saat itu semua warga di bawa dan di amankan untuk melakukan perawatan medis. Pada saat perang di Jalur Gaza dimulai, Rusia sempat mengajukan resolusi gencatan senjata di Jalur Gaza. Tetapi ditolak oleh Amerika Serikat. Pada akhir November lalu, The Times of Israel melaporkan bahwa Hamas melepas dua tawanan dari Rusia sebagai bentuk apresiasi terhadap posisi Rusia",
        count=34,
    ),
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_metadata_and_body(prefix: str) -> None:
    article, want = seed(prefix), EXPECTED[prefix]
    assert article.title == want["title"]
    assert article.title_derived is want["title_derived"]
    assert article.source == want["source"]
    assert article.authors == want["authors"]
    assert article.editor == want["editor"]
    assert article.published == want["published"]
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
