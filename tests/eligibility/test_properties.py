"""Property-based tests (hypothesis): for any answers on any date, the engine and the forms
behave — never an exception, never a contradictory outcome, never a 5xx."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import caches
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benefits.snapshot import get_catalogue
from rules import engine
from rules.facts import parse_answers

pytestmark = pytest.mark.django_db
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def value_for(spec, as_of):
    if spec.type == "date":
        latest = as_of if spec.past else dt.date(2100, 12, 31)
        return st.dates(dt.date(1900, 1, 1), latest).map(dt.date.isoformat)
    if spec.type == "bool":
        return st.booleans()
    if spec.type in ("enum", "int") and spec.values:
        return st.sampled_from(list(spec.values))
    if spec.type == "int":
        low = int(spec.min_value) if spec.min_value is not None else 0
        high = int(spec.max_value) if spec.max_value is not None else 10_000
        return st.integers(low, high)
    if spec.type == "number":
        high = float(spec.max_value) if spec.max_value is not None else 1e7
        return st.floats(0, high, allow_nan=False, allow_infinity=False)
    if spec.type == "list":
        return st.lists(st.sampled_from(list(spec.values)), unique=True)
    return st.sampled_from(["4-10-01-05", "3-01-01-02", "老年人照护", "家庭清洁", "nonsense"])


@st.composite
def answer_sets(draw):
    """(answers, as_of): any valid answers; a past event is never after the screening date."""
    as_of = draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
    facts = [spec for spec in get_catalogue().facts.values() if spec.derived is None]
    chosen = draw(st.lists(st.sampled_from(facts), unique_by=lambda s: s.key, max_size=40))
    return {spec.key: draw(value_for(spec, as_of)) for spec in chosen}, as_of


@SETTINGS
@given(drawn=answer_sets())
def test_any_valid_answers_give_consistent_outcomes(drawn):
    raw, as_of = drawn
    catalogue = get_catalogue()
    answers, errors = parse_answers(catalogue.facts, raw, as_of=as_of)
    assert errors == []
    screening = engine.screen(catalogue, answers, as_of)
    assert len(screening.results) == len(catalogue.programmes)
    for result in screening.results:
        outcomes = {reason.outcome for reason in result.reasons}
        if not result.programme.active_on(as_of):
            assert result.status == "inactive"
        elif result.status == "eligible":
            assert outcomes <= {"met"}
        elif result.status == "ineligible":
            assert "not_met" in outcomes
        else:
            assert result.status == "unknown" and "not_met" not in outcomes
        if result.amount is not None and result.amount.value is not None:
            assert result.amount.value >= Decimal(0)
        if result.status in ("ineligible", "inactive"):
            assert result.amount is None and result.missing == ()
    assert len(screening.next_questions) <= 5
    assert not set(screening.next_questions) & set(answers)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)


@SETTINGS
@given(
    raw=st.dictionaries(st.text(max_size=30), json_values, max_size=8)
    | st.dictionaries(
        st.sampled_from(
            ["hukou", "birth_date", "receives", "household_size", "household_monthly_income", "age"]
        ),
        json_values,
    )
)
def test_arbitrary_json_answers_are_checked_never_crash(raw):
    catalogue = get_catalogue()
    answers, errors = parse_answers(catalogue.facts, raw, "en", as_of=dt.date(2026, 6, 1))
    assert set(answers) <= set(catalogue.facts)
    assert {e.field for e in errors} <= {f"answers.{k}" for k in raw}
    engine.screen(catalogue, answers, dt.date(2026, 6, 1))


@SETTINGS
@given(
    data=st.dictionaries(
        st.sampled_from(
            [
                "birth_date",
                "hukou",
                "skip",
                "receives",
                "household_size",
                "page",
                "certificate_occupation",
                "x",
            ]
        ),
        st.lists(st.text(max_size=30), max_size=3),
        max_size=6,
    )
)
def test_any_questionnaire_post_is_answered_without_a_server_error(client, data):
    caches["ratelimit"].clear()  # each example starts with no requests counted
    data.setdefault("page", ["birth_date", "hukou"])
    response = client.post("/check/", data)
    has_nul = any("\x00" in value for values in data.values() for value in values)
    assert response.status_code in ((400,) if has_nul else (200, 302))
