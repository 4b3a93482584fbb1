"""Built-in themes load and read well; broken user themes are skipped with one message each."""

from __future__ import annotations

import argparse
from itertools import combinations
from pathlib import Path

import pytest

from kliping.themes import (
    DEFAULT_THEME,
    READER_VARIABLES,
    ColourError,
    ThemeFileError,
    load_builtin_themes,
    load_theme_file,
    load_themes,
    parse_colour,
    readability_problems,
)
from kliping.themes import cli as themes_cli
from kliping.themes.colour import Rgb, colour_difference, contrast_ratio
from kliping.themes.contrast import DISTINCT_MIN, HIGH_CONTRAST_BODY_TEXT_MIN, _Measured

BUILTINS = sorted(load_builtin_themes().themes)
VALID_THEME = """\
name: my-night
dark: true
primary: "#5fa8e8"
foreground: "#e0e0e0"
background: "#101418"
variables:
  search-hit-background: "#5c4813"
  search-hit-current-background: "#f0b43c"
  search-hit-current-foreground: "#101418"
  bookmark-background: "#1d4a3c"
  bookmark-mark: "#4fc79c"
  passage-cursor-background: "#4a4f5a"
  passage-selection-background: "#46608f"
  metadata-foreground: "#a0a6b0"
  article-link-foreground: "#7cc0f5"
  quote-foreground: "#c7b6e8"
"""


def test_the_required_built_ins_exist() -> None:
    assert {DEFAULT_THEME, "paper", "sepia", "high-contrast", "ansi"} <= set(BUILTINS)
    catalog = load_builtin_themes()
    assert not catalog.get("paper").dark and not catalog.get("sepia").dark
    assert catalog.get(DEFAULT_THEME).dark


def test_ansi_theme_uses_only_the_terminal_palette() -> None:
    spec = load_builtin_themes().get("ansi")
    assert spec.ansi
    assert all(colour.startswith("ansi_") for colour in spec.colours().values())


@pytest.mark.parametrize("name", BUILTINS)
def test_built_in_theme_sets_every_reader_variable(name: str) -> None:
    spec = load_builtin_themes().get(name)
    assert set(spec.reader_variables()) == set(READER_VARIABLES)
    assert all(value for value in spec.reader_variables().values())


@pytest.mark.parametrize("name", BUILTINS)
def test_built_in_theme_meets_the_contrast_rules(name: str) -> None:
    spec = load_builtin_themes().get(name)
    body_min = HIGH_CONTRAST_BODY_TEXT_MIN if name == "high-contrast" else 4.5
    assert readability_problems(spec, body_text_min=body_min) == []
    # The headline numbers, measured directly as well.
    m = _Measured(spec)
    assert contrast_ratio(m.fg("foreground"), m.bg("background")) >= body_min
    areas = ("background", "search-hit-background", "search-hit-current-background", "bookmark-background")
    for a, b in combinations(areas, 2):
        assert colour_difference(m.bg(a), m.bg(b)) >= DISTINCT_MIN, (a, b)
    for area in ("search-hit", "search-hit-current", "bookmark"):
        assert contrast_ratio(m.fg(f"{area}-foreground"), m.bg(f"{area}-background")) >= 4.5


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    black, white = Rgb(0, 0, 0), Rgb(255, 255, 255)
    assert contrast_ratio(black, white) == pytest.approx(21.0)
    assert contrast_ratio(white, white) == pytest.approx(1.0)
    # #767676 on white is the well-known lightest grey passing AA (4.54:1).
    assert contrast_ratio(Rgb(0x76, 0x76, 0x76), white) == pytest.approx(4.54, abs=0.01)
    assert colour_difference(white, white) == 0
    assert colour_difference(black, white) == pytest.approx(100, abs=0.5)


def test_readability_rules_catch_a_badly_chosen_theme(tmp_path: Path) -> None:
    path = tmp_path / "murky.yaml"
    path.write_text(
        VALID_THEME.replace('foreground: "#e0e0e0"', 'foreground: "#303438"').replace(
            'search-hit-current-background: "#f0b43c"', 'search-hit-current-background: "#5e4a15"'
        ),
        encoding="utf-8",
    )
    problems = readability_problems(load_theme_file(path))
    assert any(p.startswith("foreground on background has contrast") for p in problems)
    assert any("search-hit-background and search-hit-current-background look too alike" in p for p in problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#ABC", "#aabbcc"),
        ("#1b1d23", "#1b1d23"),
        ("rgb(255, 0, 16)", "#ff0010"),
        (" ansi_Bright_Blue ", "ansi_bright_blue"),
        ("ansi_default", "ansi_default"),
    ],
)
def test_parse_colour_accepts_and_normalizes(text: str, expected: str) -> None:
    assert parse_colour(text) == expected


@pytest.mark.parametrize("text", ["#12", "#ggg", "rgb(300, 0, 0)", "ansi_purple", "blue", "", "#1234567"])
def test_parse_colour_rejects(text: str) -> None:
    with pytest.raises(ColourError):
        parse_colour(text)


def test_a_valid_user_theme_is_listed_with_the_built_ins(tmp_path: Path) -> None:
    (tmp_path / "night.yaml").write_text(VALID_THEME, encoding="utf-8")
    catalog = load_themes(tmp_path)
    assert catalog.problems == []
    loaded = catalog.themes["my-night"]
    assert not loaded.builtin and loaded.path == tmp_path / "night.yaml"
    assert loaded.spec.reader_variables()["search-hit-foreground"] == "#e0e0e0"  # defaults to foreground
    assert set(BUILTINS) < set(catalog.themes)


