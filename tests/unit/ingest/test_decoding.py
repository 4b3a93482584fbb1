"""The UTF-16 guess counted in C, made once per file, answers exactly as the Python loop it replaced.

The oracle below is the code as it was (a loop over the first 4 KB, asked once by the binary check
and again by the decoder), kept here verbatim so the property compares against it.
"""

from __future__ import annotations

import codecs

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kliping.ingest.decoding import decode_bytes, decode_file

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"%PDF-", b"PK\x03\x04", b"PK\x05\x06",
               b"\x1f\x8b", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\x7fELF")
_CONTROLS = bytes(b for b in range(0x20) if b not in b"\t\n\x0b\x0c\r\x1b")


def utf16_by_loop(raw: bytes) -> str | None:
    sample = raw[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    pairs = len(sample) // 2
    zeros_even = sum(1 for i in range(0, len(sample), 2) if sample[i] == 0)
    zeros_odd = sum(1 for i in range(1, len(sample), 2) if sample[i] == 0)
    if zeros_odd >= 0.6 * pairs and zeros_even <= 0.1 * pairs:
        return "utf-16-le"
    if zeros_even >= 0.6 * pairs and zeros_odd <= 0.1 * pairs:
        return "utf-16-be"
    return None


def binary_by_loop(raw: bytes) -> bool:
    if raw.startswith(_SIGNATURES):
        return True
    sample = raw[:8192]
    if not sample or sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16_by_loop(raw):
        return False
    return len(sample) - len(sample.translate(None, _CONTROLS)) > 0.05 * len(sample)


# Bytes near the guess's thresholds: mostly-ASCII UTF-16 either way round, with zeros and
# high bytes sprinkled in, and plain random bytes.
_near_utf16 = st.lists(st.sampled_from([0, 0, 0, 0x41, 0x61, 0x20, 0xE9, 0x01, 0x0A]), max_size=5000).map(bytes)
_text_as_utf16 = st.tuples(st.text(max_size=2500), st.sampled_from(["utf-16-le", "utf-16-be"])).map(
    lambda pair: pair[0].encode(pair[1], "surrogatepass")
)
_noisy = st.tuples(_text_as_utf16, st.binary(max_size=600)).map(lambda pair: pair[0][: len(pair[0]) // 2] + pair[1])
_any_bytes = st.one_of(_near_utf16, _text_as_utf16, _noisy, st.binary(max_size=9000))


@settings(max_examples=400, deadline=None)
@given(_any_bytes)
@example(b"a\x00b\x00")
@example(b"\x00a\x00b")
@example(b"\x00" * 4096 + b"\xff" * 4096)
def test_the_guess_counted_in_c_is_the_loops_guess(raw: bytes) -> None:
    guess = utf16_by_loop(raw)
    encoding = decode_bytes(raw).encoding
    if raw.startswith(_BOMS):
        assert encoding in ("utf-8-sig", "utf-32", "utf-16")
    elif guess is not None:
        assert encoding == guess
    else:
        assert encoding not in ("utf-16-le", "utf-16-be")


@settings(max_examples=400, deadline=None)
@given(_any_bytes)
@example(b"\x89PNG\r\n\x1a\n" + b"\x00a" * 100)
def test_one_guess_answers_both_is_it_text_and_how_to_decode_it(raw: bytes) -> None:
    result = decode_file(raw)
    assert isinstance(result, str) == binary_by_loop(raw)
    if not isinstance(result, str):
        assert result == decode_bytes(raw)
