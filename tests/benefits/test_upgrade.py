"""A publication stored before the schema existed (version 1: database rows as JSON) is still
read, and screens every persona exactly as the current catalogue does."""

import gzip
import json
from pathlib import Path

import pytest

from benefits import models, snapshot
from rules import engine, schema
from rules.compile import compile_catalogue
from rules.facts import parse_answers
from rules.upgrade import UpgradeError, upgrade

V1 = Path(__file__).resolve().parent.parent / "fixtures" / "publication-v1.json.gz"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def v1_rows():
    # The gazette catalogue as published on 2026-12-01, before the schema (version 1).
    with gzip.open(V1, "rt", encoding="utf-8") as file:
        return json.load(file)


def outcomes(catalogue, case, slugs):
    # The fixture refuses answers to facts added or changed since it was published; the
    # programmes compared read only facts defined alike in both, so they never need them.
    answers, _refused = parse_answers(catalogue.facts, case.answers)
    screening = engine.screen(catalogue, answers, case.as_of)
    return [
        (
            r.programme.slug,
            r.status,
            r.missing,
            [(reason.requirement.clause, reason.outcome) for reason in r.reasons],
            r.amount and (r.amount.value, r.amount.period, r.amount.clause),
            [(d.clause, d.date) for d in r.deadlines],
        )
        for r in screening.results
        if r.programme.slug in slugs
    ]


def rules_of(catalogue, programme):
    """Everything a screening of `programme` reads, as plain data: its requirements, amounts,
    period and deadlines, and the facts (with their conditions), parameters and tables behind
    them. Two catalogues giving equal data must screen the programme alike."""
    names: set[str] = set()
    expressions = []
    requirements = []
    for requirement in programme.requirements:
        alternatives = []
        for alternative in requirement.alternatives:
            alternatives.append([(c.fact, c.operator, repr(c.value)) for c in alternative])
            for condition in alternative:
                names.add(condition.fact)
                if condition.operator == "within":
                    names.add(condition.value["of"])
        requirements.append((requirement.clause, requirement.open_list, alternatives))
    amounts = []
    for rule in programme.amounts:
        parts = [e for e in (rule.when, rule.formula) if e is not None]
        expressions += parts
        names |= {rule.base, *rule.table_keys}
        figures = (rule.value, rule.rate, rule.base, rule.cap, rule.table, rule.table_keys)
        amounts.append((rule.kind, rule.period, rule.clause, [e.source for e in parts], figures))
    names |= {d.relative_to for d in programme.deadlines}
    facts = {}
    pending = list(names)
    while pending:
        name = pending.pop()
        spec = catalogue.facts.get(name)
        if name in facts or spec is None:
            continue
        conditions = [e for e in (spec.ask_if, spec.derived) if e is not None]
        facts[name] = (spec.type, spec.values, [e.source for e in conditions])
        expressions += conditions
        pending += [n for e in conditions for n in e.names]
    sources = " ".join(e.source for e in expressions)
    names |= {n for e in expressions for n in e.names}
    tables = {
        slug: rows
        for slug, rows in catalogue.tables.items()
        if slug in sources or any(rule.table == slug for rule in programme.amounts)
    }
    parameters = {k: p.values for k, p in catalogue.parameters.items() if k in names}
    period = (programme.period_start, programme.period_end)
    deadlines = [(d.clause, d.relative_to, d.months, d.date) for d in programme.deadlines]
    return requirements, amounts, period, deadlines, facts, tables, parameters


def test_a_version_1_publication_screens_like_the_current_catalogue(v1_rows):
    """Programmes whose rules were edited since the version-1 fixture was published are left
    out: they screen differently by design. Every other programme must screen alike."""
    old = compile_catalogue(upgrade(v1_rows, 1), "v1")
    current = snapshot.get_catalogue()
    assert [p.slug for p in old.programmes] == [p.slug for p in current.programmes]
    unchanged = {
        p.slug
        for p in current.programmes
        if rules_of(current, p) == rules_of(old, old.programme(p.slug))
    }
    assert len(unchanged) >= 10
    cases = list(models.PersonaCase.objects.select_related("programme"))
    assert len(cases) > 100
    for case in cases:
        assert outcomes(old, case, unchanged) == outcomes(current, case, unchanged), case.name_en


def test_the_published_snapshot_reads_a_version_1_publication(v1_rows):
    models.Publication.objects.create(catalogue=v1_rows, schema_version=1, note="old")
    snapshot.invalidate()
    catalogue = snapshot.get_catalogue()
    assert len(catalogue.programmes) == 24
    amount = catalogue.programme("minimum-living-allowance")
    assert amount is not None and amount.document.number == "京民社救发〔2021〕87号"
    assert catalogue.parameters["di_bao_standard"].values[-1][1] == 1395


def test_a_version_this_code_does_not_know_is_refused():
    with pytest.raises(UpgradeError):
        upgrade({}, schema.SCHEMA_VERSION + 1)
    with pytest.raises(UpgradeError):
        upgrade({}, 0)
