"""Wrong figures and clauses are refused in the admin form with a Chinese message (and nothing
is saved); staff pages speak Chinese and show labels, not codes or JSON."""

import typing
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from benefits.models import (
    Amount,
    Parameter,
    ParameterValue,
    PersonaCase,
    Requirement,
    Status,
    TableRow,
)
from rules import schema
from tests.benefits.admin_forms import post_changed

pytestmark = pytest.mark.django_db
SKILLS = "key-group-skills-subsidy"


@pytest.fixture
def staff(client):
    client.force_login(User.objects.create_superuser("clerk", password="a-long-enough-passphrase"))


def change_url(row) -> str:
    return reverse(f"admin:benefits_{row._meta.model_name}_change", args=[row.pk])


def refused(client, row, changes: dict[str, str]) -> str:
    """Save `row`'s change form with `changes`; it must be refused. The page, as text."""
    response = post_changed(client, change_url(row), f"{row._meta.model_name}_form", changes)
    assert response.status_code == 200, "saved, not refused"
    return response.content.decode()


def fixed_amount() -> Amount:
    return Amount.objects.filter(kind=Amount.Kind.FIXED).exclude(value="").first()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-500", "金额不能为负数（-500）。"),
        ("2000元", "固定金额：&#x27;2000元&#x27; 既不是以元为单位的数字（只填数字，例如 2000），"),
        ("2,000", "固定金额：&#x27;2,000&#x27; 既不是以元为单位的数字"),
    ],
)
def test_an_amount_that_is_not_a_figure_is_refused(client, staff, typed, message):
    amount = fixed_amount()
    before = amount.value
    assert message in refused(client, amount, {"value": typed})
    amount.refresh_from_db()
    assert amount.value == before


def test_a_negative_amount_is_refused_in_the_programmes_own_form(client, staff):
    """The same check where staff usually edit amounts: the programme page's inline."""
    amount = fixed_amount()
    programme = amount.programme
    index = list(programme.amounts.order_by("order", "id")).index(amount)
    html = refused(client, programme, {f"amounts-{index}-value": "-1000"})
    assert "金额不能为负数（-1000）。" in html


def test_a_table_key_that_is_not_an_allowed_value_is_refused(client, staff):
    row = TableRow.objects.get(table__slug="skills-level-standard", keys=["B", "5"])
    html = refused(client, row, {"keys": '["C", "5"]'})
    assert (
        "第 1 行：第 1 列的键 &#x27;C&#x27; 不是 &#x27;certificate_tier&#x27; 的可选值（A, B）。"
        in html.replace(f"第 {row.no} 行", "第 1 行")
    )
    html = refused(client, row, {"keys": '["B", "7"]'})
    assert "第 2 列的键 &#x27;7&#x27; 不是 &#x27;certificate_level&#x27; 的可选值" in html
    html = refused(client, row, {"value": '"2000元"'})
    assert "取值 &#x27;2000元&#x27; 不是以元为单位的数字。" in html
    html = refused(client, row, {"value": "-5"})
    assert "金额不能为负数（-5）。" in html
    row.refresh_from_db()
    assert row.keys == ["B", "5"] and row.value == 1000


def test_a_table_key_outside_the_facts_values_is_refused_for_the_amount_rule_too(client, staff):
    """Changing which facts key a table amount can make every row wrong: refused on the rule."""
    amount = Amount.objects.get(programme__slug=SKILLS, table__slug="skills-level-standard")
    html = refused(client, amount, {"table_keys": '["certificate_level", "certificate_tier"]'})
    assert "不是 &#x27;certificate_level&#x27; 的可选值" in html


def test_a_clause_missing_from_the_documents_text_is_refused(client, staff):
    requirement = Requirement.objects.filter(programme__slug=SKILLS).first()
    html = refused(client, requirement, {"clause": "十九"})
    assert "在 京人社能发〔2026〕2号 的全文中找不到条款 十九。" in html
    html = refused(client, requirement, {"clause": "一(九)、二"})
    assert "找不到条款 一(九)。" in html


