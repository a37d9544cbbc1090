"""A saved sheet's PDF: rendered once, off the web workers, then served as stored.

Rendering costs about half a second of CPU and grows a process by ~200 MB (WeasyPrint), so a
web worker never does it on every request: the render is a task (Django's tasks framework, run
by `manage.py db_worker`) queued when a resident saves a sheet or first asks for its PDF, and
the bytes are kept (`SheetPdf`). A sheet never changes, but its PDF is in the reader's language
and notes rules published since, so one is kept per sheet, language and publication in force
(and with or without the appendix of reasons and clause texts).
While the PDF is queued the resident sees a page that reloads itself; a PDF still queued after
`PDF_INLINE_AFTER_SECONDS` while no worker is running is rendered by the request that asks for
it, so nobody waits for ever, and each client's renders are limited (`throttling`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import TaskResultStatus, task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from benefits import snapshot
from eligibility import pdf
from eligibility.models import SavedResult, SheetPdf
from eligibility.sheet_page import sheet_document


def rules_in_force() -> str:
    """The latest publication's id: a later one adds a note to the sheet, so a new PDF."""
    latest = snapshot.latest_publication()
    return "" if latest is None else str(latest.id)


def reader_language() -> str:
    """The active Django language (zh-hans, en): the PDF's language."""
    return translation.get_language() or settings.LANGUAGE_CODE


def stored_pdf(saved: SavedResult, appendix: bool = False) -> SheetPdf | None:
    """The sheet's PDF in the reader's language under the rules in force, rendered or queued."""
    version = {"lang": reader_language(), "rules": rules_in_force(), "appendix": appendix}
    return SheetPdf.objects.filter(sheet=saved, **version).first()


def queue_pdf(saved: SavedResult, origin: str, appendix: bool = False) -> SheetPdf:
    """Ask the task worker to render the sheet's PDF in the reader's language (at once with
    the immediate backend). `origin` (e.g. https://example.org/) makes the QR code's address."""
    version = {"lang": reader_language(), "rules": rules_in_force(), "appendix": appendix}
    try:
        with transaction.atomic():
            queued = SheetPdf.objects.create(sheet=saved, **version)
    except IntegrityError:  # another request queued it first
        return SheetPdf.objects.get(sheet=saved, **version)
    render_sheet_pdf.enqueue(queued.pk, origin)
    queued.refresh_from_db()
    return queued


def overdue(queued: SheetPdf) -> bool:
    """Queued for `PDF_INLINE_AFTER_SECONDS` while no worker started or finished any task:
    no worker is running, so the request renders it. A busy worker (a long queue after a burst)
    is waited for: rendering in web workers is what the queue is there to prevent."""
    since = timezone.now() - dt.timedelta(seconds=settings.PDF_INLINE_AFTER_SECONDS)
    return queued.requested_at < since and not workers_active_since(since)


# A render still running after this long is taken for a worker that died mid-render.
RENDER_GIVEN_UP_SECONDS = 120


def workers_active_since(since: dt.datetime) -> bool:
    """Whether a task worker has started or finished a task since then, or is still on one it
    started in the last two minutes (a slow render on a loaded machine is waited for)."""
    if not isinstance(render_sheet_pdf.get_backend(), DatabaseBackend):
        return False  # no queue to ask (the immediate backend renders before anyone waits)
    alive = timezone.now() - dt.timedelta(seconds=RENDER_GIVEN_UP_SECONDS)
    running = Q(status=TaskResultStatus.RUNNING, started_at__gte=alive)
    recent = Q(started_at__gte=since) | Q(finished_at__gte=since) | running
    return DBTaskResult.objects.filter(recent).exists()


def render_now(queued: SheetPdf, origin: str) -> SheetPdf:
    """Render a queued PDF in this process (no task worker is running) and store it."""
    _render_and_store(queued, origin)
    queued.refresh_from_db()
    return queued


@task()
def render_sheet_pdf(pdf_id: int, origin: str) -> None:
    """The worker's task: render a queued PDF unless it was rendered (or deleted) meanwhile."""
    snapshot.refresh()  # a long-running worker follows publications as web workers do
    queued = SheetPdf.objects.filter(pk=pdf_id, content__isnull=True).first()
    if queued is not None:
        _render_and_store(queued, origin)


def _render_and_store(queued: SheetPdf, origin: str) -> None:
    saved = SavedResult.objects.select_related("publication").get(pk=queued.sheet_id)
    with translation.override(queued.lang):
        content = render_sheet(saved, origin, queued.appendix)
    SheetPdf.objects.filter(pk=queued.pk).update(content=content, rendered_at=timezone.now())
    # Versions for earlier rules are never asked for again.
    earlier = SheetPdf.objects.filter(sheet=saved, lang=queued.lang, appendix=queued.appendix)
    earlier.exclude(pk=queued.pk).delete()


def render_sheet(saved: SavedResult, origin: str, appendix: bool = False) -> bytes:
    """The sheet as PDF in the active language, without a request (the worker has none); the
    reasons and clause texts follow in an appendix only when asked for."""
    url = origin.rstrip("/") + reverse("eligibility:saved", args=[saved.code])
    template, context = sheet_document(saved, url, appendix)
    html = render_to_string(template, {**context, "pdf": True})
    return pdf.html_to_pdf(html, base_url=origin)
