"""The cleaner as it was at commit 7961365, before its fast paths: the oracle that
tests/test_cleaning_equivalence.py holds the current cleaner to (the same text, the same
metadata, for any input). Not imported by kliping; never edit it to make a test pass.

Its own docstring follows.

From scraped article text to a clean body and the metadata hidden in it.

Text copied from news sites carries the site around the article: navigation, share buttons,
photo captions, "Baca juga" teasers, bylines, comment forms, tracking widgets. These rules find
the headline, the byline and the dateline, drop the chrome, and rejoin paragraphs that a blank
line broke in mid-sentence. They are general rules about how Indonesian (and English) news pages
are laid out, not fixes for particular files; each is named after what it recognises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kliping.articles.model import PublishedDate
from kliping.articles.dates import find_dateline_date
from kliping.ingest.markdown_text import heading, inline_to_text, strip_block_prefix
from kliping.files.sanitize import strip_controls
from kliping.ingest.decoding import repair_mojibake

# --- lines that are site chrome, not body -------------------------------------------------------

_BREADCRUMB = re.compile(r"^(?:home|beranda|index)\s*[⁄/›»>|]", re.IGNORECASE)
# One to three words, then one or more separator-and-words groups. Words are split by required
# whitespace so that a long run of letters has one way to match, not exponentially many.
_MENU_WORDS = r"[^\s⁄›»|]+(?:\s+[^\s⁄›»|]+){0,2}\s*"
_SEPARATED_MENU = re.compile(rf"^{_MENU_WORDS}(?:[⁄›»|]\s*{_MENU_WORDS})+$")
_SHARE = re.compile(r"^(?:share|bagikan|bagikan artikel ini|share this)\b\W*$", re.IGNORECASE)
_CAPTION_LABEL = re.compile(r"^\(?(?:foto|photo|ilustrasi|gambar|image|sumber foto|caption)\s*:", re.IGNORECASE)
# A caption ends with a photo credit in parentheses: a site, an agency/photographer pair, or an agency.
_CAPTION_CREDIT = re.compile(
    r"\((?:[^()\s]+\.[a-z]{2,}(?:\.[a-z]{2})?|[^()/]*/[^()]*|istimewa|dok\.?[^()]*|antara|"
    r"reuters|afp|ap|anadolu|getty images|shutterstock|ist)\)\s*$",
    re.IGNORECASE,
)
_TEASER = re.compile(r"^(?:baca|simak|lihat|tonton)\s+(?:juga|pula|selengkapnya|berita)\b", re.IGNORECASE)
_IMAGE_SLUG = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+){2,}(?:\.(?:jpe?g|png|webp|gif))?$")
# The start of a comment form or related-posts block: nothing after it is the article.
_TAIL_MARKER = re.compile(
    r"^(?:similar posts|related posts|artikel terkait|berita terkait|tinggalkan balasan|"
    r"tinggalkan komentar|leave a reply|leave a comment|one comment|no comments|"
    r"\d+ (?:comments?|komentar)|alamat email anda tidak akan dipublikasikan\b.*|"
    r"your email address will not be published\b.*)\W*$",
    re.IGNORECASE,
)
# Text that ad and tracking widgets leave inside a paragraph when a page is copied.
_TRACKING = re.compile(
    r"\s*(?:\bscroll\s+)?\b[\w-]*viewport\.io\b\.?"
    r"|\s*\b(?:ADVERTISEMENT|SCROLL TO (?:CONTINUE|RESUME) WITH CONTENT)\b"
    r"|\s*\bloading\.\.\.\s*$"
)
# Words every _TRACKING match contains: checking for them first spares the regex on ordinary
# paragraphs, where it was most of the time spent cleaning a long article.
_TRACKING_WORDS = ("viewport.io", "ADVERTISEMENT", "SCROLL TO", "loading...")

# --- lines that are metadata ---------------------------------------------------------------------

_AUTHOR_LABEL = re.compile(r"^(?:penulis|reporter|wartawan|author|writer|kontributor)\s*:\s*(.*)$", re.IGNORECASE)
_EDITOR_LABEL = re.compile(r"^(?:editor|redaktur|penyunting)\s*:\s*(.*)$", re.IGNORECASE)
_CREDIT_LABEL = re.compile(r"^(?:sumber|source)\s*:\s*(.+)$", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:oleh|written by|posted by|reported by|by)\s*:?\s+(.+)$", re.IGNORECASE)
_NAME = re.compile(r"^[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|bin|binti|al-\w+|van|de|der))*$")

# --- datelines: `MOSKOW (RIAUPOS.CO) -`, `**Harakatuna.com.** Jakarta -`, `Pantau -` ----------------

_DASH = r"\s*[-–—]+\s+"
_DATELINE_BOLD_CREDIT = re.compile(
    rf"^\*\*(?P<source>[^*]+?)\.?\*\*\s*(?:(?P<place>[A-Z][\w.'’]*(?: [A-Z][\w.'’]*){{0,2}}){_DASH})?"
)
_DATELINE_PLACE_SOURCE = re.compile(
    rf"^(?P<place>[A-Z][A-Z.'’]+(?: [A-Z][A-Z.'’]+){{0,2}})\s*(?:\((?P<source>[^()]{{2,40}})\)|,\s*(?P<site>[\w.]+\.(?:com|co|id|net)\S*)){_DASH}"
)
_DATELINE_WORD = re.compile(rf"^(?P<word>[A-Z][\w.'’]*(?: [A-Z][\w.'’]*){{0,2}}){_DASH}(?=[A-Z\"“‘'])")
_SITE_SUFFIX = re.compile(r"\.(?:com|co\.id|or\.id|id|net|org)$")

# --- sentences and paragraphs ---------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…:;\"”’')\]]$")
_LEAD_DATE = re.compile(
    r",?\s*(?:pada\s+)?(?:hari\s+)?(?:Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad)\s*\([\d/ ]+\),?"
)
_LINK_LEFTOVER = re.compile(r"\s+,(?=[\s,.;:!?]|$)")
_COMMA_RUN = re.compile(r",(?:\s*,)+")
_COMMA_BEFORE_STOP = re.compile(r",(?=[.;:!?])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")

_STOPWORDS_ID = frozenset(
    "yang dan di ke dari ini itu dengan untuk pada adalah dalam tidak akan juga atau oleh sebagai "
    "karena telah sudah bahwa mereka kami kita saya ada bisa dapat lebih para saat tersebut".split()
)
_STOPWORDS_EN = frozenset(
    "the and of to in is that for on with as was are by it at from this be have has an which "
    "were not but they their will would said his her who been".split()
)


@dataclass(slots=True)
class Cleaned:
    """What the cleaner found: a title (or None), the body, and metadata from bylines and datelines."""

    title: str | None
    paragraphs: list[str]
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    editor: str | None = None
    published: PublishedDate | None = None
    place: str | None = None
    credit: str | None = None


def normalize_spaces(text: str) -> str:
    """One plain space between words; invisible characters and terminal controls removed."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", strip_controls(text))).strip()


