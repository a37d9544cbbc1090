"""An editor changes an amount in the draft, persona tests catch it, only a publisher can
publish, residents see the new figure, and reverting through history restores the old one."""

import json
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from benefits.models import PersonaCase, Programme, TableRow
from tests.browser.conftest import ARTIFACTS
from tests.personas import B5_RESIDENT

PASSWORD = "correct-horse-battery-staple"


class Containing(str):
    """Equal to any text that contains it (the reason lines are long)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and str(self) in other

    __hash__ = str.__hash__


ANY_1395 = Containing("低保标准（1395元）")
ANY_1450 = Containing("低保标准（1450元）")


@pytest.fixture
def staff(site):
    call_command("create_staff_roles", verbosity=0)
    users = {}
    for name, group in (("editor", "catalogue editors"), ("publisher", "catalogue publishers")):
        user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        users[name] = user
    return users


def resident_amount(page) -> int:
    response = page.request.post(
        "/api/v1/screen",
        data=json.dumps({"answers": B5_RESIDENT, "as_of": "2026-06-01"}),
        headers={"content-type": "application/json"},
    )
    result = next(
        r for r in response.json()["results"] if r["programme"] == "key-group-skills-subsidy"
    )
    return result["amount"]["value"]


def log_in(page, username):
    page.context.clear_cookies()
    # The admin defaults to Chinese like the site; this walk reads it in English.
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": origin + "/"}])
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text(username)


def b5_row():
    return TableRow.objects.get(table__slug="skills-level-standard", keys=["B", "5"])


def set_b5_in_admin(page, value):
    page.goto(f"/admin/benefits/tablerow/{b5_row().pk}/change/")
    page.fill("#id_value", str(value))
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")


def failing_case_links(page):
    page.goto("/admin/benefits/publication/check/")
    return [a.get_attribute("href") for a in page.locator("tr.case-fail td a").all()]


def test_change_check_publish_and_revert(page, staff):
    page.goto("/")
    assert resident_amount(page) == 1000

    log_in(page, "editor")
    set_b5_in_admin(page, 1100)
    links = failing_case_links(page)
    assert links, "the persona case expecting 1000 must fail"
    failing = page.locator("tr.case-fail").first  # expected and got, in words
    expect(failing).to_contain_text("eligible, 1,000 yuan")
    expect(failing).to_contain_text("eligible, 1,100 yuan")
    expect(page.locator("#content-main")).to_contain_text("Only a publisher can publish")
    for link in links:  # the editor updates each case to the new figure
        page.goto(link)
        page.fill("#id_expected_amount", "1100")
        page.click("input[name=_save]")
    assert failing_case_links(page) == []
    forbidden = page.request.post("/admin/benefits/publication/publish/", form={"note": "B5 1100"})
    assert forbidden.status == 403  # an editor cannot publish (CSRF aside, the view says no)
    assert resident_amount(page) == 1000  # residents still see the published catalogue

    log_in(page, "publisher")
    page.goto("/admin/benefits/publication/check/")
    page.fill("#id_note", "Tier B level 5 raised to 1100")
    page.click("text=Publish the draft to residents")
    expect(page.locator(".messagelist")).to_contain_text("Published")
    assert resident_amount(page) == 1100

    # History shows who changed what; reverting the row and the cases restores 1000.
    page.goto(f"/admin/benefits/tablerow/{b5_row().pk}/history/")
    expect(page.locator("#change-history")).to_contain_text("editor")
    expect(page.locator("#change-history")).to_contain_text(
        re.compile(r"value:\s*1000\s*→\s*1100", re.I)
    )
    page.locator("#change-history tbody tr").nth(1).locator("a").first.click()
    page.click("input[name=_save]")
    assert b5_row().value == 1000
    for case in PersonaCase.objects.filter(expected_amount=1100):
        case.history.earliest().instance.save()
    page.goto("/admin/benefits/publication/check/")
    page.fill("#id_note", "Tier B level 5 back to 1000")
    page.click("text=Publish the draft to residents")
    assert resident_amount(page) == 1000


HOUSEHOLD = {"receives": [], "household_size": 2, "household_monthly_income": 2850}  # 1425 each


def di_bao_for_resident(page, as_of: str) -> tuple[str, str]:
    """The status and the income line a resident screened on `as_of` is shown (in Chinese)."""
    response = page.request.post(
        "/api/v1/screen",
        data=json.dumps({"answers": HOUSEHOLD, "as_of": as_of}),
        headers={"content-type": "application/json"},
    )
    result = next(
        r for r in response.json()["results"] if r["programme"] == "minimum-living-allowance"
    )
    return result["status"], result["reasons"][0]["requirement"]


def test_next_years_standard_is_reviewed_published_with_a_reason_and_rolled_back(page, staff):
    """The invented 2027 standard (1450) is test data only: no gazette sets it."""
    page.goto("/")
    today, next_year = "2026-12-02", "2027-07-01"
    assert di_bao_for_resident(page, next_year) == ("ineligible", ANY_1395)

    log_in(page, "editor")  # the clerk enters next year's standard as a dated value
    page.goto("/admin/benefits/parameter/?q=di_bao_standard")
    page.get_by_role("link", name="di_bao_standard", exact=True).click()
    empty = "tr.form-row:not(.empty-form):not(.has_original)"  # the blank row for a new value
    new = page.locator(empty).last
    new.locator("input[name$='-effective_from']").fill(next_year)
    new.locator("input[name$='-value']").fill("1450")
    new.locator("input[name$='-clause']").fill("京民社救发〔2023〕240号 一")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    PersonaCase.objects.create(  # and a persona for it (as the admin's inline would)
        programme=Programme.objects.get(slug="minimum-living-allowance"),
        name_zh="两口之家月收入2850元（人均1425元），2027年7月",
        name_en="Household of 2 with 2,850 a month (1,425 a head), July 2027",
        as_of=next_year,
        answers=HOUSEHOLD,
        expected_status="unknown",
        expected_amount=None,
    )

    page.goto("/admin/benefits/publication/check/")  # the editor sees diff and impact
    expect(page.locator("table.diff").first).to_contain_text("2027-07-01")
    expect(page.locator("table.diff").first).to_contain_text("1450")
    page.screenshot(path=ARTIFACTS / "publish-review.png", full_page=True)
    expect(page.locator("#impact-summary")).to_contain_text(re.compile(r"^[1-9]\d* of \d+"))
    expect(page.locator("table.impact")).to_contain_text("not eligible")
    expect(page.locator("table.impact")).to_contain_text("may qualify")
    expect(page.locator("#content-main")).to_contain_text("Only a publisher can publish")
    expect(page.locator("#id_note")).to_have_count(0)

    log_in(page, "publisher")
    page.goto("/admin/benefits/publication/check/")
    page.fill("#id_note", "2027 minimum living standard")
    page.click("text=Publish the draft to residents")
    expect(page.locator(".messagelist")).to_contain_text("Published")
    assert di_bao_for_resident(page, next_year) == ("unknown", ANY_1450)  # assets still to check
    assert di_bao_for_resident(page, today) == ("ineligible", ANY_1395)

    page.goto("/admin/benefits/publication/")  # the change log: who, why
    expect(page.locator("#result_list")).to_contain_text("2027 minimum living standard")
    page.locator("#result_list tbody tr").nth(1).locator("a").first.click()
    page.fill("#id_republish_note", "Wrong figure entered, rolled back")
    page.screenshot(path=ARTIFACTS / "publication-rollback.png", full_page=True)
    page.click("#republish-form input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("published again")
    assert di_bao_for_resident(page, next_year) == ("ineligible", ANY_1395)
    expect(page.locator("#result_list")).to_contain_text("Wrong figure entered, rolled back")
