"""`members` on POST /api/v1/screen and /api/v1/sheets: each member's results, the household's
programmes and the totals; errors naming the member and the question; and a request without
members answered exactly as before."""

import datetime as dt
import json

import pytest
from django.http import JsonResponse

from eligibility.results_json import screening_json
from rules import engine
from rules.facts import parse_answers
from tests.api.test_openapi_contract import check
from tests.api.test_openapi_contract import document as document  # the module's fixture
from tests.personas import B5_RESIDENT, GRADUATE_2025, SENIOR_AT_HOME

pytestmark = pytest.mark.django_db
JSON = "application/json"
AS_OF = "2026-06-01"
HOUSEHOLD = {
    "as_of": AS_OF,
    "lang": "en",
    "answers": {"hukou": "beijing", "household_size": 3, "household_monthly_income": 3000},
    "members": [
        {
            "id": "me",
            "relation": "self",
            "answers": {"birth_date": "1991-04-02", "employment_status": "unemployed"},
        },
        {"id": "kid", "relation": "child", "answers": {"birth_date": "2021-03-01"}},
        {
            "id": "dad",
            "relation": "parent",
            "answers": {
                "birth_date": "1946-01-09",
                "capability_level": "moderate",
                "care_setting": "home",
                "receives": [],
            },
        },
    ],
}


def post(client, body, url="/api/v1/screen"):
    return client.post(url, json.dumps(body), content_type=JSON)


def _result(results, slug):
    return next(r for r in results if r["programme"] == slug)


@pytest.mark.parametrize(
    "body",
    [
        {"answers": SENIOR_AT_HOME, "as_of": AS_OF, "lang": "zh"},
        {"answers": GRADUATE_2025, "as_of": AS_OF, "lang": "en"},
        {"answers": B5_RESIDENT, "as_of": AS_OF},
        {"answers": {}, "as_of": AS_OF, "members": None},
    ],
)
def test_a_request_without_members_is_answered_byte_for_byte_as_before(client, catalogue, body):
    response = post(client, body)
    day = dt.date.fromisoformat(AS_OF)
    answers, _errors = parse_answers(catalogue.facts, body["answers"], as_of=day)
    expected = screening_json(
        engine.screen(catalogue, answers, day), body.get("lang", "zh"), catalogue.version
    )
    before = JsonResponse(expected, json_dumps_params={"ensure_ascii": False})
    assert response.content == before.content
    assert set(response.json()) == {"as_of", "publication", "results", "next_questions"}


def test_a_household_gets_each_members_results_the_household_programmes_and_totals(
    client, document
):
    response = post(client, HOUSEHOLD)
    assert response.status_code == 200
    body = check(document, response, "/api/v1/screen", "post")
    assert [(m["id"], m["relation"]) for m in body["members"]] == [
        ("me", "self"),
        ("kid", "child"),
        ("dad", "parent"),
    ]
    dad = body["members"][2]
    subsidy = _result(dad["results"], "elderly-care-consumption-subsidy")
    assert subsidy["status"] == "eligible"
    assert subsidy["amount"]["period"] == "month" and subsidy["amount"]["value"] > 0
    assert dad["totals"]["month"] == subsidy["amount"]["value"]
    # household programmes are decided once, on the household's income (3000 / 3 a head)
    di_bao = _result(body["household_results"], "minimum-living-allowance")
    assert di_bao["reasons"][0]["outcome"] == "met"
    for member in body["members"]:
        assert "minimum-living-allowance" not in {r["programme"] for r in member["results"]}
    # the household's total adds up the members' and the household's, per period
    for period in ("month", "year", "once"):
        assert body["totals"][period] == sum(m["totals"][period] for m in body["members"])
    assert body["totals"]["month"] >= subsidy["amount"]["value"]
    assert set(body["may_qualify"]) == {"month", "year", "once", "up_to"}


def test_a_child_member_is_never_asked_about_work_or_university(client):
    kid = post(client, HOUSEHOLD).json()["members"][1]
    assert kid["next_questions"]
    assert not {"employment_status", "higher_ed_graduate"} & set(kid["next_questions"])
    assert "hukou" not in kid["next_questions"]  # the household's, asked once


def test_a_member_inherits_the_households_answers_unless_it_overrides_them(client):
    body = json.loads(json.dumps(HOUSEHOLD))
    body["members"][2]["answers"]["hukou"] = "other"
    body["members"][2]["answers"]["residence_permit"] = False
    dad = post(client, body).json()["members"][2]
    assert _result(dad["results"], "elderly-care-consumption-subsidy")["status"] == "ineligible"


@pytest.mark.parametrize(
    ("members", "lang", "field", "words"),
    [
        (
            [{"id": "kid", "relation": "child", "answers": {"birth_date": "2030-01-01"}}],
            "en",
            "members.kid.answers.birth_date",
            ["Member kid", "date of birth"],
        ),
        (
            [{"id": "kid", "relation": "child", "answers": {"birth_date": "2030-01-01"}}],
            "zh",
            "members.kid.answers.birth_date",
            ["成员 kid", "出生日期"],
        ),
        (
            [{"id": "kid", "relation": "cousin", "answers": {}}],
            "en",
            "members.kid.relation",
            ["self", "grandchild"],
        ),
        (
            [
                {"id": "a", "relation": "self", "answers": {}},
                {"id": "a", "relation": "child", "answers": {}},
            ],
            "en",
            "members.1.id",
            ["not used twice"],
        ),
        ([], "en", "members", ["at most 20"]),
        ("me", "zh", "members", ["列表"]),
        ([{"id": "x", "relation": "self", "answers": {}, "age": 5}], "en", "members.0", ["id"]),
        (
            [{"id": "x", "relation": "self", "answers": {"age": 5}}],
            "en",
            "members.x.answers.age",
            ["worked out"],
        ),
    ],
)
def test_bad_members_get_422_naming_the_member_and_question(
    client, document, members, lang, field, words
):
    body = {"answers": {}, "as_of": AS_OF, "lang": lang, "members": members}
    response = post(client, body)
    assert response.status_code == 422
    errors = check(document, response, "/api/v1/screen", "post")["errors"]
    messages = {e["field"]: e["message"] for e in errors}
    assert field in messages, messages
    for word in words:
        assert word in messages[field]


def test_a_household_sheet_keeps_members_and_totals_and_gives_them_back(client, document):
    created = post(client, HOUSEHOLD, "/api/v1/sheets")
    assert created.status_code == 201
    body = check(document, created, "/api/v1/sheets", "post")
    assert [m["id"] for m in body["members"]] == ["me", "kid", "dad"]
    again = client.get(f"/api/v1/sheets/{body['code']}?lang=en")
    assert check(document, again, "/api/v1/sheets/{code}") == body
