"""From scraped article text to a clean body and the metadata hidden in it.

Text copied from news sites carries the site around the article: navigation, share buttons,
photo captions, "Baca juga" teasers, bylines, comment forms, tracking widgets. These rules find
the headline, the byline and the dateline, drop the chrome, and rejoin paragraphs that a blank
line broke in mid-sentence. They are general rules about how Indonesian (and English) news pages
are laid out, not fixes for particular files; each is named after what it recognises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kliping.articles.dates import find_dateline_date
from kliping.articles.model import PublishedDate
from kliping.files.sanitize import strip_controls
from kliping.ingest.decoding import repair_mojibake
from kliping.ingest.markdown_text import heading, inline_to_text, strip_block_prefix

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
    r"^(?P<place>[A-Z][A-Z.'’]+(?: [A-Z][A-Z.'’]+){0,2})\s*"
    rf"(?:\((?P<source>[^()]{{2,40}})\)|,\s*(?P<site>[\w.]+\.(?:com|co|id|net)\S*)){_DASH}"
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
_SPACE_CHARS = " \t\u00a0\u2000-\u200a\u202f\u205f\u3000"
# Runs of spaces but for one plain space (replaced, it stays as it is): replacing each space
# with a space was a replacement per word.
_SPACES_TO_JOIN = re.compile(rf"[{_SPACE_CHARS[1:]}][{_SPACE_CHARS}]*| [{_SPACE_CHARS}]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_ESCAPE_INTRODUCERS = ("\x1b", "\x9b", "\x9d")

# A run of lines that every rule above would leave as they are, taken whole (after the lead):
# each has a letter or digit, and none of the characters that labels, captions, menus,
# breadcrumbs, headings and Markdown need (a class of characters: the regex engine runs
# through it many times faster than through words). Commas, the first word of each line and
# image names are looked at afterwards, in the run (_plain_run_end).
_NOT_PLAIN = r"\n:>⁄/›»|()#\[\]*_`<"
_PLAIN_RUN = re.compile(rf"(?:(?:[^\w{_NOT_PLAIN}]*[^\W_][^{_NOT_PLAIN}]*| ?)\n)+")
# What tidy_paragraph would change: a space before a comma, a comma before another or before
# sentence marks, a comma at either end of a line.
_COMMA_TROUBLE = re.compile(r" ,|,[,.;:!?]|, ?\n|\n ?,")
# The first words of TAIL_MARKER, _BYLINE, _SHARE and _TEASER lines, by first letter (an
# alternation of 21 words took three times as long to try at each line).
_SPECIAL_START = (
    r"(?i:s(?:imilar|hare|imak)|r(?:elated|eported)|a(?:rtikel|lamat)|b(?:erita|y|agikan|aca)"
    r"|t(?:inggalkan|onton)|l(?:eave|ihat)|o(?:ne|leh)|no|your|written|posted)\b|\d+ (?i:comments?|komentar)\b"
)
# Looked for in a run once it is found, from the newline before it (a look-ahead at every line
# start was most of the time); an image's name only where two hyphens are.
_SPECIAL_LINE = re.compile(rf"\n ?(?:{_SPECIAL_START})")
_TWO_HYPHENS = re.compile(r"-[A-Za-z0-9]+-")
_IMAGE_SLUG_LINE = re.compile(r"\n ?[A-Za-z0-9]+(?:-[A-Za-z0-9]+){2,}(?:\.(?:jpe?g|png|webp|gif))? ?\n")

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
    return _SPACES_TO_JOIN.sub(" ", _INVISIBLE.sub("", strip_controls(text))).strip()


def tidy_paragraph(text: str) -> str:
    """Remove what stripped links leave behind (`Pelatih ,, Gareth`, `grup  ,.`)."""
    return normalize_spaces(_without_stray_commas(text)).strip(" ,")


def _tidy_clean(text: str) -> str:
    """:func:`tidy_paragraph` of text that holds no controls or invisible characters, as what
    is left of a normalized line does (so normalize_spaces would only join spaces)."""
    return _SPACES_TO_JOIN.sub(" ", _without_stray_commas(text)).strip().strip(" ,")


def _without_stray_commas(text: str) -> str:
    if "," not in text:
        return text  # each pattern needs a comma: three passes over a long paragraph spared
    text = _LINK_LEFTOVER.sub("", text)
    text = _COMMA_RUN.sub(",", text)
    return _COMMA_BEFORE_STOP.sub("", text)


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
    m = _CAPTION_CREDIT.search(line) if ")" in line else None
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
    # Only a paragraph of six words or more (11 characters at least) can take in the next one;
    # the paragraphs between those are passed on as they are, not looked at one by one. A joined
    # paragraph is kept as its parts, and its words are counted as it grows: joining by copying,
    # and counting the words of the whole, made a long run of broken lines quadratic.
    joined: list[str] = []
    done = 0  # paragraphs[:done] are in joined
    for first in [i for i, paragraph in enumerate(paragraphs) if len(paragraph) >= 11]:
        if first < done:
            continue  # taken in by the paragraph before it
        joined += paragraphs[done:first]
        group = [paragraphs[first]]
        word_count = lower_count = -1  # not counted yet: most paragraphs end a sentence
        done = first + 1
        while done < len(paragraphs):
            last = group[-1]
            # _SENTENCE_END ends in `$`: only the last two characters can match.
            if _SENTENCE_END.search(last, max(0, len(last) - 2)) is not None:
                break
            if word_count < 0:
                word_count, lower_count = _word_counts(last)
            if word_count < 6 or lower_count * 2 < word_count:  # not _is_prose
                break
            paragraph = paragraphs[done]
            last_word = last.rsplit(None, 1)[-1]
            continues = paragraph[:1].islower() or (
                last_word[:1].islower()
                and last_word[-1:].isalpha()
                and paragraph[:1].isupper()
                and (_SENTENCE_END.search(paragraph) is not None or _is_prose(paragraph))
            )
            if not continues:
                break
            group.append(paragraph)
            more, more_lower = _word_counts(paragraph)
            word_count, lower_count = word_count + more, lower_count + more_lower
            done += 1
        joined.append(group[0] if len(group) == 1 else " ".join(group))
    joined += paragraphs[done:]
    return joined


def _word_counts(text: str) -> tuple[int, int]:
    """How many words ``text`` has, and how many of them start in lower case."""
    tokens = text.split()
    return len(tokens), sum(1 for t in tokens if t[:1].islower())


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


def clean_article_text(text: str, *, title: str | None = None) -> Cleaned:
    """Clean scraped (or Markdown) article text. ``title``, where already known, is not searched for."""
    text = repair_mojibake(text)
    # Each line is normalized (normalize_spaces), in a few passes over the whole text rather
    # than a few calls per line (200k short paragraphs are 400k lines): none of the patterns
    # crosses a newline, except strip_controls' escape sequences, which all start with ESC or
    # an 8-bit CSI or OSC; a text with one of those is done line by line.
    clean = not any(introducer in text for introducer in _ESCAPE_INTRODUCERS)
    if clean:
        body = _SPACES_TO_JOIN.sub(" ", _INVISIBLE.sub("", strip_controls(text)))
    else:
        body = "\n".join(normalize_spaces(line) for line in text.split("\n"))
    head = body.split("\n", 30)[:30]
    found_title, title_index = (title, -1) if title else _find_title([line.strip() for line in head])
    chrome = [ln for ln in (line.strip() for line in head[: max(title_index, 0)]) if ln]
    cleaned = Cleaned(title=found_title, paragraphs=[])
    raw_paragraphs: list[str] = []
    pos = sum(len(line) + 1 for line in head[: title_index + 1])
    if title_index > 0:
        # Long lines above the headline are text after all; short ones were navigation.
        raw_paragraphs.extend(ln for ln in chrome if _is_prose(ln) and not is_chrome(ln))
    title_plain = inline_to_text(found_title) if found_title else None
    # Runs of plain lines are taken whole once the lead is past, unless the text has tracking
    # widgets' words (rare; then every line is looked at).
    plain_runs = clean and not any(word in body for word in _TRACKING_WORDS)
    tidy = _tidy_clean if clean else tidy_paragraph
    lead_seen = False
    size = len(body)
    while pos < size:
        if lead_seen and plain_runs and (run := _PLAIN_RUN.match(body, pos)):
            end = _plain_run_end(body, pos, run.end())
            if end > pos:
                # Each line has at most a space at either end (spaces were joined): dropped
                # from all at once, and blank lines are left out.
                lines = ("\n" + body[pos:end]).replace("\n ", "\n").replace(" \n", "\n").split("\n")
                if title_plain is not None and title_plain in lines:
                    lines = [line for line in lines if line != title_plain]
                raw_paragraphs += filter(None, lines)
                pos = end
                continue
        line, pos = _line_at(body, pos)
        line = strip_block_prefix(line)
        if not line:
            continue
        if _TAIL_MARKER.match(line):
            break
        shown = inline_to_text(line)
        if m := _AUTHOR_LABEL.match(line):
            value, pos = _label_value(body, pos, m[1])
            cleaned.authors.extend(_names(value))
        elif m := _EDITOR_LABEL.match(line):
            value, pos = _label_value(body, pos, m[1])
            cleaned.editor = cleaned.editor or (value or None)
        elif (m := _CREDIT_LABEL.match(line)) and len(line.split()) <= 6:
            cleaned.credit = m[1].strip()
        elif (m := _BYLINE.match(shown)) and _names(m[1]):
            cleaned.authors.extend(_names(m[1]))
        elif not is_chrome(line) and shown != title_plain:
            if h := heading(line):
                shown = inline_to_text(h[1])
            elif not lead_seen:
                lead_seen = True
                rest, source, place = _take_dateline(line, chrome)
                cleaned.source = cleaned.source or source
                cleaned.place = cleaned.place or place
                if rest is not line:
                    shown = inline_to_text(rest)
            if any(word in shown for word in _TRACKING_WORDS):
                shown = _TRACKING.sub("", shown)
            shown = tidy(shown)
            if _has_words(shown) and not is_chrome(shown):
                raw_paragraphs.append(shown)
    cleaned.authors = list(dict.fromkeys(cleaned.authors))
    cleaned.paragraphs = join_broken_paragraphs(raw_paragraphs)
    cleaned.published = find_dateline_date("\n".join(cleaned.paragraphs[:3]))
    if cleaned.title:
        cleaned.title = tidy_paragraph(inline_to_text(cleaned.title))
    return cleaned


def _plain_run_end(body: str, pos: int, end: int) -> int:
    """Where the lines of a _PLAIN_RUN match ``body[pos:end]`` stop being plain: at the first
    line that starts like a byline, a teaser or a comments block, has a comma that
    tidy_paragraph would take, or is an image's name. (A run starts after the lead, so a
    newline is at ``pos - 1``.)"""
    special = _SPECIAL_LINE.search(body, pos - 1, end)
    if special is not None:
        end = special.start() + 1
    if "," in body[pos:end] and (comma := _COMMA_TROUBLE.search(body, pos - 1, end)):
        at = comma.start()
        end = at + 1 if body[at] == "\n" else body.rfind("\n", 0, at) + 1
    if _TWO_HYPHENS.search(body, pos, end) and (slug := _IMAGE_SLUG_LINE.search(body, pos - 1, end)):
        end = min(end, slug.start() + 1)
    return end


def _line_at(body: str, pos: int) -> tuple[str, int]:
    """The line of ``body`` that starts at ``pos``, stripped, and where the next one starts."""
    end = body.find("\n", pos)
    if end == -1:
        end = len(body)
    return body[pos:end].strip(), end + 1


def _label_value(body: str, pos: int, value: str) -> tuple[str, int]:
    """The value of a `Penulis :` label (its line ends at ``pos``): on the same line, or alone on
    one of the next two lines; and where reading goes on."""
    if value.strip():
        return value.strip(), pos
    after = pos
    for _ in range(2):
        if after >= len(body) + 1:
            break
        line, after = _line_at(body, after)
        if line:
            return line, after
    return "", pos


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
