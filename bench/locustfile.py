"""A resident walking the questionnaire to the results page (used by bench/production.py)."""

import random
import re

from locust import HttpUser, between, task

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
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAGE = re.compile(r'name="page" value="([a-z_0-9]+)"')


class Resident(HttpUser):
    """Most residents' browsers run JavaScript: htmx posts each page and gets the next one
    back in the same response; one in five walks the plain POST-redirect-GET way."""

    wait_time = between(0.5, 2)  # reading and answering take a moment

    @task
    def walk_to_results(self) -> None:
        self.client.cookies.clear()
        persona = random.choice(PERSONAS)
        htmx = {"HX-Request": "true"} if random.random() < 0.8 else {}
        self.client.get("/", name="start")
        html = self.client.get("/check/", name="question").text
        for _ in range(25):
            keys = PAGE.findall(html)
            if not keys:
                break
            data = {
                "csrfmiddlewaretoken": CSRF.search(html).group(1),
                "page": keys,
                "skip": [k for k in keys if k not in persona],
            }
            for key in keys:
                if key in persona:
                    data[key] = persona[key]
            response = self.client.post("/check/", data, headers=htmx, name="answer")
            if response.headers.get("HX-Redirect"):
                break
            html = response.text
        self.client.get("/results/", name="results")
