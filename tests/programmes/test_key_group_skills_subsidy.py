"""重点群体就业技能提升补助 (京人社能发〔2026〕2号) screened through the engine."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.personas import GRADUATE_2025, SENIOR_AT_HOME
from tests.programmes.questionnaire_walk import asked, walk

SLUG = "key-group-skills-subsidy"
GRADUATE = GRADUATE_2025
AS_OF = "2026-06-01"


@pytest.fixture
def check(screen_programme):
    def run(changes=None, as_of=AS_OF, drop=()):
        answers = {k: v for k, v in {**GRADUATE, **(changes or {})}.items() if k not in drop}
        return screen_programme(SLUG, answers, as_of)

    return run


def test_2025_graduate_with_level_4_elderly_care_certificate_gets_1800(check):
    """二: 养老护理员 (4-10-01-05) is tier A; level 4 is 1500 in tier B, A is B plus 20%.
    三(一): apply within one year of the certificate date, so by 2027-03-01."""
    result = check()
    assert result.status == "eligible"
    assert result.amount.value == Decimal(1800)
    assert result.amount.period == "once"
    assert [d.date for d in result.deadlines] == [dt.date(2027, 3, 1)]


@pytest.mark.parametrize(
    ("occupation", "level", "amount"),
    [
        ("3-01-01-02", 5, 1000),  # 政务服务办事员, tier B
        ("3-01-01-02", 4, 1500),
        ("3-01-01-02", 3, 2000),
        ("3-01-01-02", 1, 2000),  # 高级工(三级)及以上: level 1 is "and above"
        ("4-10-01-05", 5, 1200),  # 养老护理员, tier A
        ("4-10-01-05", 3, 2400),
        ("6-31-07-01", 2, 2400),  # 工业机器人系统运维员, tier A, level 2 is "and above"
        ("6-31-07-03", 2, 2000),  # 工业机器人系统操作员, tier B
    ],
)
def test_skill_level_amount_by_tier_and_level(check, occupation, level, amount):
    """二: B档 五级1000、四级1500、三级及以上2000元/人；A档在B档基础上上浮20%."""
    result = check({"certificate_occupation": occupation, "certificate_level": level})
    assert result.status == "eligible"
    assert result.amount.value == Decimal(amount)


@pytest.mark.parametrize(
    ("item", "amount"),
    [("老年人照护", 1200), ("母婴照护", 1200), ("家庭清洁", 800), ("家电清洗", 800)],
)
def test_special_ability_certificate_amount_by_tier(check, item, amount):
    """二: 专项职业能力证书 A档1200元/人，B档800元/人."""
    result = check(
        {"certificate_kind": "special_ability", "certificate_occupation": item},
        drop=("certificate_level",),
    )
    assert result.status == "eligible"
    assert result.amount.value == Decimal(amount)


def test_occupation_outside_the_catalogue_gets_nothing(check):
    """二 and 附件: only occupations in the 2026 catalogue are subsidised."""
    result = check({"certificate_occupation": "2-02-01-01"})
    assert result.status == "ineligible"
    assert result.amount is None


@pytest.mark.parametrize(
    ("issued", "as_of", "status"),
    [
        ("2025-03-31", "2026-03-01", "ineligible"),
        ("2025-04-01", "2026-03-01", "eligible"),
        ("2027-12-31", "2028-01-02", "eligible"),
    ],
)
def test_certificate_must_be_issued_from_2025_04_01_to_2027_12_31(check, issued, as_of, status):
    """一(三): 取得2025年4月1日至2027年12月31日期间核发的相应证书."""
    # Graduation a year before the certificate keeps the graduate within two years.
    graduated = (dt.date.fromisoformat(issued) - dt.timedelta(days=365)).isoformat()
    result = check({"certificate_issue_date": issued, "graduation_date": graduated}, as_of=as_of)
    assert result.status == status


@pytest.mark.parametrize(
    ("as_of", "status"), [("2027-03-01", "eligible"), ("2027-03-02", "ineligible")]
)
def test_application_within_one_year_of_the_certificate(check, as_of, status):
    """三(一): 申请人自证书核发后一年内…申请."""
    assert check(as_of=as_of).status == status


@pytest.mark.parametrize(
    ("graduated", "status"),
    [("2024-03-01", "eligible"), ("2024-02-29", "ineligible"), ("2026-03-02", "ineligible")],
)
def test_graduate_must_be_within_two_years_of_leaving_school_on_the_certificate_date(
    check, graduated, status
):
    """一(一) 离校两年内未就业高校毕业生, judged on the certificate date (三(一))."""
    assert check({"graduation_date": graduated}).status == status


def test_graduate_who_worked_before_the_certificate_date_is_not_in_the_group(check):
    """一(一) 未就业, on the certificate date (三(一)): a job held in between rules it out."""
    assert check({"key_group_status_at_certificate": []}).status == "ineligible"


def test_status_is_judged_on_the_certificate_date_not_today(check):
    """三(一): 申请人身份状态以证书核发日期为准 — a job found since does not matter."""
    later = {"employment_status": "employed", "employed_since_graduation": True}
    assert check(later).status == "eligible"


def test_registered_unemployed_non_hukou_residence_permit_holder_qualifies(check):
    """一(一) 本市登记失业人员: registration in Beijing, not hukou, decides."""
    result = check(
        {
            "higher_ed_graduate": False,
            "residence_permit": True,
            "key_group_status_at_certificate": ["registered_unemployed"],
        }
    )
    assert result.status == "eligible"


def test_person_with_employment_difficulty_qualifies(check):
    """一(一) 就业困难人员."""
    changes = {
        "higher_ed_graduate": False,
        "key_group_status_at_certificate": ["employment_difficulty"],
    }
    assert check(changes).status == "eligible"


@pytest.mark.parametrize(
    ("status", "expected"), [(["job_seeking_registered"], "eligible"), ([], "ineligible")]
)
def test_rural_beijing_worker_must_be_registered_as_seeking_work(check, status, expected):
    """一(一): 本市户籍农村转移就业劳动力应处于无业求职登记状态."""
    result = check(
        {
            "higher_ed_graduate": False,
            "hukou": "beijing",
            "hukou_nature": "rural",
            "key_group_status_at_certificate": status,
        }
    )
    assert result.status == expected


def test_seeking_work_registration_without_a_rural_beijing_hukou_is_not_enough(check):
    """一(一): the rural group is 本市户籍 rural labour; hukou is asked, never inferred."""
    changes = {
        "higher_ed_graduate": False,
        "key_group_status_at_certificate": ["job_seeking_registered"],
    }
    assert check(changes).status == "ineligible"
    assert check({**changes, "hukou": "beijing", "hukou_nature": "urban"}).status == "ineligible"


@pytest.mark.parametrize(
    "changes", [{"certificate_already_subsidised": True}, {"skills_subsidy_received_before": True}]
)
def test_once_per_person_and_never_for_a_certificate_already_subsidised(check, changes):
    """二: 每人最多享受一次补助；已通过该证书享受本市其他政策补贴的不再重复享受."""
    assert check(changes).status == "ineligible"


def test_disability_certificate_holders_are_referred_to_another_rule(check):
    """二: 残疾人…按照京残发〔2018〕26号执行 — not this subsidy's standard."""
    result = check({"disability_grade": 2})
    assert result.status == "ineligible"


