"""养老服务消费补贴 (京民发〔2026〕6号) screened through the engine, persona by persona."""

from decimal import Decimal

import pytest

from tests.personas import SENIOR_AT_HOME

SLUG = "elderly-care-consumption-subsidy"
SENIOR = SENIOR_AT_HOME
AS_OF = "2026-06-01"


@pytest.fixture
def check(screen_programme):
    def run(changes=None, as_of=AS_OF, drop=()):
        answers = {k: v for k, v in {**SENIOR, **(changes or {})}.items() if k not in drop}
        return screen_programme(SLUG, answers, as_of)

    return run


def test_severely_disabled_beijing_senior_at_home_is_eligible_for_up_to_800(check):
    """一(一) who is covered; 一(五) home care: 50% of spending, at most 800 a month."""
    result = check()
    assert result.status == "eligible"
    assert result.amount.value == Decimal(800) and result.amount.up_to
    assert result.amount.period == "month"
    assert result.amount.clause == "京民发〔2026〕6号 一(五)"


@pytest.mark.parametrize(
    ("spending", "amount"), [(1000, 500), (1600, 800), (1601, 800), (5000, 800)]
)
def test_home_care_is_half_of_spending_capped_at_800(check, spending, amount):
    """一(五): 居家社区养老服务…按照50%的比例进行抵扣，每人每月最高抵扣800元 (1600 is the edge)."""
    result = check({"monthly_care_spending": spending})
    assert result.amount.value == Decimal(amount) and not result.amount.up_to


@pytest.mark.parametrize(("spending", "amount"), [(1000, 400), (2000, 800), (3000, 800)])
def test_care_home_is_40_percent_capped_at_800(check, spending, amount):
    """一(五): 机构养老服务消费项目按照40%的比例进行抵扣，每人每月最高抵扣800元."""
    result = check({"care_setting": "beijing_institution", "monthly_care_spending": spending})
    assert result.status == "eligible"
    assert result.amount.value == Decimal(amount)


@pytest.mark.parametrize(
    ("level", "status"),
    [
        ("moderate", "eligible"),
        ("complete", "eligible"),
        ("mild", "ineligible"),
        ("intact", "ineligible"),
    ],
)
def test_only_moderate_severe_or_complete_disability_qualifies(check, level, status):
    """一(一): 经能力评估为中度、重度、完全失能 — moderate is the threshold."""
    assert check({"capability_level": level}).status == status


def test_a_senior_not_yet_assessed_may_qualify_and_is_asked_nothing_more(check):
    """二(二): the assessment is a step of applying (through Minzhengtong from 2026), so a
    senior not yet assessed is 'not known yet' on that line, never 'not met', and there is no
    question that could settle it before the assessment."""
    result = check({"capability_level": "not_assessed"})
    assert result.status == "unknown"
    assert result.missing == ()
    assert [r.outcome for r in result.reasons] == ["met", "unknown", "met", "met", "met", "met"]


def test_missing_assessment_is_unknown_and_says_what_to_answer(check):
    """一(一): without the assessment level nothing has failed yet."""
    result = check(drop=("capability_level",))
    assert result.status == "unknown"
    assert result.missing == ("capability_level",)


@pytest.mark.parametrize(
    ("birth_date", "status"), [("1966-06-01", "eligible"), ("1966-06-02", "ineligible")]
)
def test_senior_means_aged_60_on_as_of(check, birth_date, status):
    """一(一) 老年人, read as 60 or over (Law on the Elderly art. 2): 60th birthday is the edge."""
    assert check({"birth_date": birth_date}).status == status


@pytest.mark.parametrize(
    "benefit", ["te_kun", "hardship_care_home_subsidy", "basic_elderly_service_project"]
)
def test_seniors_on_excluded_support_are_outside_the_project(check, benefit):
    """一(八)1: 特困供养、困境家庭入住养老机构补助、基本养老服务提升行动项目 are excluded."""
    result = check({"receives": [benefit]})
    assert result.status == "ineligible"
    failed = [r for r in result.reasons if r.outcome == "not_met"]
    assert [r.requirement.clause for r in failed] == ["京民发〔2026〕6号 一(八)1"]
    assert result.amount is None


def test_disability_care_subsidy_recipients_must_give_it_up_first(check):
    """一(八)3: 正在享受失能护理补贴的老年人，不纳入."""
    result = check({"receives": ["disability_care_subsidy"]})
    assert result.status == "ineligible"
    assert [r.requirement.clause for r in result.reasons if r.outcome == "not_met"] == [
        "京民发〔2026〕6号 一(八)3"
    ]


@pytest.mark.parametrize("benefit", ["ltc_insurance", "family_care_bed", "di_bao"])
def test_long_term_care_insurance_and_other_benefits_do_not_exclude(check, benefit):
    """一(八)2 and 5: LTC insurance recipients claim on their own share; care beds are not
    paid with vouchers, but neither excludes the senior."""
    assert check({"receives": [benefit]}).status == "eligible"


def test_non_hukou_senior_with_residence_permit_qualifies(check):
    """一(一): 持有本市居住证(居住登记卡)的外埠老年人."""
    assert check({"hukou": "other", "residence_permit": True}).status == "eligible"


def test_non_hukou_senior_without_permit_at_home_does_not(check):
    """一(一): a senior from elsewhere living at home needs the residence permit."""
    assert check({"hukou": "other", "residence_permit": False}).status == "ineligible"


def test_non_hukou_senior_in_a_beijing_care_home_needs_no_permit(check):
    """一(一): 已入住本市区域内养老机构的外埠老年人，不需提供本市居住证."""
    result = check({"hukou": "other", "care_setting": "beijing_institution"})
    assert result.status == "eligible"


def test_care_home_outside_beijing_is_not_covered(check):
    """一(一): 服务地址在本市行政区域内."""
    result = check({"care_setting": "tianjin_hebei_institution"})
    assert result.status == "ineligible"


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        ("2025-12-31", "inactive"),
        ("2026-01-01", "eligible"),
        ("2026-12-31", "eligible"),
        ("2027-01-01", "inactive"),
    ],
)
def test_project_runs_for_the_12_months_of_2026(check, as_of, status):
    """一(七): 项目实施期限为12个自然月，自2026年1月开始实施."""
    assert check(as_of=as_of).status == status
