"""The draft catalogue in the database ↔ the catalogue schema (`rules.schema.Catalogue`).

The database is where staff edit; the schema is what is loaded, exported, published and
compiled. These two functions are the only translation between them, and they are exact
inverses: `read_draft()` after `write_draft(c)` gives `c` back (tested), so a catalogue can go
from the files to the admin and back without losing a field.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal
from typing import Any, cast

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from benefits import models
from rules import schema
from rules.library import ISSUER_SEPARATOR  # the draft keeps issuers in one line too


def _text(zh: str, en: str) -> schema.Text | None:
    return schema.Text(zh=zh, en=en) if zh or en else None


def _split(text: schema.Text | None) -> tuple[str, str]:
    return (text.zh, text.en) if text else ("", "")


# --- database → schema -----------------------------------------------------------------------


def read_draft() -> schema.Catalogue:
    """The catalogue as staff have edited it."""
    documents = [
        schema.Document(
            number=d.number,
            title=schema.Text(zh=d.title_zh, en=d.title_en),
            issuers=[name for name in d.issuers.split(ISSUER_SEPARATOR) if name],
            issue_date=d.issue_date,
            effective_date=d.effective_date,
            end_date=d.end_date,
            repeals=list(d.repeals or []),
            gazette=d.gazette,
            text_file=d.text_file or None,
            summary=_text(d.summary_zh, d.summary_en),
            full_text=d.full_text,
        )
        for d in models.Document.objects.order_by("id")
    ]
    facts_by_programme: dict[int | None, list[schema.Fact]] = defaultdict(list)
    for fact in models.Fact.objects.order_by("id"):
        facts_by_programme[fact.programme_id].append(_fact(fact))
    programmes = [
        _programme(programme, facts_by_programme[programme.id])
        for programme in models.Programme.objects.order_by("id").select_related("document")
    ]
    return schema.Catalogue(
        documents=documents, facts=facts_by_programme[None], programmes=programmes
    )


def _fact(fact: models.Fact) -> schema.Fact:
    return schema.Fact(
        key=fact.key,
        type=cast(schema.FactType, fact.type),
        values=list(fact.values or []),
        labels={k: schema.Text(**v) for k, v in (fact.labels or {}).items()},
        min=fact.min_value,
        max=fact.max_value,
        past=fact.past,
        scope=cast(schema.FactScope, fact.scope),
        question=schema.Text(zh=fact.question_zh, en=fact.question_en),
        help=_text(fact.help_zh, fact.help_en),
        ask_if=fact.ask_if or None,
        derived=fact.derived or None,
        group=fact.group,
        order=fact.order,
    )


def _programme(programme: models.Programme, facts: list[schema.Fact]) -> schema.Programme:
    requirements = list(
        programme.requirements.order_by("order", "id").prefetch_related("conditions")
    )
    return schema.Programme(
        schema_version=schema.SCHEMA_VERSION,
        slug=programme.slug,
        name=schema.Text(zh=programme.name_zh, en=programme.name_en),
        plain=_text(programme.plain_zh, programme.plain_en),
        summary=schema.Text(zh=programme.summary_zh, en=programme.summary_en),
        category=cast(schema.Category, programme.category),
        audience=cast(schema.Audience, programme.audience),
        document=programme.document.number,
        cites=[d.number for d in programme.cites.order_by("id")],
        period=schema.ProgrammePeriod(start=programme.period_start, end=programme.period_end),
        period_clause=programme.period_clause,
        office=_text(programme.office_zh, programme.office_en),
        decisions=[schema.Text(**d) for d in programme.decisions or []],
        order=programme.order,
        facts=facts,
        requirements=[_requirement(r) for r in requirements if r.kind == "requirement"],
        exclusions=[_exclusion(r) for r in requirements if r.kind == "exclusion"],
        conflicts=[
            schema.Conflict(
                programme=c.other.slug,
                clause=c.clause,
                note=schema.Text(zh=c.note_zh, en=c.note_en),
            )
            for c in programme.conflicts.order_by("id").select_related("other")
        ],
        tables=[_table(t) for t in programme.tables.order_by("id")],
        parameters=[_parameter(p) for p in programme.parameters.order_by("id")],
        amounts=[
            _amount(a) for a in programme.amounts.order_by("order", "id").select_related("table")
        ],
        apply=_apply(programme),
        cases=[_case(c) for c in programme.cases.order_by("id")],
    )


def _requirement(requirement: models.Requirement) -> schema.Requirement:
    alternatives: dict[int, list[schema.Condition]] = defaultdict(list)
    for condition in sorted(requirement.conditions.all(), key=lambda c: (c.alternative, c.id)):
        alternatives[condition.alternative].append(
            schema.Condition(
                fact=condition.fact,
                op=cast(schema.Operator, condition.operator),
                value=condition.value,
            )
        )
    return schema.Requirement(
        clause=requirement.clause,
        text=requirement.text,
        description=schema.Text(zh=requirement.description_zh, en=requirement.description_en),
        note=_text(requirement.note_zh, requirement.note_en),
        open_list=requirement.open_list,
        alternatives=[alternatives[number] for number in sorted(alternatives)],
    )


def _exclusion(requirement: models.Requirement) -> schema.Exclusion:
    receives = [
        item
        for condition in requirement.conditions.all()
        if condition.fact == "receives" and condition.operator == "excludes"
        for item in condition.value
    ]
    return schema.Exclusion(
        clause=requirement.clause,
        text=requirement.text,
        description=schema.Text(zh=requirement.description_zh, en=requirement.description_en),
        note=_text(requirement.note_zh, requirement.note_en),
        receives=receives,
    )


def _table(table: models.AmountTable) -> schema.Table:
    return schema.Table(
        slug=table.slug,
        name=schema.Text(zh=table.name_zh, en=table.name_en),
        clause=table.clause,
        keys=list(table.keys or []),
        rows=[
            schema.TableRow(
                no=row.no,
                keys=list(row.keys),
                value=row.value,
                label=_text(row.label_zh, row.label_en),
                extra=row.extra or {},
                valid_from=row.valid_from,
                valid_to=row.valid_to,
            )
            for row in table.rows.order_by("no")
        ],
    )


def _parameter(parameter: models.Parameter) -> schema.Parameter:
    return schema.Parameter(
        key=parameter.key,
        name=schema.Text(zh=parameter.name_zh, en=parameter.name_en),
        unit=cast(schema.Unit, parameter.unit),  # one of the admin's choices
        values=[
            schema.ParameterValue.model_validate(
                {"from": v.effective_from, "value": v.value, "clause": v.clause}
            )
            for v in parameter.values.order_by("effective_from")
        ],
    )


def _amount(amount: models.Amount) -> schema.Amount:
    return schema.Amount(
        when=amount.when or None,
        kind=cast(schema.AmountKind, amount.kind),
        period=cast(schema.Period, amount.period),
        value=amount.value or None,
        rate=amount.rate,
        base=amount.base or None,
        cap=amount.cap or None,
        table=amount.table.slug if amount.table else None,
        keys=list(amount.table_keys or []),
        formula=amount.formula or None,
        clause=amount.clause,
        note=_text(amount.note_zh, amount.note_en),
    )


def _apply(programme: models.Programme) -> schema.Apply:
    return schema.Apply(
        clause=programme.apply_clause,
        channels=[
            schema.Channel(
                kind=cast(schema.ChannelKind, c.kind),
                name=schema.Text(zh=c.name_zh, en=c.name_en),
                url=c.url,
            )
            for c in programme.channels.order_by("order", "id")
        ],
        agent=_text(programme.agent_zh, programme.agent_en),
        materials=[
            schema.Text(zh=m.text_zh, en=m.text_en)
            for m in programme.materials.order_by("order", "id")
        ],
        steps=[
            schema.Text(zh=s.text_zh, en=s.text_en) for s in programme.steps.order_by("order", "id")
        ],
        deadlines=[
            schema.Deadline(
                description=schema.Text(zh=d.description_zh, en=d.description_en),
                clause=d.clause,
                relative_to=d.relative_to or None,
                months=d.months,
                date=d.date,
            )
            for d in programme.deadlines.order_by("order", "id")
        ],
        processing=_text(programme.processing_zh, programme.processing_en),
        payment=_text(programme.payment_zh, programme.payment_en),
    )


def _case(case: models.PersonaCase) -> schema.Case:
    expect: dict[str, Any] = {"status": case.expected_status}
    if case.check_amount:
        expect["amount"] = case.expected_amount
    if case.expected_reasons is not None:
        expect["reasons"] = case.expected_reasons
    if case.expected_missing is not None:
        expect["missing"] = case.expected_missing
    return schema.Case(
        name=schema.Text(zh=case.name_zh, en=case.name_en),
        clause=case.clause,
        as_of=case.as_of,
        answers=case.answers or {},
        expect=schema.Expectation.model_validate(expect),
    )


def fingerprint(catalogue: schema.Catalogue) -> str:
    """A hash of the catalogue's canonical JSON: equal exactly when the catalogues are."""
    return hashlib.sha256(catalogue.model_dump_json().encode()).hexdigest()


