"""Running the `reader` command in the test's own process, with what it printed."""

from __future__ import annotations

import pytest

from kliping.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``reader ARGV...`` in-process: its exit code, standard output and standard error."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
