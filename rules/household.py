"""Screening a household: each member on their own answers, household programmes once.

A household is the answers it shares (facts whose `scope` is `household`: registration, size,
income, district) and its members, each with their own answers. A member is screened with the
engine on the household's answers overlaid with their own (a member may override a shared
answer). Programmes whose `audience` is `household` (the minimum-living allowance and the like)
are decided once, for the household, on the answers of the person applying (the `self` member,
else the first). Plain Python over a frozen `Catalogue`, like the engine it calls.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rules import engine
from rules.catalogue import Catalogue
from rules.dates import years_between

EMPLOYER = "employer"
# Questions about a stage of life a member is not at are not put to them, although a programme
# that sets no age (the graduate subsidies) would still want them: nobody under 16, the working
# age the catalogue already uses (`housing_fund_depositor` asks only from 16), is asked about
# work, study beyond school, certificates or pensions; nobody 60 or over (the catalogue's
# elderly age) about university, school or kindergarten. Only which questions are asked changes:
# the member's results are the engine's, unknown where a question was left out, never "no".
WORKING_AGE = 16
ELDERLY_AGE = 60
NOT_FOR_CHILDREN = frozenset(
    {
        "work",
        "employment",
        "study",
        "certificate",
        "certificate_details",
        "pension",
        "work_injury",
        "startup_training",
        "startup_training_history",
    }
)
NOT_FOR_ELDERLY = frozenset({"study", "children"})
NOT_FOR_ELDERLY_KEYS = frozenset({"in_school", "first_job_is_flexible", "graduated_in_beijing"})
# A household screening is about people: employers' programmes and questions are left out.
EMPLOYER_QUESTIONS = frozenset({"screening_as_employer"})
EMPLOYER_GROUPS = frozenset({"hire", "skills_training"})
RELATIONS = ("self", "spouse", "child", "parent", "grandparent", "grandchild", "sibling", "other")
HOUSEHOLD = "household"
ALL_QUESTIONS = 200
MAX_MEMBERS = 20
ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    relation: str
    answers: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Totals:
    """Amounts in yuan summed by period; one-off sums are never added to monthly ones."""

    month: Decimal = ZERO
    year: Decimal = ZERO
    once: Decimal = ZERO
    up_to: bool = False  # some figure is a maximum, not yet the amount itself

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.month + other.month,
            self.year + other.year,
            self.once + other.once,
            self.up_to or other.up_to,
        )

    @property
    def empty(self) -> bool:
        return not (self.month or self.year or self.once)


@dataclass(frozen=True, slots=True)
class MemberScreening:
    """One member's person-level results (household programmes are decided apart)."""

    member: Member
    screening: engine.Screening
    results: tuple[engine.Result, ...]
    next_questions: tuple[str, ...]
    totals: Totals
    may_qualify: Totals
    # Unknown results only questions about another stage of life could decide (a graduate
    # subsidy for a five-year-old): left out of `may_qualify`, shown apart.
    not_at_this_age: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class HouseholdScreening:
    as_of: dt.date
    # The applicant's screening on the household's answers: household programmes come from it.
    screening: engine.Screening
    members: tuple[MemberScreening, ...]
    household_results: tuple[engine.Result, ...]
    # Household-level facts still worth asking, for any member or household programme.
    next_questions: tuple[str, ...]
    totals: Totals
    may_qualify: Totals


def household_facts(catalogue: Catalogue) -> frozenset[str]:
    """The facts asked once for the whole household."""
    return frozenset(key for key, spec in catalogue.facts.items() if spec.scope == HOUSEHOLD)


def is_household_programme(result: engine.Result) -> bool:
    return result.programme.audience == HOUSEHOLD


def member_answers(shared: Mapping[str, Any], member: Member) -> dict[str, Any]:
    """What a member is screened on: the household's answers, then the member's own."""
    return {**shared, **member.answers}


def applicant(members: Sequence[Member]) -> Member | None:
    """Whose answers decide household programmes: the one screening for themselves, else the
    first member listed."""
    for member in members:
        if member.relation == "self":
            return member
    return members[0] if members else None


