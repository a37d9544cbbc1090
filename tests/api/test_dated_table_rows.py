"""Next year's standard entered ahead (a dated table row): `/screen` gives the figure in force on
`as_of`, and the programme's tables show the rows with their periods."""

import datetime as dt
import json

import pytest

pytestmark = pytest.mark.django_db

SKILLS = "key-group-skills-subsidy"
# 京人社能发〔2026〕2号 二: a government services clerk, level 5 (tier B), certificate 2026-03-01
CLERK_LEVEL_5 = {
    "birth_date": "1981-05-01",
    "employment_status": "unemployed",
    "hukou": "other",
    "certificate_kind": "skill_level",
    "certificate_level": 5,
    "certificate_occupation": "3-01-01-02",
    "certificate_issue_date": "2026-03-01",
    "certificate_already_subsidised": False,
    "skills_subsidy_received_before": False,
    "disability_grade": 0,
    "key_group_status_at_certificate": ["registered_unemployed"],
}


def skills_amount(client, as_of):
    body = json.dumps({"answers": CLERK_LEVEL_5, "as_of": as_of})
    response = client.post("/api/v1/screen", data=body, content_type="application/json")
    assert response.status_code == 200
    result = next(r for r in response.json()["results"] if r["programme"] == SKILLS)
    assert result["status"] == "eligible"
    return result["amount"]["value"]


@pytest.mark.parametrize(
    ("as_of", "figure"),
    [("2026-06-01", 1000), ("2026-12-31", 1000), ("2027-01-01", 1100), ("2027-02-28", 1100)],
)
def test_a_screening_gets_the_figure_in_force_on_as_of(client, publish_dated_b5, as_of, figure):
    publish_dated_b5(dt.date(2027, 1, 1))
    assert skills_amount(client, as_of) == figure


def test_the_programme_lists_this_years_row_and_next_years_with_their_periods(
    client, publish_dated_b5
):
    from django.utils import timezone

    start = timezone.localdate() + dt.timedelta(days=30)
    publish_dated_b5(start)
    tables = client.get(f"/api/v1/programmes/{SKILLS}").json()["tables"]
    b5 = [row for row in tables["skills-level-standard"] if row["keys"] == ["B", "5"]]
    assert b5 == [
        {
            "keys": ["B", "5"],
            "value": 1000,
            "valid_from": None,
            "valid_to": (start - dt.timedelta(days=1)).isoformat(),
        },
        {"keys": ["B", "5"], "value": 1100, "valid_from": start.isoformat(), "valid_to": None},
    ]
    b4 = next(row for row in tables["skills-level-standard"] if row["keys"] == ["B", "4"])
    assert (b4["valid_from"], b4["valid_to"]) == (None, None)


def test_a_row_that_has_ended_is_no_longer_listed(client, publish_dated_b5):
    from django.utils import timezone

    publish_dated_b5(timezone.localdate() - dt.timedelta(days=10))
    tables = client.get(f"/api/v1/programmes/{SKILLS}").json()["tables"]
    b5 = [row["value"] for row in tables["skills-level-standard"] if row["keys"] == ["B", "5"]]
    assert b5 == [1100]