def tidy_paragraph(text: str) -> str:
    """Remove what stripped links leave behind (`Pelatih ,, Gareth`, `grup  ,.`)."""
    text = _LINK_LEFTOVER.sub("", text)
    text = _COMMA_RUN.sub(",", text)
    text = _COMMA_BEFORE_STOP.sub("", text)
    return normalize_spaces(text).strip(" ,")


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


def detect_language(text: str) -> str:
    """'en' or 'id', by which language's most common words the text uses more."""
    tokens = words(text[:5000])
    english = sum(1 for t in tokens if t in _STOPWORDS_EN)
    indonesian = sum(1 for t in tokens if t in _STOPWORDS_ID)
    return "en" if english > indonesian else "id"


def is_chrome(line: str) -> bool:
    """A line of site furniture that is never part of an article body."""
    return bool(
        _BREADCRUMB.match(line)
        or _SHARE.match(line)
        or _CAPTION_LABEL.match(line)
        or _TEASER.match(line)
        or _IMAGE_SLUG.match(line)
        or (len(line) < 60 and _SEPARATED_MENU.match(line))
        or is_caption(line)
    )


def is_caption(line: str) -> bool:
    """A photo caption: a short unpunctuated description ending in a credit like `(ANTARA/Sigid)`."""
    m = _CAPTION_CREDIT.search(line)
    if not m:
        return False
    before = line[: m.start()].strip()
    return not before or (len(before.split()) <= 20 and not re.search(r"[.!?]\s", before + " "))


def is_headline(line: str) -> bool:
    """Could this line be a headline? Short, not a sentence, not chrome or a byline."""
    n = len(line.split())
    return (
        2 <= n <= 25
        and not re.search(r"[.,;:]$", line)
        and not is_chrome(line)
        and not _BYLINE.match(line)
        and not _AUTHOR_LABEL.match(line)
        and not _EDITOR_LABEL.match(line)
    )


def _is_prose(text: str) -> bool:
    """Running text rather than a heading: long enough and mostly lower-case words."""
    tokens = text.split()
    if len(tokens) < 6:
        return False
    lower = sum(1 for t in tokens if t[:1].islower())
    return lower * 2 >= len(tokens)


