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
from rules.dates import period_boundaries
from rules.expressions import Expression, compile_expression
from rules.figures import BadReference, Reference, parse_reference, references, render


def compile_catalogue(source: schema.Catalogue, version: str = "draft") -> cat.Catalogue:
    """The engine's catalogue for `source`; `version` names it (e.g. the publication)."""
    facts = {fact.key: _fact(fact) for fact in sorted(source.all_facts(), key=lambda f: f.order)}
    documents = {
        document.number: cat.SourceDocument(document.number, _text(document.title))
        for document in source.documents
    }
    table_rows = {
        table.slug: tuple(
            cat.TableRow(tuple(row.keys), row.value, _text(row.label), row.valid_from, row.valid_to)
            for row in sorted(table.rows, key=lambda row: row.no)
        )
        for table in source.all_tables()
    }
    table_labels = {
        slug: {row.keys: row.label for row in rows} for slug, rows in table_rows.items()
    }
    table_eras = _table_eras(table_rows)
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
    figures = _Figures(parameters, table_rows)
    variants = [
        {
            day: _programme(figures.rendered(programme, day), facts, documents, slugs)
            for day in figures.change_days(programme)
        }
        for programme in sorted(source.programmes, key=lambda p: (p.order, p.slug))
    ]
    days = sorted(set().union(*variants)) if variants else [dt.date.min]
    eras = tuple((day, tuple(_in_force(variant, day) for variant in variants)) for day in days)
    return cat.Catalogue(
        programmes=eras[-1][1],
        facts=facts,
        parameters=parameters,
        tables=table_eras[-1][1],
        table_labels=table_labels,
        version=version,
        eras=eras,
        table_rows=table_rows,
        table_eras=table_eras,
    )


def _in_force(variants: dict[dt.date, cat.Programme], day: dt.date) -> cat.Programme:
    return variants[max(start for start in variants if start <= day)]


def _table_eras(
    table_rows: dict[str, tuple[cat.TableRow, ...]],
) -> tuple[tuple[dt.date, cat.Tables], ...]:
    """The tables' rows in force from each day on which a row starts or ends, oldest first.

    Built here so that a screening only picks the era of its date. A table whose rows do not
    change on a day keeps the same dictionary, so undated tables are held once. Rows with the
    same keys in force on the same day are refused by `rules.validation`; were they published,
    the later row number would win.
    """
    days = {dt.date.min} | {
        day
        for rows in table_rows.values()
        for row in rows
        for day in period_boundaries(row.valid_from, row.valid_to)
    }
    eras: list[tuple[dt.date, cat.Tables]] = []
    previous: cat.Tables = {}
    for day in sorted(days):
        current: cat.Tables = {}
        for slug, rows in table_rows.items():
            in_force = {row.keys: row.value for row in rows if row.in_force(day)}
            current[slug] = previous[slug] if previous.get(slug) == in_force else in_force
        eras.append((day, current))
        previous = current
    return tuple(eras)


class _Figures:
    """Programme texts and amount figures rendered from the parameters and table rows in force
    on a day.

    A programme that names a dated parameter or a dated table row is compiled once per period
    in which its figures are constant (`change_days`), so a screening only picks the variant
    for its date. Before a parameter's first value its first value is shown (the programme has
    not started then); a table row is shown only while it is in force, as the engine uses it.
    """

    def __init__(
        self,
        parameters: dict[str, cat.Parameter],
        table_rows: dict[str, tuple[cat.TableRow, ...]],
    ) -> None:
        self.parameters = parameters
        self.table_rows = table_rows

    def change_days(self, programme: schema.Programme) -> list[dt.date]:
        references = _references(programme)
        named = {ref.parameter for ref in references if ref.parameter and ref.day is None}
        named |= {
            figure
            for amount in programme.amounts
            for figure in (amount.value, amount.cap)
            if isinstance(figure, str)
        }
        days = {
            start
            for key in named
            if key in self.parameters
            for start, _ in self.parameters[key].values[1:]
        }
        days |= {
            day
            for ref in references
            if ref.table
            for row in self._rows(ref)
            for day in period_boundaries(row.valid_from, row.valid_to)
        }
        return [dt.date.min, *sorted(days - {dt.date.min})]

    def _rows(self, reference: Reference) -> list[cat.TableRow]:
        """The rows of the table a placeholder names that have its keys (one per period)."""
        rows = self.table_rows.get(reference.table, ())
        return [row for row in rows if row.keys == reference.keys]

    def value(self, key: str, day: dt.date) -> Decimal | None:
        parameter = self.parameters.get(key)
        if parameter is None or not parameter.values:
            return None
        found = parameter.value_on(day)
        return parameter.values[0][1] if found is None else found

    def lookup(self, day: dt.date) -> Any:
        def figure(reference: Reference) -> Any:
            if reference.table:  # the row in force on the day, or none: rendered as "?"
                found = [row.value for row in self._rows(reference) if row.in_force(day)]
                return found[-1] if found else None
            return self.value(reference.parameter, reference.day or day)

        return figure

    def rendered(self, programme: schema.Programme, day: dt.date) -> schema.Programme:
        lookup = self.lookup(day)
        amounts = [
            amount.model_copy(
                update={
                    "value": self._figure(amount.value, day),
                    "cap": self._figure(amount.cap, day),
                }
            )
            for amount in programme.amounts
        ]
        rendered = _render_texts(programme, lookup)
        assert isinstance(rendered, schema.Programme)
        return rendered.model_copy(update={"amounts": _render_texts(amounts, lookup)})

    def _figure(self, figure: Decimal | str | None, day: dt.date) -> Decimal | None:
        return self.value(figure, day) if isinstance(figure, str) else figure


def _references(model: Any) -> list[Reference]:
    found = []
    for source in (source for _, text in schema.texts_in(model) for source in references(text)):
        try:
            found.append(parse_reference(source))
        except BadReference:  # reported by rules.validation; rendered as "?"
            continue
    return found


def _render_texts(model: Any, lookup: Any) -> Any:
    """`model` with every bilingual text rendered; models without placeholders are kept."""
    if isinstance(model, schema.Text):
        if "{" not in model.zh and "{" not in model.en:
            return model
        return schema.Text(zh=render(model.zh, lookup, "zh"), en=render(model.en, lookup, "en"))
    if isinstance(model, schema.Model):
        fields = type(model).model_fields
        update = {name: _render_texts(getattr(model, name), lookup) for name in fields}
        return model.model_copy(update=update)
    if isinstance(model, list):
        return [_render_texts(item, lookup) for item in model]
    return model


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
        scope=fact.scope,
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
        plain=_text(source.plain),
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
        value=_number(amount.value),
        rate=amount.rate,
        base=amount.base or "",
        cap=_number(amount.cap),
        table=amount.table or "",
        table_keys=tuple(amount.keys),
        formula=_expression(amount.formula),
    )


def _number(figure: Decimal | str | None) -> Decimal | None:
    """An amount figure after rendering (a parameter key left over names no parameter)."""
    return figure if isinstance(figure, Decimal) else None
