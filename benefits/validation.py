"""Catalogue checks in the staff member's language, for the admin's `clean()` and the loader.

The checks themselves live in `rules.schema` (each field) and `rules.validation` (references
between them); this module runs them on what the admin or the files hold and translates their
messages (Chinese unless the staff member switched to English): pydantic's own messages are
English, so each kind of schema error has its message here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pydantic
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rules import schema
from rules.validation import (
    DatedRow,
    Problem,
    amount_figure_problems,
    amount_problems,
    clause_problems,
    condition_problems,
    expression_problems,
    overlap_problem,
    overlapping_rows,
    table_row_problems,
)

# A message for each kind of error pydantic reports, filled from the error's context.
SCHEMA_ERRORS = {
    "missing": gettext_noop("This field is required."),
    "string_too_short": gettext_noop("This field cannot be empty."),
    "string_too_long": gettext_noop("At most %(max_length)s characters."),
    "string_pattern_mismatch": gettext_noop("%(input)r is not in the expected form."),
    "too_short": gettext_noop("Give at least %(min_length)s."),
    "greater_than_equal": gettext_noop("Must be at least %(ge)s."),
    "greater_than": gettext_noop("Must be more than %(gt)s."),
    "less_than_equal": gettext_noop("Must be at most %(le)s."),
    "less_than": gettext_noop("Must be less than %(lt)s."),
    "decimal_parsing": gettext_noop("%(input)r is not a number."),
    "decimal_type": gettext_noop("%(input)r is not a number."),
    "int_parsing": gettext_noop("%(input)r is not a whole number."),
    "int_type": gettext_noop("%(input)r is not a whole number."),
    "int_from_float": gettext_noop("%(input)r is not a whole number."),
    "date_parsing": gettext_noop("%(input)r is not a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": gettext_noop("%(input)r is not a date (YYYY-MM-DD)."),
    "date_type": gettext_noop("%(input)r is not a date (YYYY-MM-DD)."),
    "bool_parsing": gettext_noop("%(input)r is not yes or no."),
    "bool_type": gettext_noop("%(input)r is not yes or no."),
    "string_type": gettext_noop("%(input)r is not text."),
    "list_type": gettext_noop("%(input)r is not a list."),
    "dict_type": gettext_noop("%(input)r is not a mapping."),
    "literal_error": gettext_noop("%(input)r is not one of the choices."),
    "extra_forbidden": gettext_noop("This field is not part of the catalogue format."),
    "figure_negative": gettext_noop("An amount cannot be negative (%(value)s)."),
    "figure_not_a_number": gettext_noop("%(value)s is not a figure."),
    "amount_not_a_figure": gettext_noop(
        "%(value)r is neither a figure in yuan (digits only, such as 2000) nor the key of a "
        "parameter."
    ),
    "row_keys": gettext_noop("Row %(no)s has %(given)s key(s), not %(expected)s."),
}


def translate(problem: Problem) -> str:
    """A problem's message in the active language, after where it is (when known; a place
    that is a field label marked for translation is translated too)."""
    text = _(problem.message)
    if problem.params:
        text = text % dict(problem.params)
    if not problem.where:
        return text
    return _("%(label)s: %(error)s") % {"label": _(problem.where), "error": text}


def schema_message(item: Mapping[str, Any]) -> str:
    """One pydantic error in the active language."""
    context = dict(item.get("ctx") or {})
    if item["type"] == "value_error":  # the schema's own checks: messages marked in rules
        text = _(str(context.get("error", "")))
        return text[:1].upper() + text[1:]
    template = SCHEMA_ERRORS.get(item["type"])
    if template is None:
        return _("This value is not valid.")
    return _(template) % {"input": item.get("input"), **context}


def schema_messages(
    error: pydantic.ValidationError, where: str = "", labels: Mapping[str, str] | None = None
) -> list[str]:
    """Pydantic's field errors as "where field: message" lines; `labels` names the fields as
    the staff member's form does (schema field name → label)."""
    lines = []
    for item in error.errors():
        names = [str(part) for part in item["loc"] if isinstance(part, str | int)]
        if names and labels and names[0] in labels:
            names[0] = str(labels[names[0]])
        label = " ".join(part for part in (where, *names) if part)
        message = schema_message(item)
        lines.append(
            _("%(label)s: %(error)s") % {"label": label, "error": message} if label else message
        )
    return lines


def condition_errors(fact: str, operator: str, value: Any, facts: Mapping[str, Any]) -> list[str]:
    return [translate(p) for p in condition_problems(fact, operator, value, facts)]


def expression_errors(text: str, known_names: Iterable[str]) -> list[str]:
    return [translate(p) for p in expression_problems(text, known_names, "")]


def clause_errors(clause: str, number: str, text_of: Callable[[str], str | None]) -> list[str]:
    """A clause of document `number` that names no document or no place of its text."""
    return [translate(p) for p in clause_problems(clause, number, text_of, "")]


def _label(model: Any, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


def amount_errors(
    amount: Any, known_names: set[str], parameters: set[str], facts: Mapping[str, Any]
) -> list[str]:
    """Errors for an admin `Amount` row: checked as the schema's `Amount`, then its names (and,
    for a table lookup, the table's rows against the key facts' allowed values)."""
    table = amount.table if amount.table_id else None
    fields = ["when", "kind", "period", "value", "rate", "base", "cap", "table", "formula"]
    labels = {name: _label(amount, name) for name in [*fields, "clause"]}
    labels["keys"] = _label(amount, "table_keys")
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
        return schema_messages(exc, labels=labels)
    tables = {}
    if table is not None:
        tables[table.slug] = schema.Table.model_construct(
            slug=table.slug, keys=list(table.keys) or ["key"], rows=stored_rows(table.rows.all())
        )
    problems = amount_problems(rule, known_names, tables, "", facts)
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


def stored_rows(rows: Iterable[Any]) -> list[schema.TableRow]:
    """Admin table rows as the schema's rows, as stored (unchecked: the checks report them)."""
    return [
        schema.TableRow.model_construct(no=row.no, keys=[str(k) for k in row.keys], value=row.value)
        for row in rows
    ]


def table_row_errors(row: Any, amounts: Iterable[Any], facts: Mapping[str, Any]) -> list[str]:
    """Errors for an admin `TableRow`: checked as the schema's row, then, for each amount rule
    that looks the table up, its keys against the key facts and its value as a figure."""
    labels = {name: _label(row, name) for name in ("no", "keys", "value", "extra")}
    try:
        schema.TableRow(no=row.no, keys=row.keys, value=row.value, extra=row.extra or {})
    except pydantic.ValidationError as exc:
        return schema_messages(exc, labels=labels)
    problems: list[Problem] = []
    for amount in amounts:
        problems += table_row_problems(stored_rows([row]), list(amount.table_keys), facts, "")
    return list(dict.fromkeys(translate(p) for p in problems))  # once, however many rules
