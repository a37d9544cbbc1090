"""以训兴业培训补贴 (京人社能发〔2021〕14号): the employer claims it for each trained employee."""

import pytest

from tests.programmes.questionnaire_walk import asked, walk

SLUG = "online-skills-training"
AS_OF = "2021-09-01"
EMPLOYER = {
    "screening_as_employer": True,
    "employer_beijing_social_insurance": True,
    "skills_training_valid_hours": 60,
    "skills_training_course_type": "paid_on_demand",
    "training_subsidies_this_year": 0,
    "online_training_first_claim": True,
}
EMPLOYER_FACTS = {key for key in EMPLOYER if key != "screening_as_employer"}


@pytest.mark.parametrize("status", ["retired", "self_employed", "employed"])
def test_the_employer_is_screened_whatever_the_person_answering_does_for_a_living(
    screen_programme, status
):
    """一: the unit pays Beijing social insurance for the trainee; nothing is inferred from the
    job status of whoever fills in the form."""
    result = screen_programme(SLUG, {**EMPLOYER, "employment_status": status}, AS_OF)
    assert result.status == "eligible"
    assert result.amount.value == 1500  # 四: 25 yuan × 60 class hours


def test_an_employer_may_receive_it_only_once(screen_programme):
    """五: 单位只可享受一次以训兴业培训补贴."""
    result = screen_programme(SLUG, {**EMPLOYER, "online_training_first_claim": False}, AS_OF)
    assert result.status == "ineligible"
    assert [r.requirement.clause for r in result.reasons if r.outcome == "not_met"] == [
        "京人社能发〔2021〕14号 五"
    ]


def test_an_employee_checking_for_themselves_is_never_asked_about_the_employer(catalogue):
    employee = {
        "screening_as_employer": False,
        "birth_date": "1990-03-01",
        "hukou": "beijing",
        "hukou_nature": "urban",
        "employment_status": "employed",
    }
    assert asked(walk(catalogue, employee, AS_OF)) & EMPLOYER_FACTS == set()


def test_an_employer_is_asked_about_the_trained_employee(catalogue):
    pages = walk(catalogue, {**EMPLOYER, "birth_date": "1980-01-01"}, AS_OF)
    assert asked(pages) >= EMPLOYER_FACTS