def test_without_the_certificate_answers_the_result_is_unknown(check):
    """一(二): whether a certificate is held decides; nothing has failed yet."""
    result = check(
        drop=(
            "certificate_kind",
            "certificate_level",
            "certificate_occupation",
            "certificate_issue_date",
        )
    )
    assert result.status == "unknown"
    assert "certificate_kind" in result.missing
    assert result.amount.value is None


def test_programme_starts_on_the_notice_date(check):
    """七(一): 本通知自印发之日起实施 (2026-02-14)."""
    changes = {"certificate_issue_date": "2026-02-01"}
    assert check(changes, as_of="2026-02-13").status == "inactive"
    assert check(changes, as_of="2026-02-14").status == "eligible"


def outcomes(result):
    return [reason.outcome for reason in result.reasons]


def test_without_a_certificate_only_the_certificate_requirement_is_not_met(check):
    """一(二): a recent graduate with no certificate yet is not told they are outside the key
    groups, nor that they received the subsidy before: those lines stay open, only 一(二) fails."""
    result = check(
        {"certificate_kind": "none"},
        drop=(
            "certificate_level",
            "certificate_occupation",
            "certificate_issue_date",
            "certificate_already_subsidised",
            "skills_subsidy_received_before",
            "key_group_status_at_certificate",
        ),
    )
    assert result.status == "ineligible"
    failed = [r.requirement.clause for r in result.reasons if r.outcome == "not_met"]
    assert failed == ["京人社能发〔2026〕2号 一(二)、二"]
    assert outcomes(result) == [
        "unknown",
        "met",
        "not_met",
        "unknown",
        "unknown",
        "met",
        "unknown",
    ]


def test_retiree_fails_only_the_working_age_reading(screen_programme):
    """一(一): retired people are not among the 4 key groups; nothing about a certificate is
    shown as failed, since nothing about it was asked."""
    result = screen_programme(SLUG, {**SENIOR_AT_HOME, "employment_status": "retired"}, AS_OF)
    assert result.status == "ineligible"
    failed = [r.requirement.description.en for r in result.reasons if r.outcome == "not_met"]
    assert failed == [
        "You are 16 or over and not retired (all 4 key groups are people of working age)."
    ]


KEY_GROUP_FACTS = {
    "certificate_kind",
    "certificate_level",
    "certificate_occupation",
    "certificate_issue_date",
    "certificate_already_subsidised",
    "skills_subsidy_received_before",
    "key_group_status_at_certificate",
}


def test_an_80_year_old_is_never_asked_about_certificates(catalogue):
    pages = walk(catalogue, {**SENIOR_AT_HOME, "employment_status": "retired"}, AS_OF)
    assert pages, "the senior is asked something"
    assert asked(pages) & KEY_GROUP_FACTS == set()


def test_a_graduate_without_a_certificate_is_asked_only_whether_they_have_one(catalogue):
    persona = {**GRADUATE, "certificate_kind": "none"}
    pages = walk(catalogue, persona, AS_OF)
    assert asked(pages) & KEY_GROUP_FACTS == {"certificate_kind"}


def test_certificate_details_come_after_the_kind_and_the_status_on_its_date_last(catalogue):
    """A 45-year-old registered unemployed when the certificate was issued."""
    persona = {**GRADUATE, "birth_date": "1981-05-01", "higher_ed_graduate": False}
    persona["key_group_status_at_certificate"] = ["registered_unemployed"]
    pages = walk(catalogue, persona, AS_OF)
    order = [key for page in pages for key in page if key in KEY_GROUP_FACTS]
    assert order[0] == "certificate_kind"
    assert set(order) == KEY_GROUP_FACTS
    assert order.index("key_group_status_at_certificate") > order.index("certificate_issue_date")
    kind_page = next(page for page in pages if "certificate_kind" in page)
    assert kind_page == ["certificate_kind"]
