"""JSON screening API v1 — the public contract in shared/api/screening-v1.md.

The request body of `/screen` is read by hand (`eligibility.api_common`) so that every bad field
is reported in the contract's shape and the resident's language; the results' JSON is shaped by
`eligibility.results_json`, shared with the saved sheets (`eligibility.api_sheets`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError as NinjaValidationError

from benefits.selectors import document_by_number, search_documents
from benefits.snapshot import get_catalogue
from eligibility.api_common import ERROR_TEXT, SCREEN_REQUEST_SCHEMA, ErrorOut, parse_screen_request
from eligibility.api_common import error_response as _error
from eligibility.api_common import request_lang as _lang_of
from eligibility.api_sheets import router as sheets_router
from eligibility.results_json import ResultOut, money, screening_json
from eligibility.stats import record_screening
from eligibility.throttling import client_address, rate_limited, screening_rate
from rules import engine
from rules.catalogue import Catalogue, FactSpec, Programme, Text

api = NinjaAPI(
    title="Beijing Benefits Finder screening API",
    version="1",
    description=(
        "Screen a resident's answers against every programme in the Beijing municipal "
        "benefits catalogue. Keys and slugs are stable: they never change meaning."
    ),
    urls_namespace="api-v1",
    # Swagger UI adds its own style elements; only the docs page may use inline styles.
    docs_decorator=csp_override(
        {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}
    ),
)


class ScreenOut(Schema):
    as_of: str
    results: list[ResultOut]
    next_questions: list[str]


@api.post(
    "/screen",
    response={200: ScreenOut, 413: ErrorOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    openapi_extra={"requestBody": SCREEN_REQUEST_SCHEMA},
    summary="Screen answers against every programme",
)
@ratelimit(key=client_address, rate=screening_rate, method="POST", block=True)
def screen(request: HttpRequest) -> HttpResponse:
    parsed = parse_screen_request(request)
    if isinstance(parsed, HttpResponse):
        return parsed
    screening = engine.screen(parsed.catalogue, parsed.answers, parsed.as_of)
    record_screening(screening, timezone.localdate())
    return JsonResponse(
        screening_json(screening, parsed.lang), json_dumps_params={"ensure_ascii": False}
    )


@api.get("/facts", summary="Every fact key with its type, allowed values and question")
def facts(request: HttpRequest) -> HttpResponse:
    catalogue = get_catalogue()
    return JsonResponse(
        {"facts": [_fact_json(spec) for spec in catalogue.facts.values()]},
        json_dumps_params={"ensure_ascii": False},
    )


def _both(text: Text) -> dict[str, str]:
    return {"zh": text.zh, "en": text.en}


def _fact_json(spec: FactSpec) -> dict[str, Any]:
    return {
        "key": spec.key,
        "type": spec.type,
        "values": list(spec.values),
        "labels": {value: _both(label) for value, label in spec.labels.items()},
        "min": money(spec.min_value),
        "max": money(spec.max_value),
        "question": _both(spec.question),
        "help": _both(spec.help),
        "derived": spec.derived.source if spec.derived else None,
        "ask_if": spec.ask_if.source if spec.ask_if else None,
        "depends_on": sorted(spec.ask_if.names) if spec.ask_if else [],
    }


@api.get("/programmes", summary="The catalogue: every programme with its period and source")
def programmes(request: HttpRequest) -> HttpResponse:
    lang = _lang_of(request)
    catalogue = get_catalogue()
    today = timezone.localdate()
    return JsonResponse(
        {"programmes": [_programme_summary(p, lang, today) for p in catalogue.programmes]},
        json_dumps_params={"ensure_ascii": False},
    )


def _programme_summary(programme: Programme, lang: str, today) -> dict[str, Any]:
    return {
        "slug": programme.slug,
        "name": programme.name.get(lang),
        "names": _both(programme.name),
        "summary": programme.summary.get(lang),
        "category": programme.category,
        "audience": programme.audience,
        "period": {
            "start": programme.period_start.isoformat() if programme.period_start else None,
            "end": programme.period_end.isoformat() if programme.period_end else None,
            "clause": programme.period_clause,
            "active_today": programme.active_on(today),
        },
        "source": {
            "document": programme.document.number,
            "title": programme.document.title.get(lang),
        },
        "url": f"/programmes/{programme.slug}/",
    }


@api.get("/programmes/{slug}", summary="One programme with requirements, amounts, how to apply")
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    lang = _lang_of(request)
    catalogue = get_catalogue()
    programme = catalogue.programme(slug)
    if programme is None:
        return _error(404, [("slug", ERROR_TEXT["not_found"][lang])])
    data = _programme_summary(programme, lang, timezone.localdate())
    data.update(_programme_details(programme, catalogue, lang))
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _programme_details(programme: Programme, catalogue: Catalogue, lang: str) -> dict[str, Any]:
    def condition_json(condition) -> dict[str, Any]:
        value = condition.value
        if isinstance(value, frozenset | tuple):
            value = sorted(value, key=str)
        return {"fact": condition.fact, "op": condition.operator, "value": _plain(value)}

    table_slugs = {rule.table for rule in programme.amounts if rule.table}
    return {
        "office": programme.office.get(lang),
        "decisions": [d.get(lang) for d in programme.decisions],
        "requirements": [
            {
                "clause": r.clause,
                "kind": r.kind,
                "description": r.description.get(lang),
                "text": r.text,
                "note": r.note.get(lang) or None,
                "alternatives": [[condition_json(c) for c in alt] for alt in r.alternatives],
            }
            for r in programme.requirements
        ],
        "amounts": [
            {
                "kind": a.kind,
                "period": a.period,
                "clause": a.clause,
                "note": a.note.get(lang),
                "when": a.when.source if a.when else None,
                "value": money(a.value),
                "rate": money(a.rate),
                "base": a.base or None,
                "cap": money(a.cap),
                "table": a.table or None,
                "table_keys": list(a.table_keys),
                "formula": a.formula.source if a.formula else None,
            }
            for a in programme.amounts
        ],
        "tables": {
            slug: [
                {"keys": list(keys), "value": _plain(value)}
                for keys, value in catalogue.tables.get(slug, {}).items()
            ]
            for slug in sorted(table_slugs)
        },
        "conflicts": [
            {"programme": c.other, "clause": c.clause, "note": c.note.get(lang)}
            for c in programme.conflicts
        ],
        "how_to_apply": {
            "clause": programme.apply_clause,
            "channels": [
                {"kind": c.kind, "name": c.name.get(lang), "url": c.url or None}
                for c in programme.channels
            ],
            "agent": programme.agent.get(lang) or None,
            "materials": [m.get(lang) for m in programme.materials],
            "steps": [s.get(lang) for s in programme.steps],
            "deadlines": [
                {
                    "description": d.description.get(lang),
                    "clause": d.clause,
                    "date": d.date.isoformat() if d.date else None,
                    "relative_to": d.relative_to or None,
                    "months": d.months,
                }
                for d in programme.deadlines
            ],
            "processing": programme.processing.get(lang) or None,
            "payment": programme.payment.get(lang) or None,
        },
        "cites": [{"document": d.number, "title": d.title.get(lang)} for d in programme.cites],
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


api.add_router("/sheets", sheets_router)


@api.exception_handler(Ratelimited)
def too_many_requests(request: HttpRequest, exc: Ratelimited) -> HttpResponse:
    with translation.override("en" if _lang_of(request) == "en" else "zh-hans"):
        return rate_limited(request, exc)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    lang = _lang_of(request)
    return _error(
        422,
        [(".".join(str(p) for p in e.get("loc", [])), e.get("msg", "")) for e in exc.errors]
        or [("body", ERROR_TEXT["json"][lang])],
    )


@api.get("/documents", summary="The policy library: every gazette document, searchable with q")
def documents(request: HttpRequest, q: str = "") -> HttpResponse:
    lang = _lang_of(request)
    if len(q) > 100:
        return _error(422, [("q", ERROR_TEXT["query"][lang])])
    return JsonResponse(
        {"documents": [_document_json(d, lang) for d in search_documents(q)]},
        json_dumps_params={"ensure_ascii": False},
    )


@api.get("/documents/{number}", summary="One gazette document with its full text")
def document_detail(request: HttpRequest, number: str) -> HttpResponse:
    lang = _lang_of(request)
    document = document_by_number(number)
    if document is None:
        return _error(404, [("number", ERROR_TEXT["no_document"][lang])])
    data = _document_json(document, lang)
    data["full_text"] = document.full_text
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _document_json(document, lang: str) -> dict[str, Any]:
    def iso(day):
        return day.isoformat() if day else None

    return {
        "number": document.number,
        "title": document.title_zh if lang == "zh" else document.title_en,
        "titles": {"zh": document.title_zh, "en": document.title_en},
        "issuers": document.issuers,
        "issue_date": iso(document.issue_date),
        "effective_date": iso(document.effective_date),
        "end_date": iso(document.end_date),
        "repeals": document.repeals,
        "gazette": document.gazette,
        "summary": document.summary_zh if lang == "zh" else document.summary_en,
        "programmes": sorted(
            {p.slug for p in document.programmes.all()} | {p.slug for p in document.cited_by.all()}
        ),
    }
