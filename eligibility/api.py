"""JSON screening API v1 — the public contract in shared/api/screening-v1.md (docs/api.md).

The request body of `/screen` is read by hand rather than by a schema so that every bad field is
reported in the contract's shape (`{"errors": [{"field", "message"}]}`) and the resident's
language; `eligibility.api_schemas.ScreenIn` documents it, with the `answers` object generated
from the published facts, and the tests hold the two together.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited
from ninja import NinjaAPI, Path, Query
from ninja.errors import ValidationError as NinjaValidationError

from benefits.selectors import document_by_number, search_documents
from benefits.shapes import record_shape
from benefits.snapshot import get_catalogue
from eligibility import api_examples as ex
from eligibility.api_http import (
    JSON,
    LANGS,
    answering_catalogue,
    api_error,
    in_language,
    request_lang,
)
from eligibility.api_input import ERRORS, error, read_screen_request, screen_household
from eligibility.api_schemas import (
    NO_NUL_PATTERN,
    DocumentOut,
    DocumentsOut,
    ErrorOut,
    FactsOut,
    Lang,
    ProgrammeOut,
    ProgrammesOut,
    ScreenOut,
    complete_openapi,
)
from eligibility.api_sheets import router as sheets_router
from eligibility.formatting import money_number
from eligibility.households import household_json_text
from eligibility.results_json import iso, screening_json_text
from eligibility.stats import record_screening
from eligibility.throttling import client_address, rate_limited, screening_rate
from rules import engine
from rules.catalogue import Catalogue, FactSpec, Programme, Text
from rules.library import LibraryDocument


class ScreeningAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return complete_openapi(document, get_catalogue())

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        """django-ninja's URLs, with `/screen` first and answered by `screen_view`."""
        urls = super()._get_urls()
        for index, url in enumerate(urls):
            if isinstance(url, URLPattern) and str(url.pattern) == "screen":
                del urls[index]
                urls.insert(0, path("screen", screen_view(url.callback), name=url.name))
                break
        return urls


api = ScreeningAPI(
    title="Beijing Benefits Finder screening API",
    version="1",
    description=(
        "Screen a resident's answers against every programme in the Beijing municipal "
        "benefits catalogue. Keys and slugs are stable: they never change meaning; new ones "
        "may be added, so clients ignore keys they do not know. Every answer carries a "
        "`Catalogue-Publication` header naming the publication that answered; every error is "
        '`{"errors": [{"field", "message"}]}` in the requested language (`lang`: zh or en).'
    ),
    urls_namespace="api-v1",
    servers=[{"url": "/", "description": "This site"}],
    # Swagger UI adds its own style elements; only the docs page may use inline styles.
    docs_decorator=csp_override(
        {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}
    ),
)

FAILURES = (413, 422, 429, 503)
LOOKUP_FAILURES = (404, 422, 429, 503)
LISTING_FAILURES = (422, 429, 503)


LangQuery = Annotated[
    Lang,
    Query(
        description="Language of names, texts and error messages (a `lang` in the body of "
        "/screen wins).",
        example="en",
    ),
]


def _json(data: dict[str, Any]) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


# POST /screen ---------------------------------------------------------------------------------


@api.post(
    "/screen",
    response={
        200: ScreenOut,
        413: ErrorOut,
        415: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
        503: ErrorOut,
    },
    summary="Screen answers against every programme",
    description="One result per programme: eligible, ineligible, unknown (with the facts "
    "missing) or inactive, with the amount, the reasons and their gazette clauses.",
    tags=["screening"],
    operation_id="screen",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                JSON: {
                    "schema": {"$ref": "#/components/schemas/ScreenIn"},
                    "examples": ex.SCREEN_REQUESTS,
                }
            },
        },
        "responses": ex.responses(
            ex.SCREEN_RESPONSE,
            (*FAILURES, 415),
            errors={422: "bad_answers"},
            links=ex.LINK_TO_PROGRAMME,
        ),
    },
)
@ratelimit(key=client_address, rate=screening_rate, method="POST", block=True)
def screen(request: HttpRequest, lang: LangQuery = "zh") -> HttpResponse:
    parsed = read_screen_request(request)
    if isinstance(parsed, HttpResponse):
        return parsed
    today = timezone.localdate()  # once: it is not free
    if parsed.members is not None:
        household = screen_household(parsed)
        for member in household.members:
            record_screening(member.screening, today)
        text = household_json_text(
            household, parsed.lang, parsed.catalogue.version, parsed.catalogue
        )
        return HttpResponse(text, content_type=JSON)
    screening = engine.screen(parsed.catalogue, parsed.answers, parsed.as_of)
    record_screening(screening, today)
    record_shape(parsed.catalogue, parsed.answers, parsed.as_of, today)
    text = screening_json_text(screening, parsed.lang, parsed.catalogue.version, parsed.catalogue)
    return HttpResponse(text, content_type=JSON)


