"""Checks on catalogue rules, shared by the YAML loader and the admin's `clean()` methods.

Each returns a list of plain messages (empty when all is well), so staff see every problem at
once and a bad file is refused before anything is written. Messages are in the active language
(Chinese unless the staff member switched to English).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from django.utils.translation import gettext as _

from rules.expressions import ExpressionError, compile_expression

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
        return [_("Unknown fact %(fact)r.") % {"fact": fact}]
    allowed = OPERATORS_BY_TYPE.get(spec.type, set())
    if operator not in allowed:
        return [
            _(
                "Operator %(operator)r cannot be used with %(type)s fact %(fact)r; "
                "use one of %(allowed)s."
            )
            % {"operator": operator, "type": spec.type, "fact": fact, "allowed": _join(allowed)}
        ]
    if operator == "within":
        return _within_errors(value, facts)
    if operator == "between":
        if not isinstance(value, list | tuple) or len(value) != 2:
            return [_("'between' needs a list of two values for %(fact)r.") % {"fact": fact}]
        return [e for item in value for e in _value_errors(fact, spec, item)]
    if operator in LIST_OPERATORS:
        if not isinstance(value, list | tuple) or not value:
            return [
                _("%(operator)r needs a non-empty list of values for %(fact)r.")
                % {"operator": operator, "fact": fact}
            ]
        return [e for item in value for e in _value_errors(fact, spec, item)]
    return _value_errors(fact, spec, value)


def _value_errors(fact: str, spec: FactLike, value: Any) -> list[str]:
    kind = spec.type
    values = list(spec.values or [])
    if kind in ("enum", "list"):
        if value not in values:
            return [
                _("%(value)r is not an allowed value of %(fact)r (%(values)s).")
                % {"value": value, "fact": fact, "values": _join(values, sort=False)}
            ]
    elif kind == "bool":
        if not isinstance(value, bool):
            return [
                _("%(fact)r is yes/no: use true or false, not %(value)r.")
                % {"fact": fact, "value": value}
            ]
    elif kind in ("int", "number"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return [_("%(fact)r is a number: %(value)r is not.") % {"fact": fact, "value": value}]
        if values and value not in values:
            return [
                _("%(value)r is not an allowed value of %(fact)r (%(values)s).")
                % {"value": value, "fact": fact, "values": _join(values, sort=False)}
            ]
    elif kind == "date":
        if not _is_date(value):
            return [
                _("%(fact)r is a date: %(value)r is not a date (YYYY-MM-DD).")
                % {"fact": fact, "value": value}
            ]
    elif kind == "string" and not isinstance(value, str):
        return [_("%(fact)r is text: %(value)r is not.") % {"fact": fact, "value": value}]
    return []


def _join(items: Iterable[Any], sort: bool = True) -> str:
    texts = [str(item) for item in items]
    return ", ".join(sorted(texts) if sort else texts)


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
        return [_("'within' needs {months: N or years: N, of: as_of or a date fact}.")]
    errors = []
    span = [k for k in ("months", "years") if k in value]
    if len(span) != 1 or not isinstance(value[span[0]], int) or value[span[0]] < 0:
        errors.append(_("'within' needs exactly one of months or years, a whole number."))
    reference = value.get("of", "as_of")
    if reference != "as_of" and getattr(facts.get(reference), "type", None) != "date":
        errors.append(
            _("'within … of %(reference)s' must name as_of or a date fact.")
            % {"reference": reference}
        )
    if value.get("direction", "before") not in ("before", "after"):
        errors.append(_("'within' direction is before or after."))
    unknown = set(value) - {"months", "years", "of", "direction"}
    if unknown:
        errors.append(_("'within' does not take %(keys)s.") % {"keys": _join(unknown)})
    return errors


def expression_message(error: ExpressionError) -> str:
    """The parser's message in the active language."""
    return _(error.message) % error.params


def expression_errors(text: str, known_names: Iterable[str], label: str) -> list[str]:
    if not text:
        return []
    try:
        compile_expression(text, known_names=set(known_names) | {"as_of"})
    except ExpressionError as exc:
        return [_("%(label)s: %(error)s") % {"label": label, "error": expression_message(exc)}]
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
        return [_("Unknown amount kind %(kind)r.") % {"kind": kind}]
    if period not in PERIODS:
        errors.append(_("Unknown period %(period)r; use once, month or year.") % {"period": period})
    errors += expression_errors(when, known_names, _("Applies when"))
    if kind == "fixed" and value is None:
        errors.append(_("A fixed amount needs a value."))
    if kind == "rate":
        if rate is None or not 0 < float(rate) <= 1:
            errors.append(_("A rate needs a share between 0 and 1 (0.5 = 50%)."))
        if cap is None and not base:
            errors.append(_("A rate needs a cap, a fact it is a share of, or both."))
        if base and base not in known_names:
            errors.append(_("Unknown fact %(fact)r for the rate.") % {"fact": base})
    if kind == "table":
        if table is None:
            errors.append(_("A table amount needs a table."))
        unknown = [key for key in table_keys if key not in known_names]
        if unknown:
            errors.append(
                _("Unknown fact(s) for the table keys: %(keys)s.")
                % {"keys": _join(unknown, sort=False)}
            )
        if table_key_count is not None and len(table_keys) != table_key_count:
            errors.append(
                _("The table has %(columns)d key column(s) but %(given)d key fact(s) are given.")
                % {"columns": table_key_count, "given": len(table_keys)}
            )
    if kind == "formula":
        if not formula:
            errors.append(_("A formula amount needs a formula."))
        errors += expression_errors(formula, known_names, _("Formula"))
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
