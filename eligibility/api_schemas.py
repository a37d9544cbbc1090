"""The screening API's request and response schemas, their examples, and the parts of the
OpenAPI document django-ninja cannot write by itself: the `answers` object generated from the
published catalogue's facts, the response headers, the tags.

The enums (status, period, category, audience, amount kind, channel kind, operator, fact type)
are the catalogue schema's own (`rules.schema`), so the document can never offer a value the
catalogue cannot hold. Response objects stay open (new keys may be added to v1, and clients
ignore keys they do not know); tests/api/test_openapi_contract.py checks that every key a real
response carries is declared here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from rules.catalogue import Catalogue, FactSpec
from rules.facts import MAX_STRING
from rules.household import MAX_MEMBERS
from rules.schema import (
    AmountKind,
    Audience,
    Category,
    ChannelKind,
    FactScope,
    FactType,
    Operator,
    Period,
    Status,
    json_number,
)

Lang = Literal["zh", "en"]
Outcome = Literal["met", "not_met", "unknown"]
RequirementKind = Literal["requirement", "exclusion"]

# ASCII digits, years 1900-2100 (EARLIEST_DATE to LATEST_DATE, which `rules.facts` accepts);
# `format: date` rules out 1950-02-30, which no pattern can.
DATE_PATTERN = r"^(19[0-9]{2}|20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$"
NO_NUL_PATTERN = r"^[^\x00]*$"
# A string answer needs one character that str.strip() keeps (JSON Schema's \s differs).
WHITESPACE = "".join(f"\\u{code:04x}" for code in range(0x3001) if chr(code).isspace())
NOT_BLANK_PATTERN = f"[^{WHITESPACE}]"

STATUS_TEXT = (
    "`eligible`: every requirement is met by the answers. "
    "`ineligible`: at least one requirement is not met (its reason says which, with the clause). "
    "`unknown`: nothing failed yet, but answers are missing; `missing` lists the fact keys. "
    "`inactive`: `as_of` lies outside the programme's period (not yet started, or ended)."
)
OUTCOME_TEXT = (
    "`met`: the answers meet the requirement. `not_met`: they do not. "
    "`unknown`: an answer it needs is missing."
)


def _date(description: str) -> Any:
    return Field(description=description, json_schema_extra={"format": "date"})


# Errors ---------------------------------------------------------------------------------------


class ErrorItem(Schema):
    field: str = Field(
        description="What is wrong: `answers.<fact key>`, `as_of`, `lang`, `body`, `q`, `slug`, "
        "`number`, `path`, `method`, `Content-Type`, `rate` (429), `service` (503) …"
    )
    message: str = Field(description="What is wrong and how to put it right, in the language.")


class ErrorOut(Schema):
    """Every error of the API, whatever its status, in the requested language."""

    errors: list[ErrorItem] = Field(min_length=1)


# POST /screen ---------------------------------------------------------------------------------


Relation = Literal[
    "self", "spouse", "child", "parent", "grandparent", "grandchild", "sibling", "other"
]


class MemberIn(Schema):
    """One member of a household: an id of your choosing, the relation to the person
    screening, and the member's own answers (the same keys as `answers`)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,40}$", description="Unique in the request.")
    relation: Relation = Field(description="The member's relation to the person screening.")
    answers: dict[str, Any] = Field(description="Fact key → answer, as in `answers`.")


class ScreenIn(Schema):
    """The answers to screen, the date to apply the rules on, and the language. Any other
    field is refused (422)."""

    # Documents the body only: `eligibility.api` reads it by hand, so that each bad field gets
    # its own message in the resident's language.
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any] = Field(
        description="Fact key → answer (see GET /api/v1/facts). A key left out, or null, "
        "means not answered (unknown), never no."
    )
    as_of: str = Field(
        default_factory=lambda: dt.date.today().isoformat(),
        pattern=DATE_PATTERN,
        description="The date the rules are applied on, YYYY-MM-DD (default: today in "
        "Asia/Shanghai). Programme periods, ages and deadlines are judged on it.",
        json_schema_extra={"format": "date"},
    )
    lang: Lang = Field(default="zh", description="Language of names, reasons and error messages.")
    members: list[MemberIn] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_MEMBERS,
        description="Screen a household: each member's own answers. `answers` then holds the "
        "household's (registration, size, income, district…), which every member inherits "
        "unless their own answers override them. Without `members` the request is screened "
        "for one person, exactly as before.",
    )


