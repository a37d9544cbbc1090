"""Household screening on a small hand-built catalogue: members screened on shared answers plus
their own, household programmes decided once, totals per period with "may qualify" apart, and
each member asked only their own questions. No database is involved."""

import dataclasses
import datetime as dt
from decimal import Decimal

from rules import engine, household
from rules.catalogue import AmountRule, Catalogue, Condition, Programme, Requirement, Text
from rules.household import Member, Totals, screen_household
from tests.rules.test_engine import AS_OF, DOC, FACTS

SHARED = {"hukou", "household_size", "household_monthly_income"}
HOUSEHOLD_FACTS = {
    key: dataclasses.replace(spec, scope="household") if key in SHARED else spec
    for key, spec in FACTS.items()
}


def _programme(slug, conditions, amount=None, audience="resident"):
    requirement = Requirement(
        clause=f"{DOC.number} {slug}",
        description=Text(f"{slug} 条件", f"{slug} condition"),
        alternatives=(tuple(Condition(*c) for c in conditions),),
    )
    return Programme(
        slug=slug,
        name=Text(slug, slug),
        summary=Text("", ""),
        category="test",
        audience=audience,
        document=DOC,
        requirements=(requirement,),
        amounts=(amount,) if amount else (),
    )


def _fixed(value, period):
    return AmountRule(
        kind="fixed", period=period, clause=f"{DOC.number} 金额", value=Decimal(value)
    )


ELDERLY = _programme(
    "elderly-allowance",
    [("hukou", "eq", "beijing"), ("age", "gte", Decimal(60))],
    _fixed(100, "month"),
)
CHILD_GRANT = _programme("child-grant", [("age", "lte", Decimal(6))], _fixed(500, "once"))
CERTIFICATE = _programme(
    "certificate-subsidy",
    [
        ("age", "between", (Decimal(16), Decimal(59))),
        ("certificate_kind", "eq", "skill_level"),
    ],
    _fixed(1000, "once"),
)
DI_BAO = _programme(
    "di-bao",
    [("per_capita_income", "lte", Decimal(1395))],
    _fixed(1395, "month"),
    audience="household",
)
CATALOGUE = Catalogue(programmes=(ELDERLY, CHILD_GRANT, CERTIFICATE, DI_BAO), facts=HOUSEHOLD_FACTS)
SHARED_ANSWERS = {
    "hukou": "beijing",
    "household_size": 3,
    "household_monthly_income": Decimal(3000),
}
ME = Member("me", "self", {"birth_date": dt.date(1991, 4, 2)})
CHILD = Member("kid", "child", {"birth_date": dt.date(2021, 3, 1)})
DAD = Member("dad", "parent", {"birth_date": dt.date(1946, 1, 9)})


def _statuses(member_screening):
    return {r.programme.slug: r.status for r in member_screening.results}


def test_each_member_is_screened_on_the_shared_answers_and_their_own():
    screening = screen_household(CATALOGUE, SHARED_ANSWERS, [ME, CHILD, DAD], AS_OF)
    me, child, dad = screening.members
    assert _statuses(dad)["elderly-allowance"] == "eligible"  # Beijing hukou from the household
    assert _statuses(child)["child-grant"] == "eligible"
    assert _statuses(me)["elderly-allowance"] == "ineligible"
    assert _statuses(me)["certificate-subsidy"] == "unknown"
    assert dad.totals == Totals(month=Decimal(100))
    assert child.totals == Totals(once=Decimal(500))


def test_a_member_may_override_a_shared_answer():
    dad = Member("dad", "parent", {**DAD.answers, "hukou": "other"})
    screening = screen_household(CATALOGUE, SHARED_ANSWERS, [ME, dad], AS_OF)
    reason = screening.members[1].results[0].reasons[0]
    assert (screening.members[1].results[0].status, reason.outcome) == ("ineligible", "not_met")


def test_household_programmes_are_decided_once_and_not_per_member():
    screening = screen_household(CATALOGUE, SHARED_ANSWERS, [ME, CHILD, DAD], AS_OF)
    assert [r.programme.slug for r in screening.household_results] == ["di-bao"]
    assert screening.household_results[0].status == "eligible"  # 3000 / 3 = 1000 ≤ 1395
    for member in screening.members:
        assert "di-bao" not in _statuses(member)


def test_totals_add_eligible_amounts_per_period_and_keep_may_qualify_apart():
    screening = screen_household(CATALOGUE, SHARED_ANSWERS, [ME, CHILD, DAD], AS_OF)
    # dad's 100 a month + the household's 1395 a month; the child's 500 once, apart
    assert screening.totals == Totals(month=Decimal(1495), once=Decimal(500))
    # my certificate subsidy is not decided (no certificate answer): may qualify, not added in
    assert screening.may_qualify == Totals(once=Decimal(1000))
    assert screening.members[0].totals.empty


def test_members_are_asked_only_their_own_questions_that_can_change_their_results():
    screening = screen_household(CATALOGUE, {}, [ME, CHILD, DAD], AS_OF)
    me, child, dad = screening.members
    assert me.next_questions == ("certificate_kind",)
    assert child.next_questions == ()  # a five-year-old is never asked about certificates
    assert "certificate_kind" not in dad.next_questions
    # shared facts are asked once, for the household, never of a member
    assert set(screening.next_questions) == {"hukou", "household_size", "household_monthly_income"}
    assert not any(key in SHARED for m in screening.members for key in m.next_questions)


def test_household_programmes_use_the_answers_of_the_person_screening_for_themselves():
    assert household.applicant([CHILD, ME]) == ME
    assert household.applicant([CHILD, DAD]) == CHILD
    assert household.applicant([]) is None


def test_an_up_to_amount_counts_at_its_cap_and_marks_the_total_up_to():
    result = engine.Result(
        ELDERLY, "eligible", (), (), engine.Entitlement(Decimal(800), "month", "c", up_to=True), ()
    )
    assert household.sum_amounts([result]) == Totals(month=Decimal(800), up_to=True)
    assert household.sum_amounts([result], engine.UNKNOWN_STATUS) == Totals()
