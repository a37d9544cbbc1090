"""高校毕业生灵活就业社保补贴 (京人社毕发〔2024〕16号 二(六))."""

import pytest

SLUG = "graduate-flexible-employment-subsidy"
AS_OF = "2025-09-01"
GRADUATE = {  # left a Beijing university in July 2023; flexible work since September 2023
    "birth_date": "2001-03-01",
    "hukou": "other",
    "higher_ed_graduate": True,
    "graduation_date": "2023-07-01",
    "graduated_in_beijing": True,
    "employment_status": "flexible",
    "first_job_is_flexible": True,
    "flexible_employment_start_date": "2023-09-01",
}


@pytest.fixture
def check(screen_programme):
    def run(changes=None, as_of=AS_OF, drop=()):
        answers = {k: v for k, v in {**GRADUATE, **(changes or {})}.items() if k not in drop}
        return screen_programme(SLUG, answers, as_of)

    return run


@pytest.mark.parametrize("as_of", ["2025-07-01", "2025-07-02", "2027-01-01"])
def test_two_years_are_counted_to_the_start_of_the_flexible_work_not_to_today(check, as_of):
    """二(六) 毕业离校两年内初次就业为灵活就业: the first job began within two years; the
    duration of the subsidy is not printed, so the screening date does not end it."""
    assert check(as_of=as_of).status == "eligible"


@pytest.mark.parametrize(
    ("started", "status"), [("2025-07-01", "eligible"), ("2025-07-02", "ineligible")]
)
def test_flexible_work_begun_more_than_two_years_after_leaving_does_not_count(
    check, started, status
):
    assert check({"flexible_employment_start_date": started}).status == status


@pytest.mark.parametrize("hukou", ["beijing", "other"])
def test_a_beijing_university_graduate_qualifies_whatever_the_hukou(check, hukou):
    """本市高校毕业生 is not read as Beijing hukou."""
    assert check({"hukou": hukou}).status == "eligible"


def test_a_graduate_of_a_university_elsewhere_is_asked_to_check_never_refused(check):
    """本市高校毕业生 is not defined: a graduate of a university outside Beijing (even with a
    Beijing hukou) may count, so the requirement is open ('ask'), not failed."""
    result = check({"graduated_in_beijing": False, "hukou": "beijing"})
    assert result.status == "unknown"
    assert [r.outcome for r in result.reasons] == ["met", "unknown", "met", "met"]
    assert result.missing == ()


def test_the_resident_is_asked_where_they_graduated_not_what_an_undefined_term_means(catalogue):
    spec = catalogue.facts["graduated_in_beijing"]
    assert "北京地区的高校" in spec.question.zh
    assert "beijing_higher_ed_graduate" not in catalogue.facts


def test_an_unemployed_graduate_fails_only_on_working_flexibly(check):
    result = check(
        {"employment_status": "unemployed"},
        drop=("first_job_is_flexible", "flexible_employment_start_date"),
    )
    assert result.status == "ineligible"
    assert [r.outcome for r in result.reasons] == ["met", "met", "not_met", "unknown"]
