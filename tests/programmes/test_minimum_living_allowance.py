"""最低生活保障 (京民社救发〔2021〕87号, 〔2023〕240号): the standard is the per-person income line
of 《社会救助暂行办法》第九条, tested against household size and income on the screening date."""

import datetime as dt

import pytest

from tests.programmes.walk import PERSONA_35_UNEMPLOYED, PERSONA_80_MODERATE, asked

SLUG = "minimum-living-allowance"


@pytest.fixture
def check(screen_programme):
    def run(size, income, as_of, receives=()):
        answers = {
            "receives": list(receives),
            "household_size": size,
            "household_monthly_income": income,
        }
        return screen_programme(SLUG, answers, as_of)

    return run


def test_the_standard_is_picked_on_the_screening_date(catalogue):
    """87号 一、三: 1245 from July 2021; 240号 一、三: 1395 from July 2023."""
    standard = catalogue.parameters["di_bao_standard"]
    assert standard.value_on(dt.date(2021, 6, 30)) is None
    assert standard.value_on(dt.date(2021, 7, 1)) == 1245
    assert standard.value_on(dt.date(2023, 6, 30)) == 1245
    assert standard.value_on(dt.date(2023, 7, 1)) == 1395


@pytest.mark.parametrize(
    ("as_of", "size", "income", "outcome"),
    [
        ("2023-07-01", 1, 1394, "met"),  # one yuan below 1395
        ("2023-07-01", 1, 1395, "not_met"),  # exactly the standard is not below it
        ("2023-07-01", 2, 2792, "not_met"),  # 1396 per person, one yuan above
        ("2023-07-01", 3, 4182, "met"),  # 1394 per person
        ("2023-06-30", 1, 1244, "met"),  # below 1245, the lowest standard then possible
        ("2023-06-30", 1, 1245, "unknown"),  # 1245 or 1320: the gazette does not say which
        ("2023-06-30", 1, 1319, "unknown"),
        ("2023-06-30", 1, 1320, "not_met"),  # 240号 一: it was 1320 before July 2023
        ("2023-06-30", 1, 1394, "not_met"),  # below the new standard, but a day too early
        ("2021-07-01", 4, 4976, "met"),  # 1244 per person on the first day
    ],
)
def test_income_per_person_is_compared_with_the_standard_in_force(
    check, as_of, size, income, outcome
):
    """《社会救助暂行办法》第九条: 人均收入低于当地最低生活保障标准."""
    result = check(size, income, as_of)
    income_line, assets_line = result.reasons
    assert income_line.outcome == outcome
    assert assets_line.outcome == "unknown"  # the asset rules are not printed
    assert income_line.requirement.clause.endswith("《社会救助暂行办法》第九条")
    assert result.status == ("ineligible" if outcome == "not_met" else "unknown")
    assert result.missing == ()  # nothing a resident could answer would settle the rest
    assert result.amount is None or result.amount.value is None  # no payment formula printed


def test_a_household_already_receiving_di_bao_is_eligible_whatever_its_answer(check):
    result = check(1, 5000, "2026-06-01", receives=["di_bao"])
    assert result.status == "eligible"
    assert [r.outcome for r in result.reasons] == ["met", "met"]


def test_the_questionnaire_asks_household_size_and_income_not_whether_approved(catalogue):
    assert "di_bao_means_test_met" not in catalogue.facts
    keys = asked(catalogue, PERSONA_35_UNEMPLOYED, "2026-06-01")
    assert keys.index("receives") < keys.index("household_size")
    assert keys.index("household_size") < keys.index("household_monthly_income")


def test_a_household_receiving_di_bao_is_not_asked_its_income(catalogue):
    persona = {**PERSONA_80_MODERATE, "receives": ["di_bao"]}
    keys = asked(catalogue, persona, "2026-06-01")
    assert "household_size" not in keys and "household_monthly_income" not in keys
