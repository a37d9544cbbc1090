"""Immutable values the engine screens against: a published catalogue, frozen.

`benefits.snapshot` builds these from the database; tests may build them by hand. Nothing here
touches the ORM, so screening is plain Python and needs no query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rules.dates import in_period
from rules.expressions import Expression

Keys = tuple[str, ...]
Tables = dict[str, dict[Keys, Any]]  # slug → keys → value (a figure, a tier, a text or None)


@dataclass(frozen=True, slots=True)
class Text:
    """A text in Simplified Chinese and English."""

    zh: str
    en: str = ""

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.zh


EMPTY = Text("", "")


@dataclass(frozen=True, slots=True)
class FactSpec:
    key: str
    type: str
    question: Text
    help: Text = EMPTY
    values: tuple[Any, ...] = ()
    labels: dict[str, Text] = field(default_factory=dict)
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    past: bool = False  # a date of an event that has happened: never after the screening date
    scope: str = "person"  # person | household: asked once for a whole household
    ask_if: Expression | None = None
    derived: Expression | None = None
    group: str = ""
    order: int = 0


@dataclass(frozen=True, slots=True)
class Condition:
    fact: str
    operator: str
    value: Any


@dataclass(frozen=True, slots=True)
class Requirement:
    clause: str  # full citation, e.g. "京人社能发〔2026〕2号 一(一)"
    description: Text
    alternatives: tuple[tuple[Condition, ...], ...]
    kind: str = "requirement"
    text: str = ""
    note: Text = EMPTY
    open_list: bool = False  # examples, not a closed list: not matching one is "ask", never "no"


@dataclass(frozen=True, slots=True)
class AmountRule:
    kind: str  # fixed | table | rate | formula | none
    period: str  # once | month | year
    clause: str
    note: Text = EMPTY
    when: Expression | None = None
    value: Decimal | None = None
    rate: Decimal | None = None
    base: str = ""
    cap: Decimal | None = None
    table: str = ""
    table_keys: tuple[str, ...] = ()
    formula: Expression | None = None


@dataclass(frozen=True, slots=True)
class Deadline:
    description: Text
    clause: str
    relative_to: str = ""
    months: int | None = None
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Conflict:
    other: str  # slug
    clause: str
    note: Text


@dataclass(frozen=True, slots=True)
class Channel:
    kind: str
    name: Text
    url: str = ""


@dataclass(frozen=True, slots=True)
class SourceDocument:
    number: str
    title: Text


@dataclass(frozen=True, slots=True)
class Programme:
    slug: str
    name: Text
    summary: Text
    category: str
    audience: str
    document: SourceDocument
    requirements: tuple[Requirement, ...]
    amounts: tuple[AmountRule, ...] = ()
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    period_clause: str = ""
    conflicts: tuple[Conflict, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    channels: tuple[Channel, ...] = ()
    materials: tuple[Text, ...] = ()
    steps: tuple[Text, ...] = ()
    agent: Text = EMPTY
    processing: Text = EMPTY
    payment: Text = EMPTY
    office: Text = EMPTY
    apply_clause: str = ""
    decisions: tuple[Text, ...] = ()
    cites: tuple[SourceDocument, ...] = ()
    tables: tuple[str, ...] = ()  # slugs of the gazette tables printed with this programme
    plain: Text = EMPTY  # the one-line summary in a resident's words

    def active_on(self, day: dt.date) -> bool:
        if self.period_start and day < self.period_start:
            return False
        return not (self.period_end and day > self.period_end)


@dataclass(frozen=True, slots=True)
class Parameter:
    """A figure that changes over time: `values` are (effective from, value), oldest first."""

    key: str
    name: Text
    values: tuple[tuple[dt.date, Decimal], ...]

    def value_on(self, day: dt.date) -> Decimal | None:
        chosen = None
        for start, value in self.values:
            if start <= day:
                chosen = value
        return chosen


@dataclass(frozen=True, slots=True)
class TableRow:
    """A row of a gazette table as shown to residents, with the period it is in force."""

    keys: Keys
    value: Any
    label: Text = EMPTY
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def in_force(self, day: dt.date) -> bool:
        return in_period(day, self.valid_from, self.valid_to)


@dataclass(frozen=True, slots=True, eq=False)
class Catalogue:
    """Everything the engine needs, frozen; `version` changes whenever the catalogue does.

    Compared and hashed by identity, so screenings can be cached per catalogue.
    """

    programmes: tuple[Programme, ...]
    facts: dict[str, FactSpec]
    parameters: dict[str, Parameter] = field(default_factory=dict)
    # The tables' rows in force from the last day a row starts or ends (`table_eras`), or, in a
    # catalogue built by hand, the tables whatever the date.
    tables: Tables = field(default_factory=dict)
    table_labels: dict[str, dict[Keys, Text]] = field(default_factory=dict)
    version: str = ""
    # (first day, programmes with their texts and figures as in force from that day), oldest
    # first; `programmes` is the latest. Empty for a catalogue built by hand: no dated figures.
    eras: tuple[tuple[dt.date, tuple[Programme, ...]], ...] = ()
    # Every row of every table in the gazette's order, dated; for the pages and the API.
    table_rows: dict[str, tuple[TableRow, ...]] = field(default_factory=dict)
    # (first day, the tables' rows in force from that day), oldest first; built once per
    # publication, so a screening only picks one. Empty for a catalogue built by hand.
    table_eras: tuple[tuple[dt.date, Tables], ...] = ()
    # Filled by `rules.engine` the first time it screens against this catalogue: each
    # programme's conditions compiled to closures, the facts' question order. Built once per
    # catalogue (so once per publication), never per screening; not part of its value.
    engine_plans: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def programmes_on(self, day: dt.date) -> tuple[Programme, ...]:
        """The programmes with the figures in force on `day` (texts rendered for that day)."""
        chosen = self.programmes
        for start, programmes in self.eras:
            if start <= day:
                chosen = programmes
        return chosen

    def tables_on(self, day: dt.date) -> Tables:
        """The tables with only the rows in force on `day`: keys with no row in force then
        have no value (no figure, rather than last year's or next year's)."""
        chosen = self.tables
        for start, tables in self.table_eras:
            if start <= day:
                chosen = tables
        return chosen

    def rows_from(self, slug: str, day: dt.date) -> tuple[TableRow, ...]:
        """A table's rows in force on `day` or starting later, in order: what a page shows
        (rows that have ended are history)."""
        return tuple(
            row
            for row in self.table_rows.get(slug, ())
            if row.valid_to is None or row.valid_to >= day
        )

    def programme(self, slug: str, day: dt.date | None = None) -> Programme | None:
        for programme in self.programmes if day is None else self.programmes_on(day):
            if programme.slug == slug:
                return programme
        return None