# --- schema → database -----------------------------------------------------------------------


@transaction.atomic
def write_draft(catalogue: schema.Catalogue) -> None:
    """Replace the whole draft with `catalogue` (already validated)."""
    for model in (
        models.PersonaCase,
        models.Amount,  # amounts protect their tables, so they go first
        models.Programme,
        models.AmountTable,
        models.Parameter,
        models.Fact,
        models.Document,
    ):
        model.objects.all().delete()
    documents = {d.number: _write_document(d) for d in catalogue.documents}
    _write_facts(catalogue.facts, None)
    programmes = {p.slug: _write_programme(p, documents) for p in catalogue.programmes}
    for source in catalogue.programmes:
        programme = programmes[source.slug]
        for conflict in source.conflicts:
            other = programmes.get(conflict.programme)
            if other is not None:  # a programme not yet encoded: kept out until it exists
                zh, en = _split(conflict.note)
                models.Conflict.objects.create(
                    programme=programme, other=other, clause=conflict.clause, note_zh=zh, note_en=en
                )


def _write_document(document: schema.Document) -> models.Document:
    title_zh, title_en = _split(document.title)
    summary_zh, summary_en = _split(document.summary)
    return models.Document.objects.create(
        number=document.number,
        title_zh=title_zh,
        title_en=title_en,
        issuers=ISSUER_SEPARATOR.join(document.issuers),
        issue_date=document.issue_date,
        effective_date=document.effective_date,
        end_date=document.end_date,
        repeals=document.repeals,
        gazette=document.gazette,
        summary_zh=summary_zh,
        summary_en=summary_en,
        full_text=document.full_text,
        text_file=document.text_file or "",
    )


