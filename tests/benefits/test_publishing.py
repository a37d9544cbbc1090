"""A publisher sees what changes before publishing, publishes with a reason, and can undo it.

The running example: a civil-affairs clerk enters next year's 低保 standard (an invented figure,
for the test only) as a dated value; residents screened before its date keep the old standard.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from benefits import publishing, snapshot
from benefits.models import Parameter, ParameterValue, PersonaCase, Publication
from rules import engine

pytestmark = pytest.mark.django_db

NEXT_YEAR = dt.date(2027, 7, 1)
TODAY = dt.date(2026, 12, 2)
HOUSEHOLD = {"receives": [], "household_size": 2, "household_monthly_income": 2850}  # 1425 each


def enter_next_years_standard(value=1450):
    parameter = Parameter.objects.get(key="di_bao_standard")
    ParameterValue.objects.create(
        parameter=parameter,
        effective_from=NEXT_YEAR,
        value=Decimal(value),
        clause="京民社救发〔2023〕240号 一",  # test data: an existing clause
    )


def di_bao(day, answers=HOUSEHOLD):
    catalogue = snapshot.get_catalogue()
    return engine.screen(catalogue, answers, day).result("minimum-living-allowance")


def staff(client, role):
    call_command("create_staff_roles", verbosity=0)
    user = User.objects.create_user(role[0], is_staff=True)
    user.groups.add(Group.objects.get(name=f"catalogue {role}s"))
    client.force_login(user)
    return user


def test_the_diff_names_the_field_in_chinese_with_old_and_new():
    enter_next_years_standard()
    diff = publishing.catalogue_diff(snapshot.published_source(), publishing.storage.read_draft())
    [section] = diff
    assert (section.kind, section.key, section.status) == (
        "programme",
        "minimum-living-allowance",
        "changed",
    )
    assert section.title == "最低生活保障（低保）（minimum-living-allowance）"
    changes = {change.where: (change.old, change.new) for change in section.changes}
    assert changes["参数 › di_bao_standard › 各期取值 › 2027-07-01 › 数值"] == ("—", "1450")
    assert changes["参数 › di_bao_standard › 各期取值 › 2027-07-01 › 生效日期"] == (
        "—",
        "2027-07-01",
    )


def test_nothing_changed_means_no_differences():
    assert (
        publishing.catalogue_diff(snapshot.published_source(), publishing.storage.read_draft())
        == []
    )


def test_a_long_text_shows_the_passage_that_changed():
    old, new = publishing._passage(
        "甲" * 200 + "一二三" + "乙" * 200, "甲" * 200 + "四五六" + "乙" * 200
    )
    assert "一二三" in old and "四五六" in new and len(new) < 100


def test_the_impact_lists_examples_whose_result_changes_on_the_new_standards_date():
    case = PersonaCase.objects.filter(programme__slug="minimum-living-allowance").first()
    case.answers = HOUSEHOLD  # income per person 1425: above 1395, below next year's 1450
    case.save()
    before = snapshot.get_catalogue()
    enter_next_years_standard()
    found = publishing.impact(before, snapshot.draft_catalogue(), [case], TODAY)
    assert found.examples == 3  # the case's own date, today and 2027-07-01
    assert found.changed == 1
    [row] = found.rows
    assert (row.day, row.programme) == (NEXT_YEAR, "最低生活保障（低保）")
    assert (row.before, row.after) == ("不符合条件", "可能符合")


def test_publishing_needs_a_reason_and_keeps_what_was_typed(client):
    staff(client, "publisher")
    enter_next_years_standard()
    count = Publication.objects.count()
    response = client.post("/admin/benefits/publication/publish/", {"note": "  年 "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请说明原因" in html and ">  年 </textarea>" in html
    assert Publication.objects.count() == count


def test_the_review_page_shows_diff_persona_groups_and_impact(client):
    staff(client, "editor")
    enter_next_years_standard()
    html = client.get("/admin/benefits/publication/check/").content.decode()
    assert "参数 › di_bao_standard › 各期取值 › 2027-07-01 › 数值" in html
    assert re.search(r"\d+ 个示例筛查中有 \d+ 个结果改变", html)
    assert "只有发布人可以发布草稿" in html  # an editor sees all of it but cannot publish
    assert 'name="note"' not in html


def test_publish_then_roll_back(client, django_capture_on_commit_callbacks):
    publisher = staff(client, "publisher")
    assert di_bao(NEXT_YEAR).status == "ineligible"  # 1425 a head is above 1395
    enter_next_years_standard()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/benefits/publication/publish/", {"note": "2027年低保标准"})
    assert response.status_code == 302
    published = Publication.objects.first()
    assert (published.note, published.published_by) == ("2027年低保标准", publisher)
    assert di_bao(NEXT_YEAR).status != "ineligible"  # below 1450: the income test is met
    assert di_bao(TODAY).status == "ineligible"  # today the standard is still 1395

    log = client.get("/admin/benefits/publication/").content.decode()
    assert "2027年低保标准" in log
    earlier = Publication.objects.exclude(pk=published.pk).first()
    page = client.get(f"/admin/benefits/publication/{published.pk}/change/").content.decode()
    assert "2027-07-01" in page and "1450" in page  # what it changed
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/benefits/publication/{earlier.pk}/republish/", {"note": "标准录错，撤回"}
        )
    rollback = Publication.objects.first()
    assert rollback.republished_from == earlier and rollback.note == "标准录错，撤回"
    assert rollback.catalogue == earlier.catalogue
    assert di_bao(NEXT_YEAR).status == "ineligible"  # residents see the previous figures
    assert not ParameterValue.objects.filter(effective_from=NEXT_YEAR).exists()  # and the draft


def test_an_editor_cannot_roll_back(client):
    staff(client, "editor")
    earlier = Publication.objects.first()
    assert (
        client.post(
            f"/admin/benefits/publication/{earlier.pk}/republish/", {"note": "试试看看"}
        ).status_code
        == 403
    )


def test_persona_results_are_in_words_grouped_with_failures_first(client):
    case = PersonaCase.objects.filter(programme__slug="minimum-living-allowance").first()
    case.expected_status = "ineligible"
    case.save()
    staff(client, "editor")
    html = client.get("/admin/benefits/publication/check/").content.decode()
    first_group = html.index('class="persona-group"')
    assert html.index("最低生活保障（低保）（minimum-living-allowance）", first_group) < html.index(
        "全部通过", first_group
    )
    assert "不符合条件" in html  # expected, in words


def test_the_staff_handbook_is_linked_from_the_admin_and_only_for_staff(client):
    assert client.get("/admin/handbook/").status_code == 302  # to the login page
    staff(client, "editor")
    assert 'href="/admin/handbook/"' in client.get("/admin/").content.decode()
    html = client.get("/admin/handbook/").content.decode()
    for step in ("录入新的标准金额", "新增一个政策项目", "修改错别字", "导入标准表", "回退"):
        assert step in html
    assert "<table>" in html and "<code>{di_bao_standard}元</code>" in html


def test_a_draft_the_checks_refuse_is_not_published(client):
    """A row changed behind the admin's back (no clean()) is still stopped at publishing."""
    from benefits.models import TableRow

    staff(client, "publisher")
    row = TableRow.objects.get(table__slug="skills-level-standard", keys=["B", "5"])
    row.value = "1000元"
    row.save()
    count = Publication.objects.count()
    response = client.post("/admin/benefits/publication/publish/", {"note": "表格更新"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "未发布" in html and "1000元" in html
    assert Publication.objects.count() == count
