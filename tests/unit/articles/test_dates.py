"""Indonesian and English dates, in bodies and in dataset fields; a missing year is never guessed."""

from __future__ import annotations

import pytest

from kliping.articles.dates import find_dateline_date, parse_date, reconcile_with_url, url_date
from kliping.articles.model import PublishedDate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jumat (6/12/2024)", PublishedDate(2024, 12, 6)),
        ("Sabtu (10/9/2022)", PublishedDate(2022, 9, 10)),
        ("Senin (6/11)", PublishedDate(None, 11, 6)),
        ("Sabtu, 28 September 2019", PublishedDate(2019, 9, 28)),
        ("6 Desember 2024", PublishedDate(2024, 12, 6)),
        ("31 Juli 2019", PublishedDate(2019, 7, 31)),
        ("2019-10-09 00:00:00", PublishedDate(2019, 10, 9)),
        ("2024-12-06", PublishedDate(2024, 12, 6)),
        ("--11-06", PublishedDate(None, 11, 6)),
        ("10-Sep-19", PublishedDate(2019, 9, 10)),
        ("16/09/2019", PublishedDate(2019, 9, 16)),
        (" Sep 30, 2019 ", PublishedDate(2019, 9, 30)),
        ("Oktober 19, 2019", PublishedDate(2019, 10, 19)),
        ("12 Agustus", PublishedDate(None, 8, 12)),
        ("May 5, 2020", PublishedDate(2020, 5, 5)),
    ],
)
def test_parse_date(text: str, expected: PublishedDate) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "kemarin", "31/02/2019", "13/13/2019", "Senin (40/2)", "2019-13-01"])
def test_not_a_date(text: str) -> None:
    assert parse_date(text) is None


def test_dateline_date_is_the_first_weekday_date() -> None:
    body = "Pantau - Delegasi Hamas bertemu pada Jumat (6/12/2024) ... melansir Anadolu, Sabtu (7/12/2024)."
    assert find_dateline_date(body) == PublishedDate(2024, 12, 6)


def test_event_dates_without_weekday_are_not_publication_dates() -> None:
    assert find_dateline_date("serbuan Hamas 7 Oktober lalu, dan pada 23 November") is None


def test_year_unknown_stays_unknown() -> None:
    date = find_dateline_date("Rusia, pada hari Senin (6/11), dengan tegas")
    assert date == PublishedDate(None, 11, 6)
    assert date.iso() == "--11-06"
    assert date.year is None and date.display() == "6 Nov"


def test_url_date_repairs_a_day_month_swap_only() -> None:
    url = "https://regional.kompas.com/read/2019/09/10/21485171/diduga-pasok-sabu"
    assert url_date(url) == PublishedDate(2019, 9, 10)
    assert reconcile_with_url(PublishedDate(2019, 10, 9), url) == PublishedDate(2019, 9, 10)
    # A date that differs in another way (time zones move a day) is the site's own and stays.
    assert reconcile_with_url(PublishedDate(2019, 9, 11), url) == PublishedDate(2019, 9, 11)
    undated_url = "https://www.wowkeren.com/berita/tampil/1.html"
    assert reconcile_with_url(PublishedDate(2019, 10, 9), undated_url) == PublishedDate(2019, 10, 9)
