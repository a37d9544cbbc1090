"""The API refuses dates that cannot be right (strict YYYY-MM-DD, past events after as_of, birth
dates before 1900) and NUL characters, naming the field, in the resident's language."""

import json

import pytest

pytestmark = pytest.mark.django_db


def post(client, body, path="/api/v1/screen"):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_a_birth_date_after_as_of_is_422_naming_the_question_in_chinese(client):
    response = post(client, {"answers": {"birth_date": "2026-06-02"}, "as_of": "2026-06-01"})
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {
                "field": "answers.birth_date",
                "message": "“您的出生日期是？”的回答是已经发生的日期，"
                "不能晚于查询日期 2026-06-01。",
            }
        ]
    }


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"lang": "en"}, "/api/v1/screen"),
        ({}, "/api/v1/screen?lang=en"),
    ],
)
def test_a_birth_date_after_as_of_is_422_in_english(client, body, path):
    payload = {"answers": {"birth_date": "2026-06-02"}, "as_of": "2026-06-01", **body}
    response = post(client, payload, path)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "answers.birth_date",
            "message": "The answer to “What is your date of birth?” is a date that has passed: "
            "it cannot be after the screening date, 2026-06-01.",
        }
    ]


def test_a_birth_date_on_as_of_is_accepted(client):
    response = post(client, {"answers": {"birth_date": "2026-06-01"}, "as_of": "2026-06-01"})
    assert response.status_code == 200


def test_past_events_after_as_of_are_refused_but_planned_dates_may_lie_ahead(client):
    answers = {
        "graduation_date": "2026-07-01",  # a student's expected graduation
        "certificate_issue_date": "2026-06-02",
        "retirement_date": "2027-01-01",
        "business_registered_date": "2026-12-31",
        "capability_assessment_date": "2026-06-30",
        "youth_hire_date": "2026-09-01",
    }
    response = post(client, {"answers": answers, "as_of": "2026-06-01", "lang": "en"})
    assert response.status_code == 422
    fields = sorted(e["field"] for e in response.json()["errors"])
    ahead = {"graduation_date", "youth_hire_date"}
    assert fields == [f"answers.{key}" for key in sorted(answers) if key not in ahead]


def test_a_birth_date_before_1900_is_refused(client):
    response = post(client, {"answers": {"birth_date": "1899-12-31"}, "lang": "en"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "answers.birth_date",
            "message": "The answer to “What is your date of birth?” cannot be before 1900-01-01.",
        }
    ]


@pytest.mark.parametrize(
    "text", ["20260101", "2026-W01-1", "2026-001", "2026-01-01T00:00", "２０２６-０１-０１"]
)
def test_only_yyyy_mm_dd_is_a_date(client, text):
    response = post(client, {"answers": {"youth_hire_date": text}, "as_of": text, "lang": "en"})
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    message = "Enter a real date as YYYY-MM-DD, for example 1950-03-02."
    assert errors == {"answers.youth_hire_date": message, "as_of": message}


@pytest.mark.parametrize("as_of", ["1899-12-31", "2101-01-01"])
def test_as_of_is_between_1900_and_2100(client, as_of):
    response = post(client, {"answers": {}, "as_of": as_of, "lang": "en"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "as_of", "message": "The date must be between 1900-01-01 and 2100-12-31."}
    ]


def test_a_nul_character_in_a_string_answer_is_refused(client):
    response = post(client, {"answers": {"certificate_occupation": "4-10-01-05\x00"}, "lang": "en"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "answers.certificate_occupation",
            "message": "The answer must not contain a NUL character (\\u0000).",
        }
    ]


def test_a_derived_fact_given_as_an_answer_is_refused(client):
    response = post(client, {"answers": {"age": 70}, "lang": "en"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "answers.age"
