"""Kill a bookmark-saving process at random moments, many times, and check nothing saved was lost.

    python -m bench.kill_bookmarks [--rounds 60] [--seed 1]

Prints how many bookmarks were confirmed saved, how many kills landed inside a save (a temp file
was left behind), and whether every confirmed bookmark survived. The CI test runs 20 rounds.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.harness import kill_loop_arguments
from tests.support.bookmarks import kill_rounds


def main() -> int:
    args = kill_loop_arguments(__doc__.splitlines()[0]).parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        report = kill_rounds(Path(tmp) / "bookmarks.yaml", args.rounds, args.seed)
        seconds = time.perf_counter() - began
    print(f"rounds:                   {report.rounds}")
    print(f"bookmarks confirmed:      {len(report.confirmed)}")
    print(f"kills inside a save:      {report.killed_mid_write}")
    print(f"saved but unconfirmed:    {report.unconfirmed_saved} (allowed: killed between save and print)")
    print(f"problems:                 {len(report.problems)}")
    for problem in report.problems:
        print(f"  {problem}")
    print(f"seconds:                  {seconds:.1f}")
    return 1 if report.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