def test_a_clause_citing_a_document_not_in_the_catalogue_is_refused(client, staff):
    value = ParameterValue.objects.exclude(clause="").first()
    html = refused(client, value, {"clause": "京不存在〔2026〕9号 一"})
    assert "文件 京不存在〔2026〕9号 不在目录中。" in html


def test_articles_cited_in_figures_resolve_in_the_admin_too(client, staff):
    """ "第10条" is item 10 of the long-prescription measures: accepted; "第16条" is not there."""
    requirement = Requirement.objects.filter(
        programme__slug="chronic-disease-long-prescription"
    ).first()
    url = change_url(requirement)
    saved = post_changed(client, url, "requirement_form", {"clause": "第10条"})
    assert saved.status_code == 302
    assert "找不到条款 第16条。" in refused(client, requirement, {"clause": "第16条"})


def test_units_and_statuses_come_from_fixed_lists(client, staff):
    assert set(typing.get_args(schema.Unit)) - {""} == set(Parameter.Unit.values)
    assert set(typing.get_args(schema.Status)) == set(Status.values)
    parameter = Parameter.objects.exclude(unit="").first()
    html = refused(client, parameter, {"unit": "weeks"})
    assert "选择一个有效的选项" in html
    case = PersonaCase.objects.first()
    assert "选择一个有效的选项" in refused(client, case, {"expected_status": "maybe"})


def test_the_lockout_page_is_in_chinese(client):
    User.objects.create_user("clerk", password="a-long-enough-passphrase", is_staff=True)
    for _ in range(5):
        client.post("/admin/login/?next=/admin/", {"username": "clerk", "password": "wrong"})
    locked = client.post(
        "/admin/login/?next=/admin/", {"username": "clerk", "password": "a-long-enough-passphrase"}
    )
    html = locked.content.decode()
    assert locked.status_code == 429
    assert "登录已暂时锁定" in html
    assert "该用户名已连续 5 次输入错误的密码" in html and "30 分钟后自动解除" in html
    assert "Account locked" not in html


def test_a_page_staff_may_not_open_says_so_in_chinese(client):
    call_command("create_staff_roles", verbosity=0)
    editor = User.objects.create_user("e", is_staff=True)
    editor.groups.add(Group.objects.get(name="catalogue editors"))
    client.force_login(editor)
    refusal = client.get("/admin/auth/user/")
    assert refusal.status_code == 403
    html = refusal.content.decode()
    assert "您没有访问此页面的权限" in html and "返回政策目录管理" in html
    assert "403 Forbidden" not in html


def test_the_dashboard_names_outcomes_in_chinese(client, staff):
    html = client.get("/admin/dashboard/").content.decode()
    for label in ("符合条件", "可能符合：尚缺回答", "不符合条件", "当日不在实施期内"):
        assert f'<th scope="col">{label}</th>' in html
    assert '<th scope="col">ineligible</th>' not in html
    index = client.get("/admin/").content.decode()
    assert "工作人员登录锁定" in index and "登录尝试" in index
    assert "Access attempts" not in index


def test_lists_show_labels_and_readable_values_not_codes_or_json(client, staff):
    case = PersonaCase.objects.filter(answers__hukou="beijing").first()
    cases = client.get("/admin/benefits/personacase/", {"q": case.name_zh}).content.decode()
    assert "您的户籍在哪里 = 北京市户籍" in cases
    assert "符合条件" in cases or "不符合条件" in cases or "可能符合" in cases
    assert "&quot;hukou&quot;" not in cases
    form = client.get(change_url(case)).content.decode()
    assert "回答（便于阅读）" in form and "您的户籍在哪里 = 北京市户籍" in form
    rows = client.get("/admin/benefits/tablerow/", {"table__id__exact": 1}).content.decode()
    assert "&quot;" not in rows.split('id="result_list"')[1].split("</table>")[0]
    conditions = client.get("/admin/benefits/condition/").content.decode()
    assert "等于" in conditions and " eq " not in conditions
    value = ParameterValue.objects.get(parameter__key="di_bao_standard", value=Decimal(1395))
    assert str(value) == "di_bao_standard：自 2023-07-01 起为 1395"
