"""The one catalogue schema: what a programme, fact, table or document is, checked field by field.

The YAML files under `benefits/catalogue/`, what the admin saves, the stored publication snapshot
and the API's output are all these models, so a field is defined (and its figure checked) in one
place. `SCHEMA_VERSION` changes when a stored snapshot would no longer validate; `rules.upgrade`
lifts older snapshots to it. Cross-references between models (a condition naming a fact, an
amount naming a table) are checked by `rules.validation`, which needs the whole catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializationInfo,
    StringConstraints,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.functional_serializers import SerializerFunctionWrapHandler
from pydantic_core import PydanticCustomError

from rules.expressions import gettext_noop

SCHEMA_VERSION: Literal[2] = 2

FactType = Literal["date", "enum", "bool", "int", "number", "string", "list"]
Operator = Literal[
    "eq", "ne", "in", "not_in", "gte", "lte", "between", "within", "contains", "excludes"
]
Category = Literal[
    "elderly_care",
    "employment",
    "training",
    "health",
    "medical_insurance",
    "social_assistance",
    "children",
    "education",
    "pension",
    "housing",
    "work_injury",
]
Audience = Literal["resident", "employer", "household"]
# Whose fact it is in a household screening: each member's own, or the household's (asked once).
FactScope = Literal["person", "household"]
AmountKind = Literal["fixed", "table", "rate", "formula", "none"]
Period = Literal["once", "month", "year"]
# What a parameter's figures count: money, time, class hours or a share.
Unit = Literal[
    "",
    "yuan",
    "yuan_per_month",
    "yuan_per_year",
    "yuan_per_person",
    "yuan_per_class_hour",
    "class_hours",
    "years",
    "months",
    "days",
    "ratio",
]
ChannelKind = Literal["website", "app", "miniprogram", "window", "phone", "post"]
Status = Literal["eligible", "ineligible", "unknown", "inactive"]


def json_number(value: Decimal) -> int | float:
    """A figure as a JSON number: whole amounts as integers (1245, not "1245" or 1245.0)."""
    return int(value) if value == value.to_integral_value() else float(value)


Figure = Annotated[Decimal, PlainSerializer(json_number, return_type=int | float, when_used="json")]
Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
ParameterKey = Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_]*$", max_length=80)]
# An amount's figure: a number, or the key of a dated parameter (resolved on the screening date)
AmountFigure = Annotated[Figure, Field(ge=0)] | ParameterKey
Clause = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
_PARAMETER_KEY = re.compile(r"^[a-z_][a-z0-9_]*$")


def is_figure(value: Any) -> bool:
    """A number (not a yes/no), as JSON or YAML gives it."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def checked_figure(value: Any) -> Any:
    """A figure that is not negative, refused with one clear error (pydantic would report each
    branch of a union: "not a number" and "not a parameter key" for the same typing slip)."""
    if is_figure(value) and not Decimal(str(value)).is_finite():
        raise PydanticCustomError(
            "figure_not_a_number", "{value} is not a figure", {"value": value}
        )
    if is_figure(value) and value < 0:
        raise PydanticCustomError(
            "figure_negative", "an amount cannot be negative: {value}", {"value": value}
        )
    return value


def checked_amount_figure(value: Any) -> Any:
    """An amount's value or cap: a figure in yuan (≥ 0), or the key of a dated parameter.

    "2000元", "2,000" or "-5" are refused here, at save or load, not at a resident's screen.
    """
    if value is None or is_figure(value):
        return checked_figure(value)
    text = str(value).strip()
    if _PARAMETER_KEY.match(text):
        return text
    try:
        figure = Decimal(text)
    except ArithmeticError:
        raise PydanticCustomError(
            "amount_not_a_figure",
            "'{value}' is neither a figure in yuan nor the key of a parameter",
            {"value": text},
        ) from None
    return checked_figure(figure)


