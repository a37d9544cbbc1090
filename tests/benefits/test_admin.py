"""Staff edits are checked when saved, roles decide who publishes (imports: test_table_import)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from benefits.models import Amount, Condition, Fact, Programme

pytestmark = pytest.mark.django_db
SKILLS = "key-group-skills-subsidy"


def condition(**changes):
    row = Condition.objects.filter(requirement__programme__slug=SKILLS, fact="hukou").first()
    for name, value in changes.items():
        setattr(row, name, value)
    return row


def test_condition_naming_an_unknown_fact_is_refused_in_the_staff_members_language():
    with pytest.raises(ValidationError, match="未知的事实（问题）'hukuo'"):
        condition(fact="hukuo").full_clean()
    with translation.override("en"), pytest.raises(ValidationError, match="Unknown fact 'hukuo'"):
        condition(fact="hukuo").full_clean()


def test_condition_value_outside_the_allowed_values_is_refused():
    with pytest.raises(ValidationError, match="'shanghai' 不是 'hukou' 的可选值"):
        condition(value="shanghai").full_clean()
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="'shanghai' is not an allowed value of 'hukou'"),
    ):
        condition(value="shanghai").full_clean()


def test_formula_that_does_not_parse_is_refused_with_its_position():
    amount = Amount.objects.filter(programme__slug=SKILLS).first()
    amount.when = 'certificate_kind == "skill_level" and'
    with pytest.raises(ValidationError, match="适用条件：第 38 个字符处应为一个值，但表达式已结束"):
        amount.full_clean()
    with translation.override("en"), pytest.raises(ValidationError, match="position 38"):
        amount.full_clean()


def test_formula_naming_an_unknown_fact_is_refused():
    amount = Amount.objects.filter(programme__slug=SKILLS).first()
    amount.kind, amount.formula = Amount.Kind.FORMULA, "household_sise * 100"
    with pytest.raises(ValidationError, match="名称 'household_sise' 不是已知的事实或参数"):
        amount.full_clean()


def test_derived_fact_with_an_unknown_name_is_refused():
    fact = Fact.objects.get(key="age")
    fact.derived = "years_between(birthday, as_of)"
    with pytest.raises(ValidationError, match="名称 'birthday' 不是已知的事实或参数"):
        fact.full_clean()


def test_period_that_ends_before_it_starts_is_refused():
    programme = Programme.objects.get(slug=SKILLS)
    programme.period_end = dt.date(2026, 1, 1)
    with pytest.raises(ValidationError, match="实施结束日期早于开始日期"):
        programme.full_clean()


def test_duplicate_slug_is_refused():
    programme = Programme.objects.get(slug=SKILLS)
    programme.pk = None
    with pytest.raises(ValidationError, match="已存在"):
        programme.full_clean()


def test_roles_editors_edit_and_only_publishers_publish():
    call_command("create_staff_roles", verbosity=0)
    editor = User.objects.create_user("e", is_staff=True)
    editor.groups.add(Group.objects.get(name="catalogue editors"))
    publisher = User.objects.create_user("p", is_staff=True)
    publisher.groups.add(Group.objects.get(name="catalogue publishers"))
    assert editor.has_perm("benefits.change_tablerow")
    assert editor.has_perm("benefits.change_personacase")
    assert not editor.has_perm("benefits.publish_catalogue")
    assert publisher.has_perm("benefits.publish_catalogue")


def test_admin_pages_load_for_staff(client):
    call_command("create_staff_roles", verbosity=0)
    publisher = User.objects.create_user("p", is_staff=True)
    publisher.groups.add(Group.objects.get(name="catalogue publishers"))
    client.force_login(publisher)
    programme = Programme.objects.get(slug=SKILLS)
    for url in [
        "/admin/",
        "/admin/benefits/programme/",
        f"/admin/benefits/programme/{programme.pk}/change/",
        "/admin/benefits/programme/?active=ended",
        "/admin/benefits/tablerow/import/",
        "/admin/benefits/publication/check/",
        f"/admin/benefits/programme/{programme.pk}/history/",
    ]:
        assert client.get(url).status_code == 200, url


def test_editor_cannot_publish(client):
    call_command("create_staff_roles", verbosity=0)
    editor = User.objects.create_user("e", is_staff=True)
    editor.groups.add(Group.objects.get(name="catalogue editors"))
    client.force_login(editor)
    assert client.post("/admin/benefits/publication/publish/").status_code == 403


def test_dashboard_counts_screenings_without_keeping_answers(client):
    from eligibility.models import ScreeningTally
    from eligibility.stats import flush_counts

    for _ in range(2):
        client.post(
            "/api/v1/screen", {"answers": {"hukou": "beijing"}}, content_type="application/json"
        )
    client.get("/results/")
    flush_counts()  # counts are written in batches, at most a few seconds late
    assert ScreeningTally.objects.get(programme="", status="screenings").count == 3
    assert set(ScreeningTally._meta.get_fields()) and not any(
        f.name in ("answers", "session", "ip") for f in ScreeningTally._meta.get_fields()
    )
    staff = User.objects.create_user("s", is_staff=True, is_superuser=True)
    client.force_login(staff)
    html = client.get("/admin/dashboard/").content.decode()
    assert "<td>3</td>" in html
    assert "养老服务消费补贴（中度以上失能老年人）" in html
    assert 'href="/admin/dashboard/"' in client.get("/admin/").content.decode()


def test_admin_login_locks_a_username_after_five_wrong_passwords(client):
    from axes.models import AccessAttempt

    User.objects.create_user("clerk", password="a-long-enough-passphrase", is_staff=True)
    for _ in range(5):
        client.post("/admin/login/?next=/admin/", {"username": "clerk", "password": "wrong"})
    locked = client.post(
        "/admin/login/?next=/admin/", {"username": "clerk", "password": "a-long-enough-passphrase"}
    )
    assert locked.status_code == 429  # locked even with the right password
    assert AccessAttempt.objects.get(username="clerk").failures_since_start >= 5
    # Another username from the same office address can still log in.
    User.objects.create_user("colleague", password="another-long-passphrase", is_staff=True)
    ok = client.post(
        "/admin/login/?next=/admin/",
        {"username": "colleague", "password": "another-long-passphrase"},
    )
    assert ok.status_code == 302


def test_short_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password

    with pytest.raises(ValidationError):
        validate_password("beijing2026")
