"""Three residents walk the questionnaire end to end in Chromium and read their results."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import answer_questions, screenshot
from tests.personas import GRADUATE_2025

SENIOR = {  # 82, Beijing hukou, assessed severely disabled, at home, receiving nothing
    "birth_date": "1944-03-02",
    "sex": "female",
    "hukou": "beijing",
    "hukou_nature": "urban",
    "capability_level": "severe",
    "capability_assessment_date": "2026-03-10",
    "care_setting": "home",
    "receives": [],
    "employment_status": "retired",
}
GRADUATE = {  # 2025 graduate, unemployed, level-4 elderly care worker certificate of 2026-03-01
    **GRADUATE_2025,
    "birth_date": "2003-05-01",
    "residence_permit": True,
    "employment_status": "unemployed",
}
ORPHAN = {  # answered by the guardian of an orphan aged 11
    "birth_date": "2015-01-01",
    "hukou": "beijing",
    "hukou_nature": "urban",
    "employment_status": "student",
    "child_status": "orphan",
    "receives": [],
}


def result_card(page, name):
    return page.locator("article.result-card", has=page.get_by_role("heading", name=name))


def test_severely_disabled_senior_sees_800_a_month_and_the_fee_refund(page):
    """京民发〔2026〕6号 一(五) 50% up to 800 a month; 附件5 三 the 100-yuan fee is refunded."""
    page.goto("/")
    page.get_by_role("link", name="开始").click()
    pages = answer_questions(page, SENIOR, "继续")
    assert all("certificate_kind" not in keys for keys in pages)  # never asked a senior
    expect(page).to_have_url(re.compile(r"/check/answers/$"))
    page.get_by_role("link", name="查看结果", exact=True).click()
    subsidy = result_card(page, "养老服务消费补贴（中度以上失能老年人）")
    expect(subsidy.locator(".amount")).to_have_text(re.compile(r"最高\s*800 元\s*每月"))
    expect(subsidy).to_contain_text("50%")
    refund = result_card(page, "老年人能力评估服务费退还（中度以上失能）")
    expect(refund.locator(".amount")).to_have_text(re.compile(r"100 元\s*一次性"))
    section = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("您现在可以申请"))
    )
    expect(section.locator("article.result-card")).to_have_count(2)
    screenshot(page, "results-senior-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "results-senior-390")


def test_graduate_without_javascript_sees_1800_and_the_deadline(new_page):
    """京人社能发〔2026〕2号 二: tier A level 4 = 1800; 三(一): apply by 2027-03-01."""
    page = new_page(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page.goto("/check/")
    pages = answer_questions(page, GRADUATE, "继续")
    assert all("capability_level" not in keys for keys in pages)  # never asked a graduate
    page.get_by_role("link", name="查看结果", exact=True).click()
    skills = result_card(page, "重点群体就业技能提升补助")
    expect(skills.locator(".amount")).to_have_text(re.compile(r"1,800 元\s*一次性"))
    expect(skills.locator(".deadline")).to_contain_text("2027-03-01")
    screenshot(page, "results-graduate-390")


def test_guardian_of_an_orphan_in_english_sees_2650_a_month(page):
    """京民儿福发〔2023〕246号 一: orphans 2650 yuan per person per month."""
    page.goto("/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Find the Beijing benefits you can get"
    )
    page.get_by_role("link", name="Start now").click()
    answer_questions(page, ORPHAN, "Continue")
    page.get_by_role("link", name="See your results", exact=True).click()
    allowance = page.locator("article.result-card.result-eligible").filter(has_text="2,650")
    expect(allowance.locator(".amount")).to_have_text(re.compile(r"2,650 yuan\s*a month"))
    screenshot(page, "results-orphan-en-1280")
