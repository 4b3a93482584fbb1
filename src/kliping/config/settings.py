"""The user's settings: one optional YAML file, overridden by KLIPING_* variables, then options.

Precedence, highest first: command-line options, environment variables (`KLIPING_THEME`,
`KLIPING_READING_WIDTH`, `KLIPING_SEARCH__LIMIT`, ...), the settings file
(`<config dir>/settings.yaml`), defaults. pydantic-settings does the layering; this module adds
what a reader of hours needs: a mistake in any layer never stops the app. A wrong value is
reported (with its file line or variable name) and that one setting falls back to the layer
below; unknown keys are reported and kept in the file. The file is only ever written by
`save_settings`, which refuses to touch a file it could not fully read, so nothing hand-written
is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from kliping.config.keymap import check_key_names
from kliping.files import paths
from kliping.files.atomic import write_atomic
from kliping.files.yamlfile import YamlFileError, YamlMapping, read_yaml_mapping
from kliping.themes.loader import DEFAULT_THEME

SETTINGS_FILE_NAME = "settings.yaml"
ENV_PREFIX = "KLIPING_"
ENV_NESTED_DELIMITER = "__"

SortOrder = Literal["date", "title"]  # the list's browse orders (relevance applies while searching)
# Keys for one binding, each a key Textual can bind: anything else is refused with its line here,
# before an escape sequence in it could reach the footer.
KeyNames = Annotated[StrictStr, AfterValidator(check_key_names)]


class SearchDefaults(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(50, ge=1, le=1000, description="most hits a search shows")
    debounce_ms: int = Field(40, ge=0, le=5000, description="pause after typing before searching")


class SettingValues(BaseModel):
    """Every setting with its default; validates one layer's values on their own.

    Text is strict: pydantic would take bytes (`!!binary` in YAML) for it, and
    `library: !!binary aGVsbG8=` opened a folder called `hello`."""

    model_config = ConfigDict(extra="forbid")

    theme: StrictStr = DEFAULT_THEME
    reading_width: int = Field(80, ge=30, le=300, description="widest line of article text, in cells")
    library: StrictStr | None = None
    sort: SortOrder = "date"
    keymap: dict[str, KeyNames] = Field(default_factory=dict, description="binding id -> keys, e.g. quit: ctrl+x")
    search: SearchDefaults = Field(default_factory=SearchDefaults)


class Settings(BaseSettings, SettingValues):
    """The settings in force: every layer merged by pydantic-settings."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter=ENV_NESTED_DELIMITER,
        extra="forbid",
        nested_model_default_partial_update=True,
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, _CheckedEnvSource(settings_cls), _SettingsFileSource(settings_cls, settings_path()))


@dataclass(slots=True)
class LoadedSettings:
    settings: Settings
    problems: list[str]
    path: Path


@dataclass(slots=True)
class SettingsFile:
    """What the settings file holds: its data, which keys are unknown or wrong, and whether it was readable."""

    path: Path
    mapping: YamlMapping | None  # None when the file is missing or not valid YAML
    problems: list[str] = field(default_factory=list)
    # True when every known key holds a valid value, so save_settings may rewrite it.
    writable: bool = True
    usable: dict[str, Any] = field(default_factory=dict)


class SettingsSaveError(Exception):
    """The settings could not be saved; str() says why in one line."""


# Problems found by the sources while pydantic-settings builds a Settings inside load_settings.
_problems: ContextVar[list[str] | None] = ContextVar("kliping_settings_problems", default=None)


def _report(problem: str) -> None:
    sink = _problems.get()
    if sink is not None:
        sink.append(problem)


def settings_path() -> Path:
    return paths.config_dir() / SETTINGS_FILE_NAME


def load_settings(cli: Mapping[str, Any] | None = None) -> LoadedSettings:
    """Settings from every layer; never raises for anything the user wrote.

    ``cli`` holds command-line options by setting name (None means "not given"), e.g.
    ``{"theme": args.theme, "library": args.library}``.
    """
    problems: list[str] = []
    given = {key: value for key, value in (cli or {}).items() if value is not None}
    options, errors = _valid_part(given)
    problems += [f"command-line option {'.'.join(map(str, loc))}: {message}; ignored" for loc, message in errors]
    token = _problems.set(problems)
    try:
        settings = Settings(**options)
    finally:
        _problems.reset(token)
    return LoadedSettings(settings, problems, settings_path())