class AmountOut(Schema):
    value: float | None = Field(
        description="Yuan, where the gazette gives a figure or formula for this person; null "
        "when it does not or answers are missing (never a guessed figure)."
    )
    period: Period
    currency: Literal["CNY"]
    note: str
    up_to: bool = Field(description='true: `value` is a ceiling ("up to"), not the sum.')
    clause: str = Field(description="The gazette clause the amount comes from.")


class ReasonOut(Schema):
    requirement: str
    outcome: Outcome = Field(description=OUTCOME_TEXT)
    assessed: bool = Field(
        default=True,
        description=(
            "False for a `not_met` requirement whose questions do not apply to this person "
            "(e.g. the hired person's age when not screening as an employer) while another "
            "requirement already makes the programme `ineligible`: not a reason to show as failed."
        ),
    )
    clause: str


class SourceOut(Schema):
    document: str = Field(description="Gazette document number, e.g. 京民发〔2026〕6号.")
    title: str


class PersonalDeadlineOut(Schema):
    description: str
    clause: str
    date: str | None = _date("The last day for this person; null while it depends on an answer.")


class ConflictOut(Schema):
    programme: str = Field(description="Slug of the programme that cannot be received with it.")
    clause: str
    note: str


class ResultOut(Schema):
    programme: str = Field(description="Programme slug (stable).")
    name: str
    status: Status = Field(description=STATUS_TEXT)
    amount: AmountOut | None = Field(description="null when the programme is inactive.")
    missing: list[str] = Field(description="Fact keys whose answers would decide it.")
    reasons: list[ReasonOut]
    source: SourceOut
    apply_url: str
    deadlines: list[PersonalDeadlineOut]
    conflicts: list[ConflictOut]


class TotalsOut(Schema):
    month: float = Field(description="Yuan per month.")
    year: float = Field(description="Yuan per year.")
    once: float = Field(description="One-off sums, in yuan: never added to month or year.")
    up_to: bool = Field(description='true: some amount counted is a ceiling ("up to").')


class MemberOut(Schema):
    id: str
    relation: Relation
    results: list[ResultOut] = Field(description="Each result as for one person.")
    next_questions: list[str] = Field(
        description="This member's own facts worth asking, best first (never a question "
        "about a stage of life they are not at, such as work for a five-year-old)."
    )
    totals: TotalsOut
    may_qualify: TotalsOut = Field(
        description="Amounts of `unknown` results, except those in `not_at_this_age`."
    )
    not_at_this_age: list[str] = Field(
        description="Slugs of `unknown` results only questions about another stage of life "
        "could decide (a graduate subsidy for a five-year-old): not counted in `may_qualify`."
    )


class ScreenOut(Schema):
    as_of: str = _date("The date the rules were applied on.")
    publication: str = Field(
        description="The catalogue publication that answered (also the Catalogue-Publication "
        "header)."
    )
    results: list[ResultOut] = Field(description="One result per programme in the catalogue.")
    next_questions: list[str] = Field(
        description="Fact keys whose answers would decide the most `unknown` results, best "
        "first. For a household: the household's questions (each member's are with the member)."
    )
    members: list[MemberOut] | None = Field(
        default=None,
        description="Only for a request with `members`: each member's results (household "
        "programmes apart), questions and totals. The top-level `results` are then those of "
        "the person applying (the `self` member, else the first) on the household's answers.",
    )
    household_results: list[ResultOut] | None = Field(
        default=None,
        description="Only for a household: programmes decided once per household "
        "(audience `household`, e.g. the minimum-living allowance).",
    )
    totals: TotalsOut | None = Field(
        default=None,
        description="Only for a household: every `eligible` amount of the members and the "
        "household, summed by period.",
    )
    may_qualify: TotalsOut | None = Field(
        default=None,
        description="Only for a household: the amounts of `unknown` results, never added to "
        "`totals`.",
    )


# GET /facts -----------------------------------------------------------------------------------


class TextOut(Schema):
    zh: str
    en: str


