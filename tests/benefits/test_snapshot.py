"""Residents are screened on the published snapshot: no query per screening; staff edits stay
in the draft until a publish that every persona case passes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benefits import snapshot
from benefits.models import PersonaCase, TableRow
from benefits.services import publish_catalogue, run_draft_cases
from rules import engine

pytestmark = pytest.mark.django_db(transaction=False)

GRADUATE = {
    "hukou": "other",
    "higher_ed_graduate": True,
    "graduation_date": dt.date(2025, 7, 1),
    "employed_since_graduation": False,
    "certificate_kind": "skill_level",
    "certificate_level": 5,
    "certificate_occupation": "3-01-01-02",
    "certificate_issue_date": dt.date(2026, 3, 1),
    "certificate_already_subsidised": False,
    "skills_subsidy_received_before": False,
    "disability_grade": 0,
}
B5_CASE = "Government services clerk, level 5 (tier B)"


def skills_amount(catalogue):
    result = engine.screen(catalogue, GRADUATE, dt.date(2026, 6, 1))
    return result.result("key-group-skills-subsidy").amount.value


def set_b5(value):
    row = TableRow.objects.get(table__slug="skills-level-standard", keys=["B", "5"])
    row.value = value
    row.save()


def test_screening_makes_no_database_query():
    snapshot.get_catalogue()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            engine.screen(snapshot.get_catalogue(), GRADUATE, dt.date(2026, 6, 1))
    assert len(queries) == 0


def test_draft_edits_reach_residents_only_when_published(django_capture_on_commit_callbacks):
    """Staff change tier B level 5 from 1000 to 1100 (京人社能发〔2026〕2号 二)."""
    set_b5(1100)
    assert skills_amount(snapshot.get_catalogue()) == Decimal(1000)  # residents: published
    assert skills_amount(snapshot.draft_catalogue()) == Decimal(1100)  # staff: the draft

    with django_capture_on_commit_callbacks(execute=True):
        publication, failures = publish_catalogue(user=None, note="B5 to 1100")
    assert publication is None  # the case that expects 1000 now fails
    assert B5_CASE in [f.case.name_en for f in failures]
    assert {f.difference() for f in failures} == {"amount: expected 1000, got 1100"}
    assert skills_amount(snapshot.get_catalogue()) == Decimal(1000)

    PersonaCase.objects.filter(pk__in=[f.case.pk for f in failures]).update(expected_amount=1100)
    with django_capture_on_commit_callbacks(execute=True):
        publication, failures = publish_catalogue(user=None, note="B5 to 1100")
    assert failures == [] and publication is not None
    snapshot.refresh()
    assert skills_amount(snapshot.get_catalogue()) == Decimal(1100)


def test_every_shipped_persona_case_passes_against_the_draft():
    failures = [o for o in run_draft_cases() if not o.passed]
    assert [(o.case.programme.slug, o.case.name_en, o.difference()) for o in failures] == []


def test_snapshot_values_are_immutable():
    catalogue = snapshot.get_catalogue()
    with pytest.raises(AttributeError):
        catalogue.programmes[0].slug = "changed"  # type: ignore[misc]


def test_earlier_publications_are_compiled_once_and_kept(publish_b5):
    first = snapshot.latest_publication()
    first_catalogue = snapshot.publication_catalogue(first)
    assert first_catalogue is snapshot.get_catalogue()  # the latest: the snapshot in memory
    assert first_catalogue.version == snapshot.publication_version(first)
    publish_b5(1100)
    earlier = snapshot.publication_catalogue(first)
    assert earlier is not snapshot.get_catalogue()
    assert earlier.version == first_catalogue.version
    assert skills_amount(earlier) == Decimal(1000)
    assert skills_amount(snapshot.get_catalogue()) == Decimal(1100)
    with CaptureQueriesContext(connection) as queries:
        assert snapshot.publication_catalogue(first) is earlier
    assert len(queries) == 0
