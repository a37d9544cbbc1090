"""创业启航培训 (京人社能发〔2023〕25号): basic and online training name groups as examples."""

import pytest

from tests.personas import SENIOR_AT_HOME
from tests.programmes.questionnaire_walk import asked, walk

SLUG = "entrepreneurship-launch-training"
AS_OF = "2024-05-01"
TRAINEE = {
    "birth_date": "1979-03-01",
    "hukou": "other",
    "employment_status": "employed",
    "startup_training_course": "basic",
    "startup_training_subsidised_this_year": False,
    "startup_training_same_course_before": False,
}
NONE_OF_THE_EXAMPLES = {
    "registered_unemployed": False,
    "veteran": False,
    "rural_migrant_worker": False,
    "startup_training_school_status": "none",
}
TRAINING_FACTS = {
    "startup_training_course",
    "startup_training_school_status",
    "school_leaving_date",
    "employed_since_leaving_school",
    "rural_migrant_worker",
    "startup_training_same_course_before",
    "startup_training_subsidised_this_year",
    "elite_camp_hours",
    "startup_training_credentials",
    "registered_unemployed",
    "veteran",
    "in_school",
}


@pytest.fixture
def check(screen_programme):
    def run(changes=None, as_of=AS_OF):
        return screen_programme(SLUG, {**TRAINEE, **(changes or {})}, as_of)

    return run


def test_someone_outside_the_named_groups_may_qualify_and_is_told_to_ask(check):
    """一(一) 主要针对重点就业群体，包括…等: examples, not a closed list."""
    result = check(NONE_OF_THE_EXAMPLES)
    assert result.status == "unknown"
    assert "not_met" not in [r.outcome for r in result.reasons]
    assert result.missing == ()


@pytest.mark.parametrize(
    "group",
    [
        {"registered_unemployed": True},
        {"veteran": True},
        {"rural_migrant_worker": True},
        {"startup_training_school_status": "final_year_student"},
    ],
)
def test_each_named_group_qualifies(check, group):
    assert check({**NONE_OF_THE_EXAMPLES, **group}).status == "eligible"


def test_rural_workers_are_not_limited_to_a_beijing_hukou(check):
    """一(一) 农村转移就业劳动力: the notice names no hukou."""
    worker = {**NONE_OF_THE_EXAMPLES, "rural_migrant_worker": True, "hukou": "other"}
    assert check(worker).status == "eligible"


@pytest.mark.parametrize(
    ("left", "status"), [("2022-05-01", "eligible"), ("2022-04-30", "unknown")]
)
def test_a_technical_school_graduate_counts_within_two_years_of_leaving(check, left, status):
    """一(一) 院校毕业生 includes secondary vocational and technical schools."""
    graduate = {
        **NONE_OF_THE_EXAMPLES,
        "startup_training_school_status": "graduate",
        "higher_ed_graduate": False,
        "school_leaving_date": left,
        "employed_since_leaving_school": False,
    }
    assert check(graduate).status == status


def test_elite_camps_stay_a_closed_list(check):
    """一(三), 附件3 一: no 等 — a contest winner is not a practice camp trainee."""
    camp = {
        "startup_training_course": "elite_practice",
        "elite_camp_hours": 40,
        "startup_training_credentials": ["contest_award"],
    }
    assert check(camp).status == "ineligible"


def test_an_80_year_old_is_never_asked_about_entrepreneurship_training(catalogue):
    senior = {**SENIOR_AT_HOME, "employment_status": "retired"}
    assert asked(walk(catalogue, senior, "2025-06-01")) & TRAINING_FACTS == set()


def test_someone_not_planning_training_is_asked_nothing_more_about_it(catalogue):
    resident = {**TRAINEE, "startup_training_course": "none", "birth_date": "2002-03-01"}
    pages = walk(catalogue, resident, "2025-06-01")
    assert asked(pages) & TRAINING_FACTS == {"startup_training_course"}
