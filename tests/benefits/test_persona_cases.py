"""Every persona case stored with a programme (loaded from the catalogue YAML, editable by
staff) gives the expected status and amount when screened on its date."""

from decimal import Decimal

import pytest

from benefits.models import PersonaCase

pytestmark = pytest.mark.django_db


def case_ids():
    # Collected before the test database exists, so read the YAML, not the database.
    from django.conf import settings

    from benefits.loader import read_catalogue

    files = read_catalogue(settings.CATALOGUE_DIR)
    return [
        f"{data['slug']}: {case['name']['en']}"
        for _, data in files.programmes
        for case in data.get("cases") or []
    ]


@pytest.mark.parametrize("case_id", case_ids())
def test_persona_case(case_id, screen_programme):
    slug, name = case_id.split(": ", 1)
    case = PersonaCase.objects.get(programme__slug=slug, name_en=name)
    result = screen_programme(slug, case.answers, case.as_of.isoformat())
    assert result.status == case.expected_status, (case.clause, result.reasons)
    if case.check_amount:
        value = result.amount.value if result.amount else None
        expected = case.expected_amount
        assert value == (Decimal(expected) if expected is not None else None), case.clause


def test_every_programme_has_eligible_ineligible_and_unknown_cases():
    statuses = {}
    for case in PersonaCase.objects.select_related("programme"):
        statuses.setdefault(case.programme.slug, set()).add(case.expected_status)
    incomplete = {
        slug: s for slug, s in statuses.items() if not {"eligible", "ineligible", "unknown"} <= s
    }
    assert incomplete == {}
