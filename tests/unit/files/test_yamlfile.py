"""The YAML guards every reader in kliping shares: kliping's own depth limit decides, whatever
libyaml's version does first, and a value its type cannot take is a YAML error with its line."""

from __future__ import annotations

import pytest
import yaml

from kliping.files.yamlfile import (
    MAX_DEPTH,
    YamlFileError,
    describe_yaml_error,
    key_on_line,
    read_yaml_mapping,
    safe_load,
    too_deep,
)


class _LibyamlWithItsOwnLimit(yaml.SafeLoader):
    """Stands for a libyaml that refuses nesting, in its own words, before kliping's limit."""

    def check_event(self, *choices):
        raise yaml.YAMLError("a dependency's wording")


@pytest.mark.parametrize(
    "text",
    ["title: " + "[" * 60_000 + "]" * 60_000, "- " * 60_000 + "x", "{a: " * 500 + "1" + "}" * 500],
)
def test_deep_nesting_is_found_even_when_the_c_parser_gives_up_first(monkeypatch, text: str) -> None:
    assert too_deep(text)
    monkeypatch.setattr(yaml, "CSafeLoader", _LibyamlWithItsOwnLimit, raising=False)
    assert too_deep(text)


def test_nesting_within_the_limit_and_broken_yaml_are_not_too_deep(monkeypatch) -> None:
    assert not too_deep("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    monkeypatch.setattr(yaml, "CSafeLoader", _LibyamlWithItsOwnLimit, raising=False)
    broken = "a: [b, c]\n" * 60 + "x: ]]] {{\n"  # many marks, little depth, and a plain mistake
    assert not too_deep(broken)  # left to the real load, which names its line


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ("note: ok\ncreated: 2024-02-30\n", 2, "created"),
        ("a:\n  count: !!int abc\n", 2, "count"),
        ("- x\n- when: !!timestamp 2024-13-01\n", 2, "when"),
        ("ratio: !!float zz\n", 1, "ratio"),
        ("flag: !!bool maybe\n", 1, "flag"),
        ("theme: !!timestamp x\n", 1, "theme"),  # AttributeError inside PyYAML
    ],
)
def test_a_value_its_type_cannot_take_is_a_yaml_error_with_line_and_key(
    tmp_path, text: str, line: int, key: str, fast: bool
) -> None:
    if fast:  # libyaml's parser, as for front matter and bookmarks
        with pytest.raises(yaml.YAMLError) as caught:
            safe_load(text)
        message = describe_yaml_error(caught.value, text)
    else:  # the pure-Python one, which settings and themes use for their key lines
        path = tmp_path / "settings.yaml"
        path.write_text(text, "utf-8")
        with pytest.raises(YamlFileError) as caught:
            read_yaml_mapping(path)
        message = str(caught.value)
    assert message.startswith(f"line {line},") and f"key {key!r}" in message
    assert "\n" not in message


def test_front_matter_lines_count_from_the_file_not_the_block() -> None:
    block = "title: x\ndate: 2019-02-31"
    with pytest.raises(yaml.YAMLError) as caught:
        safe_load(block)
    assert describe_yaml_error(caught.value, block, first_line=2).startswith("line 3,")


def test_python_tags_stay_errors_and_valid_values_load() -> None:
    with pytest.raises(yaml.YAMLError):
        safe_load("x: !!python/object/apply:os.system ['true']")
    assert safe_load("created: 2024-02-29\nn: !!int 7\n")["n"] == 7


def test_key_on_line() -> None:
    text = "a: 1\n  - created: 2\n# comment\n'quoted': 3"
    assert [key_on_line(text, n) for n in (1, 2, 3, 4, 9)] == ["a", "created", None, None, None]
