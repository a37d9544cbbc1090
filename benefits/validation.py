"""Checks on catalogue rules, shared by the YAML loader and the admin's `clean()` methods.

Each returns a list of plain messages (empty when all is well), so staff see every problem at
once and a bad file is refused before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from eligibility.expressions import ExpressionError, compile_expression

OPERATORS_BY_TYPE: dict[str, set[str]] = {
    "date": {"eq", "ne", "gte", "lte", "between", "within"},
    "enum": {"eq", "ne", "in", "not_in"},
    "bool": {"eq", "ne"},
    "int": {"eq", "ne", "in", "not_in", "gte", "lte", "between"},
    "number": {"eq", "ne", "gte", "lte", "between"},
    "string": {"eq", "ne", "in", "not_in"},
    "list": {"contains", "excludes"},
}
LIST_OPERATORS = {"in", "not_in", "excludes"}
AMOUNT_KINDS = {"fixed", "table", "rate", "formula", "none"}
PERIODS = {"once", "month", "year"}


class FactLike(Protocol):
    type: str
    values: Any


def condition_errors(
    fact: str, operator: str, value: Any, facts: Mapping[str, FactLike]
) -> list[str]:
    """What is wrong with the condition `fact operator value`, given the fact registry."""
    spec = facts.get(fact)
    if spec is None:
        return [f"Unknown fact {fact!r}."]
    allowed = OPERATORS_BY_TYPE.get(spec.type, set())
    if operator not in allowed:
        return [
            f"Operator {operator!r} cannot be used with {spec.type} fact {fact!r}; "
            f"use one of {', '.join(sorted(allowed))}."
        ]
    if operator == "within":
        return _within_errors(value, facts)
    if operator == "between":
        if not isinstance(value, list | tuple) or len(value) != 2:
            return [f"'between' needs a list of two values for {fact!r}."]
        return [e for item in value for e in _value_errors(fact, spec, item)]
    if operator in LIST_OPERATORS:
        if not isinstance(value, list | tuple) or not value:
            return [f"{operator!r} needs a non-empty list of values for {fact!r}."]
        return [e for item in value for e in _value_errors(fact, spec, item)]
    return _value_errors(fact, spec, value)


def _value_errors(fact: str, spec: FactLike, value: Any) -> list[str]:
    kind = spec.type
    values = list(spec.values or [])
    if kind in ("enum", "list"):
        if value not in values:
            return [
                f"{value!r} is not an allowed value of {fact!r} ({', '.join(map(str, values))})."
            ]
    elif kind == "bool":
        if not isinstance(value, bool):
            return [f"{fact!r} is yes/no: use true or false, not {value!r}."]
    elif kind in ("int", "number"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return [f"{fact!r} is a number: {value!r} is not."]
        if values and value not in values:
            return [f"{value!r} is not an allowed value of {fact!r}."]
    elif kind == "date":
        if not _is_date(value):
            return [f"{fact!r} is a date: {value!r} is not a date (YYYY-MM-DD)."]
    elif kind == "string" and not isinstance(value, str):
        return [f"{fact!r} is text: {value!r} is not."]
    return []


def _is_date(value: Any) -> bool:
    if isinstance(value, dt.date):
        return True
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _within_errors(value: Any, facts: Mapping[str, FactLike]) -> list[str]:
    if not isinstance(value, Mapping):
        return ["'within' needs {months: N or years: N, of: as_of or a date fact}."]
    errors = []
    span = [k for k in ("months", "years") if k in value]
    if len(span) != 1 or not isinstance(value[span[0]], int) or value[span[0]] < 0:
        errors.append("'within' needs exactly one of months or years, a whole number.")
    reference = value.get("of", "as_of")
    if reference != "as_of" and getattr(facts.get(reference), "type", None) != "date":
        errors.append(f"'within … of {reference}' must name as_of or a date fact.")
    if value.get("direction", "before") not in ("before", "after"):
        errors.append("'within' direction is before or after.")
    unknown = set(value) - {"months", "years", "of", "direction"}
    if unknown:
        errors.append(f"'within' does not take {', '.join(sorted(unknown))}.")
    return errors


def expression_errors(text: str, known_names: Iterable[str], label: str) -> list[str]:
    if not text:
        return []
    try:
        compile_expression(text, known_names=set(known_names) | {"as_of"})
    except ExpressionError as exc:
        return [f"{label}: {exc}"]
    return []


def amount_fields_errors(
    kind: str,
    period: str,
    *,
    value: Any,
    rate: Any,
    cap: Any,
    base: str,
    table: Any,
    table_keys: list[str],
    formula: str,
    when: str,
    known_names: set[str],
    table_key_count: int | None,
) -> list[str]:
    """What is missing or wrong in one amount rule."""
    errors: list[str] = []
    if kind not in AMOUNT_KINDS:
        return [f"Unknown amount kind {kind!r}."]
    if period not in PERIODS:
        errors.append(f"Unknown period {period!r}; use once, month or year.")
    errors += expression_errors(when, known_names, "Applies when")
    if kind == "fixed" and value is None:
        errors.append("A fixed amount needs a value.")
    if kind == "rate":
        if rate is None or not 0 < float(rate) <= 1:
            errors.append("A rate needs a share between 0 and 1 (0.5 = 50%).")
        if cap is None and not base:
            errors.append("A rate needs a cap, a fact it is a share of, or both.")
        if base and base not in known_names:
            errors.append(f"Unknown fact {base!r} for the rate.")
    if kind == "table":
        if table is None:
            errors.append("A table amount needs a table.")
        unknown = [key for key in table_keys if key not in known_names]
        if unknown:
            errors.append(f"Unknown fact(s) for the table keys: {', '.join(unknown)}.")
        if table_key_count is not None and len(table_keys) != table_key_count:
            errors.append(
                f"The table has {table_key_count} key column(s) but "
                f"{len(table_keys)} key fact(s) are given."
            )
    if kind == "formula":
        if not formula:
            errors.append("A formula amount needs a formula.")
        errors += expression_errors(formula, known_names, "Formula")
    return errors


def amount_errors(amount: Any) -> dict[str, list[str]] | list[str]:
    """Errors for an Amount model instance (used by `Amount.clean`)."""
    from benefits.models import Fact, Parameter

    known = set(Fact.objects.values_list("key", flat=True))
    known |= set(Parameter.objects.values_list("key", flat=True))
    table = amount.table if amount.table_id else None
    return amount_fields_errors(
        amount.kind,
        amount.period,
        value=amount.value,
        rate=amount.rate,
        cap=amount.cap,
        base=amount.base,
        table=table,
        table_keys=list(amount.table_keys or []),
        formula=amount.formula,
        when=amount.when,
        known_names=known,
        table_key_count=len(table.keys) if table else None,
    )
