"""Resident pages: start, questionnaire, check your answers, results, print sheet, library.

Views are thin: the questionnaire state lives in `eligibility.questionnaire`, outcomes come from
the engine, and page data from the selectors in `eligibility.results` and `benefits.selectors`:
all from the latest publication, never from the draft staff are editing.
Every page works without JavaScript (POST, redirect, GET); with htmx the question panel and the
side panel are swapped in place.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails
from django_ratelimit.decorators import ratelimit

from benefits.models import Status
from benefits.selectors import document_by_number, search_documents
from benefits.shapes import record_known_shape
from benefits.snapshot import get_catalogue
from eligibility import sheet_pdfs, sheets
from eligibility.cards import results_page
from eligibility.formatting import active_lang
from eligibility.forms import QuestionPageForm, initial_values
from eligibility.household_session import HouseholdSession
from eligibility.models import SavedResult
from eligibility.pagecache import cached_page, page_key
from eligibility.questionnaire import Questionnaire
from eligibility.results import based_on, group_results
from eligibility.sheet_page import answer_text, sheet_document
from eligibility.stats import (
    daily_totals,
    flush_counts,
    outcomes_by_programme,
    record_screening,
)
from eligibility.throttling import (
    client_address,
    count_code_miss,
    count_pdf_render,
    may_render_pdf,
    refuse_code_guessing,
    screening_rate,
)
from rules.clauses import text_lines

ELDERLY_COOKIE = "elderly_mode"
TOO_MANY_ANSWERS = _(
    "Your answers are too long to keep. Please shorten them, or start again from the first page."
)
# Pages that show a resident's answers or results: no browser or proxy may keep a copy (a
# shared computer at a service window, a back button after the resident left).
private_page = cache_control(no_store=True, private=True)


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it: `htmx` is truthy when htmx sent it."""

    htmx: HtmxDetails


def elderly_mode(request: HttpRequest) -> bool:
    """Whether the resident turned on large text (适老化)."""
    return request.COOKIES.get(ELDERLY_COOKIE) == "1"


def lang_of(request: HttpRequest) -> str:
    return active_lang()


def start(request: HttpRequest) -> HttpResponse:
    catalogue = get_catalogue()
    questionnaire = Questionnaire(request.session, catalogue)
    return render(
        request,
        "eligibility/start.html",
        {
            "programme_count": len(catalogue.programmes),
            "in_progress": bool(questionnaire.raw),
            "code_error": request.GET.get("code_error") == "1",
        },
    )


@require_http_methods(["GET"])
def open_code(request: HttpRequest) -> HttpResponse:
    """The start page's box: a reference code typed (any case, dashes or not) reopens its sheet;
    an unknown one says so on the start page, and counts towards the client's misses."""
    refuse_code_guessing(request)
    found = sheets.find_sheet(request.GET.get("code", "")[:64])
    if found is None:
        count_code_miss(request)
        return redirect(f"{reverse('eligibility:start')}?code_error=1#open-sheet")
    return redirect("eligibility:saved", code=found.code)


@require_POST
def restart(request: HttpRequest) -> HttpResponse:
    Questionnaire(request.session, get_catalogue()).reset()
    return redirect("eligibility:question")


def _page_keys(request: HttpRequest, questionnaire: Questionnaire, screening) -> list[str]:
    requested = [key for key in request.GET.getlist("q") if key in questionnaire.catalogue.facts]
    requested = [k for k in requested if questionnaire.catalogue.facts[k].derived is None]
    return requested or questionnaire.next_page(screening)


@require_http_methods(["GET", "POST"])
@ratelimit(key=client_address, rate=screening_rate, method="POST", block=True)
@private_page
def question(request: HtmxHttpRequest) -> HttpResponse:
    catalogue = get_catalogue()
    lang = lang_of(request)
    questionnaire = Questionnaire(request.session, catalogue)
    today = timezone.localdate()
    if request.method == "POST":  # screened once the answers are recorded, not before
        keys = [k for k in request.POST.getlist("page") if k in catalogue.facts]
    else:
        screening = questionnaire.screen(today)
        keys = _page_keys(request, questionnaire, screening)
    if not keys:
        return redirect("eligibility:answers")
    specs = [catalogue.facts[key] for key in keys]
    if request.method == "POST":
        form = QuestionPageForm(specs, catalogue, lang, request.POST, as_of=today)
        if form.is_valid() and questionnaire.record(keys, form.answers, form.skipped):
            screening = questionnaire.screen(today)
            keys = questionnaire.next_page(screening)
            if not request.htmx:  # each page its own address: Back shows the page before
                return redirect(page_url(keys) if keys else reverse("eligibility:answers"))
            if not keys:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("eligibility:answers")
                return response
            specs = [catalogue.facts[key] for key in keys]
            form = QuestionPageForm(
                specs, catalogue, lang, initial=initial_values(specs, questionnaire.raw)
            )
        else:
            if not form.errors:
                form.add_error(None, TOO_MANY_ANSWERS)
            screening = questionnaire.screen(today)
    else:
        form = QuestionPageForm(
            specs, catalogue, lang, initial=initial_values(specs, questionnaire.raw)
        )
    context = {
        "form": form,
        "form_cache_key": _form_cache_key(catalogue, keys, form),
        "keys": keys,
        "previous": questionnaire.previous_page(keys),
        "progress": questionnaire.progress(screening, keys),
        "groups": group_results(screening),
        "change": bool(request.GET.getlist("q")),
        "page_url": page_url(keys),
        # Back shows a skipped question as skipped, and a refused page keeps the boxes ticked
        "skipped": form.skipped if form.is_bound else questionnaire.skipped,
    }
    # Back and Forward ask the server for the whole page again (htmx keeps no stale copy).
    swap = request.htmx and not request.htmx.history_restore_request
    template = "eligibility/_question_panel.html" if swap else "eligibility/question.html"
    response = render(request, template, context)
    if swap and request.method == "POST":
        response["HX-Push-Url"] = page_url(keys)
    return response


