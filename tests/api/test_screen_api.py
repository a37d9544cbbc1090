"""The public JSON API v1, end to end through HTTP, as an integrator calls it."""

import json

import pytest

from tests.personas import GRADUATE_2025, SENIOR_AT_HOME

pytestmark = pytest.mark.django_db

SENIOR = SENIOR_AT_HOME
GRADUATE = GRADUATE_2025


def post(client, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post("/api/v1/screen", data=data, content_type="application/json", **extra)


def result(response, slug):
    return next(r for r in response.json()["results"] if r["programme"] == slug)


def test_severely_disabled_senior_at_home_gets_up_to_800_a_month(client):
    response = post(client, {"answers": SENIOR, "as_of": "2026-06-01", "lang": "zh"})
    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == "2026-06-01"
    subsidy = result(response, "elderly-care-consumption-subsidy")
    assert subsidy["status"] == "eligible"
    assert subsidy["amount"]["value"] == 800
    assert subsidy["amount"]["period"] == "month"
    assert subsidy["amount"]["currency"] == "CNY"
    assert subsidy["missing"] == []
    assert subsidy["source"] == {
        "document": "京民发〔2026〕6号",
        "title": subsidy["source"]["title"],
    }
    assert "养老服务消费补贴" in subsidy["source"]["title"]
    assert subsidy["apply_url"] == "/programmes/elderly-care-consumption-subsidy/"
    assert all(r["outcome"] == "met" for r in subsidy["reasons"])
    assert "京民发〔2026〕6号 一(一)" in [r["clause"] for r in subsidy["reasons"]]


def test_every_catalogue_programme_has_one_result(client, catalogue):
    response = post(client, {"answers": {}})
    slugs = [r["programme"] for r in response.json()["results"]]
    assert sorted(slugs) == sorted(p.slug for p in catalogue.programmes)


def test_graduate_with_level_4_elderly_care_certificate_gets_1800_and_a_deadline(client):
    response = post(client, {"answers": GRADUATE, "as_of": "2026-06-01", "lang": "en"})
    skills = result(response, "key-group-skills-subsidy")
    assert skills["status"] == "eligible"
    assert skills["amount"]["value"] == 1800
    assert skills["amount"]["period"] == "once"
    assert skills["deadlines"][0]["date"] == "2027-03-01"
    assert skills["name"] == "Skills upgrading subsidy for key employment groups"


def test_unknown_result_lists_missing_facts_and_next_questions(client):
    answers = {k: v for k, v in SENIOR.items() if k != "capability_level"}
    response = post(client, {"answers": answers, "as_of": "2026-06-01"})
    subsidy = result(response, "elderly-care-consumption-subsidy")
    assert subsidy["status"] == "unknown"
    assert subsidy["missing"] == ["capability_level"]
    assert subsidy["amount"]["value"] == 800
    next_questions = response.json()["next_questions"]
    facts = {f["key"] for f in client.get("/api/v1/facts").json()["facts"]}
    assert 0 < len(next_questions) <= 5
    assert set(next_questions) <= facts - set(answers)


def test_as_of_outside_the_period_is_inactive(client):
    response = post(client, {"answers": SENIOR, "as_of": "2027-01-01"})
    subsidy = result(response, "elderly-care-consumption-subsidy")
    assert subsidy["status"] == "inactive"
    assert subsidy["amount"] is None


def test_bad_answers_get_422_listing_each_field_in_english(client):
    response = post(
        client,
        {
            "answers": {
                "hukou": "shanghai",
                "birth_date": "1950-13-01",
                "favourite_colour": "red",
                "household_size": "3",
            },
            "as_of": "2026-02-30",
            "lang": "en",
        },
    )
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors == {
        "answers.hukou": "Choose one of: beijing, other.",
        "answers.birth_date": "Enter a real date as YYYY-MM-DD, for example 1950-03-02.",
        "answers.favourite_colour": "There is no question called favourite_colour.",
        "answers.household_size": "Enter a whole number.",
        "as_of": "Enter a real date as YYYY-MM-DD, for example 1950-03-02.",
    }


def test_bad_answers_get_chinese_messages_by_default(client):
    response = post(client, {"answers": {"veteran": "是"}})
    assert response.status_code == 422
    assert response.json() == {
        "errors": [{"field": "answers.veteran", "message": "请回答是（true）或否（false）。"}]
    }


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", "", '"text"', b"\xff\xfe"])
def test_malformed_json_is_422_not_500(client, body):
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"


def test_bad_lang_and_unknown_top_level_fields_are_422(client):
    response = post(client, {"answers": {}, "lang": "fr", "extra": 1})
    assert response.status_code == 422
    fields = sorted(e["field"] for e in response.json()["errors"])
    assert fields == ["extra", "lang"]


def test_body_over_64_kib_is_413(client):
    body = json.dumps({"answers": {"certificate_occupation": "x" * (64 * 1024)}})
    response = post(client, body, query_params={"lang": "en"})
    assert response.status_code == 413
    assert response.json()["errors"][0]["message"] == "The request body must not exceed 64 KiB."


def test_body_of_exactly_64_kib_is_read(client):
    body = json.dumps({"answers": {}, "lang": "en"})
    body = body[:-1] + " " * (64 * 1024 - len(body)) + "}"
    assert len(body.encode()) == 64 * 1024
    assert post(client, body).status_code == 200


def test_facts_endpoint_lists_every_v1_key_with_questions(client):
    facts = {f["key"]: f for f in client.get("/api/v1/facts").json()["facts"]}
    v1 = {
        "birth_date",
        "sex",
        "hukou",
        "hukou_nature",
        "residence_permit",
        "district",
        "capability_level",
        "disability_grade",
        "receives",
        "care_setting",
        "employment_status",
        "registered_unemployed",
        "employment_difficulty",
        "job_seeking_registered",
        "veteran",
        "higher_ed_graduate",
        "graduation_date",
        "employed_since_graduation",
        "certificate_kind",
        "certificate_level",
        "certificate_occupation",
        "certificate_issue_date",
        "certificate_already_subsidised",
        "household_size",
        "household_monthly_income",
        "child_status",
        "medical_insurance",
        "in_school",
        "family_doctor_signed",
        "chaozhuan",
        "chronic_disease",
        "work_injury_recognised",
        "lives_outside_beijing_6m",
        "referred_outside_beijing",
        "retirement_date",
        "contribution_months",
        "monthly_pension",
        "land_requisition_worker",
        "business_registered_date",
    }
    assert v1 <= set(facts)
    assert facts["hukou"]["values"] == ["beijing", "other"]
    assert facts["hukou"]["question"]["zh"] and facts["hukou"]["question"]["en"]
    assert facts["certificate_level"]["depends_on"] == ["certificate_kind"]
    assert facts["age"]["derived"] == "years_between(birth_date, as_of)"


def test_programmes_list_and_detail(client):
    listing = client.get("/api/v1/programmes?lang=en").json()["programmes"]
    skills = next(p for p in listing if p["slug"] == "key-group-skills-subsidy")
    assert skills["source"]["document"] == "京人社能发〔2026〕2号"
    assert skills["period"]["start"] == "2026-02-14"
    detail = client.get("/api/v1/programmes/key-group-skills-subsidy?lang=en").json()
    assert detail["requirements"][0]["clause"] == "京人社能发〔2026〕2号 一(一)"
    assert len(detail["tables"]["skills-level-standard"]) == 10
    assert detail["how_to_apply"]["deadlines"][0]["months"] == 12
    missing = client.get("/api/v1/programmes/no-such-thing?lang=en")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["message"] == "There is no such programme."


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/screen" in schema["paths"]
    assert "requestBody" in schema["paths"]["/api/v1/screen"]["post"]
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        "[" * 20000 + "]" * 20000,  # nested deeper than the JSON parser's recursion limit
        '{"answers": {"household_monthly_income": NaN}}',
        '{"answers": {"household_size": 1e400}}',
        '{"answers": null}',
        '{"answers": {"receives": [1, {}, null]}}',
        '{"answers": {"birth_date": 19500302}, "as_of": 20261122}',
        '{"answers": {"household_size": 100000000000000000000000000}}',
        '{"answers": {"certificate_occupation": ""}}',
    ],
)
def test_hostile_bodies_get_422_never_500(client, body):
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["errors"]


