"""The shape of a theme file: every field of Textual's Theme plus the reader's own colours.

Field names and meanings follow `textual.theme.Theme` so a theme converts field for field (see
`kliping.tui.theming`); the reader's own colours live under `variables:` with the names the
app's stylesheet uses (`$search-hit-background` and so on).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictStr, model_validator

from kliping.themes.colour import parse_colour

# Strict text throughout: pydantic would take bytes (`!!binary` in YAML) for a string.
Colour = Annotated[StrictStr, AfterValidator(parse_colour)]

# Textual's text-style variables (e.g. block-cursor-text-style) take these words, not colours.
TEXT_STYLES = frozenset({"none", "bold", "dim", "italic", "underline", "reverse", "strike"})


def _textual_value(value: str) -> str:
    if isinstance(value, str) and value.strip().lower() in TEXT_STYLES:
        return value.strip().lower()
    return parse_colour(value)


TextualValue = Annotated[StrictStr, AfterValidator(_textual_value)]
TextualName = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9-]*$")]


class ReaderColours(BaseModel):
    """The reader's own CSS variables. Foregrounds left out default to the theme's foreground."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    search_hit_background: Colour = Field(alias="search-hit-background")
    search_hit_foreground: Colour | None = Field(None, alias="search-hit-foreground")
    search_hit_current_background: Colour = Field(alias="search-hit-current-background")
    search_hit_current_foreground: Colour | None = Field(None, alias="search-hit-current-foreground")
    bookmark_background: Colour = Field(alias="bookmark-background")
    bookmark_foreground: Colour | None = Field(None, alias="bookmark-foreground")
    bookmark_mark: Colour = Field(alias="bookmark-mark")
    passage_cursor_background: Colour = Field(alias="passage-cursor-background")
    passage_cursor_foreground: Colour | None = Field(None, alias="passage-cursor-foreground")
    passage_selection_background: Colour = Field(alias="passage-selection-background")
    passage_selection_foreground: Colour | None = Field(None, alias="passage-selection-foreground")
    metadata_foreground: Colour = Field(alias="metadata-foreground")
    article_link_foreground: Colour = Field(alias="article-link-foreground")
    quote_foreground: Colour = Field(alias="quote-foreground")


# Every CSS variable the reader's stylesheet may use, in the order the README lists them.
READER_VARIABLES = tuple(field.alias for field in ReaderColours.model_fields.values())


class ThemeSpec(BaseModel):
    """One validated theme. Colours are normalized to `#rrggbb` or `ansi_*`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: StrictStr = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=40)
    description: StrictStr | None = None
    author: StrictStr | None = None

    primary: Colour
    secondary: Colour | None = None
    warning: Colour | None = None
    error: Colour | None = None
    success: Colour | None = None
    accent: Colour | None = None
    # Unlike Textual, the reader requires these two: body text is what people read for hours.
    foreground: Colour
    background: Colour
    surface: Colour | None = None
    panel: Colour | None = None
    boost: Colour | None = None
    dark: bool = True
    luminosity_spread: float = Field(0.15, ge=0, le=1)
    text_alpha: float = Field(0.95, ge=0, le=1)
    ansi: bool = False

    variables: ReaderColours
    # Optional overrides of Textual's own variables (block-cursor-background, ansi-background, ...);
    # an ANSI theme needs ansi-background and ansi-foreground, which Textual does not derive.
    textual_variables: dict[TextualName, TextualValue] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ansi_colours_need_ansi_mode(self) -> ThemeSpec:
        # Textual only passes ANSI colours through to the terminal in an ANSI theme; elsewhere it
        # would paint them with its own palette and the user's tuned colours would be lost.
        uses_ansi = any(colour.startswith("ansi_") for colour in self.colours().values())
        if uses_ansi and not self.ansi:
            raise ValueError("ANSI colours (ansi_*) need `ansi: true`")
        if self.ansi and not {"ansi-background", "ansi-foreground"} <= set(self.textual_variables):
            raise ValueError("an ANSI theme needs textual_variables ansi-background and ansi-foreground")
        taken = set(self.textual_variables) & set(READER_VARIABLES)
        if taken:
            raise ValueError(f"set {', '.join(sorted(taken))} under variables, not textual_variables")
        return self

    def colours(self) -> dict[str, str]:
        """Every colour the theme sets, by the name a theme file uses for it."""
        top = {
            name: getattr(self, name)
            for name in (
                "primary",
                "secondary",
                "warning",
                "error",
                "success",
                "accent",
                "foreground",
                "background",
                "surface",
                "panel",
                "boost",
            )
            if getattr(self, name) is not None
        }
        textual = {name: value for name, value in self.textual_variables.items() if value not in TEXT_STYLES}
        return {**top, **textual, **self.reader_variables()}

    def reader_variables(self) -> dict[str, str]:
        """The reader's CSS variables with every foreground filled in."""
        values = self.variables.model_dump(by_alias=True)
        return {name: (value if value is not None else self.foreground) for name, value in values.items()}
