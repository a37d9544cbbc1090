"""Catalogue checks in the staff member's language, for the admin's `clean()` and the loader.

The checks themselves live in `rules.schema` (each field) and `rules.validation` (references
between them); this module runs them on what the admin or the files hold and translates their
messages (Chinese unless the staff member switched to English).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pydantic
from django.utils.translation import gettext as _

from rules import schema
from rules.validation import (
    DatedRow,
    Problem,
    amount_figure_problems,
    amount_problems,
    condition_problems,
    expression_problems,
    overlap_problem,
    overlapping_rows,
)


def translate(problem: Problem) -> str:
    """A problem's message in the active language, after where it is (when known; a place
    that is a field label marked for translation is translated too)."""
    text = _(problem.message)
    if problem.params:
        text = text % dict(problem.params)
    if not problem.where:
        return text
    return _("%(label)s: %(error)s") % {"label": _(problem.where), "error": text}


def schema_messages(error: pydantic.ValidationError, where: str = "") -> list[str]:
    """Pydantic's field errors as "where field: message" lines."""
    lines = []
    for item in error.errors():
        location = ".".join(str(part) for part in item["loc"])
        label = " ".join(part for part in (where, location) if part)
        lines.append(f"{label}: {item['msg']}" if label else item["msg"])
    return lines


def condition_errors(fact: str, operator: str, value: Any, facts: Mapping[str, Any]) -> list[str]:
    return [translate(p) for p in condition_problems(fact, operator, value, facts)]


def expression_errors(text: str, known_names: Iterable[str]) -> list[str]:
    return [translate(p) for p in expression_problems(text, known_names, "")]


def amount_errors(amount: Any, known_names: set[str], parameters: set[str]) -> list[str]:
    """Errors for an admin `Amount` row: checked as the schema's `Amount`, then its names."""
    table = amount.table if amount.table_id else None
    try:
        rule = schema.Amount(
            when=amount.when or None,
            kind=amount.kind,
            period=amount.period,
            value=amount.value or None,
            rate=amount.rate,
            base=amount.base or None,
            cap=amount.cap or None,
            table=table.slug if table else None,
            keys=list(amount.table_keys or []),
            formula=amount.formula or None,
            clause=amount.clause,
        )
    except pydantic.ValidationError as exc:
        return schema_messages(exc)
    tables = {}
    if table is not None:
        tables[table.slug] = schema.Table(
            slug=table.slug,
            name=schema.Text(zh=table.name_zh or table.slug, en=table.name_en or table.slug),
            keys=list(table.keys) or ["key"],
        )
    problems = amount_problems(rule, known_names, tables, "")
    problems += amount_figure_problems(rule, dict.fromkeys(parameters), "")
    return [translate(p) for p in problems]


def overlap_errors[Row: DatedRow](rows: Sequence[Row]) -> list[tuple[Row, str]]:
    """Rows of one table in force together with the same keys, each pair reported once on its
    later row (in `rows`' order): the row a staff member has just typed comes last."""
    order = {id(row): index for index, row in enumerate(rows)}
    found = []
    for first, second in overlapping_rows(rows):
        earlier, later = sorted((first, second), key=lambda row: order[id(row)])
        found.append((later, translate(overlap_problem(earlier, later))))
    return found
