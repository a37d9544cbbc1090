"""Compile a catalogue (the schema) into the frozen objects the engine screens against.

Runs once per publication: expressions are parsed into closures, condition values are converted
to the types answers have (dates, Decimals, frozensets), clauses get their document number, and
tables become dictionaries keyed by their key columns. A screening then only calls and looks up.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from rules import catalogue as cat
from rules import schema
from rules.expressions import Expression, compile_expression


def compile_catalogue(source: schema.Catalogue, version: str = "draft") -> cat.Catalogue:
    """The engine's catalogue for `source`; `version` names it (e.g. the publication)."""
    facts = {fact.key: _fact(fact) for fact in sorted(source.all_facts(), key=lambda f: f.order)}
    documents = {
        document.number: cat.SourceDocument(document.number, _text(document.title))
        for document in source.documents
    }
    tables: dict[str, dict[tuple[str, ...], Any]] = {}
    table_labels: dict[str, dict[tuple[str, ...], cat.Text]] = {}
    for table in source.all_tables():
        rows = sorted(table.rows, key=lambda row: row.no)
        tables[table.slug] = {tuple(row.keys): row.value for row in rows}
        table_labels[table.slug] = {tuple(row.keys): _text(row.label) for row in rows}
    parameters = {
        parameter.key: cat.Parameter(
            parameter.key,
            _text(parameter.name),
            tuple(
                (value.valid_from, value.value)
                for value in sorted(parameter.values, key=lambda v: v.valid_from)
            ),
        )
        for parameter in source.all_parameters()
    }
    slugs = {programme.slug for programme in source.programmes}
    programmes = tuple(
        _programme(programme, facts, documents, slugs)
        for programme in sorted(source.programmes, key=lambda p: (p.order, p.slug))
    )
    return cat.Catalogue(
        programmes=programmes,
        facts=facts,
        parameters=parameters,
        tables=tables,
        table_labels=table_labels,
        version=version,
    )


def _text(text: schema.Text | None) -> cat.Text:
    return cat.EMPTY if text is None else cat.Text(text.zh, text.en)


def _expression(text: str | None) -> Expression | None:
    return compile_expression(text) if text else None


def _fact(fact: schema.Fact) -> cat.FactSpec:
    return cat.FactSpec(
        key=fact.key,
        type=fact.type,
        question=_text(fact.question),
        help=_text(fact.help),
        values=tuple(fact.values),
        labels={key: _text(label) for key, label in fact.labels.items()},
        min_value=fact.min,
        max_value=fact.max,
        past=fact.past,
        ask_if=_expression(fact.ask_if),
        derived=_expression(fact.derived),
        group=fact.group,
        order=fact.order,
    )


def _coerce(fact: cat.FactSpec | None, value: Any) -> Any:
    """A condition value as stored (JSON) → the type answers have (dates, Decimals)."""
    if isinstance(value, list):
        return tuple(_coerce(fact, item) for item in value)
    if fact is None:
        return value
    if fact.type == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if fact.type in ("int", "number") and isinstance(value, int | float):
        return value if isinstance(value, bool) else Decimal(str(value))
    return value


def _condition(condition: schema.Condition, facts: dict[str, cat.FactSpec]) -> cat.Condition:
    fact = facts.get(condition.fact)
    value, operator = condition.value, condition.op
    if operator == "within":
        value = {
            "months": value.get("months", 0) + 12 * value.get("years", 0),
            "of": value.get("of", "as_of"),
            "direction": value.get("direction", "before"),
        }
    elif operator == "between":
        value = tuple(_coerce(fact, item) for item in value)
    elif operator in ("in", "not_in", "excludes"):
        value = frozenset(_coerce(fact, item) for item in value)
    else:
        value = _coerce(fact, value)
    return cat.Condition(condition.fact, operator, value)


class _Citer:
    """Full citations: a clause of the programme's document gets the document number."""

    def __init__(self, number: str) -> None:
        self.number = number

    def __call__(self, clause: str) -> str:
        return f"{self.number} {clause}".strip() if clause else self.number

    def optional(self, clause: str) -> str:
        return self(clause) if clause else ""


def _programme(
    source: schema.Programme,
    facts: dict[str, cat.FactSpec],
    documents: dict[str, cat.SourceDocument],
    slugs: set[str],
) -> cat.Programme:
    cite = _Citer(source.document)
    apply = source.apply
    return cat.Programme(
        slug=source.slug,
        name=_text(source.name),
        summary=_text(source.summary),
        category=source.category,
        audience=source.audience,
        document=documents[source.document],
        requirements=_requirements(source, facts, cite),
        amounts=tuple(_amount(amount, cite) for amount in source.amounts),
        period_start=source.period.start,
        period_end=source.period.end,
        period_clause=cite.optional(source.period_clause),
        conflicts=tuple(
            cat.Conflict(conflict.programme, cite(conflict.clause), _text(conflict.note))
            for conflict in source.conflicts
            if conflict.programme in slugs  # a programme not yet encoded: ignored until it is
        ),
        deadlines=tuple(
            cat.Deadline(
                _text(d.description), cite(d.clause), d.relative_to or "", d.months, d.date
            )
            for d in apply.deadlines
        ),
        channels=tuple(
            cat.Channel(channel.kind, _text(channel.name), channel.url)
            for channel in apply.channels
        ),
        materials=tuple(_text(material) for material in apply.materials),
        steps=tuple(_text(step) for step in apply.steps),
        agent=_text(apply.agent),
        processing=_text(apply.processing),
        payment=_text(apply.payment),
        office=_text(source.office),
        apply_clause=cite.optional(apply.clause),
        decisions=tuple(_text(decision) for decision in source.decisions),
        cites=tuple(documents[number] for number in source.cites),
        tables=tuple(table.slug for table in source.tables),
    )


def _requirements(
    source: schema.Programme, facts: dict[str, cat.FactSpec], cite: _Citer
) -> tuple[cat.Requirement, ...]:
    """Requirements, then exclusions (a requirement that the person receives none of a list)."""
    requirements = [
        cat.Requirement(
            clause=cite(requirement.clause),
            description=_text(requirement.description),
            alternatives=tuple(
                tuple(_condition(condition, facts) for condition in alternative)
                for alternative in requirement.alternatives
            ),
            kind="requirement",
            text=requirement.text,
            note=_text(requirement.note),
            open_list=requirement.open_list,
        )
        for requirement in source.requirements
    ]
    requirements += [
        cat.Requirement(
            clause=cite(exclusion.clause),
            description=_text(exclusion.description),
            alternatives=((cat.Condition("receives", "excludes", frozenset(exclusion.receives)),),),
            kind="exclusion",
            text=exclusion.text,
            note=_text(exclusion.note),
        )
        for exclusion in source.exclusions
    ]
    return tuple(requirements)


def _amount(amount: schema.Amount, cite: _Citer) -> cat.AmountRule:
    return cat.AmountRule(
        kind=amount.kind,
        period=amount.period,
        clause=cite(amount.clause),
        note=_text(amount.note),
        when=_expression(amount.when),
        value=amount.value,
        rate=amount.rate,
        base=amount.base or "",
        cap=amount.cap,
        table=amount.table or "",
        table_keys=tuple(amount.keys),
        formula=_expression(amount.formula),
    )
