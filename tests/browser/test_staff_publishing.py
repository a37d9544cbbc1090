"""An editor changes an amount in the draft, persona tests catch it, only a publisher can
publish, residents see the new figure, and reverting through history restores the old one."""

import json
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from benefits.models import PersonaCase, TableRow
from tests.personas import B5_RESIDENT

PASSWORD = "correct-horse-battery-staple"


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
    expect(page.locator("tr.case-fail").first).to_contain_text("amount: expected 1000, got 1100")
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
    page.click("text=Publish the draft to residents")
    assert resident_amount(page) == 1000
