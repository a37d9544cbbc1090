"""Screening reads an immutable snapshot: no query per screening, rebuilt after any change."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benefits import snapshot
from benefits.models import TableRow
from eligibility import engine

pytestmark = pytest.mark.django_db

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


def skills_amount():
    result = engine.screen(snapshot.get_catalogue(), GRADUATE, dt.date(2026, 6, 1))
    return result.result("key-group-skills-subsidy").amount.value


def test_screening_makes_no_database_query():
    snapshot.get_catalogue()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            engine.screen(snapshot.get_catalogue(), GRADUATE, dt.date(2026, 6, 1))
    assert len(queries) == 0


def test_snapshot_is_rebuilt_when_a_table_row_changes():
    """Staff change tier B level 5 from 1000 to 1100: the next screening uses 1100."""
    assert skills_amount() == Decimal(1000)
    row = TableRow.objects.get(table__slug="skills-level-standard", keys=["B", "5"])
    row.value = 1100
    row.save()
    assert skills_amount() == Decimal(1100)


def test_snapshot_values_are_immutable():
    catalogue = snapshot.get_catalogue()
    with pytest.raises(AttributeError):
        catalogue.programmes[0].slug = "changed"  # type: ignore[misc]