def test_policy_library_lists_and_searches_every_gazette_document(client):
    everything = client.get("/api/v1/documents").json()["documents"]
    assert len(everything) == 49
    water = client.get("/api/v1/documents", {"q": "水工程", "lang": "en"}).json()["documents"]
    assert [d["number"] for d in water] == ["京水务发〔2026〕29号"]
    assert water[0]["programmes"] == []  # in the library although it offers nothing to screen
    skills = client.get("/api/v1/documents/京人社能发〔2026〕2号").json()
    assert skills["programmes"] == ["key-group-skills-subsidy"]
    assert "北京市重点群体就业技能提升补助标准目录" in skills["full_text"]
    assert skills["repeals"] == [
        "京人社能发〔2010〕233号",
        "京人社能发〔2010〕267号",
        "京人社能发〔2019〕56号",
    ]
    assert client.get("/api/v1/documents/京X〔1〕1号").status_code == 404
    assert client.get("/api/v1/documents", {"q": "x" * 101}).status_code == 422


@pytest.mark.parametrize(
    "query", ["", "?lang=en", "?lang=zh", "?lang=fr", "?lang=en&lang=zh", "?lang=en&x=1"]
)
def test_screen_answers_exactly_as_django_ninjas_own_view(rf, query):
    """`/screen` skips django-ninja's parameter machinery for a plain POST: every answer (a
    result, a household, each 422) is byte for byte the one django-ninja's view gives."""
    from django.urls import resolve

    view = resolve("/api/v1/screen").func
    bodies = [
        {"answers": SENIOR, "as_of": "2026-06-01"},
        {"answers": GRADUATE, "lang": "en"},
        {"answers": {"hukou": "beijing"}, "members": [{"id": "me", "relation": "self"}]},
        {"answers": {"birth_date": "1990-02-30"}, "lang": "zh", "extra": 1},
        "{not json",
    ]
    for n, body in enumerate(bodies):
        data = body if isinstance(body, str) else json.dumps(body)
        answers = [
            answer(rf.post(f"/api/v1/screen{query}", data, "application/json", REMOTE_ADDR=ip))
            for answer, ip in ((view, f"10.77.0.{n}"), (view.ninja_view, f"10.77.1.{n}"))
        ]
        fast, ninja = ((a.status_code, a["Content-Type"], a.content) for a in answers)
        assert fast == ninja
