"""The questionnaire's fields accept dates and amounts as people write them, and refuse what the
API refuses (a birth date after today) with the message on the field and the text kept."""

import datetime as dt

import pytest
from django.http import QueryDict
from django.utils import timezone

from eligibility.forms import QuestionPageForm

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 1)


def form_for(catalogue, values, lang="zh", as_of=AS_OF):
    specs = [catalogue.facts[key] for key in values]
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data[key] = value
    return QuestionPageForm(specs, catalogue, lang, data, as_of=as_of)


@pytest.mark.parametrize(
    "text",
    [
        "1950-03-02",
        "1950-3-2",
        "1950/03/02",
        "1950/3/2",
        "1950.3.2",
        "1950年3月2日",
        "1950 年 3 月 2 日",
        "19500302",
        "１９５０－０３－０２",
        "１９５０年３月２日",
        "1950。3。2",
        "  1950-03-02  ",
        "\u30001950-3-2\u3000",
    ],
)
def test_a_date_as_people_write_it_is_stored_as_yyyy_mm_dd(catalogue, text):
    form = form_for(catalogue, {"birth_date": text})
    assert form.is_valid(), form.errors
    assert form.answers == {"birth_date": "1950-03-02"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3500", 3500.0),
        ("3,500", 3500.0),
        ("３５００", 3500.0),
        ("３，５００元", 3500.0),
        ("3500 元", 3500.0),
        ("3500 yuan", 3500.0),
        ("¥3,500.50", 3500.5),
        (" 12,345.5 ", 12345.5),
    ],
)
def test_an_amount_as_people_write_it_is_stored_as_a_number(catalogue, text, value):
    form = form_for(catalogue, {"household_monthly_income": text})
    assert form.is_valid(), form.errors
    assert form.answers == {"household_monthly_income": value}


@pytest.mark.parametrize(("text", "value"), [("3", 3), ("３", 3), (" 4 ", 4), ("1,000", None)])
def test_a_whole_number_accepts_full_width_digits(catalogue, text, value):
    form = form_for(catalogue, {"household_size": text})
    if value is None:  # 1,000 people: above the maximum of 30, refused as such
        assert not form.is_valid()
        assert form.errors["household_size"] == ["不能大于 30。"]
    else:
        assert form.is_valid(), form.errors
        assert form.answers == {"household_size": value}


@pytest.mark.parametrize("text", ["3,5", "1e3", "nan", "3500块钱", "三千五", "1_000"])
def test_an_amount_that_is_not_a_number_is_refused(catalogue, text):
    form = form_for(catalogue, {"household_monthly_income": text}, "en")
    assert not form.is_valid()
    assert form.errors["household_monthly_income"] == ["Enter a number."]


@pytest.mark.parametrize("text", ["1950-03/02", "3/2/1950", "yesterday", "1950-2-30"])
def test_a_date_that_cannot_be_read_is_refused(catalogue, text):
    form = form_for(catalogue, {"birth_date": text}, "en")
    assert not form.is_valid()
    assert form.errors["birth_date"] == ["Enter a real date as YYYY-MM-DD, for example 1950-03-02."]


def test_a_past_event_after_the_screening_date_is_refused_on_its_field(catalogue):
    form = form_for(catalogue, {"birth_date": "2026年6月2日"})
    assert not form.is_valid()
    assert form.errors["birth_date"] == [
        "“您的出生日期是？”的回答是已经发生的日期，不能晚于查询日期 2026-06-01。"
    ]
    assert form_for(catalogue, {"birth_date": "2026-06-01"}).is_valid()  # born today
    form = form_for(catalogue, {"retirement_date": "2026-7-1"}, "en")
    assert form.errors["retirement_date"] == [
        "The answer to “When did you retire?” is a date that has passed: "
        "it cannot be after the screening date, 2026-06-01."
    ]


def test_a_birth_date_before_1900_is_refused_on_its_field(catalogue):
    form = form_for(catalogue, {"birth_date": "1899/12/31"})
    assert form.errors["birth_date"] == ["“您的出生日期是？”的回答不能早于 1900-01-01。"]


@pytest.mark.parametrize("key", ["youth_hire_date", "graduation_date"])
def test_a_date_that_may_lie_ahead_is_accepted(catalogue, key):
    form = form_for(catalogue, {key: "2026-09-01"})
    assert form.is_valid(), form.errors


def test_a_nul_character_is_refused(catalogue):
    form = form_for(catalogue, {"household_monthly_income": "3500\x00"})
    assert not form.is_valid()


def test_a_future_birth_date_shows_a_chinese_error_and_keeps_the_text(client):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        "/check/", {"page": ["birth_date", "hukou"], "birth_date": tomorrow, "hukou": "beijing"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_birth_date"' in html  # in the error summary, linked to the field
    today = timezone.localdate().isoformat()
    expected = f"“您的出生日期是？”的回答是已经发生的日期，不能晚于查询日期 {today}。"
    assert html.count(expected) == 2  # in the summary and on the field
    assert f'value="{tomorrow}"' in html
    assert (
        "questionnaire" not in client.session
        or "birth_date" not in (client.session["questionnaire"]["answers"])
    )


def test_a_lenient_date_typed_on_the_page_is_kept_in_the_session_as_iso(client):
    response = client.post(
        "/check/",
        {"page": ["birth_date", "hukou"], "birth_date": "１９４４年３月２日", "hukou": "beijing"},
    )
    assert response.status_code == 302
    answers = client.session["questionnaire"]["answers"]
    assert answers == {"birth_date": "1944-03-02", "hukou": "beijing"}
    html = client.get("/check/answers/").content.decode()
    assert "1944-03-02" in html


def test_an_unreadable_date_keeps_the_entered_text(client):
    response = client.post(
        "/check/",
        {"page": ["birth_date", "hukou"], "birth_date": "1944年3月32日", "hukou": "beijing"},
    )
    html = response.content.decode()
    assert "请填写有效日期" in html
    assert 'value="1944年3月32日"' in html