class FactOut(Schema):
    key: str
    type: FactType
    values: list[bool | int | str] = Field(description="Allowed values (enum, list, some int).")
    labels: dict[str, TextOut] = Field(description="Value → its label.")
    min: float | None
    max: float | None
    question: TextOut
    help: TextOut
    derived: str | None = Field(description="Formula of a derived fact; it cannot be answered.")
    ask_if: str | None = Field(description="Asked only when this holds.")
    depends_on: list[str]
    scope: FactScope = Field(
        description="`household`: asked once for a household (`answers` of a request with "
        "`members`); `person`: each member's own."
    )


class FactsOut(Schema):
    facts: list[FactOut]


# GET /programmes, /programmes/{slug} ----------------------------------------------------------


class ProgrammePeriodOut(Schema):
    start: str | None = _date("First day (null: no start).")
    end: str | None = _date("Last day (null: open-ended).")
    clause: str
    active_today: bool


class ProgrammeSummaryOut(Schema):
    slug: str
    name: str
    names: TextOut
    summary: str
    category: Category
    audience: Audience
    period: ProgrammePeriodOut
    source: SourceOut
    url: str


class ProgrammesOut(Schema):
    programmes: list[ProgrammeSummaryOut]


class ConditionOut(Schema):
    fact: str
    op: Operator
    value: Any = Field(description="A fact value, a list of them, or a date (YYYY-MM-DD).")


class RequirementOut(Schema):
    clause: str
    kind: RequirementKind
    description: str
    text: str = Field(description="The gazette's own words.")
    note: str | None
    alternatives: list[list[ConditionOut]] = Field(
        description="Met when every condition of any one alternative is met."
    )


class AmountRuleOut(Schema):
    kind: AmountKind
    period: Period
    clause: str
    note: str
    when: str | None
    value: float | None
    rate: float | None
    base: str | None
    cap: float | None
    table: str | None
    table_keys: list[str]
    formula: str | None


class TableRowOut(Schema):
    keys: list[str]
    value: float | str | None
    valid_from: str | None = _date(
        "First day the row applies (null: it has always applied); a later day than today marks "
        "a row entered ahead, e.g. next year's standard."
    )
    valid_to: str | None = _date("Last day the row applies, or null for no end.")


class ChannelOut(Schema):
    kind: ChannelKind
    name: str
    url: str | None


class DeadlineRuleOut(Schema):
    description: str
    clause: str
    date: str | None = _date("A fixed last day, or null for a personal deadline.")
    relative_to: str | None = Field(
        description="Fact key of the date a personal deadline runs from."
    )
    months: int | None


class HowToApplyOut(Schema):
    clause: str
    channels: list[ChannelOut]
    agent: str | None
    materials: list[str]
    steps: list[str]
    deadlines: list[DeadlineRuleOut]
    processing: str | None
    payment: str | None


class ProgrammeOut(ProgrammeSummaryOut):
    office: str
    decisions: list[str] = Field(
        description="How the catalogue reads what the gazette leaves open."
    )
    requirements: list[RequirementOut]
    amounts: list[AmountRuleOut] = Field(description="The first whose `when` holds applies.")
    tables: dict[str, list[TableRowOut]]
    conflicts: list[ConflictOut]
    how_to_apply: HowToApplyOut
    cites: list[SourceOut]


# GET /documents, /documents/{number} ----------------------------------------------------------


class DocumentSummaryOut(Schema):
    number: str
    title: str
    titles: TextOut
    issuers: str
    issue_date: str | None = _date("Issue date.")
    effective_date: str | None = _date("Effective from.")
    end_date: str | None = _date("No longer in force after.")
    repeals: list[str] = Field(description="Numbers of the documents it repeals.")
    gazette: str
    summary: str
    programmes: list[str] = Field(description="Slugs of the programmes it sets out or cites.")


class DocumentsOut(Schema):
    documents: list[DocumentSummaryOut]


class DocumentOut(DocumentSummaryOut):
    full_text: str


# The answers object, generated from the published facts ---------------------------------------


def _date_fact(spec: FactSpec) -> dict[str, Any]:
    return {"type": "string", "format": "date", "pattern": DATE_PATTERN}


def _bool_fact(spec: FactSpec) -> dict[str, Any]:
    return {"type": "boolean"}


def _choices(spec: FactSpec) -> dict[str, Any]:
    values = [v for v in spec.values if isinstance(v, str)]
    return {"type": "string", "enum": values} if values else {"not": {}}