def join_broken_paragraphs(paragraphs: list[str]) -> list[str]:
    """Rejoin a sentence that a blank line cut in two.

    A paragraph of running text that stops without sentence punctuation continues in the next one
    when that starts in lower case (`memaksakan perdamaian` / `ekonomi pada rakyat`), or when it
    stopped on a lower-case word and the next is a sentence, not a heading (`kata seorang juru
    bicara` / `Hamis, dilaporkan …`: a name continues the sentence).
    """
    joined: list[str] = []
    for paragraph in paragraphs:
        if joined:
            previous = joined[-1]
            if not _SENTENCE_END.search(previous) and _is_prose(previous):
                last_word = previous.rsplit(None, 1)[-1]
                continues = paragraph[:1].islower() or (
                    last_word[:1].islower()
                    and last_word[-1:].isalpha()
                    and paragraph[:1].isupper()
                    and (_SENTENCE_END.search(paragraph) is not None or _is_prose(paragraph))
                )
                if continues:
                    joined[-1] = f"{previous} {paragraph}"
                    continue
        joined.append(paragraph)
    return joined


def derive_title(paragraphs: list[str], max_words: int = 12) -> str:
    """A short honest title from the lead: its first sentence or clause, cut at a word boundary."""
    lead = next((p for p in paragraphs if p.strip()), "")
    if not lead:
        return ""
    lead = _LEAD_DATE.sub("", lead).strip()
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", lead, maxsplit=1)[0].rstrip(".!? ")
    tokens = sentence.split()
    # An opening phrase such as "Dalam beberapa pekan terakhir," is scene-setting, not news.
    for i, token in enumerate(tokens[:5]):
        if token.endswith(",") and i >= 2 and len(tokens) - i - 1 >= 4:
            tokens = tokens[i + 1 :]
            tokens[0] = tokens[0][:1].upper() + tokens[0][1:]
            break
    if len(tokens) <= max_words + 2:
        return " ".join(tokens)
    for i in range(max_words, 5, -1):
        if tokens[i - 1].endswith((",", ";", ":")):
            return " ".join(tokens[:i]).rstrip(",;:")
    return " ".join(tokens[:max_words]).rstrip(",;:") + "…"


def _site_name(source: str) -> str:
    return _SITE_SUFFIX.sub("", source.strip().rstrip("."))


def _take_dateline(line: str, chrome: list[str]) -> tuple[str, str | None, str | None]:
    """Split a lead paragraph's dateline off: (rest, source, place)."""
    if m := _DATELINE_BOLD_CREDIT.match(line):
        return line[m.end() :], _site_name(m["source"]), m["place"]
    if m := _DATELINE_PLACE_SOURCE.match(line):
        return line[m.end() :], (m["source"] or m["site"]).strip(), m["place"].strip()
    if m := _DATELINE_WORD.match(line):
        word = m["word"]
        # The outlet's own name also shows in the site chrome above the headline (`Pantau Flash`);
        # anything else before the dash is the place the story was filed from.
        if any(word.lower() in c.lower().split() for c in chrome):
            return line[m.end() :], word, None
        return line[m.end() :], None, word
    return line, None, None


def _label_value(lines: list[str], i: int, value: str) -> tuple[str, int]:
    """The value of a `Penulis :` label: on the same line, or alone on the next line."""
    if value.strip():
        return value.strip(), i
    for j in range(i + 1, min(i + 3, len(lines))):
        if lines[j].strip():
            return lines[j].strip(), j
    return "", i


def clean_article_text(text: str, *, title: str | None = None) -> Cleaned:
    """Clean scraped (or Markdown) article text. ``title``, where already known, is not searched for."""
    lines = [normalize_spaces(line) for line in repair_mojibake(text).split("\n")]
    found_title, title_index = (title, -1) if title else _find_title(lines)
    chrome = [ln for ln in lines[: max(title_index, 0)] if ln]
    cleaned = Cleaned(title=found_title, paragraphs=[])
    raw_paragraphs: list[str] = []
    i = title_index + 1 if title_index >= 0 else 0
    if title_index > 0:
        # Long lines above the headline are text after all; short ones were navigation.
        raw_paragraphs.extend(ln for ln in chrome if _is_prose(ln) and not is_chrome(ln))
    title_plain = inline_to_text(found_title) if found_title else None
    lead_seen = False
    while i < len(lines):
        line = strip_block_prefix(lines[i])
        if not line:
            i += 1
            continue
        if _TAIL_MARKER.match(line):
            break
        if m := _AUTHOR_LABEL.match(line):
            value, i = _label_value(lines, i, m[1])
            cleaned.authors.extend(_names(value))
        elif m := _EDITOR_LABEL.match(line):
            value, i = _label_value(lines, i, m[1])
            cleaned.editor = cleaned.editor or (value or None)
        elif (m := _CREDIT_LABEL.match(line)) and len(line.split()) <= 6:
            cleaned.credit = m[1].strip()
        elif (m := _BYLINE.match(inline_to_text(line))) and _names(m[1]):
            cleaned.authors.extend(_names(m[1]))
        elif not is_chrome(line) and inline_to_text(line) != title_plain:
            if h := heading(line):
                line = h[1]
            elif not lead_seen:
                lead_seen = True
                line, source, place = _take_dateline(line, chrome)
                cleaned.source = cleaned.source or source
                cleaned.place = cleaned.place or place
            line = inline_to_text(line)
            if any(word in line for word in _TRACKING_WORDS):
                line = _TRACKING.sub("", line)
            line = tidy_paragraph(line)
            if _has_words(line) and not is_chrome(line):
                raw_paragraphs.append(line)
        i += 1
    cleaned.authors = list(dict.fromkeys(cleaned.authors))
    cleaned.paragraphs = join_broken_paragraphs(raw_paragraphs)
    cleaned.published = find_dateline_date("\n".join(cleaned.paragraphs[:3]))
    if cleaned.title:
        cleaned.title = tidy_paragraph(inline_to_text(cleaned.title))
    return cleaned


