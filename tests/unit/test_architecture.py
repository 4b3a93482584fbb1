"""House rules that are cheap to check from the tree."""

from __future__ import annotations

from tests.support import REPO
import re
import subprocess
import sys
from pathlib import Path

PACKAGE = REPO / "src" / "kliping"
IMPORTS_TEXTUAL = re.compile(r"^\s*(from|import)\s+textual\b", re.MULTILINE)


def test_only_tui_imports_textual() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "tui" not in path.relative_to(PACKAGE).parts and IMPORTS_TEXTUAL.search(path.read_text("utf-8"))
    ]
    assert offenders == []


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
