"""A large article dataset for scale tests: the 21,940 CLICK-ID articles, then variations of them
until the wanted count is reached.

    python -m bench.make_variations --count 100000 --output /tmp/kliping-scale/articles.jsonl

A variation of an article keeps its words but not its shape: its sentences are shuffled, and its
title, source and date are taken from other articles, so that the search index sees realistic
Indonesian text in realistic amounts, with every article distinct. Each record gets an id of its
own (`clickid-000123` for originals, `var2-045678` for variations), so importing the output twice
finds the same files. Source of the corpus: /work/shared/README.md (CLICK-ID, CC BY 4.0).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from pathlib import Path

CORPUS = Path("/work/shared/corpora/clickid-2019.jsonl.gz")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[,\s]+(?=\S)")


def load(corpus: Path) -> list[dict]:
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def variation(record: dict, others: list[dict], rng: random.Random, number: int) -> dict:
    sentences = _SENTENCE_BREAK.split(record["content"])
    rng.shuffle(sentences)
    title_from, source_from, date_from = (rng.choice(others) for _ in range(3))
    return {
        **record,
        "id": f"var{number // len(others)}-{number:06d}",
        "title": title_from["title"],
        "source": source_from["source"],
        "date": date_from["date"],
        "content": " ".join(sentences),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()
    records = load(CORPUS)
    rng = random.Random(args.seed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as out:
        for number in range(args.count):
            base = records[number % len(records)]
            record = {**base, "id": f"clickid-{number:06d}"} if number < len(records) else variation(base, records, rng, number)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{args.count:,} records ({min(args.count, len(records)):,} originals) -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
