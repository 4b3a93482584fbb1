"""Kill `reader index --rebuild` and `reader index` (after adding articles) with SIGKILL at random
moments, many times; after each kill `reader search gencatan` must work without a traceback and
find exactly what a clean build finds.

    python -m bench.kill_index [--rounds 60] [--seed 1] [--articles 400]

The CI test (tests/system/test_faults_index.py) runs 8 rounds on 150 articles.
"""

from __future__ import annotations

import time

from bench.harness import isolated_home, kill_loop_arguments
from tests.support.index_faults import kill_index_rounds, make_index_library, search_ids, time_rebuild


def main() -> int:
    parser = kill_loop_arguments(__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400, help="generated articles besides the five seeds")
    args = parser.parse_args()
    with isolated_home() as work:
        library = make_index_library(work / "lib", args.articles)
        longest = time_rebuild(library)
        began = time.perf_counter()
        report = kill_index_rounds(library, args.rounds, args.seed, longest)
        seconds = time.perf_counter() - began
        final = search_ids(library)
        cache = work / "cache"
        leftovers = sorted(p.name for p in cache.rglob("index.old-*"))
    print(f"articles at the start:          {args.articles + 5}, a clean rebuild takes {longest:.2f} s")
    print(f"rounds:                         {report.rounds} ({seconds:.1f} s)")
    print(f"kills of a running command:     {report.killed_while_running}")
    print(f"articles added between kills:   {report.articles_added}")
    print(f"searches that rebuilt the index: {report.repaired}")
    print(f"hits at the end:                {len(final.ids)}")
    print(f"old index folders left behind:  {len(leftovers)} {leftovers[:3]}")
    print(f"problems:                       {len(report.problems)}")
    for problem in report.problems:
        print(f"  {problem}")
    return 1 if report.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
