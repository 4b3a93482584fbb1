"""Readers of other collections: text encodings, Markdown with front matter, HTML, JSON Lines."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

from kliping.articles.model import PublishedDate
from kliping.ingest.cleaning import detect_language, split_comma_joined
from kliping.ingest.decoding import decode_bytes, repair_mojibake
from kliping.ingest.markdown_text import dump_front_matter, inline_to_text, split_front_matter
from kliping.ingest.reading import is_article_file, path_id, read_articles
from tests.support import CLICKID_SAMPLE

BODY = (
    "Judul Berita Percobaan\n\n"
    "JAKARTA - Pemerintah mengumumkan kebijakan baru pada Senin (9/9/2019) yang akan berlaku bulan depan.\n\n"
    "“Kami siap,” kata juru bicara itu kepada wartawan di Jakarta.\n"
)


def read(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return read_articles(path, relpath=name)


# --- encodings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (BODY.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + BODY.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + BODY.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + BODY.encode("utf-16-be"), "utf-16"),
        (BODY.encode("utf-16-le"), "utf-16-le"),
        (BODY.encode("utf-16-be"), "utf-16-be"),
        (BODY.encode("cp1252"), "cp1252"),
        (BODY.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
        (BODY.replace("\n", "\r").encode("utf-8"), "utf-8"),
    ],
)
def test_every_encoding_reads_the_same_article(tmp_path: Path, data: bytes, encoding: str) -> None:
    assert decode_bytes(data).encoding == encoding
    result = read(tmp_path, "a.txt", data)
    assert result.errors == []
    (article,) = result.articles
    assert article.title == "Judul Berita Percobaan"
    assert article.place == "JAKARTA"
    assert article.published == PublishedDate(2019, 9, 9)
    assert article.paragraphs[-1] == "“Kami siap,” kata juru bicara itu kepada wartawan di Jakarta."
    assert "\r" not in article.original and "\ufeff" not in article.original


def test_cp1252_curly_quotes_and_accents(tmp_path: Path) -> None:
    data = "Café “Tua” di Bandung\n\nPemilik kafe itu berkata, “Kami buka sejak 1950.”\n".encode("cp1252")
    (article,) = read(tmp_path, "kafe.txt", data).articles
    assert article.title == "Café “Tua” di Bandung"
    assert article.paragraphs == ("Pemilik kafe itu berkata, “Kami buka sejak 1950.”",)


def test_invalid_utf8_in_the_middle_never_crashes(tmp_path: Path) -> None:
    data = b"Berita Rusak Di Tengah\n\nKalimat pertama yang baik dan benar. " + b"\xff\xfe\xc3" + \
        " Kalimat kedua dengan é yang utuh.\n".encode()
    result = read(tmp_path, "rusak.txt", data)
    (article,) = result.articles
    assert article.title == "Berita Rusak Di Tengah"
    assert "\ufffd" in article.text and "é yang utuh" in article.text
    assert len(result.errors) == 1 and "rusak.txt" in result.errors[0] and "3 byte" in result.errors[0]


def test_any_bytes_decode(tmp_path: Path) -> None:
    data = bytes(range(256)) * 4
    result = read(tmp_path, "noise.txt", data)
    assert isinstance(result.errors, list)  # reading random bytes gives articles or errors, never an exception


def test_mojibake_is_repaired_only_where_the_bytes_prove_it() -> None:
    assert repair_mojibake("‚ÄúMenjawab tren,‚Äù kata Danang, Manado‚ÄîMorotai") == "“Menjawab tren,” kata Danang, Manado—Morotai"
    assert repair_mojibake("Ahad¬†22 September") == "Ahad\u00a022 September"
    assert repair_mojibake("â€œHaloâ€™s â€”ya") == "“Halo’s —ya"
    for honest in ("café", "Ä and é", "naïve façade", "† wafat 1999"):
        assert repair_mojibake(honest) == honest


# --- plain text and Markdown -----------------------------------------------------------------------


def test_file_types() -> None:
    for name in ("a.txt", "b.MD", "c.markdown", "d.html", "e.htm", "f.jsonl", "g.jsonl.gz", "h.ndjson"):
        assert is_article_file(name), name
    for name in ("a.pdf", "b.json", "c.gz", "notes.yaml", "x.txt.bak"):
        assert not is_article_file(name), name


def test_markdown_inline_is_words() -> None:
    assert inline_to_text("Hamas [Ismail Haniyeh](#) dan **Rusia** di *Al-Mayadeen* `kode`") == \
        "Hamas Ismail Haniyeh dan Rusia di Al-Mayadeen kode"
    assert inline_to_text("gambar ![foto](x.jpg) hilang, [tautan](http://a.b/(c)) tetap") == "gambar  hilang, tautan tetap"
    assert inline_to_text("2 * 3 * 4 dan snake_case_name") == "2 * 3 * 4 dan snake_case_name"


def test_markdown_file_with_front_matter(tmp_path: Path) -> None:
    text = (
        "---\n"
        "id: artikel-satu\n"
        "title: Judul Dari Front Matter\n"
        "source: Kompas\n"
        "authors: [Ani, Budi]\n"
        "published: 2024-12-06\n"
        "url: https://example.com/a\n"
        "category: Politik\n"
        "---\n"
        "# Judul Lain Di Badan\n\n"
        "Paragraf pertama dengan [tautan](https://x.y) dan **tebal**.\n\n"
        "Paragraf kedua.\n"
    )
    (article,) = read(tmp_path, "a.md", text.encode()).articles
    assert article.id == "artikel-satu"
    assert article.title == "Judul Dari Front Matter"
    assert article.source == "Kompas"
    assert article.authors == ("Ani", "Budi")
    assert article.published == PublishedDate(2024, 12, 6)
    assert article.url == "https://example.com/a"
    assert article.extra == {"category": "Politik"}
    assert article.paragraphs == ("Judul Lain Di Badan", "Paragraf pertama dengan tautan dan tebal.", "Paragraf kedua.")


@pytest.mark.parametrize(
    ("front", "problem"),
    [
        ("title: [unclosed\n", "invalid YAML front matter"),
        ("- just\n- a list\n", "not a mapping"),
        ("title: !!python/object/apply:os.system ['echo pwned > PWNED']\n", "invalid YAML front matter"),
    ],
)
def test_bad_front_matter_is_one_line_and_body_still_read(tmp_path: Path, front: str, problem: str, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = f"---\n{front}---\nJudul Di Badan\n\nIsi artikel yang tetap terbaca dengan baik.\n"
    result = read(tmp_path, "bad.md", text.encode())
    assert len(result.errors) == 1
    assert "bad.md" in result.errors[0] and problem in result.errors[0] and "\n" not in result.errors[0]
    (article,) = result.articles
    assert article.title == "Judul Di Badan"
    assert article.paragraphs == ("Isi artikel yang tetap terbaca dengan baik.",)
    assert not (tmp_path / "PWNED").exists()


def test_front_matter_round_trip_keeps_text_exactly() -> None:
    data = {"id": "x", "title": "Judul: dengan titik dua", "original": "baris satu\n\n  baris \"dua\"\n\tdan tab\n"}
    dumped = dump_front_matter(data) + "badan\n"
    front = split_front_matter(dumped)
    assert front.data == data and front.error is None
    assert front.body == "badan\n"


def test_unreadable_date_in_front_matter_is_kept_and_reported(tmp_path: Path) -> None:
    text = "---\ntitle: Judul\npublished: kapan-kapan\n---\nIsi artikel ini.\n"
    result = read(tmp_path, "d.md", text.encode())
    assert result.articles[0].published is None
    assert result.articles[0].extra == {"published_text": "kapan-kapan"}
    assert "d.md" in result.errors[0] and "kapan-kapan" in result.errors[0]


def test_empty_file_is_an_error_not_an_article(tmp_path: Path) -> None:
    result = read(tmp_path, "kosong.txt", b"  \n\n")
    assert result.articles == [] and "kosong.txt" in result.errors[0]


def test_plain_text_does_not_import_heavy_modules(tmp_path: Path) -> None:
    import subprocess

    path = tmp_path / "a.txt"
    path.write_text(BODY, "utf-8")
    code = (
        "import sys\nfrom pathlib import Path\nfrom kliping.ingest.reading import read_articles\n"
        f"read_articles(Path({str(path)!r}), relpath='a.txt')\n"
        "print(sorted(m for m in ('trafilatura', 'yaml', 'lxml', 'textual') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_language_detection() -> None:
    assert detect_language("Pemerintah mengatakan bahwa kebijakan ini akan berlaku untuk semua warga yang ada di kota.") == "id"
    assert detect_language("The government said that the policy will apply to all of the residents in the city.") == "en"
    assert detect_language("") == "id"


def test_english_article_is_marked_english(tmp_path: Path) -> None:
    text = (
        "Russia Calls For Collective Action\n\nMOSCOW (Reuters) - Russia on Monday called for collective action to end "
        "the fighting, and it said that the talks were in progress.\n"
    )
    (article,) = read(tmp_path, "en.txt", text.encode()).articles
    assert article.language == "en"
    assert (article.source, article.place) == ("Reuters", "MOSCOW")


# --- HTML ---------------------------------------------------------------------------------------------

PAGE = """<!doctype html><html><head><title>Banjir Melanda Jakarta | Situs Berita</title>
<script>document.write('iklan jahat')</script><style>p{color:red}</style></head>
<body><nav><a href="/">Beranda</a> <a href="/nasional">Nasional</a></nav>
<article><h1>Banjir Melanda Jakarta</h1>
<p>Hujan deras sejak Selasa (1/1/2020) malam membuat banyak kawasan di Jakarta terendam banjir setinggi satu meter.</p>
<p>Warga di bantaran kali mengungsi ke masjid dan sekolah terdekat sambil menunggu air surut.</p>
<p>Petugas pemadam kebakaran dan relawan membantu mengevakuasi warga lanjut usia dan anak-anak.</p>
</article><footer>Hak cipta 2020 Situs Berita</footer></body></html>"""


def test_html_main_text(tmp_path: Path) -> None:
    result = read(tmp_path, "banjir.html", PAGE.encode())
    (article,) = result.articles
    assert article.title == "Banjir Melanda Jakarta"
    assert article.paragraphs[0].startswith("Hujan deras sejak Selasa (1/1/2020)")
    assert article.paragraphs[-1].startswith("Petugas pemadam kebakaran")
    assert article.published == PublishedDate(2020, 1, 1)
    for junk in ("iklan jahat", "color:red", "Beranda", "Hak cipta"):
        assert junk not in article.text


def test_html_fallback_without_trafilatura(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import fails: the stdlib reading is used
    (article,) = read(tmp_path, "banjir.htm", PAGE.encode()).articles
    assert article.title == "Banjir Melanda Jakarta"
    assert article.paragraphs[0].startswith("Hujan deras")
    assert "iklan jahat" not in article.text and "Beranda" not in article.text and "Hak cipta" not in article.text


# --- JSON Lines ----------------------------------------------------------------------------------------


def record(**kw) -> str:
    return json.dumps(kw, ensure_ascii=False)


def test_jsonl_records_keys_and_extra(tmp_path: Path) -> None:
    lines = [
        record(id="r1", title="Satu", content="Isi pertama yang cukup panjang.", date="2019-09-10", source="tempo.co",
               url="https://tempo.co/1", author="Ani", category="Nasional"),
        record(title="Dua", text="Isi kedua.", authors=["Budi", "Cici"]),
        record(title="Tiga", body="Isi ketiga.", date="tanggal aneh"),
    ]
    result = read(tmp_path, "data.jsonl", ("\n".join(lines) + "\n").encode())
    assert result.errors == []
    one, two, three = result.articles
    assert (one.id, one.title, one.source, one.url, one.authors) == ("r1", "Satu", "tempo.co", "https://tempo.co/1", ("Ani",))
    assert one.published == PublishedDate(2019, 9, 10)
    assert one.extra == {"category": "Nasional", "line": 1}
    assert two.id == path_id("data.jsonl", 2) and two.authors == ("Budi", "Cici")
    assert two.paragraphs == ("Isi kedua.",)
    assert three.published is None and three.extra["date_text"] == "tanggal aneh"


def test_jsonl_bad_lines_are_reported_and_the_rest_read(tmp_path: Path) -> None:
    lines = [
        record(title="Baik", content="Isi yang baik."),
        "{not json",
        "[1, 2]",
        record(title="Tanpa isi"),
        record(title="Baik juga", content="Isi yang baik juga."),
        '{"title": "Terpotong", "content": "Isi yang terpo',
    ]
    result = read(tmp_path, "rusak.jsonl", "\n".join(lines).encode())
    assert [a.title for a in result.articles] == ["Baik", "Baik juga"]
    assert len(result.errors) == 4
    assert result.errors[0].startswith(f"{tmp_path / 'rusak.jsonl'}:2: not valid JSON")
    assert ":3: expected a JSON object" in result.errors[1]
    assert ":4: no article text" in result.errors[2]
    assert ":6: not valid JSON" in result.errors[3] and "cut off" in result.errors[3]


def test_jsonl_duplicate_ids_fall_back_to_line_ids(tmp_path: Path) -> None:
    lines = [record(id="x", title="A", content="Isi A."), record(id="x", title="B", content="Isi B."),
             record(id=7, title="C", content="Isi C.")]
    result = read(tmp_path, "dup.jsonl", "\n".join(lines).encode())
    ids = [a.id for a in result.articles]
    assert ids == [path_id("dup.jsonl", 1), path_id("dup.jsonl", 2), "7"]
    assert len(result.errors) == 1 and "'x'" in result.errors[0]


def test_jsonl_gz_and_truncated_gz(tmp_path: Path) -> None:
    data = ("\n".join(record(title=f"Judul {i}", content=f"Isi nomor {i}.") for i in range(200)) + "\n").encode()
    packed = gzip.compress(data)
    assert len(read(tmp_path, "ok.jsonl.gz", packed).articles) == 200
    result = read(tmp_path, "cut.jsonl.gz", packed[: len(packed) // 2])
    assert 0 < len(result.articles) < 200
    assert any("cut off" in e for e in result.errors)


def test_comma_joined_paragraphs_and_cut_links() -> None:
    flat = (' - Prediksi Susunan Pemain , vs Kosovo ,, Rabu (11/9/2019), Pelatih ,, Gareth Southgate akan Rotasi Pemain.,'
            'Inggris akan menjamu Kosovo.,"Kami butuh pemain," ujar dia.,,,Dikutip , dari SkySport, '
            'mendukung "pendekatan multilateral", dan x')
    paragraphs = split_comma_joined(flat).split("\n")
    assert paragraphs[0] == (
        "Prediksi Susunan Pemain , vs Kosovo ,, Rabu (11/9/2019), Pelatih ,, Gareth Southgate akan Rotasi Pemain."
    )
    assert paragraphs[1:] == ["Inggris akan menjamu Kosovo.", '"Kami butuh pemain," ujar dia.',
                              'Dikutip , dari SkySport, mendukung "pendekatan multilateral", dan x']


def test_clickid_sample_imports_clean() -> None:
    path = CLICKID_SAMPLE
    result = read_articles(path, relpath="clickid-sample.jsonl")
    assert result.errors == []
    assert len(result.articles) == 30
    for article in result.articles:
        assert article.title and article.title == article.title.strip() and not article.title_derived
        published = article.published
        assert article.source and published is not None and None not in (published.year, published.month, published.day)
        assert article.published.year == 2019 and article.url.startswith("https://")
        assert article.paragraphs and all(p.strip() == p and p for p in article.paragraphs)
        for leftover in ("‚Äù", "‚Äú", "¬†", "Ä", " ,", ",,", "_x000D_", "\u00a0"):
            assert leftover not in article.text, (article.id, leftover)
        assert article.extra["category"] and "time" in article.extra
