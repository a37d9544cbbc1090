"""就业见习 (京人社毕发〔2024〕16号 一(三), 三(十)): a yearly measure with no end date."""

import pytest

SLUG = "employment-internship"
GRADUATE = {
    "birth_date": "2003-05-01",
    "employment_status": "unemployed",
    "higher_ed_graduate": True,
    "graduation_date": "2025-07-01",
    "employed_since_graduation": False,
}


@pytest.mark.parametrize("as_of", ["2025-12-31", "2026-01-01", "2027-06-01"])
def test_internships_go_on_after_2025(screen_programme, as_of):
    """一(三): 2024年起,每年…募集…按规定给予就业见习补贴 sets no end; 政策执行至2025年12月31日
    follows the remaining-period subsidy only."""
    result = screen_programme(SLUG, GRADUATE, as_of)
    assert result.status == "eligible"
    assert result.programme.period_end is None


def test_the_remaining_period_subsidy_is_offered_until_2025_and_said_ended_after(
    screen_programme,
):
    before = screen_programme(SLUG, GRADUATE, "2025-12-31").amount.note.zh
    after = screen_programme(SLUG, GRADUATE, "2026-01-01").amount.note.zh
    assert "可给予剩余期限见习补贴" in before
    assert "已于2025年12月31日到期" in after


def test_a_retired_graduate_is_not_an_unemployed_graduate(screen_programme):
    retired = {"birth_date": "1950-01-01", "employment_status": "retired"}
    assert screen_programme(SLUG, retired, "2026-06-01").status == "ineligible"
