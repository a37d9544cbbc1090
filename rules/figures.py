"""Figures in programme texts, rendered from the figures the engine uses.

A summary, note or step that names an amount does not type the figure: it names where the figure
lives, and the text is rendered for the screening date, so a text can never say one figure while
the engine computes with another.

- `{di_bao_standard}`: the parameter's value in force on the screening date;
- `{di_bao_standard@2021-07-01}`: its value in force on that day (for a history such as "from
  July 2021 1,245 yuan, from July 2023 1,395 yuan");
- `{skills-level-standard:5,B}`: the value of a gazette table's row with those keys.

Chinese texts show figures as the gazette prints them (`1395`), English ones with thousands
separators (`1,395`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_PARAMETER = re.compile(r"^(?P<key>[a-z_][a-z0-9_]*)(?:@(?P<day>\d{4}-\d{2}-\d{2}))?$")
_TABLE = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*):(?P<keys>[^:]+)$")


@dataclass(frozen=True, slots=True)
class Reference:
    """One placeholder: a parameter (on the screening date or a fixed day) or a table row."""

    source: str  # the placeholder as written, without braces
    parameter: str = ""
    day: dt.date | None = None
    table: str = ""
    keys: tuple[str, ...] = ()


class BadReference(ValueError):
    """A placeholder that names no parameter or table row in the expected form."""


def parse_reference(source: str) -> Reference:
    match = _PARAMETER.match(source)
    if match:
        day = match.group("day")
        try:
            parsed = dt.date.fromisoformat(day) if day else None
        except ValueError as error:
            raise BadReference(source) from error
        return Reference(source, parameter=match.group("key"), day=parsed)
    match = _TABLE.match(source)
    if match:
        keys = tuple(key.strip() for key in match.group("keys").split(","))
        return Reference(source, table=match.group("slug"), keys=keys)
    raise BadReference(source)


def references(text: str) -> Iterator[str]:
    """The placeholders in `text`, as written (without braces)."""
    for match in PLACEHOLDER.finditer(text):
        yield match.group(1)


def format_figure(value: Decimal, lang: str) -> str:
    """`1395` in Chinese texts, `1,395` in English ones; no trailing zeros (`0.25`, `1500`)."""
    normal = value.normalize()
    if normal == normal.to_integral_value():
        normal = normal.quantize(Decimal(1))
    return f"{normal:,}" if lang == "en" else f"{normal}"


Lookup = Callable[[Reference], Any]


def render(text: str, lookup: Lookup, lang: str) -> str:
    """`text` with each placeholder replaced by its figure; a figure not found is left as `?`."""
    if "{" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        try:
            value = lookup(parse_reference(match.group(1)))
        except BadReference:  # rules.validation reports it; never a crash on a page
            return "?"
        if isinstance(value, Decimal):
            return format_figure(value, lang)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return format_figure(Decimal(str(value)), lang)
        return "?" if value is None else str(value)

    return PLACEHOLDER.sub(replace, text)
