"""A resident walking the questionnaire to the results page (used by bench/production.py).

Each simulated resident reads every page before answering it: `READING_SECONDS` ("1-3" by
default, a quick reader; "0" for none, which turns the run into a stress test of the servers).
FastHttpUser keeps the load generator's own CPU use small: it shares the machine's cores with
nginx, the app servers and PostgreSQL.
"""

import datetime as dt
import os
import random
import re
from urllib.parse import urlencode

from locust import FastHttpUser, between, constant, task

PERSONAS = [
    {
        "birth_date": "1944-03-02",
        "hukou": "beijing",
        "hukou_nature": "urban",
        "capability_level": "severe",
        "capability_assessment_date": "2026-03-10",
        "care_setting": "home",
        "receives": [],
        "employment_status": "retired",
    },
    {
        "birth_date": "2003-05-01",
        "hukou": "other",
        "residence_permit": "true",
        "employment_status": "unemployed",
        "higher_ed_graduate": "true",
        "graduation_date": "2025-07-01",
        "employed_since_graduation": "false",
        "certificate_kind": "skill_level",
        "certificate_level": "4",
        "certificate_occupation": "4-10-01-05",
        "certificate_issue_date": "2026-03-01",
    },
    {
        "birth_date": "2015-01-01",
        "hukou": "beijing",
        "hukou_nature": "urban",
        "employment_status": "student",
        "child_status": "orphan",
        "receives": [],
    },
]
BORN_WITHIN_DAYS = 3 * 365  # each resident is born on a random day up to 3 years earlier


def resident() -> dict:
    """One of the personas, born on a day of their own: residents rarely answer exactly alike,
    so screenings and results pages are mostly computed afresh, not served from a cache."""
    persona = dict(random.choice(PERSONAS))
    born = dt.date.fromisoformat(persona["birth_date"])
    born -= dt.timedelta(days=random.randrange(BORN_WITHIN_DAYS))
    persona["birth_date"] = born.isoformat()
    return persona


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAGE = re.compile(r'name="page" value="([a-z_0-9]+)"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def reading_time():
    low, _, high = os.environ.get("READING_SECONDS", "1-3").partition("-")
    return between(float(low), float(high)) if high else constant(float(low))


class Resident(FastHttpUser):
    """Most residents' browsers run JavaScript: htmx posts each page and gets the next one
    back in the same response; one in five walks the plain POST-redirect-GET way."""

    wait_time = reading_time()

    @task
    def walk_to_results(self) -> None:
        self.client.cookiejar.clear()
        persona = resident()
        headers = {**FORM, "HX-Request": "true"} if random.random() < 0.8 else FORM
        self.client.get("/", name="start")
        self.wait()
        html = self.client.get("/check/", name="question").text
        for _ in range(25):
            keys = PAGE.findall(html)
            if not keys:
                break
            self.wait()
            data = {
                "csrfmiddlewaretoken": CSRF.search(html).group(1),
                "page": keys,
                "skip": [k for k in keys if k not in persona],
            }
            for key in keys:
                if key in persona:
                    data[key] = persona[key]
            response = self.client.post(
                "/check/", urlencode(data, doseq=True), headers=headers, name="answer"
            )
            target = response.headers.get("HX-Redirect")
            if target:  # htmx loads the "check your answers" page
                self.client.get(target, name="answers")
                break
            html = response.text
        self.client.get("/results/", name="results")
        self.wait()
