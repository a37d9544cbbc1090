"""2021年退休人员基本养老金调整 (京人社养发〔2021〕16号): a one-off adjustment of 2021."""

import pytest

from tests.programmes.walk import PERSONA_80_MODERATE, asked

SLUG = "retiree-pension-adjustment-2021"
PENSION_QUESTIONS = {
    "retirement_date",
    "contribution_months",
    "monthly_pension",
    "land_requisition_worker",
    "beijing_pension_scheme",
    "pension_special_status",
}
RETIREE = {
    "employment_status": "retired",
    "retirement_date": "2018-05-31",
    "beijing_pension_scheme": "enterprise",
    "pension_special_status": "none",
    "birth_date": "1958-05-01",
    "contribution_months": 427,
    "monthly_pension": 4000,
    "land_requisition_worker": False,
}


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        ("2020-12-31", "inactive"),
        ("2021-01-01", "eligible"),
        ("2021-12-31", "eligible"),
        ("2022-01-01", "inactive"),
        ("2026-06-01", "inactive"),
    ],
)
def test_the_adjustment_is_the_2021_one(screen_programme, as_of, status):
    """序言、一: 2021年基本养老金调整方案, 自2021年1月1日起调整."""
    assert screen_programme(SLUG, RETIREE, as_of).status == status


def test_a_retiree_in_2026_is_asked_nothing_about_the_2021_adjustment(catalogue):
    keys = asked(catalogue, PERSONA_80_MODERATE, "2026-06-01")
    assert PENSION_QUESTIONS.isdisjoint(keys)


def test_a_retiree_in_2021_is_asked_what_the_increase_depends_on(catalogue):
    keys = asked(catalogue, PERSONA_80_MODERATE, "2021-06-30")
    assert {"retirement_date", "beijing_pension_scheme"} <= set(keys)