def _has_words(text: str) -> bool:
    """Leftover punctuation (`"`, `.`) is not a paragraph."""
    return any(ch.isalnum() for ch in text)


def _names(value: str) -> list[str]:
    """Author names from a byline value (`Khalied Malvino`, `A dan B`, `A, B`); [] if not names."""
    value = inline_to_text(value).strip().rstrip(".")
    parts = [p.strip() for p in re.split(r",|\s+(?:dan|and|&)\s+", value) if p.strip()]
    if not parts or any(len(p.split()) > 5 or not _NAME.match(p) for p in parts):
        return []
    return parts


def _find_title(lines: list[str]) -> tuple[str | None, int]:
    """The headline and its line number: a `# ` heading, a line the page repeats, or a first line
    that reads as a headline. (None, -1) when the text has none."""
    for i, line in enumerate(lines[:20]):
        if (h := heading(line)) and h[0] == 1:
            return h[1], i
    candidates = [(i, ln) for i, ln in enumerate(lines[:30]) if ln]
    for n, (i, line) in enumerate(candidates[:12]):
        if is_headline(line) and any(other == line for _, other in candidates[n + 1 :]):
            return line, i
    for n, (i, line) in enumerate(candidates):
        if is_chrome(line):
            continue
        if is_headline(line) and n + 1 < len(candidates):
            return line, i
        break
    return None, -1


_JOINED_AFTER_STOP = re.compile(r"(?<=[.!?…])[^\S\n]*,[\s,]*(?=\S)")
# After a closing quote a comma can be ordinary punctuation (`"multilateral", dan`), so only a comma
# with no space after it, or a run of commas, is a join.
_JOINED_AFTER_QUOTE = re.compile(r"(?<=[\"”])(?:,(?=[^\s,])|[^\S\n]*,(?:[^\S\n]*,)+[^\S\n]*(?=\S))")
# A quotation whose words were an embedded post that the scraper dropped: `",,"`.
_EMPTIED_QUOTE = re.compile(r"[\"“][\s,.]*[\"”]")
# Excel's escape for a carriage return, left in text that went through a spreadsheet.
_EXCEL_CR = re.compile(r"_x000D_")
_CUT_LINK_BETWEEN_WORDS = re.compile(r"(?<=[^\W\d_]),(?=[^\W\d_])")
_CUT_LINK_BEFORE_WORD = re.compile(r"[^\S\n]+,(?=[^\W\d_]|[\"“]\w)")
_EMPTIED_PARENTHESES = re.compile(r"[^\S\n]*\([\s,]*\)")
_LEADING_DASH = re.compile(r"^(?:[\s,]*[-–—](?=[\s,]))?[\s,]*", re.MULTILINE)


def split_comma_joined(text: str) -> str:
    """Paragraph breaks for dataset text whose paragraphs were joined with commas.

    Scrapers that flattened a page wrote `… lalu.,Dikutip …` and `.,,,"Kami …"`: a comma run straight
    after a sentence's end is a paragraph break. A lone comma between words is a link that was cut
    out (`keluarga,semenjak`), so it becomes a comma and a space.
    """
    text = _EXCEL_CR.sub("\n", text)
    text = _EMPTIED_QUOTE.sub("", text)
    text = _JOINED_AFTER_STOP.sub("\n", text)
    text = _JOINED_AFTER_QUOTE.sub("\n", text)
    text = _CUT_LINK_BETWEEN_WORDS.sub(", ", text)
    text = _CUT_LINK_BEFORE_WORD.sub(" ", text)
    text = _EMPTIED_PARENTHESES.sub("", text)
    return _LEADING_DASH.sub("", text)