def page_url(keys: list[str]) -> str:
    """The address of a page of questions: Back, Forward and reload show that page again, with
    the answers already given."""
    query = "&".join(f"q={key}" for key in keys)
    return f"{reverse('eligibility:question')}?{query}"


def _form_cache_key(catalogue, keys: list[str], form: QuestionPageForm) -> str:
    """An unanswered-or-prefilled page renders the same for everyone: cache its fields."""
    initial = json.dumps(form.initial, sort_keys=True, ensure_ascii=False, default=str)
    parts = [catalogue.version, get_language() or "", ",".join(keys), initial]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


@private_page
def answers(request: HttpRequest) -> HttpResponse:
    catalogue = get_catalogue()
    lang = lang_of(request)
    questionnaire = Questionnaire(request.session, catalogue)
    screening = questionnaire.screen(timezone.localdate())
    rows = [
        (catalogue.facts[key], answer_text(catalogue.facts[key], value, lang))
        for key, value in sorted(
            questionnaire.raw.items(), key=lambda item: catalogue.facts[item[0]].order
        )
    ]
    skipped = [
        catalogue.facts[key] for key in sorted(questionnaire.skipped) if key in catalogue.facts
    ]
    return render(
        request,
        "eligibility/answers.html",
        {
            "rows": rows,
            "skipped": skipped,
            "open_questions": bool(questionnaire.next_page(screening)),
            "groups": group_results(screening),
        },
    )


@private_page
def results(request: HttpRequest) -> HttpResponse:
    catalogue = get_catalogue()
    questionnaire = Questionnaire(request.session, catalogue)
    as_of = timezone.localdate()
    screening = questionnaire.screen(as_of)
    record_screening(screening, as_of)
    record_known_shape(questionnaire.shape(as_of))
    # Everything the page shows follows from these: residents who answered alike share it.
    key = page_key(
        "results",
        catalogue.version,
        as_of.isoformat(),
        get_language() or "",
        str(elderly_mode(request)),  # the same `elderly` as results_page's below
        request.get_full_path(),
        questionnaire.answers_key,
    )
    elderly = elderly_mode(request)
    return cached_page(
        request, key, lambda hole: results_page(request, catalogue, screening, hole, elderly)
    )


@require_POST
@ratelimit(key=client_address, rate=screening_rate, method="POST", block=True)
def save_result(request: HttpRequest) -> HttpResponse:
    catalogue = get_catalogue()
    questionnaire = Questionnaire(request.session, catalogue)
    screening = questionnaire.screen(timezone.localdate())
    saved = sheets.save_sheet(catalogue, screening, questionnaire.raw, lang_of(request))
    _queue_pdf(request, saved)
    return redirect("eligibility:saved", code=saved.code)


def _queue_pdf(request: HttpRequest, saved: SavedResult) -> None:
    """A resident who saves a sheet usually prints it next: have the worker render it now.
    (Past the client's render limit, it is rendered when first asked for.)"""
    if may_render_pdf(request):
        sheet_pdfs.queue_pdf(saved, request.build_absolute_uri("/"))


def _saved(request: HttpRequest, code: str) -> SavedResult:
    """The sheet with this code; unknown codes count towards the client's limit of misses."""
    refuse_code_guessing(request)
    saved = sheets.find_sheet(code)
    if saved is None:
        count_code_miss(request)
        raise Http404
    return saved


def _appendix(request: HttpRequest) -> bool:
    """The sheet fits on two pages; the reasons and clause texts follow only when asked for."""
    return request.GET.get("clauses") == "1"