def screen_view(ninja_view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """`/screen` as django-ninja answers it, without its parameter machinery for the requests
    nearly every client sends: a POST whose query is empty or a single valid `?lang=`.

    Every resident is new, so what runs around the engine counts; django-ninja's checking of
    `lang` (a pydantic model) and its response handling cost about as much as the rest of
    the view. Anything else (another method, a bad or repeated `lang`, another parameter)
    goes to django-ninja's own view, which answers it exactly as before. The OpenAPI
    document still comes from the operation below.
    """

    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lang = _plain_lang(request) if request.method == "POST" else None
        if lang is None:
            return ninja_view(request, *args, **kwargs)
        try:
            return screen(request, lang)
        except Ratelimited as exc:  # what django-ninja's exception handler answers
            return too_many_requests(request, exc)

    view.csrf_exempt = True  # type: ignore[attr-defined]  # as every django-ninja view
    view.ninja_view = ninja_view  # type: ignore[attr-defined]  # the tests hold the two together
    return view


def _plain_lang(request: HttpRequest) -> str | None:
    """The `lang` of a query that is empty or only one valid `?lang=`, else None."""
    query = request.GET
    if not query:
        return "zh"
    if len(query) == 1 and len(values := query.getlist("lang")) == 1 and values[0] in LANGS:
        return values[0]
    return None


# GET /facts, /programmes, /programmes/{slug} --------------------------------------------------


@api.get(
    "/facts",
    response={200: FactsOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    summary="Every fact key with its type, allowed values and question",
    description="The keys `answers` takes (a fact with `derived` is worked out, never sent), "
    "with the question and labels in both languages.",
    tags=["catalogue"],
    operation_id="list_facts",
    openapi_extra={"responses": ex.responses(ex.FACTS_RESPONSE, LISTING_FAILURES)},
)
def facts(request: HttpRequest, lang: LangQuery = "zh") -> HttpResponse:
    catalogue = answering_catalogue(request)
    return _json({"facts": [_fact_json(spec) for spec in catalogue.facts.values()]})


def _both(text: Text) -> dict[str, str]:
    return {"zh": text.zh, "en": text.en}


def _fact_json(spec: FactSpec) -> dict[str, Any]:
    return {
        "key": spec.key,
        "type": spec.type,
        "values": list(spec.values),
        "labels": {value: _both(label) for value, label in spec.labels.items()},
        "min": money_number(spec.min_value),
        "max": money_number(spec.max_value),
        "question": _both(spec.question),
        "help": _both(spec.help),
        "derived": spec.derived.source if spec.derived else None,
        "ask_if": spec.ask_if.source if spec.ask_if else None,
        "depends_on": sorted(spec.ask_if.names) if spec.ask_if else [],
        "scope": spec.scope,
    }


@api.get(
    "/programmes",
    response={200: ProgrammesOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    summary="The catalogue: every programme with its period and source",
    tags=["catalogue"],
    operation_id="list_programmes",
    openapi_extra={
        "responses": ex.responses(
            ex.PROGRAMMES_RESPONSE, LISTING_FAILURES, links=ex.LINK_TO_LISTED_PROGRAMME
        )
    },
)
def programmes(request: HttpRequest, lang: LangQuery = "zh") -> HttpResponse:
    catalogue = answering_catalogue(request)
    today = timezone.localdate()
    listed = catalogue.programmes_on(today)  # texts and figures as in force today
    return _json({"programmes": [_programme_summary(p, lang, today) for p in listed]})


def _programme_summary(programme: Programme, lang: str, today: dt.date) -> dict[str, Any]:
    return {
        "slug": programme.slug,
        "name": programme.name.get(lang),
        "names": _both(programme.name),
        "summary": programme.summary.get(lang),
        "category": programme.category,
        "audience": programme.audience,
        "period": {
            "start": iso(programme.period_start),
            "end": iso(programme.period_end),
            "clause": programme.period_clause,
            "active_today": programme.active_on(today),
        },
        "source": {
            "document": programme.document.number,
            "title": programme.document.title.get(lang),
        },
        "url": f"/programmes/{programme.slug}/",
    }


@api.get(
    "/programmes/{slug}",
    response={200: ProgrammeOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    summary="One programme with requirements, amounts, how to apply",
    tags=["catalogue"],
    operation_id="get_programme",
    openapi_extra={
        "responses": ex.responses(
            ex.PROGRAMME_RESPONSE, LOOKUP_FAILURES, errors={404: "no_programme"}
        )
    },
)
def programme_detail(
    request: HttpRequest,
    slug: str = Path(
        ..., description="Programme slug (stable).", example=ex.SCREEN_RESULT["programme"]
    ),
    lang: LangQuery = "zh",
) -> HttpResponse:
    catalogue = answering_catalogue(request)
    today = timezone.localdate()
    programme = catalogue.programme(slug, today)  # texts and figures as in force today
    if programme is None:
        return error(request, 404, ("slug", "not_found"))
    data = _programme_summary(programme, lang, today)
    data.update(_programme_details(programme, catalogue, lang, today))
    return _json(data)


def _condition_json(condition) -> dict[str, Any]:
    value = condition.value
    if isinstance(value, frozenset | tuple):
        value = sorted(value, key=str)
    return {"fact": condition.fact, "op": condition.operator, "value": _plain(value)}


def _programme_details(
    programme: Programme, catalogue: Catalogue, lang: str, today: dt.date
) -> dict[str, Any]:
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
                "alternatives": [[_condition_json(c) for c in alt] for alt in r.alternatives],
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
                "value": money_number(a.value),
                "rate": money_number(a.rate),
                "base": a.base or None,
                "cap": money_number(a.cap),
                "table": a.table or None,
                "table_keys": list(a.table_keys),
                "formula": a.formula.source if a.formula else None,
            }
            for a in programme.amounts
        ],
        "tables": {  # rows in force today and rows that start later
            slug: [
                {
                    "keys": list(row.keys),
                    "value": _plain(row.value),
                    "valid_from": iso(row.valid_from),
                    "valid_to": iso(row.valid_to),
                }
                for row in catalogue.rows_from(slug, today)
            ]
            for slug in sorted(table_slugs)
        },
        "conflicts": [
            {"programme": c.other, "clause": c.clause, "note": c.note.get(lang)}
            for c in programme.conflicts
        ],
        "how_to_apply": _how_to_apply(programme, lang),
        "cites": [{"document": d.number, "title": d.title.get(lang)} for d in programme.cites],
    }


def _how_to_apply(programme: Programme, lang: str) -> dict[str, Any]:
    return {
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
                "date": iso(d.date),
                "relative_to": d.relative_to or None,
                "months": d.months,
            }
            for d in programme.deadlines
        ],
        "processing": programme.processing.get(lang) or None,
        "payment": programme.payment.get(lang) or None,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return money_number(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


# GET /documents, /documents/{number} ----------------------------------------------------------


@api.get(
    "/documents",
    response={200: DocumentsOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    summary="The policy library: every gazette document, searchable with q",
    tags=["library"],
    operation_id="list_documents",
    openapi_extra={
        "responses": ex.responses(
            ex.DOCUMENTS_RESPONSE,
            LISTING_FAILURES,
            errors={422: "bad_query"},
            links=ex.LINK_TO_DOCUMENT,
        )
    },
)
def documents(
    request: HttpRequest,
    q: str = Query(
        "",
        max_length=100,
        pattern=NO_NUL_PATTERN,
        description="Words to find in the number, title, issuers, summary or full text.",
        example="养老",
    ),
    lang: LangQuery = "zh",
) -> HttpResponse:
    return _json({"documents": [_document_json(d, lang) for d in search_documents(q)]})


@api.get(
    "/documents/{number}",
    response={200: DocumentOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    summary="One gazette document with its full text",
    tags=["library"],
    operation_id="get_document",
    openapi_extra={
        "responses": ex.responses(
            ex.DOCUMENT_RESPONSE, LOOKUP_FAILURES, errors={404: "no_document"}
        )
    },
)
def document_detail(
    request: HttpRequest,
    number: str = Path(..., description="Gazette document number.", example="京民发〔2026〕6号"),
    lang: LangQuery = "zh",
) -> HttpResponse:
    # No document number holds a NUL (and PostgreSQL cannot even be asked about one).
    document = None if "\x00" in number else document_by_number(number)
    if document is None:
        return error(request, 404, ("number", "no_document"))
    data = _document_json(document, lang)
    data["full_text"] = document.full_text
    return _json(data)


def _document_json(document: LibraryDocument, lang: str) -> dict[str, Any]:
    return {
        "number": document.number,
        "title": document.title.get(lang),
        "titles": _both(document.title),
        "issuers": document.issuers,
        "issue_date": iso(document.issue_date),
        "effective_date": iso(document.effective_date),
        "end_date": iso(document.end_date),
        "repeals": document.repeals,
        "gazette": document.gazette,
        "summary": document.summary.get(lang),
        "programmes": sorted({*document.programmes, *document.cited_by}),
    }


# Errors ---------------------------------------------------------------------------------------

VALIDATION_MESSAGES = {
    ("lang", None): ERRORS["lang"],
    ("q", "string_too_long"): ERRORS["query"],
    ("q", "string_pattern_mismatch"): ERRORS["query_nul"],
}


def _validation_item(error: dict[str, Any]) -> tuple[str, str]:
    location = [str(part) for part in error.get("loc", ())]
    if location and location[0] in ("query", "path", "body"):
        location = location[1:]
    field = ".".join(location) or "request"
    text = VALIDATION_MESSAGES.get((field, error.get("type"))) or VALIDATION_MESSAGES.get(
        (field, None)
    )
    return field, str(text) if text else str(error.get("msg", ""))


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """A query or path parameter out of its schema: 422 naming it, in the request's language."""
    with in_language(request_lang(request)):
        errors = [_validation_item(error) for error in exc.errors]
        return api_error(422, errors or [("request", str(ERRORS["json"]))])


@api.exception_handler(Ratelimited)
def too_many_requests(request: HttpRequest, exc: Ratelimited) -> HttpResponse:
    return rate_limited(request, exc)


@api.exception_handler(Exception)
def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Not django-ninja's plain-text traceback: Django answers (a database failure becomes the
    503 of `config.observability`), and `ApiResponseMiddleware` puts it in the envelope."""
    raise exc


api.add_router("/sheets", sheets_router)