def plain_json(value: Any) -> Any:
    """Dates as ISO text, lists for tuples: how answers and condition values are stored."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain_json(item) for key, item in value.items()}
    if isinstance(value, Decimal):
        return json_number(value)
    return value


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def texts_in(model: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every Chinese and English text in `model` (a model, a list of them or a Text), with
    where it is ("slug amounts 1 note"): what placeholders are looked for and checked in."""
    if isinstance(model, Text):
        yield where, model.zh
        yield where, model.en
    elif isinstance(model, Model):
        for name in type(model).model_fields:
            yield from texts_in(getattr(model, name), f"{where} {name}".strip())
    elif isinstance(model, list):
        for index, item in enumerate(model, 1):
            yield from texts_in(item, f"{where} {index}")


class Text(Model):
    """A text in Simplified Chinese and English; both are required."""

    zh: Annotated[str, StringConstraints(min_length=1)]
    en: Annotated[str, StringConstraints(min_length=1)]


class Document(Model):
    """One gazette document; `full_text` is kept in `texts/<text_file>`, not in the YAML."""

    number: Key
    title: Text
    issuers: list[str] = []
    issue_date: dt.date | None = None
    effective_date: dt.date | None = None
    end_date: dt.date | None = None
    repeals: list[str] = []
    gazette: str = ""
    text_file: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.-]+\.txt$")
    summary: Text | None = None
    full_text: str = ""

    @model_validator(mode="after")
    def _dates_in_order(self) -> Document:
        if self.effective_date and self.end_date and self.end_date < self.effective_date:
            raise ValueError(gettext_noop("the end date is before the effective date"))
        return self


