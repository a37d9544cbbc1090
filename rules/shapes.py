"""Answer shapes: a resident's answers coarsened until they identify no one.

Kept (anonymously, counted) so a publisher can see how a draft would change real screenings, not
only the persona cases. A shape is relative to the day of its screening:

- a date of birth becomes whole years of age on that day; any other date whole months before it
  (negative: months after it);
- a number (an income, a count of months) is rounded down to two significant figures (2,850 →
  2,800; 187 → 180; numbers under 100 to the whole number), except that a figure a requirement
  compares the same fact with is a band edge too, so the shape stays on the same side of it;
- choices, yes/no and lists of choices are the catalogue's own values and are kept;
- text is kept only when it is a key of a gazette table (an occupation in the gazette's list);
  anything the resident typed in their own words is dropped;
- derived facts are not kept: they are worked out again from the shape.

`shape_answers` turns a shape back into answers for any screening day, so a resident like this
one can be screened with the published catalogue and with the draft.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from decimal import ROUND_FLOOR, Decimal
from functools import lru_cache
from typing import Any

from rules.catalogue import Catalogue, FactSpec
from rules.dates import add_months, months_between, years_between
from rules.schema import json_number

BIRTH_DATE = re.compile(r"(^|_)birth_date$")
SIGNIFICANT = 2  # digits kept of a number


Coarsen = Callable[[Any, dt.date], Any]


def answer_shape(catalogue: Catalogue, answers: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
    """The anonymous shape of typed `answers` (see `rules.facts.parse_answers`) given on `day`."""
    coarseners = _coarseners(catalogue)
    shape: dict[str, Any] = {}
    for key in sorted(answers):
        coarsen = coarseners.get(key)
        value = answers[key]
        if coarsen is None or value is None:
            continue
        coarse = coarsen(value, day)
        if coarse is not None:
            shape[key] = coarse
    return shape


@lru_cache(maxsize=4)
def _coarseners(catalogue: Catalogue) -> dict[str, Coarsen]:
    """How each fact a shape keeps is coarsened, chosen once per catalogue (a shape is taken at
    every screening); derived facts have none: they are worked out again from the shape."""
    return {
        key: _coarsener(catalogue, spec)
        for key, spec in catalogue.facts.items()
        if spec.derived is None
    }


def _coarsener(catalogue: Catalogue, spec: FactSpec) -> Coarsen:
    if spec.type == "date":
        return _age if BIRTH_DATE.search(spec.key) else _months_before
    if spec.type == "string":
        table_keys = _table_keys(catalogue)
        return lambda value, day: value if value in table_keys else None
    if spec.type in ("int", "number") and not spec.values:
        edges = _thresholds(catalogue).get(spec.key, ())
        whole = spec.type == "int"
        return lambda value, day: json_number(band(Decimal(str(value)), edges, whole=whole))
    if spec.type in ("bool", "enum"):  # the catalogue's own values, kept as they are
        return _same
    return _kept


def _same(value: Any, day: dt.date) -> Any:
    return value


def _age(value: dt.date, day: dt.date) -> dict[str, int]:
    return {"years": years_between(value, day)}


def _months_before(value: dt.date, day: dt.date) -> dict[str, int]:
    return {"months": months_between(value, day)}


def _kept(value: Any, day: dt.date) -> Any:
    """Choices, yes/no and lists of choices: the catalogue's own values."""
    if isinstance(value, list | tuple):
        return sorted(value, key=str)
    if isinstance(value, Decimal):
        return json_number(value)
    return value


def band(value: Decimal, thresholds: tuple[Decimal, ...], *, whole: bool) -> Decimal:
    """`value` rounded down to two significant figures, or to the highest threshold (or the
    least figure above one) at or below it: a comparison with a threshold gives what it gave."""
    digits = value.copy_abs().adjusted() + 1
    step = Decimal(10) ** max(0, digits - SIGNIFICANT)
    down = (value / step).to_integral_value(ROUND_FLOOR) * step
    unit = Decimal(1) if whole else Decimal("0.01")
    for threshold in thresholds:
        for edge in (threshold, threshold + unit):
            if down < edge <= value:
                down = edge
    return down


@lru_cache(maxsize=4)
def _thresholds(catalogue: Catalogue) -> dict[str, tuple[Decimal, ...]]:
    """Figures requirements compare each fact with, by fact."""
    found: dict[str, set[Decimal]] = {}
    for programme in catalogue.programmes:
        for requirement in programme.requirements:
            for alternative in requirement.alternatives:
                for condition in alternative:
                    values = condition.value
                    for figure in values if isinstance(values, list | tuple) else [values]:
                        if isinstance(figure, int | float | Decimal) and not isinstance(
                            figure, bool
                        ):
                            found.setdefault(condition.fact, set()).add(Decimal(str(figure)))
    return {key: tuple(sorted(figures)) for key, figures in found.items()}


@lru_cache(maxsize=4)
def _table_keys(catalogue: Catalogue) -> frozenset[str]:
    return frozenset(
        key for rows in catalogue.tables.values() for keys in rows for key in keys
    ) | frozenset(key for rows in catalogue.table_rows.values() for row in rows for key in row.keys)


def shape_answers(shape: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """Raw answers (as the API takes them) of a resident of this shape screening on `day`."""
    raw: dict[str, Any] = {}
    for key, value in shape.items():
        if isinstance(value, dict) and "years" in value:
            # Half a year past the birthday: whole years of age is `years` on `day`.
            raw[key] = add_months(day, -12 * int(value["years"]) - 6).isoformat()
        elif isinstance(value, dict) and "months" in value:
            raw[key] = add_months(day, -int(value["months"])).isoformat()
        else:
            raw[key] = value
    return raw


def shape_digest(shape: dict[str, Any]) -> str:
    """The same shape always gives the same digest: shapes are counted, not repeated."""
    return hashlib.sha256(_canonical(shape).encode()).hexdigest()


_canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


Shape = tuple[dict[str, Any], str] | None  # a shape and its digest; None: nothing answered


def shape_of(catalogue: Catalogue, answers: Mapping[str, Any], day: dt.date) -> Shape:
    """The answers' shape and its digest, ready to be counted (None when nothing is answered)."""
    shape = answer_shape(catalogue, answers, day)
    return (shape, shape_digest(shape)) if shape else None
