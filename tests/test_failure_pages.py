"""Failure pages a resident or staff member may meet: each in their language, with its status,
one heading and a way back; a refused form explains itself; bad bytes are a 400, never a 5xx."""

import re
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from config.errors import server_error

pytestmark = pytest.mark.django_db


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def headings(response) -> list[str]:
    return re.findall(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)


def test_page_not_found_in_chinese_and_english_with_a_link_to_the_start(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert headings(response) == ["找不到页面"]
    assert 'href="/"' in response.content.decode()
    response = english(client).get("/no-such-page/")
    assert response.status_code == 404 and headings(response) == ["Page not found"]


def test_unknown_saved_sheet_is_the_friendly_404(client):
    response = client.get("/r/NOSUCHCD/")
    assert response.status_code == 404
    assert headings(response) == ["找不到页面"]


def test_go_back_links_to_the_page_the_resident_came_from_on_this_site(client):
    response = client.get("/nope/", HTTP_REFERER="http://testserver/programmes/")
    assert 'href="http://testserver/programmes/"' in response.content.decode()
    elsewhere = client.get("/nope/", HTTP_REFERER="https://evil.example/")
    assert "evil.example" not in elsewhere.content.decode()


def test_server_error_page_in_both_languages_without_the_database(client):
    client.raise_request_exception = False
    with mock.patch("eligibility.views.search_documents", side_effect=RuntimeError("bug")):
        response = client.get("/library/")
        assert response.status_code == 500
        assert headings(response) == ["我们这边出了问题"]
        assert 'href="/"' in response.content.decode()
        response = english(client).get("/library/")
        assert headings(response) == ["Something went wrong on our side"]


def test_the_500_page_renders_with_the_database_down():
    request = RequestFactory().get("/library/")
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = server_error(request)
    assert response.status_code == 500
    assert "您的回答不会丢失" in response.content.decode()


def test_permission_denied_page(client, settings):
    from django.core.exceptions import PermissionDenied

    client.raise_request_exception = False
    with mock.patch("eligibility.views.search_documents", side_effect=PermissionDenied):
        response = english(client).get("/library/")
    assert response.status_code == 403
    assert headings(response) == ["You cannot open this page"]


def test_a_form_refused_by_the_csrf_check_gets_the_friendly_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/check/", {"page": ["hukou"], "hukou": "beijing"})
    assert response.status_code == 403
    assert headings(response) == ["表单已过期"]
    assert "CSRF verification failed" not in response.content.decode()
    response = english(client).post("/check/", {"page": ["hukou"], "hukou": "beijing"})
    assert headings(response) == ["The form had expired"]
    assert 'href="/"' in response.content.decode()


def test_an_htmx_form_refused_by_the_csrf_check_reloads_with_a_message():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/check/", {"page": ["hukou"], "hukou": "beijing"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    assert response["HX-Refresh"] == "true"
    assert "<html" not in response.content.decode()  # a fragment, not a page
    reloaded = client.get("/check/")
    assert "请重新回答这个问题" in reloaded.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/library/?q=%E4%BD%8E%00", "/library/?q=%FF%FE", "/library/a%00b/", "/r/AB%FFCD/"],
)
def test_nul_or_invalid_utf8_in_the_address_is_a_400_page(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert headings(response) == ["无法读取这个请求"]


def test_nul_in_a_form_field_is_a_400_page_in_english_too(client):
    response = english(client).post("/check/", {"page": ["hukou"], "hukou": "beijing\x00"})
    assert response.status_code == 400
    assert headings(response) == ["The request could not be read"]
    assert "your browser keeps what you typed" in response.content.decode()


def test_invalid_utf8_in_a_form_body_is_a_400(client):
    response = client.post(
        "/check/", b"page=hukou&hukou=\xff\xfe", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


def test_nul_in_a_staff_form_is_a_400_and_changes_nothing(admin_client):
    from benefits.models import Programme

    programme = Programme.objects.get(slug="key-group-skills-subsidy")
    url = f"/admin/benefits/programme/{programme.pk}/change/"
    response = admin_client.post(url, {"name_zh": "改\x00名"})
    assert response.status_code == 400
    programme.refresh_from_db()
    assert programme.name_zh != "改\x00名"


def test_the_api_keeps_its_contract_for_nul_and_undecodable_bytes(client):
    nul = client.post(
        "/api/v1/screen", {"answers": {"hukou": "beijing\x00"}}, content_type="application/json"
    )
    assert nul.status_code == 422 and nul.json()["errors"][0]["field"] == "answers.hukou"
    query = client.get("/api/v1/documents?q=a%00")
    assert query.status_code == 422 and query.json()["errors"][0]["field"] == "q"
    assert client.get("/api/v1/documents?q=%FF").status_code == 200
    assert client.get("/api/v1/sheets/AB%00CD").status_code == 404


def test_too_many_requests_page_keeps_its_way_back(client, settings):
    settings.RATELIMIT_SCREEN = "1/h"
    client.post("/check/", {"page": ["hukou"], "hukou": "beijing"})
    response = client.post("/check/", {"page": ["hukou"], "hukou": "beijing"})
    assert response.status_code == 429
    assert headings(response) == ["请求过于频繁"]
    assert 'href="/check/"' in response.content.decode()