def _write_facts(facts: list[schema.Fact], programme: models.Programme | None) -> None:
    rows = []
    for fact in facts:
        help_zh, help_en = _split(fact.help)
        rows.append(
            models.Fact(
                key=fact.key,
                type=fact.type,
                values=list(fact.values),
                labels={k: v.model_dump() for k, v in fact.labels.items()},
                min_value=fact.min,
                max_value=fact.max,
                past=fact.past,
                scope=fact.scope,
                question_zh=fact.question.zh,
                question_en=fact.question.en,
                help_zh=help_zh,
                help_en=help_en,
                ask_if=fact.ask_if or "",
                derived=fact.derived or "",
                group=fact.group,
                order=fact.order,
                programme=programme,
            )
        )
    bulk_create_with_history(rows, models.Fact)


def _write_programme(
    source: schema.Programme, documents: dict[str, models.Document]
) -> models.Programme:
    apply = source.apply
    texts = {
        "office": source.office,
        "agent": apply.agent,
        "processing": apply.processing,
        "payment": apply.payment,
    }
    split = {
        f"{name}_{lang}": value
        for name, text in texts.items()
        for lang, value in zip(("zh", "en"), _split(text), strict=True)
    }
    programme = models.Programme.objects.create(
        slug=source.slug,
        name_zh=source.name.zh,
        name_en=source.name.en,
        plain_zh=_split(source.plain)[0],
        plain_en=_split(source.plain)[1],
        summary_zh=source.summary.zh,
        summary_en=source.summary.en,
        category=source.category,
        audience=source.audience,
        document=documents[source.document],
        period_start=source.period.start,
        period_end=source.period.end,
        period_clause=source.period_clause,
        decisions=[d.model_dump() for d in source.decisions],
        apply_clause=apply.clause,
        order=source.order,
        **split,
    )
    programme.cites.set([documents[number] for number in source.cites])
    _write_facts(source.facts, programme)
    _write_requirements(programme, source)
    tables = {t.slug: _write_table(t, programme) for t in source.tables}
    for parameter in source.parameters:
        _write_parameter(parameter, programme)
    for order, amount in enumerate(source.amounts):
        _write_amount(programme, order, amount, tables)
    _write_apply(programme, apply)
    for case in source.cases:
        _write_case(programme, case)
    return programme


