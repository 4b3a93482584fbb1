"""House rules that are cheap to check from the tree."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.support import REPO

PACKAGE = REPO / "src" / "kliping"


def test_the_import_contracts_are_kept() -> None:
    """pyproject.toml's import-linter contracts: the packages in layers, only tui imports Textual,
    only search imports Whoosh (import-linter reads the imports themselves, lazy ones included)."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    proc = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_yaml_is_only_loaded_safely() -> None:
    unsafe = re.compile(r"yaml\.(load|load_all|unsafe_load)\(")
    offenders = [str(p) for p in PACKAGE.rglob("*.py") if unsafe.search(p.read_text("utf-8"))]
    assert offenders == []


def test_help_and_version_do_not_import_textual_or_whoosh() -> None:
    code = (
        "import sys\n"
        "from kliping.cli import main\n"
        "for argv in (['--help'], ['--version']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = sorted(m for m in ('textual', 'whoosh', 'trafilatura', 'yaml') if m in sys.modules)\n"
        "print(heavy, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stderr.strip().splitlines()[-1] == "[]"
    assert "usage: reader" in proc.stdout
