"""A new resident is screened without touching the database: the engine runs on the snapshot in
memory, the API looks for a newer publication at most every CATALOGUE_CHECK_SECONDS, screening
counts are written in batches and rate limits are counted in memory (issue 18)."""

import datetime as dt

import pytest

from benefits import snapshot
from benefits.models import Publication
from benefits.snapshot import publication_version
from rules import engine

pytestmark = pytest.mark.django_db

SENIOR = {  # 82, Beijing hukou, severely disabled, cared for at home (京民发〔2026〕6号)
    "birth_date": "1944-03-02",
    "hukou": "beijing",
    "hukou_nature": "urban",
    "capability_level": "severe",
    "care_setting": "home",
    "receives": [],
}
AS_OF = "2026-11-22"


@pytest.fixture
def warm_worker(settings, monkeypatch):
    """A worker that has its snapshot and has just looked for a newer publication."""
    settings.CATALOGUE_CHECK_SECONDS = 60
    monkeypatch.setattr("eligibility.stats.FLUSH_SECONDS", 1e9)  # counts are written later
    monkeypatch.setattr("benefits.shapes.FLUSH_SECONDS", 1e9)  # and so are answer shapes
    snapshot.get_catalogue()
    snapshot.refresh()


def screen(client, answers, address="10.18.0.1"):
    return client.post(
        "/api/v1/screen",
        {"answers": answers, "as_of": AS_OF, "lang": "en"},
        content_type="application/json",
        REMOTE_ADDR=address,  # a resident the rate limiter has not seen either
    )


def test_the_engine_screens_without_a_query(warm_worker, django_assert_num_queries):
    from rules.facts import parse_answers

    catalogue = snapshot.get_catalogue()
    day = dt.date.fromisoformat(AS_OF)
    answers, errors = parse_answers(catalogue.facts, SENIOR, as_of=day)
    assert errors == []
    with django_assert_num_queries(0):
        screening = engine.screen(snapshot.get_catalogue(), answers, day)
    assert screening.result("elderly-care-consumption-subsidy").status == engine.ELIGIBLE


def test_a_new_resident_is_screened_through_the_api_without_a_query(
    client, warm_worker, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = screen(client, SENIOR)
    assert response.status_code == 200
    results = {r["programme"]: r for r in response.json()["results"]}
    subsidy = results["elderly-care-consumption-subsidy"]
    assert subsidy["status"] == "eligible"
    assert all(reason["outcome"] == "met" for reason in subsidy["reasons"])
    assert response["Catalogue-Publication"] == snapshot.get_catalogue().version


def test_bad_answers_are_refused_without_a_query(client, warm_worker, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = screen(client, {**SENIOR, "birth_date": "1944-02-30"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "answers.birth_date",
            "message": "Enter a real date as YYYY-MM-DD, for example 1950-03-02.",
        }
    ]


def test_a_publication_from_another_worker_is_picked_up_within_the_check_interval(
    client, warm_worker
):
    """Another worker publishes (nothing drops this worker's snapshot): this worker answers
    from the publication it has until its next look, then from the new one."""
    before = snapshot.get_catalogue().version
    latest = Publication.objects.order_by("-id").first()
    newer = Publication.objects.create(
        catalogue=latest.catalogue, schema_version=latest.schema_version, note="elsewhere"
    )
    assert screen(client, SENIOR)["Catalogue-Publication"] == before
    snapshot._checked_at -= 61  # a minute later
    assert screen(client, SENIOR)["Catalogue-Publication"] == publication_version(newer)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_answer_text_is_the_json_of_the_results(lang):
    """`/screen` joins pieces encoded once per publication: the text is exactly the JSON of
    the results, whatever the outcomes (eligible, unknown, ineligible, inactive, conflicts)."""
    import json
    import random

    from eligibility.results_json import screening_json, screening_json_text
    from rules.facts import parse_answers

    catalogue = snapshot.get_catalogue()
    rng = random.Random(18)
    statuses, conflicts = set(), 0
    for raw in [{}, SENIOR, *(some_answers(rng, catalogue.facts) for _ in range(80))]:
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 1500))
        answers, _errors = parse_answers(catalogue.facts, raw, as_of=day)
        screening = engine.screen(catalogue, answers, day)
        expected = json.dumps(screening_json(screening, lang, "7@x"), ensure_ascii=False)
        assert screening_json_text(screening, lang, "7@x", catalogue) == expected
        statuses |= {r.status for r in screening.results}
        conflicts += sum(bool(r.conflicts) for r in screening.results)
    assert statuses == {"eligible", "unknown", "ineligible", "inactive"} and conflicts


def some_answers(rng, facts):
    """A resident who answered some questions with values the questions allow."""
    answers = {}
    for spec in facts.values():
        if spec.derived is not None or rng.random() < 0.4:
            continue
        if spec.type == "date":
            answers[spec.key] = (
                dt.date(1940, 1, 1) + dt.timedelta(rng.randrange(30000))
            ).isoformat()
        elif spec.type == "bool":
            answers[spec.key] = rng.random() < 0.5
        elif spec.type == "list":
            answers[spec.key] = rng.sample(list(spec.values), rng.randrange(0, 3))
        elif spec.values:
            answers[spec.key] = rng.choice(list(spec.values))
        elif spec.type in ("int", "number"):
            answers[spec.key] = rng.randint(1, 5 if spec.key == "household_size" else 9000)
    return answers


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_households_answer_text_is_the_json_of_its_results(lang):
    """A household's answer is joined from the same encoded pieces: exactly the JSON of
    `household_json`, for households of one to four, whatever the members' outcomes."""
    import json
    import random

    from eligibility.households import household_json, household_json_text
    from rules.facts import parse_answers
    from rules.household import RELATIONS, Member, screen_household

    catalogue = snapshot.get_catalogue()
    rng = random.Random(4)
    statuses = set()
    for _ in range(40):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 1500))
        shared = {
            key: value
            for key, value in some_answers(rng, catalogue.facts).items()
            if catalogue.facts[key].scope == "household"
        }
        shared_answers, _errors = parse_answers(catalogue.facts, shared, as_of=day)
        members = []
        for n in range(rng.randrange(1, 5)):
            answers, _errors = parse_answers(
                catalogue.facts, some_answers(rng, catalogue.facts), as_of=day
            )
            members.append(Member(f"m{n}", rng.choice(RELATIONS), answers))
        household = screen_household(catalogue, shared_answers, members, day)
        expected = json.dumps(household_json(household, lang, "7@x"), ensure_ascii=False)
        assert household_json_text(household, lang, "7@x", catalogue) == expected
        statuses |= {r.status for m in household.members for r in m.results}
    assert {"eligible", "unknown", "ineligible"} <= statuses
