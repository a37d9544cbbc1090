"""A saved sheet's PDF is rendered once, by the task worker, and served from storage afterwards;
while it is queued the resident is told to wait and the page reloads; a PDF the worker does not
render in time is rendered by the request; renders are limited per client."""

import datetime as dt
import json
import logging
import re
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.tasks import task_backends
from django.test import Client
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from eligibility import pdf, sheets
from eligibility.models import SavedResult, SheetPdf
from tests.personas import B5_RESIDENT, SENIOR_AT_HOME

pytestmark = pytest.mark.django_db
A = "203.0.113.7"
B = "198.51.100.9"


def save_from_results_page(client, answers=SENIOR_AT_HOME) -> str:
    session = client.session
    session["questionnaire"] = {"answers": answers, "skipped": [], "history": []}
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client.post("/results/save/").url.split("/")[2]


def save_via_api(client, answers=SENIOR_AT_HOME) -> str:
    body = {"answers": answers, "as_of": "2026-06-01"}
    response = client.post("/api/v1/sheets", json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    return response.json()["code"]


@pytest.fixture
def renders(monkeypatch):
    """Count PDF renders (each still real, so the bytes are a real PDF)."""
    calls = []
    real = pdf.html_to_pdf

    def counting(html, base_url):
        calls.append(base_url)
        return real(html, base_url)

    monkeypatch.setattr(pdf, "html_to_pdf", counting)
    return calls


@pytest.fixture
def fake_renders(monkeypatch):
    """Renders that cost nothing: for tests about how often, not what."""
    calls = []

    def fake(html, base_url):
        calls.append(html)
        return b"%PDF-1.7 " + str(len(calls)).encode()

    monkeypatch.setattr(pdf, "html_to_pdf", fake)
    return calls


@pytest.fixture
def worker_queue():
    """Tasks queued in the database, as in production, and no worker running until the test
    runs `db_worker` itself."""
    immediate = task_backends["default"]
    task_backends["default"] = DatabaseBackend(alias="default", params={"QUEUES": ["default"]})
    yield
    task_backends["default"] = immediate


def run_worker():
    # db_worker closes "old" connections around each task; in a test that is the test's own
    # connection inside its transaction (Django's test client skips the same call for that).
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_saving_a_sheet_renders_its_pdf_once_and_every_request_gets_the_stored_pdf(client, renders):
    code = save_from_results_page(client)
    assert len(renders) == 1  # on save, before anyone asks
    stored = SheetPdf.objects.get(sheet__code=code)
    assert stored.lang == "zh-hans" and bytes(stored.content).startswith(b"%PDF")
    for _ in range(3):
        response = client.get(f"/r/{code}/sheet.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content == bytes(stored.content)
    assert len(renders) == 1
    assert renders == ["http://testserver/"]  # the QR code opens the sheet on this site


def test_an_api_sheet_is_rendered_at_its_first_pdf_request_then_served_as_stored(client, renders):
    code = save_via_api(client)
    assert renders == [] and not SheetPdf.objects.exists()
    first = client.get(f"/r/{code}/sheet.pdf")
    second = client.get(f"/r/{code}/sheet.pdf")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and len(renders) == 1


def test_an_english_reader_gets_an_english_pdf_of_the_same_sheet(client, fake_renders):
    code = save_from_results_page(client)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.get(f"/r/{code}/sheet.pdf")
    assert sorted(SheetPdf.objects.values_list("lang", flat=True)) == ["en", "zh-hans"]
    assert "Beijing benefits result sheet" in fake_renders[-1]
    assert "北京惠民政策查询结果单" in fake_renders[0]


def test_a_later_publication_renders_the_pdf_once_more_with_its_note(
    client, fake_renders, publish_b5
):
    code = save_via_api(client, B5_RESIDENT)
    client.get(f"/r/{code}/sheet.pdf")
    publish_b5(1100)
    for _ in range(2):
        assert client.get(f"/r/{code}/sheet.pdf").status_code == 200
    assert len(fake_renders) == 2
    assert "规则已于" not in fake_renders[0] and "规则已于" in fake_renders[1]
    assert SheetPdf.objects.filter(sheet__code=code).count() == 1  # the old version is gone


def test_without_a_worker_the_pdf_link_says_please_wait_and_reloads_until_it_is_ready(
    client, worker_queue, renders
):
    code = save_from_results_page(client)
    assert renders == []  # queued, not rendered by the web request
    waiting = client.get(f"/r/{code}/sheet.pdf")
    assert waiting.status_code == 202
    page = waiting.content.decode()
    assert "正在生成，请稍候" in page
    assert re.search(r'<meta http-equiv="refresh" content="\d+">', page)  # no script needed
    assert f'href="/r/{code}/sheet.pdf"' in page  # and a link, for browsers that do not reload
    assert waiting["Retry-After"] == "3"
    assert "no-store" in waiting["Cache-Control"]
    assert renders == []

    run_worker()

    assert len(renders) == 1
    ready = client.get(f"/r/{code}/sheet.pdf")
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    assert len(renders) == 1


def waited_past_the_limit(code):
    late = timezone.now() - dt.timedelta(seconds=settings.PDF_INLINE_AFTER_SECONDS + 1)
    SheetPdf.objects.filter(sheet__code=code).update(requested_at=late)


def test_with_no_worker_running_a_queued_pdf_is_rendered_by_the_request_in_the_end(
    client, worker_queue, renders
):
    code = save_from_results_page(client)
    assert client.get(f"/r/{code}/sheet.pdf").status_code == 202
    waited_past_the_limit(code)
    response = client.get(f"/r/{code}/sheet.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert len(renders) == 1
    run_worker()  # the worker finds it rendered and does not render it again
    assert len(renders) == 1


def test_a_busy_worker_is_waited_for_rather_than_rendering_in_the_web_worker(
    client, worker_queue, renders
):
    save_from_results_page(client)  # queued first
    second = save_via_api(client)
    client.get(f"/r/{second}/sheet.pdf")  # queued behind it
    waited_past_the_limit(second)
    assert DBTaskResult.objects.count() == 2 and renders == []
    DBTaskResult.objects.order_by("enqueued_at").first().claim("worker-1")  # busy on the first
    assert client.get(f"/r/{second}/sheet.pdf").status_code == 202
    assert renders == []


def worker_busy_since(seconds: int) -> None:
    """The first queued render was claimed by a worker `seconds` ago and is still running."""
    task = DBTaskResult.objects.order_by("enqueued_at").first()
    task.claim("worker-1")
    started = timezone.now() - dt.timedelta(seconds=seconds)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=started)


def test_a_slow_render_still_running_is_waited_for(client, worker_queue, renders):
    code = save_from_results_page(client)
    worker_busy_since(settings.PDF_INLINE_AFTER_SECONDS + 30)  # a loaded machine, a slow render
    waited_past_the_limit(code)
    assert client.get(f"/r/{code}/sheet.pdf").status_code == 202
    assert renders == []


def test_a_render_running_for_minutes_is_taken_for_a_dead_worker(client, worker_queue, renders):
    code = save_from_results_page(client)
    worker_busy_since(10 * 60)
    waited_past_the_limit(code)
    response = client.get(f"/r/{code}/sheet.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert len(renders) == 1


def test_renders_are_limited_per_client_and_stored_pdfs_are_not(fake_renders):
    making = Client(REMOTE_ADDR=B)
    codes = [save_via_api(making) for _ in range(6)]
    client, other = Client(REMOTE_ADDR=A), Client(REMOTE_ADDR=B)
    for code in codes[:5]:
        assert client.get(f"/r/{code}/sheet.pdf").status_code == 200
    refused = client.get(f"/r/{codes[5]}/sheet.pdf")
    assert refused.status_code == 429
    assert "请求过于频繁" in refused.content.decode()
    assert 1 <= int(refused["Retry-After"]) <= 60  # the window is a minute
    assert len(fake_renders) == 5
    assert client.get(f"/r/{codes[0]}/sheet.pdf").status_code == 200  # stored: not a render
    assert other.get(f"/r/{codes[5]}/sheet.pdf").status_code == 200  # another address may


def test_deleting_an_expired_sheet_deletes_its_pdf(client, fake_renders):
    code = save_from_results_page(client)
    assert SheetPdf.objects.filter(sheet__code=code).exists()
    SavedResult.objects.filter(code=code).update(expires_at=timezone.now())
    call_command("purge_expired_results", verbosity=0)
    assert not SavedResult.objects.exists() and not SheetPdf.objects.exists()


def test_a_sheet_that_no_longer_screens_as_saved_is_logged_without_its_code(client, caplog):
    code = save_via_api(client)
    saved = SavedResult.objects.get(code=code)
    saved.results = saved.results[1:]  # as if the engine had changed
    with caplog.at_level(logging.WARNING, logger="eligibility.sheets"):
        sheets.screen_sheet(saved)
    assert [r.getMessage() for r in caplog.records if r.name == "eligibility.sheets"] == [
        f"Saved sheet id={saved.pk} no longer screens as it was saved"
    ]
    assert code not in caplog.text
