"""The issue's household on the real catalogue: a 35-year-old out of work, a five-year-old with
a disability certificate and an 80-year-old parent with a moderate care need living at home."""

import datetime as dt

from rules import engine
from rules.facts import parse_answers
from rules.household import Member, screen_household, sum_amounts

AS_OF = dt.date(2026, 6, 1)
SHARED = {"hukou": "beijing", "district": "haidian", "household_size": 3}
MEMBERS = [
    ("me", "self", {"birth_date": "1991-04-02", "employment_status": "unemployed"}),
    ("kid", "child", {"birth_date": "2021-03-01", "disability_grade": 2}),
    (
        "dad",
        "parent",
        {
            "birth_date": "1946-01-09",
            "capability_level": "moderate",
            "care_setting": "home",
            "receives": [],
        },
    ),
]


def _typed(catalogue, raw):
    answers, errors = parse_answers(catalogue.facts, raw, as_of=AS_OF)
    assert errors == []
    return answers


def _household(catalogue):
    members = [Member(i, r, _typed(catalogue, a)) for i, r, a in MEMBERS]
    return screen_household(catalogue, _typed(catalogue, SHARED), members, AS_OF, 200)


def test_the_parent_gets_the_elderly_care_subsidy_with_its_amount(catalogue):
    screening = _household(catalogue)
    dad = screening.members[2]
    result = next(r for r in dad.results if r.programme.slug == "elderly-care-consumption-subsidy")
    alone = engine.screen(catalogue, {**_typed(catalogue, SHARED), **dad.member.answers}, AS_OF)
    assert result.status == "eligible"
    assert result.amount is not None and result.amount.value
    assert result.amount == alone.result("elderly-care-consumption-subsidy").amount
    assert dad.totals.month == result.amount.value
    assert dad.totals.up_to == result.amount.up_to


def test_the_child_is_never_asked_about_work_or_study(catalogue):
    child = _household(catalogue).members[1]
    asked = set(child.next_questions)
    assert not asked & {
        "employment_status",
        "higher_ed_graduate",
        "graduation_date",
        "registered_unemployed",
        "certificate_kind",
        "retirement_date",
    }
    assert "child_status" in asked  # what a child is asked instead


def test_the_parent_is_never_asked_about_school_or_university(catalogue):
    dad = _household(catalogue).members[2]
    assert not set(dad.next_questions) & {"in_school", "higher_ed_graduate", "graduation_date"}


def test_household_programmes_are_decided_once_and_ask_the_household(catalogue):
    screening = _household(catalogue)
    slugs = {r.programme.slug for r in screening.household_results}
    assert slugs == {"minimum-living-allowance", "charity-assistance-referral"}
    assert "household_monthly_income" in screening.next_questions
    for member in screening.members:
        assert not slugs & {r.programme.slug for r in member.results}
        assert "household_monthly_income" not in member.next_questions


def test_the_household_total_is_the_members_eligible_amounts_added_up(catalogue):
    screening = _household(catalogue)
    expected = sum_amounts(screening.household_results)
    for member in screening.members:
        expected += sum_amounts(member.results)
    assert screening.totals == expected
    assert not screening.totals.empty


def test_a_childs_graduate_subsidies_are_set_apart_not_counted_as_may_qualify(catalogue):
    child = _household(catalogue).members[1]
    assert "graduate-startup-subsidy" in child.not_at_this_age
    assert "children-in-need-allowance" not in child.not_at_this_age
    graduate = next(r for r in child.results if r.programme.slug == "graduate-startup-subsidy")
    assert graduate.status == "unknown"  # never "no": the engine's result is kept