def _write_requirements(programme: models.Programme, source: schema.Programme) -> None:
    order = 0
    for requirement in source.requirements:
        row = _write_requirement(programme, order, requirement, "requirement")
        if requirement.open_list:
            models.Requirement.objects.filter(pk=row.pk).update(open_list=True)
        for number, alternative in enumerate(requirement.alternatives, 1):
            for condition in alternative:
                models.Condition.objects.create(
                    requirement=row,
                    alternative=number,
                    fact=condition.fact,
                    operator=condition.op,
                    value=condition.value,
                )
        order += 1
    for exclusion in source.exclusions:
        row = _write_requirement(programme, order, exclusion, "exclusion")
        models.Condition.objects.create(
            requirement=row,
            alternative=1,
            fact="receives",
            operator="excludes",
            value=exclusion.receives,
        )
        order += 1


def _write_requirement(
    programme: models.Programme,
    order: int,
    source: schema.Requirement | schema.Exclusion,
    kind: str,
) -> models.Requirement:
    note_zh, note_en = _split(source.note)
    return models.Requirement.objects.create(
        programme=programme,
        order=order,
        kind=kind,
        clause=source.clause,
        text=source.text,
        description_zh=source.description.zh,
        description_en=source.description.en,
        note_zh=note_zh,
        note_en=note_en,
    )


def _write_table(source: schema.Table, programme: models.Programme) -> models.AmountTable:
    table = models.AmountTable.objects.create(
        slug=source.slug,
        name_zh=source.name.zh,
        name_en=source.name.en,
        programme=programme,
        clause=source.clause,
        keys=source.keys,
    )
    rows = []
    for row in source.rows:
        label_zh, label_en = _split(row.label)
        rows.append(
            models.TableRow(
                table=table,
                no=row.no,
                keys=row.keys,
                value=schema.plain_json(row.value),
                label_zh=label_zh,
                label_en=label_en,
                extra=schema.plain_json(row.extra),
                valid_from=row.valid_from,
                valid_to=row.valid_to,
            )
        )
    bulk_create_with_history(rows, models.TableRow)
    return table


def _write_parameter(source: schema.Parameter, programme: models.Programme) -> None:
    parameter = models.Parameter.objects.create(
        key=source.key,
        name_zh=source.name.zh,
        name_en=source.name.en,
        unit=source.unit,
        programme=programme,
    )
    for value in source.values:
        models.ParameterValue.objects.create(
            parameter=parameter,
            effective_from=value.valid_from,
            value=value.value,
            clause=value.clause,
        )


def _write_amount(
    programme: models.Programme,
    order: int,
    amount: schema.Amount,
    tables: dict[str, models.AmountTable],
) -> None:
    note_zh, note_en = _split(amount.note)
    models.Amount.objects.create(
        programme=programme,
        order=order,
        when=amount.when or "",
        kind=amount.kind,
        period=amount.period,
        value=_figure(amount.value),
        rate=amount.rate,
        base=amount.base or "",
        cap=_figure(amount.cap),
        table=tables.get(amount.table or ""),
        table_keys=amount.keys,
        formula=amount.formula or "",
        clause=amount.clause,
        note_zh=note_zh,
        note_en=note_en,
    )


def _figure(figure: Decimal | str | None) -> str:
    """An amount figure as the admin field holds it: "1000", a parameter key, or empty."""
    return "" if figure is None else str(figure)


def _write_apply(programme: models.Programme, apply: schema.Apply) -> None:
    for order, channel in enumerate(apply.channels):
        models.Channel.objects.create(
            programme=programme,
            order=order,
            kind=channel.kind,
            name_zh=channel.name.zh,
            name_en=channel.name.en,
            url=channel.url,
        )
    for order, material in enumerate(apply.materials):
        models.Material.objects.create(
            programme=programme, order=order, text_zh=material.zh, text_en=material.en
        )
    for order, step in enumerate(apply.steps):
        models.Step.objects.create(
            programme=programme, order=order, text_zh=step.zh, text_en=step.en
        )
    for order, deadline in enumerate(apply.deadlines):
        models.Deadline.objects.create(
            programme=programme,
            order=order,
            description_zh=deadline.description.zh,
            description_en=deadline.description.en,
            clause=deadline.clause,
            relative_to=deadline.relative_to or "",
            months=deadline.months,
            date=deadline.date,
        )


def _write_case(programme: models.Programme, case: schema.Case) -> None:
    models.PersonaCase.objects.create(
        programme=programme,
        name_zh=case.name.zh,
        name_en=case.name.en,
        clause=case.clause,
        as_of=case.as_of,
        answers=case.answers,
        expected_status=case.expect.status,
        check_amount=case.expect.check_amount,
        expected_amount=case.expect.amount,
        expected_reasons=case.expect.reasons,
        expected_missing=case.expect.missing,
    )
