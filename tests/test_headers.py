"""Headers a browser or proxy acts on: no stored copies of a resident's results, no browser
features for the pages, cookies only where they belong, and no sheet codes in the logs."""

import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config.observability import JsonFormatter, RedactSheetCodes

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def code(client):
    client.post("/check/", {"page": ["hukou"], "hukou": "beijing"})
    return client.post("/results/save/").url.split("/")[2]


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def test_results_and_saved_sheets_are_never_stored_by_browsers_or_proxies(client, code):
    for url in ["/results/", "/check/answers/", f"/r/{code}/", f"/r/{code}/sheet.pdf"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"no-store", "private"} <= cache_control(response), url
    assert client.get(f"/r/{code}/sheet.pdf")["Content-Type"] == "application/pdf"


def test_cached_results_page_is_still_not_stored(client):
    client.get("/results/")
    assert {"no-store", "private"} <= cache_control(client.get("/results/"))


def test_public_pages_may_be_kept(client):
    assert "no-store" not in cache_control(client.get("/programmes/"))


@pytest.mark.parametrize("url", ["/", "/no-such-page/", "/api/v1/documents", "/library/?q=%00"])
def test_every_response_denies_camera_microphone_location_payment_usb(client, url):
    policy = client.get(url)["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_large_text_cookie_is_lax_http_only_and_secure_when_the_session_is(client, settings):
    response = client.post("/preferences/elderly-mode/", {"next": "/"})
    cookie = response.cookies["elderly_mode"]
    assert cookie["samesite"] == "Lax" and cookie["httponly"] and not cookie["secure"]
    settings.SESSION_COOKIE_SECURE = True
    client.cookies.clear()
    cookie = client.post("/preferences/elderly-mode/", {"next": "/"}).cookies["elderly_mode"]
    assert cookie["secure"]


def test_production_settings_make_every_cookie_secure_and_lax():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50)}
    script = (
        "from config import settings as s;"
        "print([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE,"
        " s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_SAMESITE])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip() == "[True, True, True, 'Lax', 'Lax', 'Lax']", result.stderr


def test_the_access_log_never_holds_a_sheet_code(client, code, caplog):
    with caplog.at_level(logging.INFO, logger="requests"):
        client.get(f"/r/{code}/")
        client.get(f"/r/{code}/sheet.pdf")
        client.get(f"/api/v1/sheets/{code}")
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "requests"]
    assert [line["path"] for line in lines] == [
        "/r/[code]/",
        "/r/[code]/sheet.pdf",
        "/api/v1/sheets/[code]",
    ]
    assert code not in json.dumps(lines)


def test_djangos_not_found_lines_lose_the_code_too():
    record = logging.LogRecord(
        "django.request", logging.WARNING, "", 0, "%s: %s", ("Not Found", "/r/BJ7DMCAPT7/"), None
    )
    RedactSheetCodes().filter(record)
    assert record.getMessage() == "Not Found: /r/[code]/"
