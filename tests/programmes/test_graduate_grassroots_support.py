"""高校毕业生基层就业支持 (京人社毕发〔2024〕16号 二(四)), and who is asked about degrees."""

from tests.personas import SENIOR_AT_HOME
from tests.programmes.questionnaire_walk import asked, walk

SLUG = "graduate-grassroots-support"
GRADUATE_FACTS = {
    "higher_ed_graduate",
    "graduation_date",
    "employed_since_graduation",
    "graduated_in_beijing",
    "first_job_is_flexible",
    "flexible_employment_start_date",
    "grassroots_employment",
}


def test_a_non_graduate_grassroots_worker_fails_only_on_the_degree(screen_programme):
    """二(四) 到基层就业的高校毕业生: the grassroots line is not marked failed for a
    non-graduate; it is simply not asked."""
    answers = {"higher_ed_graduate": False, "employment_status": "employed"}
    result = screen_programme(SLUG, answers, "2025-09-01")
    assert result.status == "ineligible"
    assert [r.outcome for r in result.reasons] == ["not_met", "unknown"]


def test_a_graduate_without_a_job_is_not_yet_at_the_grassroots(screen_programme):
    answers = {"higher_ed_graduate": True, "employment_status": "unemployed"}
    result = screen_programme(SLUG, answers, "2025-09-01")
    assert [r.outcome for r in result.reasons] == ["met", "not_met"]


def test_an_80_year_old_is_never_asked_about_degrees_or_graduate_jobs(catalogue):
    senior = {**SENIOR_AT_HOME, "employment_status": "retired"}
    for as_of in ("2024-06-01", "2025-06-01", "2026-06-01", "2026-12-01"):
        assert asked(walk(catalogue, senior, as_of)) & GRADUATE_FACTS == set(), as_of


def test_a_working_graduate_is_asked_whether_the_job_is_at_the_grassroots(catalogue):
    graduate = {
        "birth_date": "2002-03-01",
        "hukou": "other",
        "employment_status": "employed",
        "higher_ed_graduate": True,
        "graduation_date": "2025-07-01",
        "grassroots_employment": True,
    }
    assert "grassroots_employment" in asked(walk(catalogue, graduate, "2026-06-01"))
