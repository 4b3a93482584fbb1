"""Kill `reader import` (and `reader list`) with SIGKILL at random moments, many times, then check
the library: only whole articles visible, it lists, and a last import completes the set with no
duplicates.

    python -m bench.kill_loop [--rounds 60] [--seed 1] [--copies 200]

The CI test (tests/system/test_faults.py) runs 10 rounds.
"""

from __future__ import annotations

import subprocess
import sys
import time

from bench.harness import isolated_home, kill_loop_arguments
from tests.support.hardening import kill_import_rounds, make_dataset, visible_article_problems


def main() -> int:
    parser = kill_loop_arguments(__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=200, help="copies of the 30 sample records")
    args = parser.parse_args()
    with isolated_home() as work:
        dataset = work / "berita.jsonl"
        count = make_dataset(dataset, args.copies)
        library = work / "lib"
        began = time.perf_counter()
        report = kill_import_rounds(library, dataset, args.rounds, args.seed)
        seconds = time.perf_counter() - began
        partial = len(list(library.glob("*.md")))
        final = subprocess.run([sys.executable, "-m", "kliping", "--library", str(library), "import", str(dataset)],
                               capture_output=True, text=True, check=False)
        files = len(list(library.glob("*.md")))
        leftovers = [p.name for p in library.iterdir() if p.name.startswith(".")]
        whole = visible_article_problems(library)
    print(f"records in dataset:         {count}")
    print(f"rounds:                     {report.rounds} ({seconds:.1f} s)")
    print(f"kills of a running process: {report.killed_while_running}")
    print(f"kills inside a file write:  {report.temp_files_left} (temp file left, hidden)")
    print(f"articles after the kills:   {partial}")
    print(f"final import:               {final.stderr.strip()}")
    print(f"article files at the end:   {files} (expected {count})")
    print(f"temp files at the end:      {len(leftovers)}")
    problems = report.problems + whole + ([] if files == count else ["duplicate or missing articles"])
    problems += ["temp files left"] if leftovers else []
    problems += ["traceback in the final import"] if "Traceback" in final.stderr else []
    print(f"problems:                   {len(problems)}")
    for problem in problems:
        print(f"  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
