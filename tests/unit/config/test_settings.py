"""Settings layers (defaults < file < KLIPING_* < options), and mistakes that never lose anything."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kliping.config.settings import (
    SettingsSaveError,
    load_settings,
    read_settings_file,
    save_settings,
    settings_path,
)
from kliping.library.locate import resolve_library_dir
from kliping.themes import DEFAULT_THEME


def write_settings(text: str) -> Path:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(isolated_dirs: Path) -> None:
    loaded = load_settings()
    assert loaded.problems == []
    assert loaded.path == isolated_dirs / "config" / "settings.yaml"
    assert not loaded.path.exists()
    s = loaded.settings
    assert (s.theme, s.reading_width, s.library, s.sort, s.keymap) == (DEFAULT_THEME, 80, None, "date", {})
    assert (s.search.limit, s.search.debounce_ms) == (50, 40)


def test_file_values_are_used() -> None:
    write_settings("theme: sepia\nreading_width: 66\nsort: title\nkeymap:\n  quit: ctrl+x\nsearch:\n  limit: 20\n")
    loaded = load_settings()
    assert loaded.problems == []
    s = loaded.settings
    assert (s.theme, s.reading_width, s.sort, s.keymap, s.search.limit) == ("sepia", 66, "title", {"quit": "ctrl+x"}, 20)
    assert s.search.debounce_ms == 40  # untouched nested default survives


def test_environment_overrides_file_and_options_override_both(monkeypatch: pytest.MonkeyPatch) -> None:
    write_settings("theme: sepia\nreading_width: 66\nsearch:\n  limit: 20\n  debounce_ms: 100\n")
    monkeypatch.setenv("KLIPING_THEME", "paper")
    monkeypatch.setenv("KLIPING_SEARCH__LIMIT", "5")
    s = load_settings().settings
    assert (s.theme, s.reading_width, s.search.limit, s.search.debounce_ms) == ("paper", 66, 5, 100)
    s = load_settings({"theme": "ansi", "library": None}).settings
    assert s.theme == "ansi" and s.library is None


def test_bad_yaml_uses_defaults_names_the_line_and_is_not_overwritten() -> None:
    text = "theme: sepia\nreading_width: [80\n"
    path = write_settings(text)
    loaded = load_settings()
    assert loaded.settings.theme == DEFAULT_THEME
    [problem] = loaded.problems
    assert problem.startswith(f"{path}: line 3") and "using the default settings" in problem
    with pytest.raises(SettingsSaveError, match="not saving settings"):
        save_settings({"theme": "paper"})
    assert path.read_text(encoding="utf-8") == text


def test_a_wrong_value_falls_back_for_that_key_only_and_blocks_saving() -> None:
    text = "theme: sepia\nreading_width: wide\nsearch:\n  limit: 0\n"
    path = write_settings(text)
    loaded = load_settings()
    assert loaded.settings.theme == "sepia"
    assert loaded.settings.reading_width == 80 and loaded.settings.search.limit == 50
    assert loaded.problems[0].startswith(f"{path}, line 2: reading_width:")
    assert loaded.problems[1].startswith(f"{path}, line 4: search.limit:")
    with pytest.raises(SettingsSaveError, match="line 2: reading_width"):
        save_settings({"theme": "paper"})
    assert path.read_text(encoding="utf-8") == text


def test_unknown_keys_are_reported_not_fatal_and_kept_on_save() -> None:
    path = write_settings("theme: sepia\ncolour: blue\nsearch:\n  fuzzy: true\n")
    loaded = load_settings()
    assert loaded.settings.theme == "sepia"
    assert loaded.problems == [
        f"{path}, line 2: unknown setting 'colour'; ignored",
        f"{path}, line 4: unknown setting 'search.fuzzy'; ignored",
    ]
    save_settings({"theme": "paper"})
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {
        "theme": "paper",
        "colour": "blue",
        "search": {"fuzzy": True},
    }


def test_a_bad_environment_variable_is_reported_and_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    write_settings("reading_width: 66\n")
    monkeypatch.setenv("KLIPING_READING_WIDTH", "wide")
    monkeypatch.setenv("KLIPING_KEYMAP", "{not json")
    monkeypatch.setenv("KLIPING_SORT", "title")
    loaded = load_settings()
    assert loaded.settings.reading_width == 66 and loaded.settings.sort == "title"
    assert any(p.startswith("KLIPING_READING_WIDTH: ") and p.endswith("; ignored") for p in loaded.problems)
    assert "KLIPING_KEYMAP: not valid JSON; ignored" in loaded.problems


def test_a_bad_option_is_reported_and_ignored() -> None:
    loaded = load_settings({"reading_width": 3})
    assert loaded.settings.reading_width == 80
    assert loaded.problems[0].startswith("command-line option reading_width:")


def test_save_creates_the_file_on_first_change_and_merges_nested_values() -> None:
    path = settings_path()
    assert save_settings({"theme": "paper"}) == path
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {"theme": "paper"}
    save_settings({"search": {"limit": 30}})
    save_settings({"search": {"debounce_ms": 0}, "keymap": {"quit": "ctrl+x"}})
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {
        "theme": "paper",
        "search": {"limit": 30, "debounce_ms": 0},
        "keymap": {"quit": "ctrl+x"},
    }
    # The previous version is kept beside it.
    assert yaml.safe_load(path.with_name("settings.yaml.bak").read_text(encoding="utf-8"))["search"] == {"limit": 30}
    assert load_settings().settings.search.limit == 30
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_save_refuses_an_invalid_change_and_keeps_the_file() -> None:
    path = write_settings("theme: sepia\n")
    with pytest.raises(SettingsSaveError, match="reading_width"):
        save_settings({"reading_width": "wide"})
    assert path.read_text(encoding="utf-8") == "theme: sepia\n"


def test_save_reports_an_unwritable_folder(isolated_dirs: Path) -> None:
    config = isolated_dirs / "config"
    config.mkdir(parents=True)
    config.chmod(0o500)
    try:
        if _can_write(config):
            pytest.skip("running as a user (root) who can write anywhere")
        with pytest.raises(SettingsSaveError, match="could not save settings"):
            save_settings({"theme": "paper"})
    finally:
        config.chmod(0o700)


def _can_write(directory: Path) -> bool:
    probe = directory / ".probe"
    try:
        probe.write_text("x")
    except OSError:
        return False
    probe.unlink()
    return True


def test_read_settings_file_of_an_empty_file_is_writable() -> None:
    write_settings("")
    checked = read_settings_file()
    assert checked.writable and checked.problems == []


def test_library_setting_is_used_when_no_option_or_environment(tmp_path: Path) -> None:
    write_settings(f"library: {tmp_path / 'mine'}\n")
    assert resolve_library_dir(None) == tmp_path / "mine"
    assert resolve_library_dir(str(tmp_path / "other")) == tmp_path / "other"
