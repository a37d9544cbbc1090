"""Hardening (issue 15): staff login lockouts, staff and resident sessions, code lookups."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from eligibility import questionnaire

LOGIN = "/admin/login/?next=/admin/"
A = "203.0.113.7"
B = "198.51.100.9"
PASSWORD = "a-long-enough-passphrase"


@pytest.fixture
def clerk(db):
    return User.objects.create_user("clerk", password=PASSWORD, is_staff=True)


def log_in(client, username, password, address):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_a_user_at_that_address_only(client, clerk):
    for _ in range(4):
        log_in(client, "clerk", "wrong", A)
    assert log_in(client, "clerk", PASSWORD, A).status_code == 302  # 4 failures: not yet
    client.logout()
    for _ in range(5):
        log_in(client, "clerk", "wrong", A)
    assert log_in(client, "clerk", PASSWORD, A).status_code == 429  # locked at A
    assert log_in(client, "clerk", PASSWORD, B).status_code == 302  # not from B


def test_twenty_failures_across_usernames_lock_the_address(client, clerk):
    for n in range(20):
        response = log_in(client, f"guess{n // 4}", "wrong", A)  # 4 per username: under 5
        assert response.status_code == (429 if n == 19 else 200)
    assert log_in(client, "clerk", PASSWORD, A).status_code == 429  # the address is locked
    assert log_in(client, "clerk", PASSWORD, B).status_code == 302


def test_nineteen_failures_across_usernames_do_not_lock_the_address(client, clerk):
    for n in range(19):
        log_in(client, f"guess{n // 4}", "wrong", A)
    assert log_in(client, "clerk", PASSWORD, A).status_code == 302


def test_the_lockout_lifts_after_the_cool_off(client, clerk):
    for _ in range(5):
        log_in(client, "clerk", "wrong", A)
    assert log_in(client, "clerk", PASSWORD, A).status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31))
    assert log_in(client, "clerk", PASSWORD, A).status_code == 302


def test_axes_records_the_address_nginx_reports(client, clerk):
    client.post(
        LOGIN,
        {"username": "clerk", "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP=A,
    )
    assert AccessAttempt.objects.get().ip_address == A


def test_a_colleagues_login_does_not_forgive_a_guessers_failures(client, clerk):
    for n in range(16):
        log_in(client, f"guess{n // 4}", "wrong", A)
    assert log_in(client, "clerk", PASSWORD, A).status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "guess9", "wrong", A)
    assert log_in(client, "clerk", PASSWORD, A).status_code == 429


# Staff sessions


def session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_logout_revokes_the_session_on_the_server(client, clerk):
    log_in(client, "clerk", PASSWORD, A)
    key = session_key(client)
    assert Session.objects.filter(session_key=key).exists()
    client.post("/admin/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key  # the old cookie, kept by someone
    assert replay.get("/admin/").status_code == 302  # to the login page


def test_a_password_change_ends_the_other_sessions_but_not_this_one(clerk):
    here, elsewhere = Client(), Client()
    log_in(here, "clerk", PASSWORD, A)
    log_in(elsewhere, "clerk", PASSWORD, B)
    new = "another-long-enough-passphrase"
    response = here.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert here.get("/admin/").status_code == 200
    assert elsewhere.get("/admin/").status_code == 302


def test_a_staff_session_ends_eight_hours_after_login_however_active(client, clerk):
    log_in(client, "clerk", PASSWORD, A)
    client.get("/admin/")
    session = Session.objects.get(session_key=session_key(client))
    hours = (session.expire_date - timezone.now()) / dt.timedelta(hours=1)
    assert 7.9 < hours <= 8
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get("/admin/").status_code == 302


# Resident sessions

SENIOR = {"hukou": "beijing", "birth_date": "1950-03-01"}


def answer_first_page(client):
    return client.post("/check/", {"page": ["birth_date", "hukou"], **SENIOR})


def test_resident_answers_are_kept_on_the_server_not_in_the_cookie(client, db):
    response = answer_first_page(client)
    assert response.status_code == 302
    cookie = session_key(client)
    assert len(cookie) == 32 and "beijing" not in cookie and "1950" not in cookie
    stored = Session.objects.get(session_key=cookie).get_decoded()
    assert stored["questionnaire"]["answers"]["hukou"] == "beijing"


def test_resident_sessions_end_after_two_idle_hours(client, db):
    answer_first_page(client)
    session = Session.objects.get(session_key=session_key(client))
    hours = (session.expire_date - timezone.now()) / dt.timedelta(hours=1)
    assert 1.9 < hours <= 2
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() + dt.timedelta(minutes=5)
    )
    assert "1950-03-01" in client.get("/check/answers/").content.decode()  # renews 2 hours
    renewed = Session.objects.get(pk=session.pk).expire_date - timezone.now()
    assert renewed > dt.timedelta(hours=1.9)
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert "1950-03-01" not in client.get("/check/answers/").content.decode()


def stored_expiry(client) -> dt.datetime:
    return Session.objects.get(session_key=session_key(client)).expire_date


def test_a_session_renewed_minutes_ago_is_not_written_again(client, db):
    answer_first_page(client)
    before = stored_expiry(client)
    response = client.get("/check/answers/")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # nothing written, nothing sent
    assert stored_expiry(client) == before


@pytest.mark.parametrize("page", ["/check/answers/", "/programmes/", "/library/"])
def test_any_page_renews_an_idle_session_pushed_more_than_five_minutes_ago(client, db, page):
    """Reading the library counts as activity as much as answering does (it does not read the
    session itself)."""
    answer_first_page(client)
    Session.objects.filter(session_key=session_key(client)).update(
        expire_date=timezone.now() + dt.timedelta(hours=2) - dt.timedelta(minutes=6)
    )
    response = client.get(page)
    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 2 * 60 * 60
    assert stored_expiry(client) - timezone.now() > dt.timedelta(hours=1, minutes=59)
    assert "1950-03-01" in client.get("/check/answers/").content.decode()


def test_answers_too_large_to_keep_are_refused_with_a_message(client, db, monkeypatch):
    answer_first_page(client)
    stored = Session.objects.get(session_key=session_key(client)).get_decoded()
    monkeypatch.setattr(questionnaire, "MAX_STATE_BYTES", 10)
    page = client.get("/check/")
    next_keys = page.context["keys"]
    response = client.post("/check/", {"page": next_keys, "skip": next_keys})
    assert response.status_code == 200
    assert "您的回答太长，无法保存" in response.content.decode()
    kept = Session.objects.get(session_key=session_key(client)).get_decoded()
    assert kept["questionnaire"]["answers"] == stored["questionnaire"]["answers"]


# Code lookups


@pytest.fixture
def sheet_code(client, db):
    body = {"answers": SENIOR, "as_of": "2026-06-01"}
    response = client.post("/api/v1/sheets", body, content_type="application/json")
    assert response.status_code == 201
    return response.json()["code"]


def unknown_code(n: int) -> str:
    return f"ZZZZ-{n:04d}"


def test_the_21st_unknown_code_is_refused_while_others_still_open_sheets(sheet_code):
    guesser, resident = Client(REMOTE_ADDR=A), Client(REMOTE_ADDR=B)
    for n in range(20):
        assert guesser.get(f"/r/{unknown_code(n)}/").status_code == 404
    refused = guesser.get(f"/r/{unknown_code(20)}/")
    assert refused.status_code == 429
    assert "请求过于频繁" in refused.content.decode()
    assert guesser.get(f"/r/{sheet_code}/").status_code == 429  # hits refused too, now
    assert guesser.get(f"/api/v1/sheets/{sheet_code}").status_code == 429
    assert resident.get(f"/r/{sheet_code}/").status_code == 200
    assert resident.get(f"/api/v1/sheets/{sheet_code}").status_code == 200


def test_known_codes_are_not_counted_as_misses(sheet_code):
    client = Client(REMOTE_ADDR=A)
    for _ in range(25):
        assert client.get(f"/api/v1/sheets/{sheet_code}").status_code == 200
    assert client.get(f"/r/{unknown_code(1)}/").status_code == 404


def test_the_api_and_the_pdf_count_misses_too_and_answer_in_their_own_shape(db):
    client = Client(REMOTE_ADDR=A)
    for n in range(10):
        assert client.get(f"/api/v1/sheets/{unknown_code(n)}").status_code == 404
        assert client.get(f"/r/{unknown_code(n)}/sheet.pdf").status_code == 404
    refused = client.get(f"/api/v1/sheets/{unknown_code(99)}?lang=en")
    assert refused.status_code == 429
    assert refused["Retry-After"]
    assert refused.json()["errors"][0]["field"] == "rate"
    assert "Too many requests" in refused.json()["errors"][0]["message"]


def test_rate_limit_counters_have_their_own_cache():
    assert settings.RATELIMIT_USE_CACHE == "ratelimit"
    assert settings.CACHES["ratelimit"] != settings.CACHES["default"]


@pytest.fixture
def five_minutes_left_in_the_window(monkeypatch):
    """The rate limits' clock at a moment when client A's 10-minute window has 300 s left (each
    key's windows are shifted by a jitter derived from the key)."""
    import types
    import zlib

    from django_ratelimit import core

    start = 600 * 10**6
    jitter = zlib.crc32(A.encode()) % 600
    now = start + jitter - 300 if jitter >= 300 else start + jitter + 300
    monkeypatch.setattr(core, "time", types.SimpleNamespace(time=lambda: now))


def test_a_guesser_is_told_truly_how_long_to_wait(db, five_minutes_left_in_the_window):
    client = Client(REMOTE_ADDR=A)
    for n in range(20):
        assert client.get(f"/r/{unknown_code(n)}/").status_code == 404
    refused = client.get(f"/r/{unknown_code(20)}/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "300"  # not "60": the window is 10 minutes
    assert "请等待 5 分钟后再试" in refused.content.decode()
    api = client.get(f"/api/v1/sheets/{unknown_code(21)}?lang=en")
    assert api["Retry-After"] == "300"
    assert "Please wait 5 minutes and try again." in api.json()["errors"][0]["message"]