def read_settings_file(path: Path | None = None) -> SettingsFile:
    """Read and check the settings file; a missing file is an empty, writable one."""
    path = settings_path() if path is None else path
    if not path.exists():
        return SettingsFile(path, None)
    try:
        mapping = read_yaml_mapping(path)
    except YamlFileError as exc:
        return SettingsFile(path, None, [f"{path}: {exc}; using the default settings"], writable=False)
    usable, errors = _valid_part(mapping.data)
    result = SettingsFile(path, mapping, usable=usable)
    for location, message in sorted(errors, key=lambda error: mapping.line_of(error[0]) or 0):
        line = mapping.line_of(location)
        where = f"{path}, line {line}" if line else str(path)
        key = ".".join(str(part) for part in location)
        if message == _UNKNOWN:
            result.problems.append(f"{where}: unknown setting '{key}'; ignored")
        else:
            result.problems.append(f"{where}: {key}: {message}; using the default")
            result.writable = False
    return result


def save_settings(changes: Mapping[str, Any]) -> Path:
    """Merge ``changes`` (nested like the file, e.g. {"search": {"limit": 20}}) into the file.

    Keeps every other key, unknown ones included, and the previous file as settings.yaml.bak.
    Raises SettingsSaveError, leaving the file untouched, when the file could not be fully read
    or a change is not a valid setting.
    """
    current = read_settings_file()
    if not current.writable:
        raise SettingsSaveError(f"not saving settings until the settings file is fixed: {current.problems[0]}")
    merged = _merge(dict(current.mapping.data) if current.mapping else {}, dict(changes))
    _, errors = _valid_part(merged)
    wrong = [(loc, msg) for loc, msg in errors if msg != _UNKNOWN]
    if wrong:
        location, message = wrong[0]
        raise SettingsSaveError(f"not saving settings: {'.'.join(map(str, location))}: {message}")
    text = yaml.safe_dump(merged, allow_unicode=True, sort_keys=False, default_flow_style=False)
    try:
        write_atomic(current.path, text, backup=True)
    except OSError as exc:
        raise SettingsSaveError(f"could not save settings to {current.path}: {exc.strerror or exc}") from None
    return current.path


_UNKNOWN = "unknown setting"


def _valid_part(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[tuple[Any, ...], str]]]:
    """The part of ``data`` that validates as settings, and (location, message) for the rest.

    Wrong values are removed one by one, so the loop ends after at most one pass per value.
    """
    remaining: dict[str, Any] = _copy(data)
    errors: list[tuple[tuple[Any, ...], str]] = []
    for _ in range(len(_leaves(remaining)) + 1):
        try:
            SettingValues.model_validate(remaining)
        except ValidationError as exc:
            for item in exc.errors(include_url=False):
                location = _settable_location(remaining, tuple(item["loc"]))
                message = _UNKNOWN if item["type"] == "extra_forbidden" else item["msg"].removeprefix("Value error, ")
                errors.append((location, message))
                _remove(remaining, location)
            continue
        break
    return remaining, errors


def _settable_location(data: dict[str, Any], location: tuple[Any, ...]) -> tuple[Any, ...]:
    """The deepest prefix of ``location`` that names a key of a mapping in ``data``."""
    node: Any = data
    kept: list[Any] = []
    for part in location:
        if not isinstance(node, dict) or part not in node:
            break
        kept.append(part)
        node = node[part]
    return tuple(kept) or location[:1]


def _remove(data: dict[str, Any], location: tuple[Any, ...]) -> None:
    node: Any = data
    for part in location[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(location[-1], None)


def _copy(data: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _copy(value) if isinstance(value, Mapping) else value for key, value in data.items()}


def _leaves(data: Mapping[str, Any]) -> list[Any]:
    out: list[Any] = []
    for value in data.values():
        out.extend(_leaves(value) if isinstance(value, Mapping) and value else [value])
    return out


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in changes.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], dict(value))
        else:
            merged[key] = value
    return merged


class _SettingsFileSource(InitSettingsSource):
    """The settings file, minus unknown keys and wrong values, each reported once.

    Read here rather than by pydantic-settings' YAML source, which skips whatever `is_file()`
    rejects without a word: a FIFO or a link to /dev/zero in the file's place meant the default
    settings and no sign of why."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path) -> None:
        checked = read_settings_file(path)
        for problem in checked.problems:
            _report(problem)
        super().__init__(settings_cls, checked.usable)


class _CheckedEnvSource(EnvSettingsSource):
    """KLIPING_* variables, minus any that do not parse or validate, each reported once."""

    def prepare_field_value(self, field_name: str, field: FieldInfo, value: Any, value_is_complex: bool) -> Any:
        try:
            return super().prepare_field_value(field_name, field, value, value_is_complex)
        except ValueError:
            _report(f"{ENV_PREFIX}{field_name.upper()}: not valid JSON; ignored")
            return None

    def __call__(self) -> dict[str, Any]:
        usable, errors = _valid_part(super().__call__())
        for location, message in errors:
            name = ENV_PREFIX + ENV_NESTED_DELIMITER.join(str(part).upper() for part in location)
            if message == _UNKNOWN:
                message = "no such setting"
            _report(f"{name}: {message}; ignored")
        return usable

