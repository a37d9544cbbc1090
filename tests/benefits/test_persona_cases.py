"""Persona cases: every case stored with a programme (loaded from the catalogue YAML and editable
by staff) gives the expected status and amount when screened on its date.

Each case names the clause it checks; the test id reads `slug | clause | persona`, so a failure
points straight at the sentence in the gazette.
"""

from decimal import Decimal

import pytest
from django.conf import settings

from benefits.files import read_directory
from benefits.models import Amount, PersonaCase, Programme

pytestmark = pytest.mark.django_db


def _cases():
    # Collected before the test database exists, so read the YAML, not the database.
    for programme in read_directory(settings.CATALOGUE_DIR).programmes:
        for case in programme.cases:
            yield pytest.param(
                programme.slug,
                case.name.en,
                id=f"{programme.slug} | {case.clause or '-'} | {case.name.en}",
            )


@pytest.mark.parametrize(("slug", "name"), list(_cases()))
def test_persona_case(slug, name, screen_programme):
    """The case's answers on its date give its expected status and amount (see its clause)."""
    case = PersonaCase.objects.get(programme__slug=slug, name_en=name)
    result = screen_programme(slug, case.answers, case.as_of.isoformat())
    clause = f"{result.programme.document.number} {case.clause}"
    assert result.status == case.expected_status, (clause, result.reasons)
    assert case.check_amount, f"{clause}: every case states the amount it expects"
    value = result.amount.value if result.amount else None
    expected = case.expected_amount
    assert value == (Decimal(expected) if expected is not None else None), clause
    if case.expected_reasons is not None:
        got = [reason.outcome for reason in result.reasons]
        assert got == case.expected_reasons, (
            clause,
            [r.requirement.clause for r in result.reasons],
        )
    if case.expected_missing is not None:
        assert list(result.missing) == case.expected_missing, clause


def test_every_programme_has_eligible_ineligible_and_unknown_cases():
    statuses = {}
    for case in PersonaCase.objects.select_related("programme"):
        statuses.setdefault(case.programme.slug, set()).add(case.expected_status)
    incomplete = {
        slug: s for slug, s in statuses.items() if not {"eligible", "ineligible", "unknown"} <= s
    }
    assert incomplete == {}
    assert set(statuses) == set(Programme.objects.values_list("slug", flat=True))


def test_where_the_gazette_gives_no_figure_the_deciding_office_is_named():
    """按规定: amount null, and the page says which office decides."""
    for amount in Amount.objects.filter(kind=Amount.Kind.NONE).select_related("programme"):
        assert amount.note_zh and amount.note_en, amount.programme.slug
    for programme in Programme.objects.all():
        assert programme.office_zh and programme.office_en, programme.slug
