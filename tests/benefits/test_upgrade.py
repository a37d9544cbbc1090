"""A publication stored before the schema existed (version 1: database rows as JSON) is still
read, and screens every persona exactly as the same catalogue stored under the current schema
does. Both fixtures hold the gazette catalogue as published on 2026-12-01, so the comparison
does not change when the catalogue is edited since."""

import gzip
import json
from pathlib import Path

import pytest

from benefits import models, snapshot
from rules import engine, schema
from rules.compile import compile_catalogue
from rules.facts import parse_answers
from rules.upgrade import UpgradeError, upgrade

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
V1 = FIXTURES / "publication-v1.json.gz"
V2 = FIXTURES / "publication-v2.json.gz"  # the same publication, current schema

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def v1_rows():
    # The gazette catalogue as published on 2026-12-01, before the schema (version 1).
    with gzip.open(V1, "rt", encoding="utf-8") as file:
        return json.load(file)


@pytest.fixture(scope="module")
def v2_catalogue():
    with gzip.open(V2, "rt", encoding="utf-8") as file:
        return schema.Catalogue.model_validate(json.load(file))


def outcomes(catalogue, case):
    answers, errors = parse_answers(catalogue.facts, case.answers, as_of=case.as_of)
    assert errors == []
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
    ]


def test_a_version_1_publication_screens_like_the_same_catalogue_under_the_current_schema(
    v1_rows, v2_catalogue
):
    old = compile_catalogue(upgrade(v1_rows, 1), "v1")
    same = compile_catalogue(v2_catalogue, "v2")
    assert [p.slug for p in old.programmes] == [p.slug for p in same.programmes]
    cases = [case for programme in v2_catalogue.programmes for case in programme.cases]
    assert len(cases) > 100
    for case in cases:
        assert outcomes(old, case) == outcomes(same, case), case.name.en


def test_the_current_catalogue_keeps_every_programme_of_the_version_1_publication(v1_rows):
    old = compile_catalogue(upgrade(v1_rows, 1), "v1")
    current = snapshot.get_catalogue()
    assert [p.slug for p in old.programmes] == [p.slug for p in current.programmes]


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
