"""Production behaviour: security headers, deploy checks, health, faults, rate limits, logs,
and a constant number of queries per page."""

import json
import logging
import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import OperationalError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from benefits import snapshot
from benefits.models import Programme, Requirement
from benefits.services import publish_catalogue

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]
SOME_CODE = "BJ-7DMCA-PT735-WSXP3"  # a saved sheet's reference code (none is saved)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    docs = client.get("/api/v1/docs").headers["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in docs  # Swagger UI's own styles only


def test_deploy_check_has_no_warning_with_production_settings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "benefits.example.gov.cn",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_health_reports_the_database(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_database_down_gives_a_friendly_503_in_the_residents_language(client):
    """A saved sheet is read from the database (the library and the programmes from memory)."""
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get(f"/r/{SOME_CODE}/")
        assert response.status_code == 503
        assert "您的回答不会丢失" in response.content.decode()
        assert response["Retry-After"] == "60"
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        response = client.get(f"/r/{SOME_CODE}/")
        assert "Your answers are safe" in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement timeout")
def test_a_slow_database_gives_the_503_page_instead_of_a_hung_worker(client):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "5s"  # settings: no query holds a worker longer

    def slow_lookup(*args, **kwargs):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 50")  # 5 s, scaled down for the test
            cursor.execute("SELECT pg_sleep(2)")

    with mock.patch("eligibility.views.sheets.find_sheet", side_effect=slow_lookup):
        response = client.get(f"/r/{SOME_CODE}/")
    assert response.status_code == 503
    assert "您的回答不会丢失" in response.content.decode()


def test_screening_keeps_working_from_the_snapshot_while_the_database_is_down(client):
    snapshot.get_catalogue()  # already in memory, as in a running worker
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.post(
            "/api/v1/screen", {"answers": {"hukou": "beijing"}}, content_type="application/json"
        )
    assert response.status_code == 200
    assert len(response.json()["results"]) == len(snapshot.get_catalogue().programmes)


def test_workers_warm_up_before_their_first_request_even_with_the_database_down(caplog):
    """gunicorn runs warm_up in each new worker: the snapshot is built before residents come;
    with the database down the worker still starts and the first request retries."""
    from config.wsgi import warm_up

    snapshot.invalidate()
    with mock.patch.object(connections, "close_all") as close_all:
        warm_up()
    assert snapshot._published is not None and close_all.called
    snapshot.invalidate()
    with (
        mock.patch.object(connection, "cursor", side_effect=OperationalError("down")),
        mock.patch.object(connections, "close_all"),
        caplog.at_level(logging.WARNING, logger="eligibility"),
    ):
        warm_up()
    assert snapshot._published is None
    assert "database unavailable" in caplog.text
    snapshot.get_catalogue()  # back to a warm worker for the tests that follow


def test_rate_limits_answer_429_with_a_clear_message(client, settings):
    settings.RATELIMIT_SCREEN = "2/h"  # a minute window could reset between the calls
    for _ in range(2):
        assert (
            client.post(
                "/api/v1/screen", {"answers": {}}, content_type="application/json"
            ).status_code
            == 200
        )
    limited = client.post(
        "/api/v1/screen?lang=en", {"answers": {}, "lang": "en"}, content_type="application/json"
    )
    assert limited.status_code == 429
    assert limited.json()["errors"][0]["message"].startswith("Too many requests")
    for _ in range(2):
        client.post("/check/", {"page": ["birth_date", "hukou"], "birth_date": "bad"})
    page = client.post("/check/", {"page": ["birth_date", "hukou"], "birth_date": "bad"})
    assert page.status_code == 429
    assert "请求过于频繁" in page.content.decode()


def test_request_logs_are_structured_and_hold_no_personal_data(client, caplog):
    from config.observability import JsonFormatter

    with caplog.at_level(logging.INFO, logger="requests"):
        client.get("/library/?q=低保", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Resident")
    record = next(r for r in caplog.records if r.name == "requests")
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/library/" and line["status"] == 200 and line["method"] == "GET"
    assert "ms" in line
    text = json.dumps(line, ensure_ascii=False)
    assert "10.1.2.3" not in text and "Resident" not in text and "低保" not in text


def page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


PAGES = ["/", "/check/", "/results/", "/programmes/key-group-skills-subsidy/"]


def test_page_queries_are_few_and_do_not_grow_with_the_catalogue(client, monkeypatch):
    monkeypatch.setattr("eligibility.stats.FLUSH_SECONDS", 1e9)  # counts are written later
    snapshot.get_catalogue()  # a warm worker (see config.wsgi.warm_up)
    before = {url: page_queries(client, url) for url in PAGES}
    assert before == {url: 1 for url in PAGES}  # the check for a newer publication
    count = len(snapshot.get_catalogue().programmes)
    original = Programme.objects.get(slug="key-group-skills-subsidy")
    for n in range(10):  # ten more programmes, each with a requirement
        copy = Programme.objects.get(pk=original.pk)
        copy.pk, copy.slug = None, f"copy-{n}"
        copy.save()
        Requirement.objects.create(
            programme=copy, clause="一", description_zh="x", description_en="x"
        )
    publication, failures = publish_catalogue(user=None, note="ten more")
    assert publication is not None, failures
    snapshot.invalidate()
    client.get("/")  # the worker picks up the new publication
    assert len(snapshot.get_catalogue().programmes) == count + 10
    after = {url: page_queries(client, url) for url in PAGES}
    assert after == before


class _FormFields(HTMLParser):
    """The fields a browser would submit from the form with this id."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form":
            self._inside = a.get("id") == self.form_id
        if not self._inside or (tag != "option" and not a.get("name")):
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "select":
            self._select = a["name"]
            self.data.setdefault(self._select, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value") or "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.data[self._textarea] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][0] += data.removeprefix("\n")


def test_a_failed_admin_save_saves_nothing_and_tells_staff_to_save_again(client):
    """A programme and its inlines are saved in one transaction: when the database fails half
    way, the staff member gets a 503 page saying nothing was saved, and no half-change stays."""
    from django.contrib.auth.models import User

    from benefits.models import Channel

    client.force_login(User.objects.create_user("s", is_staff=True, is_superuser=True))
    programme = Programme.objects.get(slug="key-group-skills-subsidy")
    url = f"/admin/benefits/programme/{programme.pk}/change/"
    parser = _FormFields("programme_form")
    parser.feed(client.get(url).content.decode())
    data = parser.data
    data["name_zh"] = ["改过的名称"]
    data["channels-0-name_zh"] = [
        "改过的渠道"
    ]  # so the channel inline is saved after the programme
    assert client.post(url, {**data, "_continue": "1"}).status_code == 302  # the form is complete
    programme.refresh_from_db()
    assert programme.name_zh == "改过的名称"
    data["name_zh"] = ["第二次修改"]
    data["channels-0-name_zh"] = ["第二次修改的渠道"]
    with mock.patch.object(Channel, "save", side_effect=OperationalError("connection lost")):
        response = client.post(url, data)
    assert response.status_code == 503
    assert "没有保存" in response.content.decode()
    programme.refresh_from_db()
    assert programme.name_zh == "改过的名称"  # the first save is kept, the failed one left nothing
