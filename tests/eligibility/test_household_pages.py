"""Screening someone else or a whole household through the resident pages (Django's client):
who it is for, members, questions worded for them and asked once per household, results with
totals, the household sheet, reopening a sheet by its code, changing its answers, and a
community worker's next resident. (The browser walk is in tests/browser/test_household.py.)"""

import re

import pytest

from eligibility.models import SavedResult

pytestmark = pytest.mark.django_db

SHARED = {"hukou": "beijing", "district": "haidian", "household_size": "3"}
ME = {"employment_status": "unemployed", "receives": []}
CHILD = {"disability_grade": "2", "receives": []}
PARENT = {"capability_level": "moderate", "care_setting": "home", "receives": []}


def page_of(response):
    html = response.content.decode()
    who = re.search(r'name="who" value="([^"]*)"', html)
    return (who.group(1) if who else ""), re.findall(r'name="page" value="([a-z_0-9]+)"', html)


def add(client, relation, birth_date):
    return client.post("/household/", {"relation": relation, "birth_date": birth_date})


def answer_all(client, answers_for, limit=60):
    """Answer every page the household questionnaire asks, skipping what the persona does not
    know; returns {who: [keys asked]} and the pages' HTML."""
    asked: dict[str, list[str]] = {}
    pages = []
    for _ in range(limit):
        response = client.get("/household/check/")
        if response.status_code == 302:
            return asked, pages
        who, keys = page_of(response)
        pages.append(response.content.decode())
        asked.setdefault(who, []).extend(keys)
        values = answers_for(who)
        data = {"who": who, "page": keys, "skip": [k for k in keys if k not in values]}
        for key in keys:
            if key in values:
                data[key] = values[key]
        assert client.post("/household/check/", data).status_code == 302
    raise AssertionError("the questionnaire did not end")


def household(client):
    client.post("/for/", {"for": "household"})
    add(client, "self", "1991-04-02")
    add(client, "child", "2021-03-01")
    add(client, "parent", "1946-01-09")
    people = {"_household": SHARED, "m1": ME, "m2": CHILD, "m3": PARENT}
    return answer_all(client, lambda who: people.get(who, {}))


def test_the_start_page_asks_who_it_is_for_and_offers_to_reopen_a_sheet(client):
    html = client.get("/").content.decode()
    for value in ("child", "parent", "spouse", "other", "household", "helper"):
        assert f'name="for" value="{value}"' in html
    assert "社区工作者/代办人" in html
    assert 'name="code"' in html


def test_household_facts_are_asked_once_and_members_only_what_can_change_their_results(client):
    asked, _pages = household(client)
    assert set(asked["_household"]) >= {"hukou", "household_size"}
    for member in ("m1", "m2", "m3"):
        assert not {"hukou", "household_size", "household_monthly_income"} & set(asked[member])
    assert not {"employment_status", "higher_ed_graduate", "certificate_kind"} & set(asked["m2"])
    assert not {"in_school", "higher_ed_graduate", "graduation_date"} & set(asked["m3"])
    assert "employment_status" in asked["m1"]


def test_members_questions_are_worded_for_them_and_the_household_speaks_to_you(client):
    _asked, pages = household(client)
    household_page = next(p for p in pages if 'name="who" value="_household"' in p)
    assert "您的户籍在哪里" in household_page
    parent_page = next(p for p in pages if 'name="who" value="m3"' in p)
    assert "他/她" in parent_page and "您的" not in parent_page.split("<form")[1]
    assert "父母（1946年出生）" in parent_page


def test_household_results_show_each_member_the_household_and_totals(client):
    household(client)
    html = client.get("/household/results/").content.decode()
    assert "家庭合计" in html and "12345" in html
    parent = html.split('id="member-section-m3"')[1].split("</section>")[0]
    assert "养老服务消费补贴" in parent and "800" in parent
    assert "最低生活保障" in html.split('id="h-shared"')[1]


def test_a_household_sheet_reopens_by_its_code_and_change_answers_starts_a_new_screening(client):
    household(client)
    response = client.post("/household/save/")
    saved = SavedResult.objects.get()
    assert response["Location"] == f"/r/{saved.code}/"
    assert [m["relation"] for m in saved.members] == ["self", "child", "parent"]
    sheet = client.get(response["Location"]).content.decode()
    assert sheet.count('class="member-page"') == 4  # three members and the household's own
    typed = saved.code.replace("-", "").lower()
    assert client.get("/r/", {"code": typed})["Location"] == f"/r/{saved.code}/"
    assert "code_error=1" in client.get("/r/", {"code": "BJ-AAAAA-AAAAA-AAAAA"})["Location"]
    assert "没有这个参考编号" in client.get("/?code_error=1").content.decode()

    client.post(f"/r/{saved.code}/change/")
    assert "父母（1946年出生）" in client.get("/household/").content.decode()
    client.post("/household/", {"remove": "m2"})
    saved.refresh_from_db()
    assert len(saved.members) == 3  # the saved sheet never changes


def test_a_family_member_is_screened_alone_with_their_wording(client):
    response = client.post("/for/", {"for": "parent"})
    assert response["Location"] == "/household/?relation=parent"
    assert 'value="parent" selected' in client.get(response["Location"]).content.decode()
    assert add(client, "parent", "1946-01-09")["Location"] == "/household/check/"
    html = client.get("/household/check/").content.decode()
    assert "他/她的户籍在哪里" in html  # a family member's household, in the third person
    assert "以下问题关于：父母（1946年出生）" in html


def test_a_bad_birth_date_is_refused_with_a_message_not_a_500(client):
    client.post("/for/", {"for": "household"})
    response = add(client, "self", "2099-01-01")
    assert response.status_code == 200
    assert "不能晚于查询日期" in response.content.decode()
    assert "不能晚于" not in client.get("/household/").content.decode()


def test_a_community_worker_screens_the_next_resident_with_nothing_carried_over(client):
    client.post("/for/", {"for": "helper"})
    add(client, "other", "1946-01-09")
    answer_all(client, lambda who: {"_household": SHARED, "m1": PARENT}.get(who, {}))
    saved_response = client.post("/household/save/")
    sheet = client.get(saved_response["Location"]).content.decode()
    assert "下一位居民" in sheet
    client.post("/household/next/")
    assert client.session["household"]["members"] == []
    assert client.session["household"]["answers"] == {}
    add(client, "other", "1990-01-01")
    who, keys = page_of(client.get("/household/check/"))
    assert who == "_household" and "hukou" in keys  # the last resident's answers are gone
