"""Finding themes: the built-in YAML files shipped with kliping, then the user's own.

A user theme that cannot be used is skipped with one line naming the file and the problem;
it never stops the others from loading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from kliping.files import paths
from kliping.files.yamlfile import YamlFileError, YamlMapping, read_yaml_mapping
from kliping.themes.model import ThemeSpec

BUILTIN_DIR = Path(__file__).resolve().parent
DEFAULT_THEME = "kliping-dark"
THEME_SUFFIXES = (".yaml", ".yml")


class ThemeFileError(ValueError):
    """A theme file that cannot be used; str() is one line naming the file and the problem."""


@dataclass(frozen=True, slots=True)
class LoadedTheme:
    spec: ThemeSpec
    path: Path
    builtin: bool


@dataclass(slots=True)
class ThemeCatalog:
    """Every usable theme by name (built-ins first, then user themes) and what was skipped."""

    themes: dict[str, LoadedTheme] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def get(self, name: str | None) -> ThemeSpec | None:
        loaded = self.themes.get(name) if name else None
        return loaded.spec if loaded else None

    def specs(self) -> list[ThemeSpec]:
        return [loaded.spec for loaded in self.themes.values()]


def user_themes_dir() -> Path:
    return paths.config_dir() / "themes"


def load_theme_file(path: Path) -> ThemeSpec:
    """Read and validate one theme file, or raise ThemeFileError."""
    try:
        mapping = read_yaml_mapping(path)
    except YamlFileError as exc:
        raise ThemeFileError(f"{path}: {exc}") from None
    try:
        return ThemeSpec.model_validate(mapping.data)
    except ValidationError as exc:
        raise ThemeFileError(f"{path}: {describe_validation_error(exc, mapping)}") from None


def describe_validation_error(error: ValidationError, mapping: YamlMapping) -> str:
    """All of pydantic's complaints as one line, each with the key (and its line when known)."""
    parts = []
    for item in error.errors(include_url=False):
        location = tuple(item["loc"])
        key = ".".join(str(part) for part in location)
        line = mapping.line_of(location)
        where = f"line {line}: " if line else ""
        kind = item["type"]
        if kind == "missing":
            parts.append(f"{where}missing required key '{key}'")
        elif kind == "extra_forbidden":
            parts.append(f"{where}unknown key '{key}'")
        else:
            message = item["msg"].removeprefix("Value error, ")
            parts.append(f"{where}{key}: {message}" if key else f"{where}{message}")
    return "; ".join(parts)


def _theme_files(directory: Path) -> list[Path]:
    """Every entry named like a theme but folders; a FIFO, a link to a device or a dangling link
    is passed on to be reported by name (load_theme_file never opens it) rather than skipped unseen."""
    try:
        return sorted(p for p in directory.iterdir() if p.suffix in THEME_SUFFIXES and not p.is_dir())
    except FileNotFoundError:
        return []


def load_builtin_themes() -> ThemeCatalog:
    catalog = ThemeCatalog()
    for path in _theme_files(BUILTIN_DIR):
        # A broken built-in is a packaging bug: fail loudly (tests load every one).
        spec = load_theme_file(path)
        catalog.themes[spec.name] = LoadedTheme(spec, path, builtin=True)
    return catalog


def load_themes(user_dir: Path | None = None) -> ThemeCatalog:
    """Built-in themes, then every usable theme in ``user_dir`` (default: config dir / themes)."""
    catalog = load_builtin_themes()
    directory = user_themes_dir() if user_dir is None else user_dir
    try:
        files = _theme_files(directory)
    except OSError as exc:
        catalog.problems.append(f"{directory}: cannot read the themes folder: {exc.strerror or exc}")
        return catalog
    for path in files:
        try:
            spec = load_theme_file(path)
        except ThemeFileError as exc:
            catalog.problems.append(f"{exc}; theme skipped")
            continue
        taken = catalog.themes.get(spec.name)
        if taken is not None:
            owner = "a built-in theme" if taken.builtin else str(taken.path)
            catalog.problems.append(
                f"{path}: theme name '{spec.name}' is already used by {owner}; theme skipped (rename it)"
            )
            continue
        catalog.themes[spec.name] = LoadedTheme(spec, path, builtin=False)
    return catalog
