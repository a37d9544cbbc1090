"""Hardening (issue 15): staff login lockouts, staff and resident sessions, code lookups."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User

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
    for n in range(4):
        log_in(client, "guess9", "wrong", A)
    assert log_in(client, "clerk", PASSWORD, A).status_code == 429
