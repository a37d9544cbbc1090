"""A 500 reaches the people on call by mail, and the mail carries no resident's data."""

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


@pytest.mark.urls("tests.error_report_urls")
def test_a_server_error_is_mailed_to_admins_without_answers_cookies_or_codes(client, settings):
    settings.DEBUG = False
    settings.ADMINS = ["oncall@example.org"]
    client.raise_request_exception = False
    client.cookies["sessionid"] = "session-secret-value"

    response = client.post(
        "/r/ABCD2345WXYZ/?lang=en&name=Zhang",
        {"birth_date": "1950-03-02", "monthly_income": "3456"},
    )

    assert response.status_code == 500
    assert len(mail.outbox) == 1
    report = mail.outbox[0]
    assert report.to == ["oncall@example.org"]
    assert "RuntimeError" in report.body and "the sheet could not be read" in report.body
    assert "/r/[code]/" in str(report.subject) + str(report.body)
    for private in ("ABCD2345WXYZ", "1950-03-02", "3456", "session-secret-value", "Zhang"):
        assert private not in str(report.subject)
        assert private not in str(report.body)


@pytest.mark.urls("tests.error_report_urls")
def test_no_error_mail_while_debugging(client, settings):
    settings.DEBUG = True
    settings.ADMINS = ["oncall@example.org"]
    client.raise_request_exception = False
    client.get("/r/ABCD2345WXYZ/")
    assert mail.outbox == []
