"""一次性吸纳就业补贴 (京人社毕发〔2023〕23号): claimed by the employer, judged on the hire date."""

import pytest

from tests.programmes.questionnaire_walk import asked, walk

SLUG = "youth-hiring-subsidy-2023"
AS_OF = "2023-10-01"
EMPLOYER = {  # a Beijing enterprise that hired a 2023 graduate in September 2023
    "screening_as_employer": True,
    "youth_hire_employer_in_beijing": True,
    "youth_hire_date": "2023-09-01",
    "hired_person_birth_date": "2001-03-01",
    "hired_person_graduate": True,
    "hired_person_graduation_date": "2023-07-01",
    "hired_person_employed_before_hire": False,
    "hired_person_registered_unemployed": False,
    "youth_hire_contract_1y": True,
    "youth_hire_insurance_paid": True,
}
EMPLOYER_FACTS = {key for key in EMPLOYER if key != "screening_as_employer"}


@pytest.fixture
def check(screen_programme):
    def run(changes=None, as_of=AS_OF):
        return screen_programme(SLUG, {**EMPLOYER, **(changes or {})}, as_of)

    return run


def test_beijing_enterprise_hiring_a_2023_graduate_gets_1000(check):
    result = check()
    assert result.status == "eligible" and result.amount.value == 1000


def test_registered_unemployed_youth_aged_24_at_the_hire_qualifies_though_25_now(check):
    """一 在本市登记失业的16—24岁青年, on the hire date (2023-06-01); 25 by 2023-12-01."""
    youth = {
        "youth_hire_date": "2023-06-01",
        "hired_person_birth_date": "1998-06-02",
        "hired_person_graduate": False,
        "hired_person_registered_unemployed": True,
    }
    assert check(youth, as_of="2023-12-01").status == "eligible"
    assert check({**youth, "hired_person_birth_date": "1998-06-01"}).status == "ineligible"


def test_another_enterprises_claim_is_not_asked_the_system_checks_it(catalogue):
    """四: one person's record serves one enterprise; an enterprise cannot know another's claim."""
    programme = catalogue.programme(SLUG)
    facts = {c.fact for r in programme.requirements for a in r.alternatives for c in a}
    assert "youth_hire_claimed_by_other" not in facts
    assert "youth_hire_claimed_by_other" not in catalogue.facts


def test_an_individual_is_never_asked_employer_questions(screen_programme, catalogue):
    resident = {"screening_as_employer": False, "birth_date": "2001-03-01", "hukou": "other"}
    result = screen_programme(SLUG, resident, AS_OF)
    assert result.status == "ineligible"
    assert result.reasons[0].outcome == "not_met"
    assert asked(walk(catalogue, resident, AS_OF)) & EMPLOYER_FACTS == set()


def test_an_employer_is_asked_every_hire_question(catalogue):
    pages = walk(catalogue, {**EMPLOYER, "birth_date": "1980-01-01"}, AS_OF)
    assert asked(pages) >= EMPLOYER_FACTS
