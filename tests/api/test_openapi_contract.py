"""The OpenAPI document is the whole contract: real answers of every endpoint — every programme,
every document, every persona case of the catalogue screened — validate against it, and every
key they carry is declared in it. The examples in it validate too, and the documented `answers`
object accepts exactly what the hand-written parser accepts."""

import copy
import datetime as dt
import json
from unittest import mock

import jsonschema_rs
import pytest
from django.db import OperationalError, connection

from benefits import snapshot
from benefits.models import Document
from rules.facts import AnswerInvalid, parse_value
from tests.personas import B5_RESIDENT, GRADUATE_2025, SENIOR_AT_HOME

pytestmark = pytest.mark.django_db

JSON = "application/json"
PUBLICATION = "Catalogue-Publication"


@pytest.fixture(scope="module")
def document(django_db_setup, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def strict(schema):
    """Every object that lists its properties admits no other key: a key a response carries
    but the document does not declare fails validation."""
    if isinstance(schema, dict):
        schema = {key: strict(value) for key, value in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema:
            schema["additionalProperties"] = False
    elif isinstance(schema, list):
        schema = [strict(item) for item in schema]
    return schema


def validator(document, schema):
    root = {"components": strict(copy.deepcopy(document["components"])), **strict(schema)}
    return jsonschema_rs.Draft202012Validator(root, validate_formats=True)


def response_schema(document, path, method, status):
    response = document["paths"][path][method]["responses"][str(status)]
    return response["content"][JSON]["schema"]


def check(document, response, path, method="get"):
    """The response's status, body and headers are what the document says for it."""
    responses = document["paths"][path][method]["responses"]
    assert str(response.status_code) in responses, (path, response.status_code)
    assert response["Content-Type"].startswith(JSON)
    assert response[PUBLICATION] == snapshot.get_catalogue().version
    body = response.json()
    errors = [
        f"{error.instance_path}: {error.message}"
        for error in validator(
            document, response_schema(document, path, method, response.status_code)
        ).iter_errors(body)
    ]
    assert errors == [], (path, errors[:5])
    return body


def screen(client, body, **extra):
    return client.post("/api/v1/screen", json.dumps(body), content_type=JSON, **extra)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_programme_answers_as_documented(client, document, catalogue, lang):
    listing = check(
        document, client.get("/api/v1/programmes", {"lang": lang}), "/api/v1/programmes"
    )
    assert [p["slug"] for p in listing["programmes"]] == [p.slug for p in catalogue.programmes]
    for programme in catalogue.programmes:
        response = client.get(f"/api/v1/programmes/{programme.slug}", {"lang": lang})
        assert response.status_code == 200
        check(document, response, "/api/v1/programmes/{slug}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_document_answers_as_documented(client, document, lang):
    listing = check(document, client.get("/api/v1/documents", {"lang": lang}), "/api/v1/documents")
    numbers = list(Document.objects.values_list("number", flat=True))
    assert sorted(d["number"] for d in listing["documents"]) == sorted(numbers)
    for number in numbers:
        response = client.get(f"/api/v1/documents/{number}", {"lang": lang})
        assert response.status_code == 200
        check(document, response, "/api/v1/documents/{number}")


def test_facts_answer_as_documented(client, document):
    check(document, client.get("/api/v1/facts"), "/api/v1/facts")


def test_every_persona_case_of_the_catalogue_screens_as_documented(client, document, settings):
    settings.RATELIMIT_ENABLE = False
    cases = [case for p in snapshot.published_source().programmes for case in p.cases]
    assert len(cases) > 100
    for number, case in enumerate(cases):
        body = {"answers": case.answers, "as_of": case.as_of.isoformat()}
        body["lang"] = "en" if number % 2 else "zh"
        response = screen(client, body)
        assert response.status_code == 200, (case.name.en, response.json())
        result = check(document, response, "/api/v1/screen", "post")
        assert result["publication"] == response[PUBLICATION]


@pytest.mark.parametrize(
    "body",
    [
        {"answers": SENIOR_AT_HOME, "as_of": "2026-06-01", "lang": "zh"},
        {"answers": GRADUATE_2025, "as_of": "2026-06-01", "lang": "en"},
        {"answers": B5_RESIDENT, "as_of": "2026-06-01"},
        {"answers": SENIOR_AT_HOME, "as_of": "2027-01-01"},  # inactive
        {"answers": {}},
        {"answers": {"hukou": None, "receives": []}, "lang": "en"},
    ],
)
def test_screenings_answer_as_documented(client, document, body):
    check(document, screen(client, body), "/api/v1/screen", "post")


ERRORS = [
    ("get", "/api/v1/programmes/no-such-thing?lang=en", "/api/v1/programmes/{slug}", 404),
    ("get", "/api/v1/documents/京X〔1〕1号", "/api/v1/documents/{number}", 404),
    ("get", "/api/v1/documents/a%00b", "/api/v1/documents/{number}", 404),
    ("get", "/api/v1/documents?q=" + "x" * 101, "/api/v1/documents", 422),
    ("get", "/api/v1/documents?q=%00", "/api/v1/documents", 422),
    ("get", "/api/v1/facts?lang=fr", "/api/v1/facts", 422),
    ("get", "/api/v1/programmes?lang=", "/api/v1/programmes", 422),
]


@pytest.mark.parametrize(("method", "url", "path", "status"), ERRORS)
def test_errors_answer_as_documented(client, document, method, url, path, status):
    response = getattr(client, method)(url)
    assert response.status_code == status
    check(document, response, path, method)


@pytest.mark.parametrize(
    ("body", "content_type", "status", "field"),
    [
        ('{"answers": {}}', "text/plain", 415, "Content-Type"),
        ("answers=1", "application/x-www-form-urlencoded", 415, "Content-Type"),
        ('{"answers": {"hukou": "x"}}', JSON, 422, "answers.hukou"),
        ('{"as_of": "2026-06-01"}', JSON, 422, "answers"),
        ('{"answers": {}, "as_of": null}', JSON, 422, "as_of"),
        ('{"answers": {}, "as_of": "2026-W01-1"}', JSON, 422, "as_of"),
        ('{"answers": {"age": 70}}', JSON, 422, "answers.age"),
        ("[]", JSON, 422, "body"),
        (json.dumps({"answers": {"certificate_occupation": "x" * 70000}}), JSON, 413, "body"),
    ],
)
def test_bad_screenings_answer_as_documented(client, document, body, content_type, status, field):
    response = client.post("/api/v1/screen?lang=en", body, content_type=content_type)
    assert response.status_code == status
    errors = check(document, response, "/api/v1/screen", "post")["errors"]
    assert field in [e["field"] for e in errors]
    assert response["Content-Language"] == "en"


def test_unknown_paths_and_wrong_methods_answer_in_the_envelope_in_the_language_asked(
    client, document
):
    envelope = validator(document, {"$ref": "#/components/schemas/ErrorOut"})
    for response, status in [
        (client.get("/api/v1/nothing-here?lang=en"), 404),
        (client.get("/api/v1/"), 404),
        (client.get("/api/v1/programmes/"), 404),
        (client.delete("/api/v1/facts?lang=en"), 405),
        (client.get("/api/v1/screen"), 405),
        (client.put("/api/v1/programmes/minimum-living-allowance"), 405),
    ]:
        assert response.status_code == status
        assert envelope.is_valid(response.json()), response.content
        assert response[PUBLICATION] == snapshot.get_catalogue().version
    english = client.get("/api/v1/nothing-here?lang=en").json()["errors"][0]
    assert english == {
        "field": "path",
        "message": "There is no such address in this API; see /api/v1/docs.",
    }
    chinese = client.delete("/api/v1/facts").json()["errors"][0]
    assert chinese == {"field": "method", "message": "这个地址不接受 DELETE 请求，请使用 GET。"}
    assert client.post("/api/v1/facts?lang=en")["Allow"] == "GET"


def test_every_answer_names_the_publication_that_answered(client):
    version = snapshot.get_catalogue().version
    assert "@" in version
    for response in [
        client.get("/api/v1/openapi.json"),
        client.get("/api/v1/facts"),
        client.get("/api/v1/documents"),
        screen(client, {"answers": {}}),
    ]:
        assert response[PUBLICATION] == version
    assert screen(client, {"answers": {}}).json()["publication"] == version


def test_database_down_503_is_in_the_language_asked(client, document):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/api/v1/sheets/BJ-7DMCA-PT735-WSXP3?lang=en")
        library = client.get("/api/v1/documents?lang=en")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    check(document, response, "/api/v1/sheets/{code}")
    assert library.status_code == 200  # the published library is in memory with the snapshot
    assert response.json()["errors"][0]["message"].startswith("The service is busy")

    snapshot.invalidate()  # a worker that has not read the catalogue yet
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = screen(client, {"answers": {}, "lang": "en"})
    assert response.status_code == 503
    assert PUBLICATION not in response  # nothing was published to this worker
    assert response.json() == {
        "errors": [
            {
                "field": "service",
                "message": "The service is busy or under maintenance. Your answers are safe; "
                "please try again in a few minutes.",
            }
        ]
    }


def test_429_is_in_the_language_of_the_body(client, settings, document):
    settings.RATELIMIT_SCREEN = "1/h"  # a minute window could reset between the calls
    assert screen(client, {"answers": {}}).status_code == 200
    limited = screen(client, {"answers": {}, "lang": "en"})
    assert limited.status_code == 429
    check(document, limited, "/api/v1/screen", "post")
    assert limited.json()["errors"][0]["message"].startswith("Too many requests")
    assert limited["Content-Language"] == "en"
    assert screen(client, {"answers": {}}).json()["errors"][0]["message"].startswith("请求")


# The document itself ---------------------------------------------------------------------------


def test_every_operation_declares_lang_tags_and_its_answers(document):
    for path, item in document["paths"].items():
        for operation in item.values():
            names = {p["name"]: p for p in operation["parameters"]}
            assert names["lang"]["schema"]["enum"] == ["zh", "en"], path
            assert operation["tags"][0] in {"screening", "catalogue", "library"}
            answered = set(operation["responses"])
            assert {"422", "429", "503"} <= answered and answered & {"200", "201"}, path
            for status, response in operation["responses"].items():
                assert response["description"]
                assert "Catalogue-Publication" in response["headers"], (path, status)
                assert "$ref" in response["content"][JSON]["schema"], (path, status)
    documents = document["paths"]["/api/v1/documents"]["get"]["parameters"]
    assert next(p for p in documents if p["name"] == "q")["schema"]["maxLength"] == 100
    assert document["servers"] == [{"url": "/", "description": "This site"}]
    assert [tag["name"] for tag in document["tags"]] == ["screening", "catalogue", "library"]


def test_statuses_and_outcomes_are_described(document):
    schemas = document["components"]["schemas"]
    status = schemas["ResultOut"]["properties"]["status"]
    assert status["enum"] == ["eligible", "ineligible", "unknown", "inactive"]
    assert all(f"`{value}`" in status["description"] for value in status["enum"])
    outcome = schemas["ReasonOut"]["properties"]["outcome"]
    assert outcome["enum"] == ["met", "not_met", "unknown"]
    assert all(f"`{value}`" in outcome["description"] for value in outcome["enum"])


def test_every_example_matches_its_schema(document):
    checked = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody", {}).get("content", {}).get(JSON)
            media = [body] if body else []
            media += [r["content"][JSON] for r in operation["responses"].values()]
            for content in media:
                check_examples = validator(document, content["schema"])
                for name, example in content.get("examples", {}).items():
                    errors = [e.message for e in check_examples.iter_errors(example["value"])]
                    assert errors == [], (path, method, name, errors)
                    checked += 1
    assert checked >= 30


def test_the_screen_body_is_documented_as_it_is_read(document):
    body = document["paths"]["/api/v1/screen"]["post"]["requestBody"]
    assert body["required"] is True
    screen_in = document["components"]["schemas"]["ScreenIn"]
    assert screen_in["required"] == ["answers"]
    assert screen_in["additionalProperties"] is False
    assert screen_in["properties"]["as_of"]["type"] == "string"  # never null
    assert screen_in["properties"]["as_of"]["format"] == "date"
    assert screen_in["properties"]["lang"]["enum"] == ["zh", "en"]


def test_answers_lists_exactly_the_facts_that_can_be_answered(document, catalogue):
    answers = document["components"]["schemas"]["Answers"]
    assert answers["additionalProperties"] is False
    assert set(answers["properties"]) == {k for k, s in catalogue.facts.items() if not s.derived}
    assert "age" not in answers["properties"]


PROBES = [
    None, True, False, 0, 1, 3, 3.0, 2.5, -1, 31, 10**30, 1e300, "", " ", "\u3000", "x",
    "beijing", "male", "severe", "4-10-01-05", "x" * 200, "x" * 201, "1950-03-02",
    "2100-12-31", "1899-12-31", "2101-01-01", "1950-02-30", "2026-W01-1", "19500302  ",
    [], ["di_bao"], ["di_bao", "di_bao"], ["nothing"], [1], {}, {"a": 1},
]  # fmt: skip


# Past-event dates may not be after the screening date, which a schema cannot say: probe on the
# last day the API accepts, so only what the document can describe is compared.
AS_OF = dt.date(2100, 12, 31)


def test_the_documented_answers_accept_exactly_what_the_parser_accepts(document, catalogue):
    """For each fact, each probe value is valid for the document iff `parse_value` takes it
    (null: not answered, which both accept)."""
    disagreements = []
    for key, spec in catalogue.facts.items():
        if spec.derived:
            continue
        schema = validator(document, {"$ref": f"#/components/schemas/Answers/properties/{key}"})
        for value in [*PROBES, *spec.values, *(dict.fromkeys(spec.labels))]:
            try:
                accepted = value is None or parse_value(spec, value, AS_OF) is not None
            except AnswerInvalid:
                accepted = False
            if schema.is_valid(value) != accepted:
                disagreements.append((key, value, accepted))
    assert disagreements == []