def worth_asking(catalogue: Catalogue, key: str, age: int | None) -> bool:
    """Whether a member of this age is asked `key` (see `WORKING_AGE`); any question when the
    age is not known."""
    spec = catalogue.facts[key]
    if key in EMPLOYER_QUESTIONS or spec.group in EMPLOYER_GROUPS:
        return False
    if age is None:
        return True
    if age < WORKING_AGE:
        return spec.group not in NOT_FOR_CHILDREN and key != "veteran"
    if age >= ELDERLY_AGE:
        return spec.group not in NOT_FOR_ELDERLY and key not in NOT_FOR_ELDERLY_KEYS
    return True


def screen_household(
    catalogue: Catalogue,
    shared: Mapping[str, Any],
    members: Sequence[Member],
    as_of: dt.date,
    question_limit: int = 5,
) -> HouseholdScreening:
    """Screen every member, and the household programmes once (typed answers, as the engine
    takes them). Each member's next questions are their own facts only; the household's are
    the shared facts any of the screenings still needs."""
    shared_keys = household_facts(catalogue)
    screened = [
        _screen_member(catalogue, shared, member, as_of, shared_keys, question_limit)
        for member in members
    ]
    chosen = applicant(members)
    base = member_answers(shared, chosen) if chosen else dict(shared)
    whole = engine.screen(catalogue, base, as_of, question_limit=ALL_QUESTIONS)
    household_results = tuple(r for r in whole.results if is_household_programme(r))
    wanted = [whole.next_questions, *(m.screening.next_questions for m in screened)]
    questions = _shared_questions(wanted, shared_keys, catalogue)[:question_limit]
    totals = sum_amounts(household_results)
    may_qualify = sum_amounts(household_results, engine.UNKNOWN_STATUS)
    for member in screened:
        totals += member.totals
        may_qualify += member.may_qualify
    return HouseholdScreening(
        as_of, whole, tuple(screened), household_results, questions, totals, may_qualify
    )


def _screen_member(
    catalogue: Catalogue,
    shared: Mapping[str, Any],
    member: Member,
    as_of: dt.date,
    shared_keys: frozenset[str],
    question_limit: int,
) -> MemberScreening:
    answers = member_answers(shared, member)
    screening = engine.screen(catalogue, answers, as_of, question_limit=ALL_QUESTIONS)
    results = tuple(
        r
        for r in screening.results
        if not is_household_programme(r) and r.programme.audience != EMPLOYER
    )
    age = _age(answers.get("birth_date"), as_of)
    own = tuple(
        key
        for key in screening.next_questions
        if key not in shared_keys and worth_asking(catalogue, key, age)
    )
    aside = frozenset(
        r.programme.slug
        for r in results
        if r.status == engine.UNKNOWN_STATUS
        and r.missing
        and not any(
            key in shared_keys or worth_asking(catalogue, key, age)
            for key in r.missing
            if key in catalogue.facts
        )
    )
    open_results = [r for r in results if r.programme.slug not in aside]
    return MemberScreening(
        member,
        screening,
        results,
        own[:question_limit],
        sum_amounts(results),
        sum_amounts(open_results, engine.UNKNOWN_STATUS),
        aside,
    )


def _age(birth_date: Any, as_of: dt.date) -> int | None:
    if not isinstance(birth_date, dt.date):
        return None
    return years_between(birth_date, as_of)


def _shared_questions(
    wanted: Iterable[tuple[str, ...]], shared_keys: frozenset[str], catalogue: Catalogue
) -> tuple[str, ...]:
    """Household facts asked for by any screening: those more screenings want first, then in
    the catalogue's question order."""
    wanted_by: dict[str, int] = {}
    for questions in wanted:
        for key in questions:
            if key in shared_keys:
                wanted_by[key] = wanted_by.get(key, 0) + 1
    order = catalogue.facts
    return tuple(sorted(wanted_by, key=lambda key: (-wanted_by[key], order[key].order, key)))


def sum_amounts(results: Iterable[engine.Result], status: str = engine.ELIGIBLE) -> Totals:
    """The figures of the results with `status` (eligible: the total; unknown: what the
    household may qualify for, never added in), summed by period. An "up to" figure (a cap,
    before the facts that decide the amount are known) counts at the cap and marks the sum
    "up to"."""
    sums = {"month": ZERO, "year": ZERO, "once": ZERO}
    up_to = False
    for result in results:
        amount = result.amount
        if result.status != status or amount is None or amount.value is None:
            continue
        if amount.period in sums:
            sums[amount.period] += amount.value
            up_to = up_to or amount.up_to
    return Totals(sums["month"], sums["year"], sums["once"], up_to)
