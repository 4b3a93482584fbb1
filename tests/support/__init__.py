"""What the tests and the benchmarks share: temporary libraries, waits, fault injection, tmux.

Imported as ``tests.support`` from the repository root, which pytest puts on ``sys.path`` (see
``pythonpath`` in pyproject.toml) and which the benchmarks run from (``python -m bench.NAME``).
"""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEEDS_DIR = REPO / "src" / "kliping" / "seeds"
DATA_DIR = REPO / "tests" / "data"
CLICKID_SAMPLE = DATA_DIR / "clickid-sample.jsonl"