class Fact(Model):
    """A fact about the resident: asked as a question, or `derived` from other facts.

    `past`: a date fact that records an event that has already happened (a birth, a certificate
    issued, a retirement): an answer after the screening date is refused. A date that may
    legitimately lie ahead (an expected graduation, a planned hire) leaves it false.
    `scope`: `household` for a fact the whole household shares (its registration, size, income,
    district), asked once in a household screening; `person` for each member's own.
    """

    key: Key
    type: FactType
    values: list[bool | int | str] = []
    labels: dict[str, Text] = {}
    min: Figure | None = None
    max: Figure | None = None
    past: bool = False
    scope: FactScope = "person"
    question: Text
    help: Text | None = None
    ask_if: str | None = None
    derived: str | None = None
    group: str = ""
    order: int = 0

    @model_serializer(mode="wrap")
    def _omit_person_scope(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # A person-level fact is stored exactly as before scopes existed: publications and the
        # draft's fingerprint stay the same for facts that are not the household's.
        data: dict[str, Any] = handler(self)
        if data.get("scope") == "person":
            data.pop("scope")
        return data

    @field_validator("labels", mode="before")
    @classmethod
    def _label_keys_as_text(cls, value: Any) -> Any:
        # YAML reads `labels: {5: …}` with an integer key; answers compare as text.
        return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value


class Condition(Model):
    """`fact op value`, e.g. `{fact: hukou, op: eq, value: beijing}`; checked against the fact."""

    fact: Key
    op: Operator
    value: Any

    @field_validator("value", mode="before")
    @classmethod
    def _stored_as_json(cls, value: Any) -> Any:
        return plain_json(value)


class Requirement(Model):
    """A clause the person must meet: met when every condition of any alternative is met.

    `open_list`: the clause names examples, not a closed list ("主要针对…等"): a person who
    matches none of them may still qualify, so the requirement is unknown (ask the office),
    never not met.
    """

    clause: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    text: str = ""
    description: Text
    note: Text | None = None
    open_list: bool = False
    # Staff add a requirement before its conditions: checked by `rules.validation`, not here.
    alternatives: list[list[Condition]] = []


class Exclusion(Model):
    """Benefits already received that rule the person out (a requirement on `receives`)."""

    clause: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    text: str = ""
    description: Text
    note: Text | None = None
    receives: list[str] = Field(min_length=1)


class Conflict(Model):
    """Another programme that cannot be received together with this one."""

    programme: Key
    clause: Clause = ""
    note: Text


class TableRow(Model):
    """One printed row. `valid_from`/`valid_to` (both inclusive, open when missing) let next
    year's standard be entered before it applies: a table may hold several rows with the same
    keys whose periods do not overlap (`rules.validation`), and a screening uses the one in
    force on its date."""

    no: int = Field(ge=1)
    keys: list[str]
    value: Figure | str | None = None
    label: Text | None = None
    extra: dict[str, Any] = {}
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @field_validator("keys", mode="before")
    @classmethod
    def _keys_as_text(cls, value: Any) -> Any:
        return [str(k) for k in value] if isinstance(value, list) else value

    @model_validator(mode="after")
    def _period_in_order(self) -> TableRow:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"row {self.no} ends (valid_to) before it starts (valid_from)")
        return self

    @model_serializer(mode="wrap")
    def _omit_open_dates(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # An undated row is stored exactly as before the dates existed: publications and the
        # draft's fingerprint stay the same for a catalogue that dates no row.
        data: dict[str, Any] = handler(self)
        for name in ("valid_from", "valid_to"):
            if data.get(name) is None:
                data.pop(name, None)
        return data

    @field_validator("value", mode="before")
    @classmethod
    def _figure_not_negative(cls, value: Any) -> Any:
        return checked_figure(value)


class Table(Model):
    """A table printed in the gazette: key columns → a value (an amount or a tier)."""

    slug: Key
    name: Text
    clause: Clause = ""
    keys: list[str] = Field(min_length=1)
    rows: list[TableRow] = []

    @model_validator(mode="after")
    def _rows_fit(self) -> Table:
        numbers = [row.no for row in self.rows]
        if len(set(numbers)) != len(numbers):
            raise ValueError(gettext_noop("a row number is used twice"))
        for row in self.rows:
            if len(row.keys) != len(self.keys):
                raise PydanticCustomError(
                    "row_keys",
                    "row {no} has {given} keys, not {expected}",
                    {"no": row.no, "given": len(row.keys), "expected": len(self.keys)},
                )
        return self


class ParameterValue(Model):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    valid_from: dt.date = Field(alias="from")
    value: Figure
    clause: Clause = ""


class Parameter(Model):
    """A dated figure: values are added as standards change, never overwritten."""

    key: Key
    name: Text
    unit: Unit = ""
    values: list[ParameterValue] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_value_per_date(self) -> Parameter:
        days = [value.valid_from for value in self.values]
        if len(set(days)) != len(days):
            raise ValueError(gettext_noop("two values start on the same day"))
        return self


class Amount(Model):
    """How much a programme pays; the first amount whose `when` holds applies."""

    when: str | None = None
    kind: AmountKind
    period: Period = "once"
    value: AmountFigure | None = None
    rate: Annotated[Figure, Field(gt=0, le=1)] | None = None
    base: str | None = None
    cap: AmountFigure | None = None
    table: str | None = None
    keys: list[str] = []
    formula: str | None = None
    clause: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    note: Text | None = None

    @field_validator("value", "cap", mode="before")
    @classmethod
    def _figure_or_parameter(cls, value: Any) -> Any:
        return checked_amount_figure(value)

    @model_validator(mode="after")
    def _has_what_its_kind_needs(self) -> Amount:
        needs = {
            "fixed": self.value is not None,
            "rate": self.rate is not None and (self.cap is not None or bool(self.base)),
            "table": bool(self.table) and bool(self.keys),
            "formula": bool(self.formula),
            "none": True,
        }
        if not needs[self.kind]:
            raise ValueError(AMOUNT_NEEDS[self.kind])
        return self


AMOUNT_NEEDS = {
    "fixed": gettext_noop("a fixed amount needs a value"),
    "rate": gettext_noop("a rate needs a share between 0 and 1 and a cap, a base fact, or both"),
    "table": gettext_noop("a table amount needs a table and its key facts"),
    "formula": gettext_noop("a formula amount needs a formula"),
}


class Channel(Model):
    kind: ChannelKind
    name: Text
    url: str = ""


class Deadline(Model):
    """A fixed date, or a personal one: `months` after the date in fact `relative_to`."""

    description: Text
    clause: Clause = ""
    relative_to: str | None = None
    months: int | None = None
    date: dt.date | None = None

    @model_validator(mode="after")
    def _fixed_or_personal(self) -> Deadline:
        personal = bool(self.relative_to) and self.months is not None
        if personal == (self.date is not None):
            raise ValueError(
                gettext_noop("a deadline needs either a date, or relative_to and months")
            )
        return self


class Apply(Model):
    clause: Clause = ""
    channels: list[Channel] = []
    agent: Text | None = None
    materials: list[Text] = []
    steps: list[Text] = []
    deadlines: list[Deadline] = []
    processing: Text | None = None
    payment: Text | None = None


Outcome = Literal["met", "not_met", "unknown"]


class Expectation(Model):
    """What a persona case must give. Without `amount` the amount is not checked; `reasons`
    (one outcome per requirement, exclusions last, in order) and `missing` (the fact keys the
    result still needs, in question order) are checked when given."""

    status: Status
    amount: Figure | None = None
    reasons: list[Outcome] | None = None
    missing: list[str] | None = None
    check_amount: bool = Field(default=False, exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _amount_given(cls, data: Any) -> Any:
        if isinstance(data, dict) and "check_amount" not in data:
            return {**data, "check_amount": "amount" in data}
        return data

    @model_serializer(mode="wrap")
    def _omit_unchecked_amount(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if self.check_amount:
            amount = self.amount
            data["amount"] = (
                json_number(amount) if amount is not None and info.mode == "json" else amount
            )
        else:
            data.pop("amount", None)
        for optional in ("reasons", "missing"):
            if data.get(optional) is None:
                data.pop(optional, None)
        return data


class Case(Model):
    """A persona test: these answers on this date must give this status (and amount)."""

    name: Text
    clause: Clause = ""
    as_of: dt.date
    answers: dict[str, Any] = {}
    expect: Expectation

    @field_validator("answers", mode="before")
    @classmethod
    def _answers_as_json(cls, value: Any) -> Any:
        return plain_json(value) if isinstance(value, dict) else value


class ProgrammePeriod(Model):
    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _in_order(self) -> ProgrammePeriod:
        if self.start and self.end and self.end < self.start:
            raise ValueError(gettext_noop("the period ends before it starts"))
        return self


class Programme(Model):
    """A subsidy or service, one file `programmes/<slug>.yaml`, from one source document."""

    schema_version: Literal[2]
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
    name: Text
    # One line in a resident's words: what it is, who it is for, how much (figures as
    # placeholders); shown first, with `summary`, the gazette's fuller account, one click away.
    plain: Text | None = None
    summary: Text
    category: Category
    audience: Audience = "resident"
    document: Key
    cites: list[str] = []
    period: ProgrammePeriod = ProgrammePeriod()
    period_clause: Clause = ""
    office: Text | None = None
    decisions: list[Text] = []
    order: int = 100
    facts: list[Fact] = []
    requirements: list[Requirement] = []
    exclusions: list[Exclusion] = []
    conflicts: list[Conflict] = []
    tables: list[Table] = []
    parameters: list[Parameter] = []
    amounts: list[Amount] = []
    apply: Apply = Apply()
    cases: list[Case] = []


class Catalogue(Model):
    """The whole catalogue: documents, the shared facts (`facts.yaml`) and every programme."""

    schema_version: Literal[2] = SCHEMA_VERSION
    documents: list[Document]
    facts: list[Fact]
    programmes: list[Programme]

    def all_facts(self) -> list[Fact]:
        return [*self.facts, *(fact for p in self.programmes for fact in p.facts)]

    def all_tables(self) -> list[Table]:
        return [table for programme in self.programmes for table in programme.tables]

    def all_parameters(self) -> list[Parameter]:
        return [parameter for programme in self.programmes for parameter in programme.parameters]
