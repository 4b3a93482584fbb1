"""Shared pieces of the hardening tests and benchmarks: running `reader` as a separate process,
and generating hostile article files."""

from __future__ import annotations

import io
import json
import os
import random
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support import CLICKID_SAMPLE

GOOD_ARTICLE = (
    "Harga Beras Naik di Pasar Induk\n\n"
    "JAKARTA - Harga beras di Pasar Induk Cipinang naik menjadi Rp 14.600 per kilogram pada "
    "Senin (9/9/2019), kata seorang pedagang kepada wartawan.\n\n"
    "Pemerintah berjanji menambah pasokan dari gudang Bulog dalam pekan ini.\n"
)
# Bytes of text a terminal would act on: colours, a title change (OSC 0 and 2), a clipboard write
# (OSC 52), a hyperlink (OSC 8), BEL, C1 controls (8-bit CSI and OSC, NEL) and bidi overrides.
TERMINAL_ATTACKS = (
    "\x1b[31;1m", "\x1b[0m", "\x1b]0;pwned title\x07", "\x1b]2;pwned\x1b\\", "\x1b]52;c;ZXZpbA==\x07",
    "\x1b]8;;https://evil.example/\x1b\\", "\x1b]8;;\x1b\\", "\x07", "\x9b31m", "\x9d0;c1 title\x9c",
    "\x85", "\u202e", "\u2066", "\u2069", "\x1bP+q\x1b\\", "\x1b[2J", "\x1b[?1049h",
)
# What must never reach a terminal from article text: ESC, BEL, C1 controls, bidi controls.
FORBIDDEN_OUTPUT = ["\x1b", "\x07", *map(chr, range(0x80, 0xA0)), "\u202a", "\u202b", "\u202c", "\u202d",
                    "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"]


@dataclass
class Run:
    code: int
    out: str
    err: str


def reader(*args: str, cwd: Path | None = None, timeout: float = 120, env: dict | None = None) -> Run:
    """`reader ARGS` in a child process (it inherits the test's KLIPING_* directories)."""
    proc = subprocess.run(
        [sys.executable, "-m", "kliping", *args],
        capture_output=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
        env=env,
    )
    decode = lambda b: b.decode("utf-8", "surrogateescape")  # noqa: E731 - exact bytes, as text
    return Run(proc.returncode, decode(proc.stdout), decode(proc.stderr))


def assert_clean_failure_lines(err: str) -> None:
    """Standard error holds one-line messages, never a traceback."""
    assert "Traceback" not in err, err
    assert "Error:" not in err.replace("Errno", ""), err


def png_bytes(seed: int = 1) -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(seed).randbytes(6000)


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("berita.txt", GOOD_ARTICLE * 50)
    return buffer.getvalue()


def hostile_files() -> dict[str, tuple[bytes, str | None]]:
    """file name -> (content, a phrase the one-line problem must contain, or None for none).

    Every file here must leave the rest of the library readable; a None file is read as an
    article (perhaps an odd one) without complaint.
    """
    body = "Isi berita yang cukup panjang untuk dibaca dengan baik."
    return {
        "empty.txt": (b"", "empty file"),
        "whitespace.txt": (b" \t\n\r\n   \n" + " \u00a0 \u3000\n".encode(), "empty file"),
        "photo.txt": (png_bytes(), "a PNG image, not text"),
        "archive.md": (zip_bytes(), "a ZIP archive"),
        "zeros.txt": (b"\x00" * 20000, "binary data, not text"),
        "random.txt": (random.Random(7).randbytes(20000), "binary data, not text"),
        "broken-utf8.txt": (
            "Berita Rusak Tengah\n\nKafé ramai sekali. ".encode() + b"\xff\xfe\xc3(" + " Lanjut “kutipan” lagi.\n".encode(),
            "are not valid utf-8",
        ),
        "utf16-no-bom.txt": (GOOD_ARTICLE.replace("Beras", "Gula").encode("utf-16-le"), None),
        "mixed-endings.txt": (b"Judul Akhir Baris Campur\r\rIsi satu.\r\n\r\nIsi dua.\n\nIsi tiga.\r", None),
        "one-word-lines.txt": ("\n".join(f"kata{i}" for i in range(10_000)).encode(), None),
        "single-line.txt": (b"kata " * 1_000_000, None),
        "nested-divs.html": (("<div>" * 10_000 + f"<p>{body}</p>" + "</div>" * 10_000).encode(), None),
        "unclosed.html": (("<html><body><p>" + body + " <b>tebal <i>miring <a href=x>tautan <div>" * 2000).encode(), None),
        "nested-quotes.md": ((">" * 5000 + " kutipan dalam\n\n" + body + "\n").encode(), None),
        "nested-brackets.md": (
            ("[" * 5000 + "teks" + "](" * 5000 + "\n\n" + "*" * 5000 + "_" * 5000 + "\n\n" + body + "\n").encode(),
            None,
        ),
        "front-invalid.md": (f"---\ntitle: [tidak ditutup\n---\n{body}\n".encode(), "invalid YAML front matter"),
        "front-list.md": (f"---\n- satu\n- dua\n---\n{body}\n".encode(), "not a mapping"),
        "truncated.jsonl": (
            (json.dumps({"title": "Rekaman Baik", "content": body}) + "\n[1, 2]\n"
             + '{"title": "Terpotong", "content": "Isi yang terpo').encode(),
            "expected a JSON object",
        ),
        "deep-front-matter.md": (("---\ntitle: " + "[" * 60_000 + "]" * 60_000 + f"\n---\n{body}\n").encode(),
                                 "nested more than 100 levels deep"),
        "deep-block-front-matter.md": (("---\n" + "- " * 60_000 + f"x\n---\n{body}\n").encode(),
                                       "nested more than 100 levels deep"),
        "deep.jsonl": (("[" * 100_000 + "]" * 100_000 + "\n").encode(), "JSON nested more than 50 levels deep"),
        "lone-surrogates.jsonl": (b'{"title": "Separuh \\ud800 Pasangan", "content": "Isi \\udcff aneh."}\n', None),
        "big-line.jsonl": (
            (json.dumps({"title": "Baris Raksasa", "content": "kata " * 2_000_000}) + "\n"
             + json.dumps({"title": "Baris Biasa", "content": body}) + "\n").encode(),
            None,
        ),
    }


