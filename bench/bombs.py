"""Compression bombs in a library: peak memory, time, problem lines and catalog size of `reader list`.

    python -m bench.bombs [--runs 3] [--code OTHER/src] [--memory-cap-gb 3]

Each case is a library of one good article and one bomb; `reader list` runs in a fresh child
process per run, with its address space capped (so an old build that would take 10 GB fails at
the cap instead of taking the machine). `--code` runs another checkout's `src` (e.g. the code
before the fix, from `git archive COMMIT src | tar -x -C /tmp/old`) for a before/after pair.
Printed per case: the median of the runs for peak RSS, wall and CPU seconds, stderr lines and the
catalog's size, and the load average before and after, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

GOOD = "Harga Beras Naik di Pasar Induk\n\nJAKARTA - Harga beras naik menjadi Rp 14.600 per kilogram.\n"


def gzip_of_repeats(path: Path, chunk: bytes, total: int) -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = chunk * max(1, (1 << 20) // len(chunk))
    with open(path, "wb") as out:
        for _ in range(total // len(block)):
            out.write(packer.compress(block))
        out.write(packer.flush())


CASES = {
    "gzip of zeros, 0.5 GB unpacked": lambda p: gzip_of_repeats(p, b"\0", 512 << 20),
    "gzip of zeros, 2 GB unpacked": lambda p: gzip_of_repeats(p, b"\0", 2 << 30),
    "gzip of {} lines, 2 GB unpacked": lambda p: gzip_of_repeats(p, b"{}\n", 2 << 30),
    "3 KB gzip of a million {} lines": lambda p: p.write_bytes(gzip.compress(b"{}\n" * 1_000_000)),
}


def run_once(root: Path, cache: Path, code: str | None, cap: int) -> dict:
    env = {**os.environ, "KLIPING_CACHE_DIR": str(cache)}
    if code:
        env["PYTHONPATH"] = code
    probe = (
        "import resource, subprocess, sys, time\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))\n"
        "began = time.perf_counter()\n"
        "p = subprocess.run([sys.executable, '-m', 'kliping', '--library', sys.argv[1], 'list'],"
        " capture_output=True, timeout=600)\n"
        "wall = time.perf_counter() - began\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(p.returncode, u.ru_maxrss, wall, u.ru_utime + u.ru_stime, len(p.stderr.splitlines()),"
        " int(b'MemoryError' in p.stderr))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(root)], env=env, capture_output=True, text=True, check=True)
    code_, rss_kb, wall, cpu, lines, memory_error = out.stdout.split()
    catalog = next(cache.rglob("catalog.jsonl"), None) if cache.exists() else None
    size = catalog.stat().st_size if catalog is not None else 0
    return {"exit": int(code_), "rss_mb": int(rss_kb) / 1024, "wall": float(wall), "cpu": float(cpu),
            "lines": int(lines), "memory_error": bool(int(memory_error)), "catalog_kb": size / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--code", help="a checkout's src folder to run instead of the installed kliping")
    parser.add_argument("--memory-cap-gb", type=float, default=3.0)
    parser.add_argument("--case", action="append", help="only these cases (by their start)")
    args = parser.parse_args()
    cap = int(args.memory_cap_gb * 2**30)
    print(f"code: {args.code or 'installed'}; runs: {args.runs}; memory cap {args.memory_cap_gb:g} GB")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, make in CASES.items():
        if args.case and not any(name.startswith(c) for c in args.case):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "library"
            root.mkdir()
            (root / "good.txt").write_text(GOOD, "utf-8")
            make(root / "bomb.jsonl.gz")
            packed = (root / "bomb.jsonl.gz").stat().st_size
            runs = []
            for number in range(args.runs):
                runs.append(run_once(root, Path(tmp) / f"cache{number}", args.code, cap))
            median = {key: statistics.median(r[key] for r in runs) for key in ("rss_mb", "wall", "cpu", "lines", "catalog_kb")}
            failed = sum(r["exit"] != 0 for r in runs)
            capped = sum(r["memory_error"] for r in runs)
            note = f"; {failed} of {len(runs)} failed ({capped} hit the memory cap)" if failed else ""
            print(f"{name} ({packed / 1024:,.0f} KB packed): peak RSS {median['rss_mb']:,.0f} MB, "
                  f"wall {median['wall']:.1f} s, CPU {median['cpu']:.1f} s, {median['lines']:,.0f} problem lines, "
                  f"catalog {median['catalog_kb']:,.0f} KB{note}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
