"""Residents' screenings leave an anonymous answer shape, and the publisher sees how many recent
screenings a draft would change: never a birth date, an income, typed text or a reference code.
"""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from benefits import publishing, shapes, snapshot
from benefits.models import AnswerShape, Parameter, ParameterValue
from rules.shapes import answer_shape, band, shape_answers, shape_digest
from tests.benefits.test_publishing import NEXT_YEAR, staff

pytestmark = pytest.mark.django_db

DI_BAO = "最低生活保障（低保）"


@pytest.fixture(autouse=True)
def _no_shapes_from_other_tests():
    shapes._pending.clear()
    yield
    shapes._pending.clear()


def post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def stored() -> list[AnswerShape]:
    shapes.flush_shapes()
    return list(AnswerShape.objects.all())


def test_a_screening_leaves_a_shape_without_birth_date_income_text_or_code(client):
    answers = {
        "birth_date": "1958-03-17",
        "hukou": "beijing",
        "household_size": 3,
        "household_monthly_income": 4873.5,
        "certificate_kind": "skill_level",
        "certificate_occupation": "王小明自己写的职业",
        "graduation_date": "2026-05-20",
    }
    response = post(client, "/api/v1/sheets", {"answers": answers, "as_of": "2026-12-02"})
    assert response.status_code == 201
    code = response.json()["code"]
    [shape] = stored()
    text = json.dumps(shape.answers, ensure_ascii=False)
    for personal in ("1958", "03-17", "4873", "王小明", "2026-05-20", code):
        assert personal not in text
    assert shape.answers == {
        "birth_date": {"years": 68},
        "certificate_kind": "skill_level",
        "graduation_date": {"months": 6},
        "household_monthly_income": 4800,
        "household_size": 3,
        "hukou": "beijing",
    }
    assert (shape.count, shape.last_seen) == (1, timezone.localdate())


def test_residents_who_answer_alike_are_counted_not_repeated(client):
    body = {"answers": {"birth_date": "1950-01-05", "hukou": "beijing"}, "as_of": "2026-12-02"}
    post(client, "/api/v1/screen", body)
    body["answers"]["birth_date"] = "1950-06-30"  # another birthday, the same age
    post(client, "/api/v1/screen", body)
    [shape] = stored()
    assert shape.count == 2 and shape.answers["birth_date"] == {"years": 76}


def test_each_results_page_counts_the_shape_the_api_would(client):
    born = f"{timezone.localdate().year - 70}-01-01"  # 70 on any day of this year
    answers = {"birth_date": born, "hukou": "beijing", "household_size": 2}
    session = client.session
    session["questionnaire"] = {"answers": answers, "skipped": [], "history": []}
    session.save()
    assert client.get("/results/").status_code == 200
    assert client.get("/results/").status_code == 200  # again: the page and shape are kept
    post(client, "/api/v1/screen", {"answers": answers})
    [shape] = stored()
    assert shape.count == 3
    assert shape.answers == {"birth_date": {"years": 70}, "household_size": 2, "hukou": "beijing"}


def test_a_shape_keeps_each_requirement_threshold_on_the_same_side():
    assert band(Decimal("1399"), (), whole=True) == 1300  # two significant figures
    assert band(Decimal("1399"), (Decimal("1395"),), whole=True) == 1396  # above 1395 stays
    assert band(Decimal("1395"), (Decimal("1395"),), whole=True) == 1395
    assert band(Decimal("59"), (Decimal("60"),), whole=True) == 59


def test_a_shape_screens_as_a_resident_of_the_same_age_on_any_day():
    catalogue = snapshot.get_catalogue()
    shape = answer_shape(catalogue, {"birth_date": dt.date(1966, 12, 3)}, dt.date(2026, 12, 2))
    assert shape == {"birth_date": {"years": 59}}
    assert shape_answers(shape, dt.date(2027, 7, 1)) == {"birth_date": "1968-01-01"}


def shape(answers, count, last_seen):
    return AnswerShape.objects.create(
        digest=shape_digest(answers), answers=answers, count=count, last_seen=last_seen
    )


def household(income):
    return {"receives": [], "household_size": 2, "household_monthly_income": income}


def enter_next_years_standard(value=1450):
    ParameterValue.objects.create(
        parameter=Parameter.objects.get(key="di_bao_standard"),
        effective_from=NEXT_YEAR,
        value=Decimal(value),
        clause="京民社救发〔2023〕240号 一",  # test data: an existing clause
    )


def test_a_new_standard_changes_the_recent_screenings_between_the_old_and_new_figure():
    today = timezone.localdate()
    shape(household(2800), 3, today)  # 1,400 a head: above 1,395, below next year's 1,450
    shape(household(3000), 2, today)  # 1,500 a head: above both
    before = snapshot.get_catalogue()
    enter_next_years_standard()
    found = publishing.shape_impact(
        before, snapshot.draft_catalogue(), shapes.recent_shapes(today), today
    )
    assert (found.shapes, found.screenings, found.changed) == (2, 5, 3)
    assert found.by_programme == [(DI_BAO, 3)]
    [row] = found.rows
    assert (row.day, row.programme, row.before, row.after) == (
        NEXT_YEAR,
        DI_BAO,
        "不符合条件",
        "可能符合",
    )
    assert "约 2,800" in row.example and "3 次筛查" in row.example


def test_shapes_older_than_ninety_days_are_not_counted_and_are_deleted():
    today = timezone.localdate()
    old = shape(household(2820), 7, today - dt.timedelta(days=91))
    shape(household(2800), 1, today - dt.timedelta(days=89))
    assert [s.count for s in shapes.recent_shapes(today)] == [1]
    before = snapshot.get_catalogue()
    enter_next_years_standard()
    found = publishing.shape_impact(
        before, snapshot.draft_catalogue(), shapes.recent_shapes(today), today
    )
    assert (found.screenings, found.changed) == (1, 1)
    shapes.record_shape(before, {"hukou": "beijing"}, today)
    shapes.flush_shapes()
    assert not AnswerShape.objects.filter(pk=old.pk).exists()


def test_the_review_page_counts_recent_anonymous_screenings_per_programme(client):
    staff(client, "editor")
    shape(household(2800), 4, timezone.localdate())
    enter_next_years_standard()
    html = client.get("/admin/benefits/publication/check/").content.decode()
    assert re.search(r"\d+ 个最近匿名筛查中有 4 个结果改变", html)
    assert f"<td>{DI_BAO}</td><td>4</td>" in html
