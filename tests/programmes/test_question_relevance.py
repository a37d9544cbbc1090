"""No resident is asked a question whose answer cannot change any of their results on the
screening date: an 80-year-old with a moderate care need, a 35-year-old who is unemployed and a
5-year-old with a disability certificate, screened in 2026."""

import pytest

from tests.programmes.walk import (
    PERSONA_5_DISABLED,
    PERSONA_35_UNEMPLOYED,
    PERSONA_80_MODERATE,
    asked,
)

AS_OF = "2026-06-01"
ENDED_BY_2026 = {  # the 2021 pension adjustment, the 2025 resident insurance, the 2024 pilot
    "retirement_date",
    "contribution_months",
    "monthly_pension",
    "beijing_pension_scheme",
    "work_injury_recognised",
    "lives_outside_beijing_6m",
    "referred_outside_beijing",
}
CHILDHOOD = {"child_status", "bda_inclusive_kindergarten", "preschool_aid_received"}
OLD_AGE = {"capability_level", "care_setting", "capability_assessment_date"}
NEVER = {"di_bao_means_test_met", "jjj_care_home_online_payment"}  # no longer questions


@pytest.mark.parametrize(
    ("persona", "never_asked"),
    [
        (PERSONA_80_MODERATE, ENDED_BY_2026 | CHILDHOOD | {"resident_insurance_group"}),
        (PERSONA_35_UNEMPLOYED, ENDED_BY_2026 | CHILDHOOD | OLD_AGE | {"resident_insurance_group"}),
        (PERSONA_5_DISABLED, ENDED_BY_2026 | OLD_AGE | {"housing_fund_depositor"}),
    ],
    ids=["80 moderate", "35 unemployed", "5 with a disability certificate"],
)
def test_irrelevant_questions_are_not_asked(catalogue, persona, never_asked):
    keys = asked(catalogue, persona, AS_OF)
    assert sorted((never_asked | NEVER) & set(keys)) == []


def test_the_questions_that_matter_are_asked(catalogue):
    assert {"capability_level", "care_setting"} <= set(asked(catalogue, PERSONA_80_MODERATE, AS_OF))
    assert {"household_size", "household_monthly_income"} <= set(
        asked(catalogue, PERSONA_35_UNEMPLOYED, AS_OF)
    )
    assert {"child_status", "bda_inclusive_kindergarten"} <= set(
        asked(catalogue, PERSONA_5_DISABLED, AS_OF)
    )
