"""Settings, theme and reading-state files that are not regular files: a FIFO (opening one waits
for a writer, so the app froze at start with `q` dead) or a link to /dev/zero (a read never ends).

Every run happens in a child process with a time limit: a hang is the failure, and it must not
take the test run with it. The child inherits the test's isolated KLIPING_* directories.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kliping.config.settings import settings_path
from kliping.files import paths
from kliping.library.reading_state import STATE_NAME
from kliping.themes import DEFAULT_THEME
from kliping.themes.loader import user_themes_dir
from tests.support import REPO
from tests.support.hardening import assert_clean_failure_lines, reader
from tests.support.tui import HANG_GUARD, make_library


def _special(path: Path, kind: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    return path


def _python(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a child Python; a child still running after HANG_GUARD is a hang."""
    try:
        return subprocess.run(
            [sys.executable, "-c", script, *args],
            capture_output=True, text=True, cwd=REPO, timeout=HANG_GUARD, check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the child process hung (still running after {HANG_GUARD:g} s)")


KINDS = ["fifo", "dev-zero"]
WHAT_IT_IS = {"fifo": "named pipe (FIFO)", "dev-zero": "character device"}


# -- in a child process, through the functions the app and the commands use ----------------------

_LOAD_SETTINGS = """
import json
from kliping.config.settings import SettingsSaveError, load_settings, save_settings
loaded = load_settings()
try:
    save_settings({"theme": "paper"})
    saved = "saved"
except SettingsSaveError as exc:
    saved = str(exc)
print(json.dumps({"theme": loaded.settings.theme, "problems": loaded.problems, "saved": saved}))
"""


@pytest.mark.parametrize("kind", KINDS)
def test_settings_file_that_is_not_a_regular_file_gives_defaults_and_one_line(kind: str) -> None:
    path = _special(settings_path(), kind)
    child = _python(_LOAD_SETTINGS)
    assert child.returncode == 0, child.stderr
    result = json.loads(child.stdout)
    assert result["theme"] == DEFAULT_THEME
    [problem] = result["problems"]
    assert str(path) in problem and WHAT_IT_IS[kind] in problem and "\n" not in problem, problem
    assert result["saved"].startswith("not saving settings"), result["saved"]  # the file is left alone
    assert path.is_symlink() or path.is_fifo()


_LOAD_THEMES = """
import json
from kliping.themes.loader import load_themes
catalog = load_themes()
print(json.dumps({"themes": sorted(catalog.themes), "problems": catalog.problems}))
"""


@pytest.mark.parametrize("kind", KINDS)
def test_theme_file_that_is_not_a_regular_file_is_skipped_and_named(kind: str) -> None:
    path = _special(user_themes_dir() / "aneh.yaml", kind)
    child = _python(_LOAD_THEMES)
    assert child.returncode == 0, child.stderr
    result = json.loads(child.stdout)
    assert DEFAULT_THEME in result["themes"]
    [problem] = result["problems"]
    assert str(path) in problem and WHAT_IT_IS[kind] in problem and "theme skipped" in problem, problem


_LOAD_STATE = """
import json, sys
from kliping.library.reading_state import ReadingState, ReadingStateStore
store = ReadingStateStore(sys.argv[1])
state = store.load()
store.save(ReadingState(last_article="a1", read={"a1"}))
print(json.dumps({"fresh": state == ReadingState(), "problem": store.problem}))
"""


@pytest.mark.parametrize("kind", KINDS)
def test_reading_state_that_is_not_a_regular_file_is_kept_aside_and_named(kind: str, tmp_path: Path) -> None:
    path = _special(tmp_path / STATE_NAME, kind)
    child = _python(_LOAD_STATE, str(path))
    assert child.returncode == 0, child.stderr
    result = json.loads(child.stdout)
    assert result["fresh"]
    assert str(path) in result["problem"] and WHAT_IT_IS[kind] in result["problem"], result["problem"]
    [aside] = tmp_path.glob(f"{STATE_NAME}.unreadable-*")
    assert aside.is_fifo() if kind == "fifo" else aside.is_symlink()  # kept, not replaced
    assert json.loads(path.read_text("utf-8"))["read"] == ["a1"]  # and the new state is saved


# -- the commands --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", [["list"], ["search", "gencatan"], ["themes"]])
def test_commands_finish_and_name_a_settings_file_that_is_not_a_regular_file(kind: str, command: list[str]) -> None:
    path = _special(settings_path(), kind)
    run = reader(*command, timeout=HANG_GUARD)
    assert run.code == 0, run.err
    if command != ["themes"]:  # `reader themes` does not read the settings
        assert [line for line in run.err.splitlines() if str(path) in line and WHAT_IT_IS[kind] in line], run.err
    assert_clean_failure_lines(run.err)


@pytest.mark.parametrize("kind", KINDS)
def test_themes_commands_finish_and_name_a_theme_file_that_is_not_a_regular_file(kind: str) -> None:
    path = _special(user_themes_dir() / "aneh.yaml", kind)
    listed = reader("themes", timeout=HANG_GUARD)
    assert listed.code == 0 and DEFAULT_THEME in listed.out, listed.err
    assert [line for line in listed.err.splitlines() if str(path) in line and "theme skipped" in line], listed.err
    checked = reader("themes", "check", str(path), timeout=HANG_GUARD)
    assert checked.code == 1
    assert checked.err.strip().count("\n") == 0 and str(path) in checked.err and WHAT_IT_IS[kind] in checked.err
    assert_clean_failure_lines(listed.err + checked.err)


# -- the app, through Pilot ----------------------------------------------------------------------

_RUN_APP = """
import asyncio, json, sys
from pathlib import Path
from kliping.library.folder import Library
from kliping.config.settings import load_settings
from kliping.tui.app import ReaderApp
from kliping.tui.textual_internals import notifications
from tests.support.tui import settle, wait_for

async def main() -> None:
    loaded = load_settings()
    app = ReaderApp(Library(Path(sys.argv[1])), theme=loaded.settings.theme,
                    startup_problems=loaded.problems, remember_theme=True)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_for(pilot, app, lambda: bool(app.session.entries))
        await settle(pilot, app)
        notes = [str(n.message) for n in notifications(app)]
        await pilot.press("T")  # the theme picker: choosing saves the settings file
        await settle(pilot, app)
        await pilot.press(*"paper", "enter")
        await settle(pilot, app)
        notes += [str(n.message) for n in notifications(app) if str(n.message) not in notes]
        await pilot.press("q")
        await settle(pilot, app)
    print(json.dumps({"theme": loaded.settings.theme, "notes": notes, "exited": app.return_code in (0, None)}))

asyncio.run(main())
"""


def _state_path(library: Path) -> Path:
    return paths.library_data_dir(library) / STATE_NAME


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("which", ["settings", "theme", "reading state"])
def test_app_starts_with_defaults_says_which_file_is_wrong_and_quits(kind: str, which: str, tmp_path: Path) -> None:
    library = make_library(tmp_path / "library")
    target = {"settings": settings_path(), "theme": user_themes_dir() / "aneh.yaml", "reading state": _state_path(library)}
    path = _special(target[which], kind)
    child = _python(_RUN_APP, str(library))
    assert child.returncode == 0, child.stderr[-3000:]
    result = json.loads(child.stdout.strip().splitlines()[-1])
    assert result["theme"] == DEFAULT_THEME and result["exited"]
    assert [note for note in result["notes"] if str(path) in note and WHAT_IT_IS[kind] in note], result["notes"]
    if which == "settings":
        assert any("not saving settings" in note for note in result["notes"]), result["notes"]
        assert path.is_fifo() if kind == "fifo" else path.is_symlink()
