"""JSON screening API v1 — the public contract in shared/api/screening-v1.md.

The request body of `/screen` is read by hand rather than by a schema so that every bad field is
reported in the contract's shape (`{"errors": [{"field", "message"}]}`) and the resident's
language; the OpenAPI schema still documents it.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
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
from eligibility.stats import record_screening
from eligibility.throttling import client_address, rate_limited, screening_rate
from rules import engine
from rules.catalogue import Catalogue, FactSpec, Programme, Text
from rules.facts import AnswerInvalid, message, parse_answers, parse_as_of

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

LANGS = ("zh", "en")
ERROR_TEXT = {
    "json": {
        "zh": "请求正文不是有效的 JSON 对象。",
        "en": "The request body is not a valid JSON object.",
    },
    "too_big": {
        "zh": "请求正文不能超过 64 KiB。",
        "en": "The request body must not exceed 64 KiB.",
    },
    "lang": {"zh": "lang 只能是 zh 或 en。", "en": "lang must be zh or en."},
    "field": {"zh": "不认识的字段。", "en": "Unknown field."},
    "not_found": {"zh": "没有这个项目。", "en": "There is no such programme."},
    "no_document": {"zh": "没有这个文件。", "en": "There is no such document."},
    "query": {
        "zh": "搜索词不能超过 100 个字。",
        "en": "The search text must be at most 100 characters.",
    },
}


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    errors: list[ErrorItem]


class AmountOut(Schema):
    value: float | None
    period: str
    currency: str
    note: str


class ReasonOut(Schema):
    requirement: str
    outcome: str
    clause: str


class SourceOut(Schema):
    document: str
    title: str


class ResultOut(Schema):
    programme: str
    name: str
    status: str
    amount: AmountOut | None
    missing: list[str]
    reasons: list[ReasonOut]
    source: SourceOut
    apply_url: str


class ScreenOut(Schema):
    as_of: str
    results: list[ResultOut]
    next_questions: list[str]


SCREEN_REQUEST_SCHEMA = {
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["answers"],
                "properties": {
                    "answers": {
                        "type": "object",
                        "description": "Fact key → answer (see GET /api/v1/facts). A key left "
                        "out means not answered.",
                        "additionalProperties": True,
                    },
                    "as_of": {
                        "type": "string",
                        "format": "date",
                        "description": "Date the rules are applied on (default: today "
                        "in Asia/Shanghai).",
                    },
                    "lang": {"type": "string", "enum": list(LANGS), "default": "zh"},
                },
                "additionalProperties": False,
            },
            "example": {
                "answers": {
                    "birth_date": "1950-03-02",
                    "hukou": "beijing",
                    "capability_level": "severe",
                },
                "as_of": "2026-11-22",
                "lang": "zh",
            },
        }
    },
    "required": True,
}


def _error(status: int, errors: list[tuple[str, str]]) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"field": f, "message": m} for f, m in errors]},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _lang_of(request: HttpRequest, requested: Any = None) -> str:
    if requested in LANGS:
        return requested
    query = request.GET.get("lang")
    return query if query in LANGS else "zh"


def money(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@api.post(
    "/screen",
    response={200: ScreenOut, 413: ErrorOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    openapi_extra={"requestBody": SCREEN_REQUEST_SCHEMA},
    summary="Screen answers against every programme",
)
@ratelimit(key=client_address, rate=screening_rate, method="POST", block=True)
def screen(request: HttpRequest) -> HttpResponse:
    lang = _lang_of(request)
    try:
        body = request.body
    except RequestDataTooBig:
        return _error(413, [("body", ERROR_TEXT["too_big"][lang])])
    try:
        payload = json.loads(body or b"null")
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, or absurdly deep nesting
        return _error(422, [("body", ERROR_TEXT["json"][lang])])
    if not isinstance(payload, dict):
        return _error(422, [("body", ERROR_TEXT["json"][lang])])

    errors: list[tuple[str, str]] = []
    lang = _lang_of(request, payload.get("lang"))
    if "lang" in payload and payload["lang"] not in LANGS:
        errors.append(("lang", ERROR_TEXT["lang"][lang]))
    for key in payload.keys() - {"answers", "as_of", "lang"}:
        errors.append((str(key), ERROR_TEXT["field"][lang]))
    as_of = timezone.localdate()
    if payload.get("as_of") is not None:
        try:
            as_of = parse_as_of(payload["as_of"])
        except AnswerInvalid as exc:
            errors.append(("as_of", message(exc.code, lang, **exc.values)))
    catalogue = get_catalogue()
    answers, answer_errors = parse_answers(
        catalogue.facts, payload.get("answers", {}), lang, as_of=as_of
    )
    errors += [(error.field, error.message) for error in answer_errors]
    if errors:
        return _error(422, errors)
    screening = engine.screen(catalogue, answers, as_of)
    record_screening(screening, timezone.localdate())
    return JsonResponse(screening_json(screening, lang), json_dumps_params={"ensure_ascii": False})


def screening_json(screening: engine.Screening, lang: str) -> dict[str, Any]:
    return {
        "as_of": screening.as_of.isoformat(),
        "results": [_result_json(result, lang) for result in screening.results],
        "next_questions": list(screening.next_questions),
    }


def _result_json(result: engine.Result, lang: str) -> dict[str, Any]:
    programme = result.programme
    return {
        "programme": programme.slug,
        "name": programme.name.get(lang),
        "status": result.status,
        "amount": _amount_json(result.amount, lang),
        "missing": list(result.missing),
        "reasons": [
            {
                "requirement": reason.requirement.description.get(lang),
                "outcome": reason.outcome,
                "clause": reason.requirement.clause,
            }
            for reason in result.reasons
        ],
        "source": {
            "document": programme.document.number,
            "title": programme.document.title.get(lang),
        },
        "apply_url": f"/programmes/{programme.slug}/",
        "deadlines": [
            {
                "description": d.description.get(lang),
                "clause": d.clause,
                "date": d.date.isoformat() if d.date else None,
            }
            for d in result.deadlines
        ],
        "conflicts": [
            {"programme": c.other, "clause": c.clause, "note": c.note.get(lang)}
            for c in result.conflicts
        ],
    }


def _amount_json(amount: engine.Entitlement | None, lang: str) -> dict[str, Any] | None:
    if amount is None:
        return None
    return {
        "value": money(amount.value),
        "period": amount.period,
        "currency": "CNY",
        "note": amount.note.get(lang),
        "up_to": amount.up_to,
        "clause": amount.clause,
    }


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
