"""How long re-anchoring a bookmark takes after the article's text changed.

Real prose: CLICK-ID articles joined into one long article (``--article-chars``, 200,000 by
default). In it, passages of 200, 1,000 and 2,000 characters are bookmarked, then the text is
edited in four ways and each bookmark re-anchored with ``kliping.bookmarks.anchoring.anchor``:

- ``word inserted``: one word inserted in the middle of the passage (must come out ``fuzzy``);
- ``word replaced``: the passage's fourth word replaced (``fuzzy``);
- ``reworded``: a third of the passage's words upper-cased, its surroundings unchanged (``fuzzy``);
- ``removed``: the passage cut out (``orphaned``: the slowest case, the whole text is searched).

Each figure is the median of ``--runs`` runs of wall and CPU seconds (``time.process_time``), with
the status found; the load average is printed, since the machine is shared.

Usage: python -m bench.anchoring [--runs 7] [--article-chars 200000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import time
from pathlib import Path

from kliping.bookmarks.anchoring import anchor
from kliping.bookmarks.model import Bookmark

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "clickid-2019.jsonl.gz"
LENGTHS = (200, 1000, 2000)


def long_article(chars: int) -> str:
    paragraphs: list[str] = []
    total = 0
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            content = " ".join(json.loads(line).get("content", "").replace(",", ", ").split())
            if len(content) > 400:
                paragraphs.append(content)
                total += len(content) + 2
                if total >= chars:
                    break
    return "\n\n".join(paragraphs)


def passage_at(text: str, middle: int, length: int) -> tuple[int, int]:
    """A passage of about ``length`` characters around ``middle``, from word start to word end."""
    start = text.rfind(" ", 0, middle - length // 2) + 1
    end = text.find(" ", start + length)
    return start, end


def edits(text: str, start: int, end: int) -> dict[str, str]:
    quote = text[start:end]
    words = quote.split(" ")
    half = len(words) // 2
    inserted = " ".join([*words[:half], "sekali", *words[half:]])
    replaced = " ".join([*words[:3], "sesuatu", *words[4:]])
    reworded = " ".join(word.upper() if i % 3 == 0 else word for i, word in enumerate(words))
    return {
        "word inserted": text[:start] + inserted + text[end:],
        "word replaced": text[:start] + replaced + text[end:],
        "reworded": text[:start] + reworded + text[end:],
        "removed": text[:start] + text[end:],
    }


def measure(bookmark: Bookmark, text: str, runs: int) -> tuple[float, float, str]:
    walls, cpus, status = [], [], ""
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        status = anchor(bookmark, text).status
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--article-chars", type=int, default=200_000)
    args = parser.parse_args()
    text = long_article(args.article_chars)
    print(f"article: {len(text):,} characters; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'passage':>8}  {'edit':<14} {'status':<9} {'wall ms':>9} {'cpu ms':>9}")
    for length in LENGTHS:
        start, end = passage_at(text, len(text) // 2, length)
        bookmark = Bookmark.new("bench", text, start, end)
        for name, edited in edits(text, start, end).items():
            wall, cpu, status = measure(bookmark, edited, args.runs)
            print(f"{end - start:>8}  {name:<14} {status:<9} {wall * 1000:>9.1f} {cpu * 1000:>9.1f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
