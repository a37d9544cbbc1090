"""一次性扩岗补助 (京人社毕发〔2024〕16号 一(一)): the employer claims; judged on the hire date."""

import datetime as dt

import pytest

from rules import engine
from tests.programmes.questionnaire_walk import asked, walk

SLUG = "job-expansion-subsidy"
AS_OF = "2025-07-01"
EMPLOYER = {  # hired in March 2025 a graduate who left school in July 2024 without a job
    "screening_as_employer": True,
    "youth_hire_date": "2025-03-01",
    "hired_person_birth_date": "2003-05-01",
    "hired_person_graduate": True,
    "hired_person_graduation_date": "2024-07-01",
    "hired_person_employed_before_hire": False,
    "hired_person_registered_unemployed": False,
    "enterprise_contract_insured_3m": True,
}
EMPLOYER_FACTS = {
    "youth_hire_date",
    "hired_person_birth_date",
    "hired_person_graduate",
    "hired_person_graduation_date",
    "hired_person_employed_before_hire",
    "hired_person_registered_unemployed",
    "enterprise_contract_insured_3m",
}
GRADUATE = {  # a resident checking for herself: the kind of person the subsidy is about
    "screening_as_employer": False,
    "birth_date": "2003-05-01",
    "hukou": "other",
    "employment_status": "unemployed",
    "higher_ed_graduate": True,
    "graduation_date": "2024-07-01",
    "employed_since_graduation": False,
}


@pytest.fixture
def check(screen_programme):
    def run(changes=None, as_of=AS_OF):
        return screen_programme(SLUG, {**EMPLOYER, **(changes or {})}, as_of)

    return run


def test_employer_that_hired_an_unemployed_graduate_gets_1000(check):
    result = check()
    assert result.status == "eligible"
    assert result.amount.value == 1000 and result.amount.period == "once"


@pytest.mark.parametrize(
    ("hired", "status"),
    [("2025-08-31", "eligible"), ("2025-09-01", "ineligible"), ("2025-03-01", "eligible")],
)
def test_age_16_to_24_is_judged_on_the_hire_date_not_the_screening_date(check, hired, status):
    """一(一) 16—24岁登记失业青年: born 2000-09-01, 25 on 2025-09-01; screened in December,
    when everyone here is 25, the hire date alone decides."""
    youth = {
        "youth_hire_date": hired,
        "hired_person_birth_date": "2000-09-01",
        "hired_person_graduate": False,
        "hired_person_registered_unemployed": True,
    }
    assert check(youth, as_of="2025-12-01").status == status


def test_two_years_from_leaving_school_are_counted_to_the_hire_date(check):
    """一(一) 离校两年内: left 2023-07-01, hired on the second anniversary, screened later."""
    changes = {"hired_person_graduation_date": "2023-07-01", "youth_hire_date": "2025-07-01"}
    assert check(changes, as_of="2025-10-15").status == "eligible"
    changes["youth_hire_date"] = "2025-07-02"
    assert check(changes, as_of="2025-10-15").status == "ineligible"


def test_a_job_held_after_the_hire_does_not_matter_but_one_before_it_does(check):
    """一(一) 未就业 is asked as 'before this hire': being employed now is the point of it."""
    assert check({"hired_person_employed_before_hire": False}).status == "eligible"
    assert check({"hired_person_employed_before_hire": True}).status == "ineligible"


def test_an_individual_is_told_it_is_for_employers_and_asked_nothing_about_a_hire(
    screen_programme, catalogue
):
    result = screen_programme(SLUG, GRADUATE, AS_OF)
    assert result.status == "ineligible"
    assert result.reasons[0].outcome == "not_met"
    assert "enterprise" in result.reasons[0].requirement.description.en
    pages = walk(catalogue, GRADUATE, AS_OF)
    assert asked(pages) & EMPLOYER_FACTS == set()
    assert any("screening_as_employer" in page for page in pages)


def test_until_the_resident_says_who_they_are_only_that_question_is_asked(catalogue):
    screening = engine.screen(catalogue, {}, dt.date.fromisoformat(AS_OF), question_limit=200)
    assert "screening_as_employer" in screening.next_questions
    assert set(screening.next_questions) & EMPLOYER_FACTS == set()


def test_an_employer_is_asked_about_the_hire_on_one_page(catalogue):
    pages = walk(catalogue, {**EMPLOYER, "birth_date": "1980-01-01"}, AS_OF)
    assert asked(pages) >= EMPLOYER_FACTS
    first_hire_page = next(page for page in pages if "youth_hire_date" in page)
    assert "hired_person_birth_date" in first_hire_page


@pytest.mark.django_db
def test_a_resident_sees_one_failed_line_not_a_list_of_hire_conditions(screen_programme, client):
    """The hire conditions do not apply to someone not screening as an employer: they are shown
    as not assessed, and only "for employers" is the reason it does not apply."""
    result = screen_programme(SLUG, GRADUATE, AS_OF)
    assert [(r.outcome, r.assessed) for r in result.reasons] == [("not_met", True)] + [
        ("not_met", False)
    ] * (len(result.reasons) - 1)
    body = {"answers": GRADUATE, "as_of": AS_OF, "lang": "en"}
    found = next(
        r
        for r in client.post("/api/v1/screen", body, content_type="application/json").json()[
            "results"
        ]
        if r["programme"] == SLUG
    )
    assert [r["assessed"] for r in found["reasons"]] == [r.assessed for r in result.reasons]
    assert found["reasons"][0]["outcome"] == "not_met"


def test_an_employer_failing_one_condition_sees_every_line_assessed(check):
    result = check({"enterprise_contract_insured_3m": False})
    assert result.status == "ineligible"
    assert all(reason.assessed for reason in result.reasons)
    assert [r.outcome for r in result.reasons].count("not_met") == 1
