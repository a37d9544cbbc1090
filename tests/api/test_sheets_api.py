"""Saved result sheets in the JSON API: `POST /api/v1/sheets` screens and saves as `/screen`
does, `GET /api/v1/sheets/{code}` gives back exactly what was saved."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from benefits import snapshot
from eligibility.models import SavedResult
from tests.personas import B5_RESIDENT, SENIOR_AT_HOME

pytestmark = pytest.mark.django_db
BODY = {"answers": SENIOR_AT_HOME, "as_of": "2026-06-01", "lang": "zh"}


def post(client, path, body):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(f"/api/v1/{path}", data=data, content_type="application/json")


def test_a_sheet_round_trip_gives_back_what_was_saved(client):
    created = post(client, "sheets", BODY)
    assert created.status_code == 201
    sheet = created.json()
    assert set(sheet) == {"code", "url", "pdf_url", "publication", "as_of", "results"}
    assert sheet["url"] == f"http://testserver/r/{sheet['code']}/"
    assert sheet["pdf_url"] == f"http://testserver/r/{sheet['code']}/sheet.pdf"
    assert sheet["publication"] == snapshot.get_catalogue().version
    assert sheet["as_of"] == "2026-06-01"
    assert sheet["results"] == post(client, "screen", BODY).json()["results"]

    fetched = client.get(f"/api/v1/sheets/{sheet['code']}")
    assert fetched.status_code == 200
    assert fetched.json() == sheet
    for typed in (sheet["code"].lower(), sheet["code"].replace("-", "")):
        assert client.get(f"/api/v1/sheets/{typed}").json() == sheet
    assert client.get(sheet["url"]).status_code == 200
    assert client.get(sheet["pdf_url"])["Content-Type"] == "application/pdf"


def test_the_results_are_stored_in_the_requested_language(client):
    english = post(client, "sheets", {**BODY, "lang": "en"}).json()
    subsidy = next(
        r for r in english["results"] if r["programme"] == "elderly-care-consumption-subsidy"
    )
    assert subsidy["name"].startswith("Elderly care consumption subsidy")
    assert client.get(f"/api/v1/sheets/{english['code']}?lang=zh").json() == english


def test_as_of_defaults_to_today(client):
    sheet = post(client, "sheets", {"answers": SENIOR_AT_HOME}).json()
    assert sheet["as_of"] == timezone.localdate().isoformat()


def test_unknown_malformed_or_expired_codes_are_404_in_the_envelope(client):
    for code in ("BJ-22222-22222-22222", "BJ-2222-2222", "nonsense", "BJ-" + "2" * 40):
        response = client.get(f"/api/v1/sheets/{code}?lang=en")
        assert response.status_code == 404
        assert response.json() == {
            "errors": [
                {"field": "code", "message": "There is no such result sheet, or it has expired."}
            ]
        }
    code = post(client, "sheets", BODY).json()["code"]
    SavedResult.objects.filter(code=code).update(expires_at=timezone.now() - dt.timedelta(1))
    response = client.get(f"/api/v1/sheets/{code}")
    assert response.status_code == 404
    assert response.json()["errors"][0]["message"] == "没有这个结果单，或已超过保存期限。"


@pytest.mark.parametrize(
    ("lang", "message"),
    [("zh", "请从以下选项中选择：beijing, other。"), ("en", "Choose one of: beijing, other.")],
)
def test_bad_answers_are_422_naming_the_field_as_screen_does(client, lang, message):
    body = {"answers": {"hukou": "mars", "birth_date": "1950-01-01"}, "lang": lang}
    before = SavedResult.objects.count()
    response = post(client, "sheets", body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["answers.hukou"]
    assert message in errors[0]["message"]
    assert response.json() == post(client, "screen", body).json()
    assert SavedResult.objects.count() == before  # nothing saved


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        [],
        {"answers": {}, "as_of": "2026-02-30"},
        {"answers": {}, "lang": "fr"},
        {"answers": {}, "members": []},
        {"answers": "none"},
    ],
)
def test_every_screen_error_is_a_sheet_error(client, body):
    before = SavedResult.objects.count()
    response = post(client, "sheets", body)
    assert response.status_code == 422
    assert response.json() == post(client, "screen", body).json()
    assert SavedResult.objects.count() == before  # nothing saved


def test_openapi_lists_the_sheet_endpoints_and_their_responses(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/sheets"]["post"]["responses"]) >= {"201", "422"}
    assert set(paths["/api/v1/sheets/{code}"]["get"]["responses"]) >= {"200", "404"}
    created = paths["/api/v1/sheets"]["post"]["responses"]["201"]["content"]["application/json"]
    assert "results" in json.dumps(created) or "$ref" in json.dumps(created)


def test_a_later_publication_leaves_the_saved_sheet_as_it_was(client, publish_b5):
    body = {"answers": B5_RESIDENT, "as_of": "2026-06-01", "lang": "en"}
    sheet = post(client, "sheets", body).json()
    publish_b5(1100)

    def skills(response_body):
        return next(
            r["amount"]["value"]
            for r in response_body["results"]
            if r["programme"] == "key-group-skills-subsidy"
        )

    assert skills(post(client, "screen", body).json()) == 1100
    assert client.get(f"/api/v1/sheets/{sheet['code']}").json() == sheet
    assert skills(sheet) == 1000
    assert skills(post(client, "sheets", body).json()) == 1100  # a new sheet: the new rules