def _list_fact(spec: FactSpec) -> dict[str, Any]:
    return {"type": "array", "items": _choices(spec)}


def _bounds(spec: FactSpec) -> dict[str, Any]:
    bounds = {}
    if spec.min_value is not None:
        bounds["minimum"] = json_number(spec.min_value)
    if spec.max_value is not None:
        bounds["maximum"] = json_number(spec.max_value)
    return bounds


def _int_fact(spec: FactSpec) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer", **_bounds(spec)}
    values = [v for v in spec.values if isinstance(v, int) and not isinstance(v, bool)]
    if values:
        schema["enum"] = values
    return schema


def _number_fact(spec: FactSpec) -> dict[str, Any]:
    return {"type": "number", **_bounds(spec)}


def _string_fact(spec: FactSpec) -> dict[str, Any]:
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_STRING,
        "pattern": NOT_BLANK_PATTERN,
    }


FACT_SCHEMAS: dict[str, Callable[[FactSpec], dict[str, Any]]] = {
    "date": _date_fact,
    "bool": _bool_fact,
    "enum": _choices,
    "list": _list_fact,
    "int": _int_fact,
    "number": _number_fact,
    "string": _string_fact,
}


def fact_schema(spec: FactSpec) -> dict[str, Any]:
    """What `rules.facts.parse_value` accepts for this fact, or null (not answered)."""
    description = f"{spec.question.zh} {spec.question.en}".strip()
    return {
        "description": description,
        "anyOf": [FACT_SCHEMAS[spec.type](spec), {"type": "null"}],
    }


def answers_schema(facts: Mapping[str, FactSpec]) -> dict[str, Any]:
    """The `answers` object: one property per fact that can be answered (derived facts such as
    `age` are worked out, never sent), nothing else."""
    return {
        "title": "Answers",
        "type": "object",
        "description": "Fact key → answer (see GET /api/v1/facts). A key left out, or null, "
        "means not answered (unknown), never no. Derived facts (e.g. `age`) cannot be sent.",
        "properties": {key: fact_schema(s) for key, s in facts.items() if s.derived is None},
        "additionalProperties": False,
    }


# Completing the document ----------------------------------------------------------------------

TAGS = [
    {"name": "screening", "description": "Screen a resident's answers against every programme."},
    {"name": "catalogue", "description": "The facts (questions) and programmes screened."},
    {"name": "library", "description": "The gazette documents the catalogue cites, full text."},
]
PUBLICATION_HEADER_DOC = {
    "description": "The catalogue publication that answered: `<id>@<published at, ISO 8601>` "
    "(`none` before the first publication).",
    "schema": {"type": "string", "minLength": 1},
    "example": "7@2026-11-20T09:30:00+00:00",
}
RETRY_AFTER_DOC = {
    "description": "Seconds to wait before trying again.",
    "required": True,
    "schema": {"type": "string", "pattern": "^[0-9]+$"},
    "example": "60",
}


def _response_headers(status: int) -> dict[str, Any]:
    # A 503 may come before any catalogue could be read: only then is the header absent.
    headers = {"Catalogue-Publication": {**PUBLICATION_HEADER_DOC, "required": status != 503}}
    if status in (429, 503):
        headers["Retry-After"] = RETRY_AFTER_DOC
    return headers


def complete_openapi(document: dict[str, Any], catalogue: Catalogue) -> dict[str, Any]:
    """Add what depends on the published catalogue (the answers object) and what django-ninja
    leaves out (the request body of /screen, response headers, tag descriptions)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    screen_in = ScreenIn.model_json_schema(ref_template="#/components/schemas/{model}")
    screen_in["properties"]["answers"] = {"$ref": "#/components/schemas/Answers"}
    for name, nested in screen_in.pop("$defs", {}).items():  # MemberIn
        if "answers" in nested.get("properties", {}):
            nested["properties"]["answers"] = {"$ref": "#/components/schemas/Answers"}
        schemas[name] = nested
    schemas["ScreenIn"] = screen_in
    schemas["Answers"] = answers_schema(catalogue.facts)
    for path_item in document["paths"].values():
        for operation in path_item.values():
            for status, response in operation["responses"].items():
                response["headers"] = _response_headers(int(status))
    document["tags"] = TAGS
    return document
