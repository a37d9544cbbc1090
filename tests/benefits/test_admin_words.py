"""A clerk who is not a programmer edits the catalogue without JSON or English keys: facts and
their values are picked by name, conditions and formulas read in Chinese, every field says what
it is for, and a key that published programmes use cannot be renamed."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory

from benefits import models
from tests.benefits.admin_forms import post_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client):
    user = User.objects.create_superuser("clerk", password="a-long-enough-passphrase")
    client.force_login(user)
    return user


def change_url(obj) -> str:
    return f"/admin/benefits/{obj._meta.model_name}/{obj.pk}/change/"


def test_every_field_a_clerk_edits_says_what_it_is_for(clerk):
    request = RequestFactory().get("/admin/")
    request.user = clerk
    silent = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "benefits":
            continue
        obj = model.objects.first()
        forms = [model_admin.get_form(request, obj)]
        forms += [
            inline.get_formset(request, obj).form
            for inline in model_admin.get_inline_instances(request, obj)
        ]
        for form in forms:
            for name, field in form.base_fields.items():
                if not field.help_text:
                    silent.append(f"{form._meta.model._meta.model_name}.{name}")
    assert silent == []


def test_a_facts_values_are_lines_with_their_names_not_json(client, clerk):
    fact = models.Fact.objects.get(key="hukou")
    html = client.get(change_url(fact)).content.decode()
    assert "beijing | 北京市户籍 |" in html
    assert "[&quot;beijing&quot;" not in html and "{&quot;" not in html

    text = "\r\n".join(
        [
            "beijing | 北京市户籍 | Beijing hukou",
            "other | 外省市户籍 | Other hukou",
            "hk | 港澳 | HK",
        ]
    )
    response = post_changed(client, change_url(fact), "fact_form", {"choices": text})
    assert response.status_code == 302
    fact.refresh_from_db()
    assert fact.values == ["beijing", "other", "hk"]
    assert fact.labels["hk"] == {"zh": "港澳", "en": "HK"}


def test_a_badly_written_value_line_is_refused_in_chinese(client, clerk):
    fact = models.Fact.objects.get(key="hukou")
    response = post_changed(client, change_url(fact), "fact_form", {"choices": "a | b | c | d"})
    assert response.status_code == 200
    assert "第 1 行：请按“取值 | 中文名称 | 英文名称”填写。" in response.content.decode()
    grade = models.Fact.objects.get(key="disability_grade")
    response = post_changed(client, change_url(grade), "fact_form", {"choices": "一级 | 一级"})
    assert "第 1 行：整数类问题的取值必须是整数。" in response.content.decode()


def test_a_fact_key_published_programmes_use_cannot_be_renamed(client, clerk):
    fact = models.Fact.objects.get(key="household_monthly_income")
    response = post_changed(client, change_url(fact), "fact_form", {"key": "household_income"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "在使用键 household_monthly_income，不能改名" in html
    assert "最低生活保障（低保）" in html
    assert models.Fact.objects.filter(key="household_monthly_income").exists()


def test_a_fact_no_published_programme_uses_can_be_renamed(client, clerk):
    fact = models.Fact.objects.create(
        key="pets", type="int", question_zh="您家养了几只宠物？", question_en="How many pets?"
    )
    response = post_changed(client, change_url(fact), "fact_form", {"key": "pet_count"})
    assert response.status_code == 302
    fact.refresh_from_db()
    assert fact.key == "pet_count"


def test_a_condition_is_built_from_pickers_and_read_in_words(client, clerk):
    condition = models.Condition.objects.filter(fact="hukou", operator="eq").first()
    html = client.get(change_url(condition)).content.decode()
    assert re.search(r'<option value="hukou" selected>您的户籍在哪里（hukou）</option>', html)
    assert re.search(r'<option value="&quot;beijing&quot;" selected>北京市户籍</option>', html)
    assert "您的户籍在哪里 等于 北京市户籍" in html

    response = post_changed(client, change_url(condition), "condition_form", {"value": '"other"'})
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.value == "other"
    assert str(condition) == "您的户籍在哪里 等于 外省市户籍"


def test_a_condition_on_several_values_is_ticked(client, clerk):
    condition = models.Condition.objects.filter(fact="capability_level", operator="in").first()
    html = client.get(change_url(condition)).content.decode()
    assert re.search(r'type="checkbox" name="value" value="&quot;severe&quot;"[^>]* checked', html)
    assert "重度失能" in html


def test_a_typed_condition_value_is_plain_words_or_figures(client, clerk):
    condition = models.Condition.objects.filter(fact="age", operator="gte").first()
    html = client.get(change_url(condition)).content.decode()
    assert 'name="value" value="60"' in html or re.search(r'name="value" value="\d+"', html)
    response = post_changed(client, change_url(condition), "condition_form", {"value": "65"})
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.value == 65


def test_a_date_window_reads_in_words():
    condition = models.Condition.objects.filter(
        operator="within", value__of="as_of", value__months=24
    ).first()
    assert "查询日期之前 24 个月以内" in str(condition)


def test_formulas_read_with_the_chinese_names_of_facts_and_parameters(client, clerk):
    amount = models.Amount.objects.get(programme__slug="bda-preschool-aid", kind="formula")
    html = client.get(change_url(amount)).content.decode()
    assert "公式（文字）" in html
    assert "「孩子所在幼儿园的保育教育费收费标准是每月多少元」" in html
    fact = models.Fact.objects.get(key="per_capita_income")
    html = client.get(change_url(fact)).content.decode()
    assert "「您家每月总收入大约是多少元」 / 「您家共同生活的家庭成员有几人」" in html


def test_a_table_rows_keys_and_value_are_typed_as_in_the_spreadsheet(client, clerk):
    row = next(
        row
        for row in models.TableRow.objects.all()
        if len(row.keys) == 1 and isinstance(row.value, int)
    )
    html = client.get(change_url(row)).content.decode()
    assert f'name="keys" value="{row.keys[0]}"' in html
    response = post_changed(client, change_url(row), "tablerow_form", {"value": "1234"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.value == 1234
    response = post_changed(client, change_url(row), "tablerow_form", {"keys": " , "})
    assert "请填写键，多个键用逗号分隔" in response.content.decode()


def test_lists_of_keys_are_typed_with_commas(client, clerk):
    amount = models.Amount.objects.exclude(table_keys=[]).first()
    html = client.get(change_url(amount)).content.decode()
    assert f'value="{", ".join(amount.table_keys)}"' in html
    assert "[&quot;" not in html.split('name="table_keys"')[1][:200]


def test_a_table_value_that_is_not_a_figure_is_reported_once():
    from benefits import storage
    from benefits.validation import translate
    from rules.validation import catalogue_problems

    row = models.TableRow.objects.get(table__slug="skills-level-standard", keys=["B", "5"])
    models.TableRow.objects.filter(pk=row.pk).update(value="2000元")  # past the form's checks
    messages = [translate(p) for p in catalogue_problems(storage.read_draft())]
    about = [message for message in messages if "2000元" in message]
    assert len(about) == 1
    assert f"第 {row.no} 行：取值 '2000元' 不是以元为单位的数字。" in about[0]


def test_the_spreadsheet_pages_speak_chinese(client, clerk):
    html = client.get("/admin/benefits/tablerow/export/").content.decode()
    assert "全选" in html and "Select all" not in html
    assert "名称（中文）" in html and "Label Zh" not in html
    html = client.get("/admin/benefits/tablerow/import/").content.decode()
    assert "导入文件" in html and "File to import" not in html
