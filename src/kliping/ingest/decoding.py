"""Turning the bytes of an article file into text, whatever encoding it was saved in.

Article files come from many tools: UTF-8 with and without a byte order mark, UTF-16 from Windows
editors (sometimes without a BOM), and legacy Windows-1252/Latin-1 files. Decoding never fails:
bytes that fit no encoding become U+FFFD and the caller is told how many there were.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# Windows-1252 leaves five bytes undefined; read them as Latin-1 (C1 controls, later stripped)
# so that a legacy file always decodes completely.
_CP1252_FROM_LATIN1 = {
    b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xA0)
}


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str
    replaced: int = 0  # how many undecodable bytes became U+FFFD


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_like_utf16(raw: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text has a zero byte in every other position."""
    sample = raw[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    pairs = len(sample) // 2
    # Slices counted in C: a loop in Python over these 4 KB ran twice for every file read.
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    if zeros_odd >= 0.6 * pairs and zeros_even <= 0.1 * pairs:
        return "utf-16-le"
    if zeros_even >= 0.6 * pairs and zeros_odd <= 0.1 * pairs:
        return "utf-16-be"
    return None


def _mostly_utf8(raw: bytes) -> bool:
    """Invalid UTF-8 somewhere, but is it UTF-8 with a few damaged bytes, or a legacy file?

    A legacy file's accented letters are lone high bytes and almost never happen to form a valid
    multi-byte sequence; a UTF-8 file's are valid sequences. A few valid ones outweigh some damage.
    """
    decoded = raw.decode("utf-8", errors="replace")
    bad = decoded.count("\ufffd") - raw.decode("utf-8", errors="ignore").count("\ufffd")
    good = sum(1 for ch in decoded if ord(ch) > 0x7F and ch != "\ufffd")
    return good > 0 and good * 4 >= bad


# File signatures of the binary files most often saved or renamed by mistake among articles.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.epub, which are ZIP archives)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program"),
)
# C0 controls that never occur in text (tab, newline, vertical tab, form feed, carriage return
# and ESC do: the last one in text that carries terminal colours, which is stripped later).
_BINARY_CONTROLS = bytes(b for b in range(0x20) if b not in b"\t\n\x0b\x0c\r\x1b")


def decode_file(raw: bytes) -> DecodedText | str:
    """A file's bytes as text, or what they are when they are not text (`a PNG image`).

    Whether the bytes are UTF-16 without a BOM is guessed once here, for both questions: asked
    by each, the guess ran twice for every file read.
    """
    utf16 = _looks_like_utf16(raw)
    return _binary_kind(raw, utf16) or _decode(raw, utf16)


def _binary_kind(raw: bytes, utf16: str | None) -> str | None:
    """What the bytes are when they are not text (`a PNG image`, `binary data`), else None.

    Text in any encoding this module reads has almost no C0 control bytes, while images,
    archives and compressed data, being close to random, have about one in ten. UTF-16 is text
    with many zero bytes, so it is recognised first.
    """
    for signature, kind in _SIGNATURES:
        if raw.startswith(signature):
            return kind
    sample = raw[:8192]
    if not sample or sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16:
        return None
    controls = len(sample) - len(sample.translate(None, _BINARY_CONTROLS))
    return "binary data" if controls > 0.05 * len(sample) else None


def decode_bytes(raw: bytes) -> DecodedText:
    """Decode an article file's bytes; newlines come back as ``\\n``."""
    return _decode(raw, _looks_like_utf16(raw))


def _decode(raw: bytes, utf16: str | None) -> DecodedText:
    if raw.startswith(codecs.BOM_UTF8):
        text = raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
        return DecodedText(normalize_newlines(text), "utf-8-sig", text.count("\ufffd"))
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            text = raw.decode(encoding, errors="replace")
            return DecodedText(normalize_newlines(text), encoding, text.count("\ufffd"))
    if utf16:
        text = raw.decode(utf16, errors="replace")
        return DecodedText(normalize_newlines(text), utf16, text.count("\ufffd"))
    try:
        return DecodedText(normalize_newlines(raw.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(raw):
        text = raw.decode("utf-8", errors="replace")
        replaced = text.count("\ufffd") - raw.decode("utf-8", errors="ignore").count("\ufffd")
        return DecodedText(normalize_newlines(text), "utf-8", replaced)
    text = raw.decode("latin-1").translate(_CP1252_FROM_LATIN1)
    return DecodedText(normalize_newlines(text), "cp1252")


def _high_half(encoding: str) -> str:
    return "".join(bytes([b]).decode(encoding, errors="ignore") for b in range(0x80, 0x100))


# Text that was UTF-8, decoded by some tool as Mac Roman or Windows-1252 and saved again:
# `‚Äú` for “ and `¬†` for a no-break space (Mac Roman), `â€œ` for “ (Windows-1252).
_MOJIBAKE_CODECS = ("mac_roman", "cp1252")
_MOJIBAKE_RUN = re.compile(
    "[" + re.escape("".join(sorted(set(_high_half("mac_roman") + _high_half("cp1252"))))) + "]{2,}"
)


def _redecode_run(run: str, codec: str) -> tuple[int, str]:
    """Re-read the bytes of a run as UTF-8 wherever they form a valid sequence; keep the rest.

    Returns how many bytes turned out to be UTF-8, and the repaired run.
    """
    try:
        raw = run.encode(codec)
    except UnicodeEncodeError:
        return 0, run
    out: list[str] = []
    repaired = 0
    i = 0
    while i < len(raw):
        lead = raw[i]
        size = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if 0xF0 <= lead <= 0xF4 else 0
        if size and i + size <= len(raw):
            try:
                out.append(raw[i : i + size].decode("utf-8"))
                repaired += size
                i += size
                continue
            except UnicodeDecodeError:
                pass
        out.append(raw[i : i + 1].decode(codec))
        i += 1
    return repaired, "".join(out)


def _repair_run(match: re.Match[str]) -> str:
    # The codec under which more of the run is valid UTF-8 is the one that garbled it.
    best = max((_redecode_run(match[0], codec) for codec in _MOJIBAKE_CODECS), key=lambda r: r[0])
    return best[1] if best[0] else match[0]


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Mac Roman or Windows-1252, where the bytes prove it.

    Only runs of two or more such characters that re-encode to valid UTF-8 are replaced, so a
    real `é` or `†` is left alone.
    """
    if not _MOJIBAKE_RUN.search(text):
        return text
    return _MOJIBAKE_RUN.sub(_repair_run, text)