@private_page
def saved(request: HttpRequest, code: str) -> HttpResponse:
    saved_result = _saved(request, code)
    url = request.build_absolute_uri(reverse("eligibility:saved", args=[saved_result.code]))
    template, context = sheet_document(saved_result, url, _appendix(request))
    helper = request.session.get("household_last_mode") == "helper"
    return render(request, template, {**context, "helper": helper})


PDF_PENDING_REFRESH = 3  # seconds between the waiting page's reloads


@private_page
def saved_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The stored PDF; a page that reloads itself while the worker renders it."""
    saved_result = _saved(request, code)
    origin = request.build_absolute_uri("/")
    appendix = _appendix(request)
    stored = sheet_pdfs.stored_pdf(saved_result, appendix)
    if stored is None:
        count_pdf_render(request)
        stored = sheet_pdfs.queue_pdf(saved_result, origin, appendix)
    elif stored.content is None and sheet_pdfs.overdue(stored):
        count_pdf_render(request)
        stored = sheet_pdfs.render_now(stored, origin)
    if stored.content is None:
        context = {"saved": saved_result, "refresh": PDF_PENDING_REFRESH}
        response = render(request, "eligibility/pdf_pending.html", context, status=202)
        response["Retry-After"] = str(PDF_PENDING_REFRESH)
        return response
    response = HttpResponse(bytes(stored.content), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{saved_result.code}.pdf"'
    return response


@require_POST
@ratelimit(key=client_address, rate=screening_rate, method="POST", block=True)
def rescreen_saved(request: HttpRequest, code: str) -> HttpResponse:
    """A new sheet from a sheet's answers under today's rules; the old sheet stays as it was."""
    fresh = sheets.rescreen_sheet(_saved(request, code), lang_of(request))
    _queue_pdf(request, fresh)
    return redirect("eligibility:saved", code=fresh.code)


@require_POST
def change_saved_answers(request: HttpRequest, code: str) -> HttpResponse:
    """Start the questionnaire again from a sheet's answers (replacing any in this session)."""
    saved_result = _saved(request, code)
    if saved_result.members:
        state = HouseholdSession(request.session, get_catalogue())
        state.start_from(saved_result.answers, saved_result.members)
        return redirect("eligibility:household_members")
    Questionnaire(request.session, get_catalogue()).start_from(saved_result.answers)
    return redirect("eligibility:answers")


def programmes(request: HttpRequest) -> HttpResponse:
    catalogue = get_catalogue()
    today = timezone.localdate()
    return render(
        request,
        "eligibility/programmes.html",
        {
            "programmes": catalogue.programmes_on(today),
            "today": today,
        },
    )


def programme(request: HttpRequest, slug: str) -> HttpResponse:
    catalogue = get_catalogue()
    today = timezone.localdate()
    found = catalogue.programme(slug, today)  # texts and figures as in force today
    if found is None:
        raise Http404
    tables = set(found.tables) | {rule.table for rule in found.amounts if rule.table}
    return render(
        request,
        "eligibility/programme.html",
        {
            "programme": found,
            "active": found.active_on(today),
            # rows in force today, and rows that start later (next year's standard)
            "tables": [(slug, catalogue.rows_from(slug, today)) for slug in sorted(tables)],
            "today": today,
            "conflict_names": {p.slug: p.name for p in catalogue.programmes},
        },
    )


def library(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "eligibility/library.html",
        {
            "documents": search_documents(query),
            "query": query,
        },
    )


def document(request: HttpRequest, number: str) -> HttpResponse:
    found = document_by_number(number)
    if found is None:
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "eligibility/document.html",
        {
            "document": found,
            "programmes": based_on(get_catalogue(), found, today),
            "lines": text_lines(found.full_text),
        },
    )


@require_POST
def toggle_elderly_mode(request: HttpRequest) -> HttpResponse:
    """Larger text, stronger contrast, bigger targets; remembered in a cookie for a year."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    if elderly_mode(request):
        response.delete_cookie(ELDERLY_COOKIE, samesite="Lax")
    else:
        response.set_cookie(
            ELDERLY_COOKIE,
            "1",
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,  # HTTPS only in production, as the session
            httponly=True,
        )
    return response


@staff_member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Screenings per day and outcomes per programme, from anonymous counts only."""
    flush_counts()  # this process's latest counts first
    today = timezone.localdate()
    days = 30
    catalogue = get_catalogue()
    return render(
        request,
        "admin/dashboard.html",
        {
            **admin.site.each_context(request),
            "title": _("Screening dashboard"),
            "days": days,
            "totals": daily_totals(days, today),
            "outcomes": outcomes_by_programme(days, today),
            "names": {p.slug: p.name for p in catalogue.programmes},
            "statuses": Status.choices,  # (code, label): columns named in the staff's language
        },
    )
