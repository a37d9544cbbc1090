"""签约家医取消首诊转诊 (京医保发〔2024〕3号 第7条): only the students-and-children group is out,
so the insured group is asked only where age and schooling leave it open."""

import pytest

from tests.programmes.walk import (
    PERSONA_5_DISABLED,
    PERSONA_35_UNEMPLOYED,
    PERSONA_80_MODERATE,
    asked,
)

SLUG = "family-doctor-direct-visit"


@pytest.mark.parametrize(
    ("persona", "group_asked"),
    [
        (PERSONA_80_MODERATE, False),  # a retiree is not a student or child
        (PERSONA_35_UNEMPLOYED, False),  # an adult who is not a student
        (PERSONA_5_DISABLED, False),  # under 16: in the students-and-children group
        ({**PERSONA_35_UNEMPLOYED, "birth_date": "2009-01-01"}, True),  # 17
        ({**PERSONA_35_UNEMPLOYED, "employment_status": "student"}, True),
    ],
)
def test_the_insured_group_is_asked_only_where_it_decides(catalogue, persona, group_asked):
    keys = asked(catalogue, persona, "2026-06-01")
    assert ("resident_insurance_group" in keys) == group_asked


def test_a_child_under_16_is_in_the_students_and_children_group(screen_programme):
    answers = {"birth_date": "2021-03-02", "medical_insurance": "resident"}
    result = screen_programme(SLUG, answers, "2026-06-01")
    assert result.status == "ineligible"
    assert [r.outcome for r in result.reasons] == ["met", "not_met", "unknown"]