def python_tag_front_matter(marker: Path) -> bytes:
    """Front matter whose tag would run a shell command if it were ever loaded unsafely."""
    return (
        f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n---\n'
        f'!!python/object/apply:os.system ["touch {marker}"]\n\nIsi berita biasa.\n'
    ).encode()


def make_many_files(folder: Path, count: int) -> None:
    """``count`` tiny articles, a thousand a subfolder."""
    for i in range(count):
        sub = folder / f"d{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        with open(sub / f"a{i:06d}.txt", "w", encoding="utf-8") as handle:
            handle.write(f"Berita Nomor {i} Hari Ini\n\nIsi berita nomor {i} yang pendek.\n")


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, **extra}




def make_dataset(path: Path, copies: int) -> int:
    """A JSON Lines dataset of ``copies`` times the 30 CLICK-ID sample records, each copy's text
    made distinct; returns the number of records."""
    records = [json.loads(line) for line in CLICKID_SAMPLE.read_text("utf-8").splitlines() if line.strip()]
    with open(path, "w", encoding="utf-8") as handle:
        for copy in range(copies):
            for record in records:
                varied = dict(record, title=f"{record['title']} ({copy})",
                              content=f"Salinan nomor {copy}. {record['content']}")
                handle.write(json.dumps(varied, ensure_ascii=False) + "\n")
    return copies * len(records)


@dataclass
class KillLoopReport:
    rounds: int = 0
    killed_while_running: int = 0  # kills that landed before the import finished
    temp_files_left: int = 0  # kills that landed inside an article write
    problems: list[str] = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.problems = []


def kill_if_running(child: subprocess.Popen[bytes]) -> tuple[bool, str]:
    """SIGKILL ``child`` unless it has already finished, and wait for it: whether the kill landed
    in a running process, and what it wrote to stderr."""
    running = child.poll() is None
    if running:
        child.send_signal(signal.SIGKILL)
    _, err = child.communicate()
    return running, err.decode(errors="replace")


def visible_article_problems(library: Path) -> list[str]:
    """Every visible article file must read as one complete article."""
    from kliping.ingest.reading import read_articles

    problems = []
    for path in sorted(library.glob("*.md")):
        result = read_articles(path, relpath=path.name)
        if result.errors or len(result.articles) != 1:
            problems.append(f"{path.name}: {result.errors or 'no article'}")
    return problems


def kill_import_rounds(library: Path, dataset: Path, rounds: int, seed: int, max_delay: float = 0.3) -> KillLoopReport:
    """Start `reader import` (and, every third round, `reader list`, which saves the catalog) and
    SIGKILL it at a random moment, ``rounds`` times; after each kill the library must hold only whole articles and
    list without a traceback."""
    import time

    from kliping.library.folder import Library

    rng = random.Random(seed)
    report = KillLoopReport()
    for round_number in range(rounds):
        report.rounds += 1
        command = ["--library", str(library), "list"] if round_number % 3 == 2 else \
            ["--library", str(library), "import", str(dataset)]
        before = len(list(library.glob("*.md")))
        child = subprocess.Popen([sys.executable, "-m", "kliping", *command],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if "import" in command:
            # Kill once it has saved something (start-up time varies on a busy machine), then a
            # little later or at once, so the kill lands anywhere in the writing.
            while child.poll() is None and len(list(library.glob("*.md"))) <= before:
                time.sleep(0.005)
            time.sleep(rng.uniform(0, max_delay))
        else:
            time.sleep(rng.uniform(0.1, 0.8))
        killed, err = kill_if_running(child)
        report.killed_while_running += killed
        if "Traceback" in err:
            report.problems.append(f"round {round_number}: {err[-500:]}")
        if any(p.name.endswith(".tmp") for p in library.glob(".*")):
            report.temp_files_left += 1
        report.problems.extend(f"round {round_number}: {p}" for p in visible_article_problems(library))
        try:
            Library(library).refresh()
        except Exception as exc:  # any failure to open is what this loop looks for
            report.problems.append(f"round {round_number}: the library does not open: {exc!r}")
    return report


def mount(*args: str) -> bool:
    """Run `mount` with ``args``; False where mounting is not permitted here."""
    return subprocess.run(["mount", *args], capture_output=True, check=False).returncode == 0


@contextmanager
def small_tmpfs(mount_point: Path, why_skip_is_fine: str) -> Iterator[Path]:
    """A 64 KB tmpfs at ``mount_point`` (a full disk within a few writes), unmounted afterwards;
    the test is skipped, saying ``why_skip_is_fine``, where mounting is not permitted."""
    import pytest

    mount_point.mkdir()
    if not mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)):
        pytest.skip(f"cannot mount a small tmpfs here (not permitted); {why_skip_is_fine}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)
