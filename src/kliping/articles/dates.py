"""Reading publication dates written the Indonesian and the English way.

Scraped articles carry their date in the body (`Jumat (6/12/2024)`, `Senin (6/11)`,
`Sabtu, 28 September 2019`); datasets carry it in a field (`2019-10-09 00:00:00`, `10-Sep-19`,
`16/09/2019`, ` Sep 30, 2019 `, `Oktober 19, 2019`). A missing year stays unknown: it is never
guessed.
"""

from __future__ import annotations

import re

from kliping.articles.model import PublishedDate

MONTHS = {
    **dict.fromkeys(("januari", "january", "jan"), 1),
    **dict.fromkeys(("februari", "pebruari", "february", "feb", "peb"), 2),
    **dict.fromkeys(("maret", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("agustus", "august", "agu", "agt", "ags", "aug"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec"), 12),
}
WEEKDAYS = (
    "Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Jum’at|Sabtu|Minggu|Ahad|"
    "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
)
_MONTH = r"(?P<month_name>[A-Za-z]{3,9})\.?"

# A date anchored on a weekday, the way Indonesian news dates its lead: `Jumat (6/12/2024)`,
# `Senin (6/11)`, `Sabtu, 28 September 2019`, `Selasa 10 September 2019`.
_WEEKDAY_DATE = re.compile(
    rf"\b(?:{WEEKDAYS})\b\s*(?:"
    r"\(\s*(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{2,4}))?\s*\)"
    rf"|,?\s*(?P<d2>\d{{1,2}})\s+{_MONTH}(?:\s+(?P<y2>\d{{4}}))?\b"
    r")",
    re.IGNORECASE,
)
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?(?:[ T].*)?$")
_ISO_NO_YEAR = re.compile(r"^--(?P<m>\d{2})(?:-(?P<d>\d{2}))?$")
_NUMERIC_DMY = re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})(?:[/.-](?P<y>\d{2,4}))?$")
_DAY_MONTH_YEAR = re.compile(rf"^(?P<d>\d{{1,2}})[\s-]+{_MONTH}(?:[\s,-]+(?P<y>\d{{2,4}}))?$")
_MONTH_DAY_YEAR = re.compile(rf"^{_MONTH}\s+(?P<d>\d{{1,2}}),?(?:\s+(?P<y>\d{{4}}))?$")
_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>\d\d)/(?P<d>\d\d)(?:/|\d)")


def _year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _make(year: int | None, month: int | None, day: int | None) -> PublishedDate | None:
    try:
        return PublishedDate(year, month, day)
    except ValueError:
        return None


def _month(name: str | None) -> int | None:
    return MONTHS.get(name.lower()) if name else None


def parse_date(value: str) -> PublishedDate | None:
    """A date field in any of the common shapes, or None when it is not a date."""
    text = " ".join(str(value).split()).strip(" ,")
    if not text:
        return None
    weekday = _WEEKDAY_DATE.match(text)
    if weekday:
        return _from_weekday_match(weekday)
    text = re.sub(rf"^(?:{WEEKDAYS}),?\s+", "", text, flags=re.IGNORECASE)
    if m := _ISO_NO_YEAR.match(text):
        return _make(None, int(m["m"]), int(m["d"]) if m["d"] else None)
    if m := _ISO.match(text):
        return _make(int(m["y"]), int(m["m"]), int(m["d"]) if m["d"] else None)
    if m := _NUMERIC_DMY.match(text):
        return _make(_year(m["y"]), int(m["m"]), int(m["d"]))
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        if (m := pattern.match(text)) and (month := _month(m["month_name"])):
            return _make(_year(m["y"]), month, int(m["d"]))
    return None


def _from_weekday_match(m: re.Match[str]) -> PublishedDate | None:
    if m["d"]:
        return _make(_year(m["y"]), int(m["m"]), int(m["d"]))
    month = _month(m["month_name"])
    if month is None:
        return None
    return _make(_year(m["y2"]), month, int(m["d2"]))


def find_dateline_date(text: str) -> PublishedDate | None:
    """The first weekday-anchored date in an article body (`Jumat (6/12/2024)`).

    Bare dates in a body (`serbuan Hamas 7 Oktober lalu`) are usually about events, not the
    article, so only the weekday form that news leads use counts.
    """
    for m in _WEEKDAY_DATE.finditer(text):
        date = _from_weekday_match(m)
        if date is not None:
            return date
    return None


def url_date(url: str | None) -> PublishedDate | None:
    """The date many news sites put in their article URLs (`/read/2019/09/10/…`)."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    return _make(int(m["y"]), int(m["m"]), int(m["d"])) if m else None


def reconcile_with_url(date: PublishedDate | None, url: str | None) -> PublishedDate | None:
    """Repair a day/month swap (`2019-10-09` for 9 October when the URL says 10 September).

    The URL only decides between the two readings of the same numbers; it never replaces a date
    that disagrees in any other way.
    """
    from_url = url_date(url)
    if date is None or from_url is None or date == from_url:
        return date
    if (date.year, date.month, date.day) == (from_url.year, from_url.day, from_url.month):
        return from_url
    return date