BROKEN_THEMES = {
    "bad-yaml.yaml": ("name: x\nprimary: [\n", "line 3"),
    "unknown-key.yaml": (VALID_THEME.replace("dark: true", "dark: true\nsparkle: yes"), "line 3: unknown key 'sparkle'"),
    "bad-colour.yaml": (
        VALID_THEME.replace('primary: "#5fa8e8"', 'primary: "#5fa8zz"'), "line 3: primary: '#5fa8zz' is not a colour"
    ),
    "missing-colour.yaml": (VALID_THEME.replace('background: "#101418"\n', ""), "missing required key 'background'"),
    "missing-variable.yaml": (
        VALID_THEME.replace('  bookmark-mark: "#4fc79c"\n', ""),
        "missing required key 'variables.bookmark-mark'",
    ),
    "not-a-mapping.yaml": ("- just\n- a list\n", "expected `key: value` lines"),
    "ansi-without-flag.yaml": (VALID_THEME.replace('primary: "#5fa8e8"', "primary: ansi_blue"), "need `ansi: true`"),
    "bad-textual-variable.yaml": (
        VALID_THEME + "textual_variables:\n  block-cursor-text-style: sparkly\n",
        "textual_variables.block-cursor-text-style: 'sparkly' is not a colour",
    ),
}


def test_each_broken_user_theme_is_skipped_with_one_message(tmp_path: Path) -> None:
    for name, (text, _) in BROKEN_THEMES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "good.yml").write_text(VALID_THEME, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a theme", encoding="utf-8")
    catalog = load_themes(tmp_path)
    assert "my-night" in catalog.themes
    assert len(catalog.problems) == len(BROKEN_THEMES)
    for name, (_, expected) in BROKEN_THEMES.items():
        [message] = [p for p in catalog.problems if p.startswith(str(tmp_path / name) + ":")]
        assert expected in message and "\n" not in message and message.endswith("theme skipped")


def test_user_theme_names_cannot_take_a_built_in_or_another_users(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(VALID_THEME, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(VALID_THEME, encoding="utf-8")
    (tmp_path / "c.yaml").write_text(VALID_THEME.replace("name: my-night", "name: paper"), encoding="utf-8")
    catalog = load_themes(tmp_path)
    assert catalog.themes["my-night"].path == tmp_path / "a.yaml"
    assert catalog.themes["paper"].builtin
    assert catalog.problems == [
        f"{tmp_path / 'b.yaml'}: theme name 'my-night' is already used by {tmp_path / 'a.yaml'}; theme skipped (rename it)",
        f"{tmp_path / 'c.yaml'}: theme name 'paper' is already used by a built-in theme; theme skipped (rename it)",
    ]


def test_default_user_dir_is_in_the_config_dir(isolated_dirs: Path) -> None:
    themes_dir = isolated_dirs / "config" / "themes"
    themes_dir.mkdir(parents=True)
    (themes_dir / "night.yaml").write_text(VALID_THEME, encoding="utf-8")
    assert "my-night" in load_themes().themes


def test_reader_themes_lists_every_theme(isolated_dirs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    themes_dir = isolated_dirs / "config" / "themes"
    themes_dir.mkdir(parents=True)
    (themes_dir / "night.yaml").write_text(VALID_THEME, encoding="utf-8")
    (themes_dir / "broken.yaml").write_text("name: [", encoding="utf-8")
    assert themes_cli.run(argparse.Namespace(themes_command=None)) == 0
    out, err = capsys.readouterr()
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()}
    assert rows["paper"] == ["light", "built-in"]
    assert rows[DEFAULT_THEME] == ["dark", "built-in"]
    assert rows["my-night"] == ["dark", str(themes_dir / "night.yaml")]
    assert err.count("\n") == 1 and "broken.yaml" in err


def test_reader_themes_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(VALID_THEME, encoding="utf-8")
    assert themes_cli.run(argparse.Namespace(themes_command="check", file=str(good))) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "ok"

    bad = tmp_path / "bad.yaml"
    bad.write_text(BROKEN_THEMES["bad-colour.yaml"][0], encoding="utf-8")
    assert themes_cli.run(argparse.Namespace(themes_command="check", file=str(bad))) == 1
    out, err = capsys.readouterr()
    assert out == "" and "#5fa8zz" in err and str(bad) in err

    missing = tmp_path / "nowhere.yaml"
    assert themes_cli.run(argparse.Namespace(themes_command="check", file=str(missing))) == 1
    assert str(missing) in capsys.readouterr().err


def test_reader_themes_check_warns_about_poor_contrast(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dim.yaml"
    path.write_text(VALID_THEME.replace('foreground: "#e0e0e0"', 'foreground: "#303438"'), encoding="utf-8")
    assert themes_cli.run(argparse.Namespace(themes_command="check", file=str(path))) == 0
    out = capsys.readouterr().out
    assert "warning: foreground on background has contrast" in out and out.splitlines()[-1] == "ok"


def test_load_theme_file_error_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xff\xfe name: x")
    with pytest.raises(ThemeFileError) as info:
        load_theme_file(path)
    assert str(info.value).startswith(f"{path}: not UTF-8") and "\n" not in str(info.value)
