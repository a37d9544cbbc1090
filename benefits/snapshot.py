"""The published catalogue as an immutable snapshot, built once and cached in the process.

Screening reads only the snapshot, so it costs no database query. Any save or delete of a
catalogue row drops the cached snapshot (see `benefits.signals`); the next screening rebuilds it.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from decimal import Decimal
from typing import Any

from benefits import models
from eligibility import catalogue as cat
from eligibility.expressions import compile_expression

_lock = threading.Lock()
_cached: cat.Catalogue | None = None
# Counts invalidations, so tests can tell whether a catalogue row changed during a test.
generation = 0


def get_catalogue() -> cat.Catalogue:
    """The current snapshot; built on first use and after every catalogue change."""
    global _cached
    snapshot = _cached
    if snapshot is None:
        with _lock:
            if _cached is None:
                _cached = build_catalogue()
            snapshot = _cached
    return snapshot


def invalidate() -> None:
    global _cached, generation
    _cached = None
    generation += 1


def _text(zh: str, en: str) -> cat.Text:
    return cat.Text(zh or "", en or "")


def _coerce(fact: cat.FactSpec | None, value: Any) -> Any:
    """Condition values as stored (JSON) → the types answers have (dates, Decimals)."""
    if isinstance(value, list):
        return tuple(_coerce(fact, item) for item in value)
    if fact is None:
        return value
    if fact.type == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if (
        fact.type in ("int", "number")
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    ):
        return Decimal(str(value))
    return value


def _condition(row: models.Condition, facts: dict[str, cat.FactSpec]) -> cat.Condition:
    fact = facts.get(row.fact)
    value = row.value
    if row.operator == "within":
        months = value.get("months", 0) + 12 * value.get("years", 0)
        value = {
            "months": months,
            "of": value.get("of", "as_of"),
            "direction": value.get("direction", "before"),
        }
    elif row.operator == "between":
        value = tuple(_coerce(fact, item) for item in value)
    elif row.operator in ("in", "not_in", "excludes"):
        value = frozenset(_coerce(fact, item) for item in value)
    else:
        value = _coerce(fact, value)
    return cat.Condition(row.fact, row.operator, value)


def _fact(row: models.Fact) -> cat.FactSpec:
    return cat.FactSpec(
        key=row.key,
        type=row.type,
        question=_text(row.question_zh, row.question_en),
        help=_text(row.help_zh, row.help_en),
        values=tuple(row.values or ()),
        labels={
            str(k): _text(v.get("zh", ""), v.get("en", "")) for k, v in (row.labels or {}).items()
        },
        min_value=row.min_value,
        max_value=row.max_value,
        ask_if=compile_expression(row.ask_if) if row.ask_if else None,
        derived=compile_expression(row.derived) if row.derived else None,
        group=row.group,
        order=row.order,
    )


def _document(row: models.Document) -> cat.SourceDocument:
    return cat.SourceDocument(row.number, _text(row.title_zh, row.title_en))


def build_catalogue() -> cat.Catalogue:
    facts = {row.key: _fact(row) for row in models.Fact.objects.all()}
    tables: dict[str, dict[tuple[str, ...], Any]] = {}
    table_labels: dict[str, dict[tuple[str, ...], cat.Text]] = {}
    for row in models.TableRow.objects.select_related("table"):
        value = row.value
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = Decimal(str(value))
        keys = tuple(str(k) for k in row.keys)
        tables.setdefault(row.table.slug, {})[keys] = value
        table_labels.setdefault(row.table.slug, {})[keys] = _text(row.label_zh, row.label_en)
    for table in models.AmountTable.objects.all():
        tables.setdefault(table.slug, {})
    parameters = {
        parameter.key: cat.Parameter(
            parameter.key,
            _text(parameter.name_zh, parameter.name_en),
            tuple((v.effective_from, v.value) for v in parameter.values.all()),
        )
        for parameter in models.Parameter.objects.prefetch_related("values")
    }
    programmes = models.Programme.objects.select_related("document").prefetch_related(
        "requirements__conditions",
        "amounts__table",
        "conflicts__other",
        "deadlines",
        "channels",
        "materials",
        "steps",
        "cites",
        "tables",
    )
    return cat.Catalogue(
        programmes=tuple(_programme(row, facts) for row in programmes),
        facts=facts,
        parameters=parameters,
        tables=tables,
        table_labels=table_labels,
        version=uuid.uuid4().hex,
    )


def _programme(row: models.Programme, facts: dict[str, cat.FactSpec]) -> cat.Programme:
    number = row.document.number

    def cite(clause: str) -> str:
        return f"{number} {clause}".strip() if clause else number

    requirements = []
    for requirement in row.requirements.all():
        alternatives: dict[int, list[cat.Condition]] = {}
        for condition in requirement.conditions.all():
            alternatives.setdefault(condition.alternative, []).append(_condition(condition, facts))
        requirements.append(
            cat.Requirement(
                clause=cite(requirement.clause),
                description=_text(requirement.description_zh, requirement.description_en),
                alternatives=tuple(tuple(conds) for _, conds in sorted(alternatives.items())),
                kind=requirement.kind,
                text=requirement.text,
                note=_text(requirement.note_zh, requirement.note_en),
            )
        )
    amounts = tuple(
        cat.AmountRule(
            kind=amount.kind,
            period=amount.period,
            clause=cite(amount.clause),
            note=_text(amount.note_zh, amount.note_en),
            when=compile_expression(amount.when) if amount.when else None,
            value=amount.value,
            rate=amount.rate,
            base=amount.base,
            cap=amount.cap,
            table=amount.table.slug if amount.table else "",
            table_keys=tuple(amount.table_keys or ()),
            formula=compile_expression(amount.formula) if amount.formula else None,
        )
        for amount in row.amounts.all()
    )
    return cat.Programme(
        slug=row.slug,
        name=_text(row.name_zh, row.name_en),
        summary=_text(row.summary_zh, row.summary_en),
        category=row.category,
        audience=row.audience,
        document=_document(row.document),
        requirements=tuple(requirements),
        amounts=amounts,
        period_start=row.period_start,
        period_end=row.period_end,
        period_clause=cite(row.period_clause) if row.period_clause else "",
        conflicts=tuple(
            cat.Conflict(c.other.slug, cite(c.clause), _text(c.note_zh, c.note_en))
            for c in row.conflicts.all()
        ),
        deadlines=tuple(
            cat.Deadline(
                _text(d.description_zh, d.description_en),
                cite(d.clause),
                d.relative_to,
                d.months,
                d.date,
            )
            for d in row.deadlines.all()
        ),
        channels=tuple(
            cat.Channel(c.kind, _text(c.name_zh, c.name_en), c.url) for c in row.channels.all()
        ),
        materials=tuple(_text(m.text_zh, m.text_en) for m in row.materials.all()),
        steps=tuple(_text(s.text_zh, s.text_en) for s in row.steps.all()),
        agent=_text(row.agent_zh, row.agent_en),
        processing=_text(row.processing_zh, row.processing_en),
        payment=_text(row.payment_zh, row.payment_en),
        office=_text(row.office_zh, row.office_en),
        apply_clause=cite(row.apply_clause) if row.apply_clause else "",
        decisions=tuple(_text(d.get("zh", ""), d.get("en", "")) for d in row.decisions or []),
        cites=tuple(_document(d) for d in row.cites.all()),
        tables=tuple(table.slug for table in row.tables.all()),
    )
