"""A resident screens their household in Chromium: themselves (35, out of work), a child (5,
with a disability certificate) and a parent (80, moderate care need, living at home); prints
the household sheet and reopens it with the reference code typed on the start page."""

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

AS_TYPED = {  # what the resident answers, per page: the household's, then each member's
    "_household": {"hukou": "beijing", "hukou_nature": "urban", "district": "haidian"},
    "m1": {"employment_status": "unemployed", "receives": []},
    "m2": {"disability_grade": "2", "receives": [], "child_status": "none"},
    "m3": {"capability_level": "moderate", "care_setting": "home", "receives": []},
}
WORK_OR_STUDY = {
    "employment_status",
    "registered_unemployed",
    "higher_ed_graduate",
    "graduation_date",
    "certificate_kind",
    "retirement_date",
}


def add_member(page: Page, relation: str, birth_date: str) -> None:
    page.select_option("#relation", relation)
    page.fill("#birth_date", birth_date)
    page.get_by_role("button", name="添加此人").click()


def answer(page: Page, key: str, value) -> None:
    if isinstance(value, list):
        for item in value:
            page.check(f"input[name={key}][value={item}]")
    elif page.locator(f"input[type=radio][name={key}]").count():
        page.check(f"input[name={key}][value='{value}']")
    elif page.locator(f"select[name={key}]").count():
        page.select_option(f"select[name={key}]", str(value))
    else:
        page.fill(f"[name={key}]", str(value))


def answer_household(page: Page, limit: int = 60) -> dict[str, list[str]]:
    """Answer every page from AS_TYPED (skipping the rest); {who: keys asked}."""
    asked: dict[str, list[str]] = {}
    for _ in range(limit):
        if not page.locator("input[name=who]").count():
            return asked
        who = page.locator("input[name=who]").get_attribute("value") or ""
        keys = [el.get_attribute("value") or "" for el in page.locator("input[name=page]").all()]
        asked.setdefault(who, []).extend(keys)
        for key in keys:
            if key in AS_TYPED.get(who, {}):
                answer(page, key, AS_TYPED[who][key])
            else:
                page.check(f"#skip_{key}")
        with page.expect_navigation():
            page.get_by_role("button", name="继续", exact=True).click()
    raise AssertionError(f"the questionnaire did not end: {asked}")


def pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_household_is_screened_printed_and_reopened_by_its_code(page, tmp_path):
    page.goto("/")
    page.check("#for-household")
    page.get_by_role("button", name="为他/她开始查询").click()
    add_member(page, "self", "1991-04-02")  # 35 on the site's date range used below
    add_member(page, "child", "2021-03-01")  # 5
    add_member(page, "parent", "1946-01-09")  # 80
    expect(page.locator(".household-members li")).to_have_count(3)
    screenshot(page, "household-members-1280")
    with page.expect_navigation():
        page.get_by_role("link", name="继续回答问题").click()
    expect(page.locator("input[name=who]")).to_have_count(1)  # the first page, not a race
    asked = answer_household(page)

    assert not WORK_OR_STUDY & set(asked["m2"]), asked["m2"]  # the five-year-old
    assert "child_status" in asked["m2"]  # what a child is asked instead
    assert "in_school" not in asked["m3"] and "higher_ed_graduate" not in asked["m3"]
    assert not {"hukou", "district"} & set(asked["m1"] + asked["m2"] + asked["m3"])

    expect(page).to_have_url(re.compile(r"/household/results/$"))
    parent = page.locator("#member-section-m3")
    name = page.get_by_role("heading", name="养老服务消费补贴（中度以上失能老年人）")
    subsidy = parent.locator("article.result-card", has=name)
    expect(subsidy.locator(".amount")).to_have_text(re.compile(r"最高\s*800 元\s*每月"))
    totals = page.locator("#household-totals")
    expect(totals.locator("tfoot")).to_contain_text("家庭合计")
    expect(totals.locator("tfoot")).to_contain_text("800 元")
    expect(page.locator(".hotline")).to_contain_text("12345")
    screenshot(page, "household-results-1280")

    page.get_by_role("button", name="保存并打印结果单").click()
    code = page.locator(".reference").inner_text()
    expect(page.locator(".member-page")).to_have_count(4)  # three members, then the household
    screenshot(page, "household-sheet-1280")
    pdf = page.request.get(page.get_by_role("link", name="下载PDF").get_attribute("href"))
    pages = pdf_pages(pdf.body(), tmp_path)
    assert "家庭摘要" in pages[0] and "家庭合计" in pages[0] and code in pages[0]
    heads = [p.strip().splitlines()[0] for p in pages[1:]]
    assert heads[0].strip().startswith("本人（1991年出生）")  # the summary is one page
    for label in ("本人（1991年出生）", "子女（2021年出生）", "父母（1946年出生）"):
        assert sum(head.strip().startswith(label) for head in heads) == 1, heads

    page.goto("/")
    page.fill("#reference-code", code.replace("-", "").lower())
    page.get_by_role("button", name="打开结果单").click()
    expect(page).to_have_url(re.compile(rf"/r/{code}/$"))
    expect(page.locator(".reference")).to_have_text(code)
