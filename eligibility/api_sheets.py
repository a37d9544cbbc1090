"""Saved result sheets in the JSON API: `POST /api/v1/sheets` screens and saves, `GET
/api/v1/sheets/{code}` gives back exactly what was saved, whatever has been published since.

The request is the `/screen` request (`eligibility.api_input`) and the results are the
`/screen` results (`eligibility.results_json`), stored with the sheet at `POST`.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django_ratelimit.decorators import ratelimit
from ninja import Field, Router, Schema

from benefits.shapes import record_shape
from eligibility import sheets
from eligibility.api_input import error, read_screen_request, screen_household
from eligibility.api_schemas import ErrorOut, Lang, MemberOut, ResultOut, TotalsOut
from eligibility.models import SavedResult
from eligibility.stats import record_screening
from eligibility.throttling import (
    client_address,
    count_code_miss,
    refuse_code_guessing,
    screening_rate,
)
from rules import engine

router = Router(tags=["screening"])


class SheetOut(Schema):
    code: str
    url: str
    pdf_url: str
    publication: str | None
    as_of: str
    results: list[ResultOut]
    members: list[MemberOut] | None = Field(default=None, description="As for /screen.")
    household_results: list[ResultOut] | None = Field(default=None, description="As /screen.")
    totals: TotalsOut | None = Field(default=None, description="As for /screen.")
    may_qualify: TotalsOut | None = Field(default=None, description="As for /screen.")


@router.post(
    "",
    response={
        201: SheetOut,
        413: ErrorOut,
        415: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
        503: ErrorOut,
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScreenIn"}}},
        }
    },
    summary="Screen answers and save them as a result sheet with a reference code",
    description="The body of /screen. The sheet keeps the results and the publication they "
    "were screened against; GET gives them back unchanged.",
    operation_id="create_sheet",
)
@ratelimit(key=client_address, rate=screening_rate, method="POST", block=True)
def create_sheet(request: HttpRequest, lang: Lang = "zh") -> HttpResponse:
    parsed = read_screen_request(request)
    if isinstance(parsed, HttpResponse):
        return parsed
    if parsed.members is not None:
        screened = screen_household(parsed)
        for member in screened.members:
            record_screening(member.screening, timezone.localdate())
        members = parsed.members_json() or []
        saved = sheets.save_household_sheet(
            parsed.catalogue, screened, parsed.raw, members, parsed.lang
        )
        body = _sheet_json(request, saved, parsed.catalogue.version, saved.results)
        return JsonResponse(body, status=201, json_dumps_params={"ensure_ascii": False})
    screening = engine.screen(parsed.catalogue, parsed.answers, parsed.as_of)
    record_screening(screening, timezone.localdate())
    record_shape(parsed.catalogue, parsed.answers, parsed.as_of)
    saved = sheets.save_sheet(parsed.catalogue, screening, parsed.raw, parsed.lang)
    body = _sheet_json(request, saved, parsed.catalogue.version, saved.results)
    return JsonResponse(body, status=201, json_dumps_params={"ensure_ascii": False})


@router.get(
    "/{code}",
    response={200: SheetOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    summary="A saved result sheet, exactly as it was saved",
    description="Codes are case-insensitive and may be typed with or without dashes.",
    operation_id="get_sheet",
)
@ratelimit(key=client_address, rate=screening_rate, method="GET", block=True)
def sheet(request: HttpRequest, code: str, lang: Lang = "zh") -> HttpResponse:
    refuse_code_guessing(request)
    saved = sheets.find_sheet(code)
    if saved is None:
        count_code_miss(request)
        return error(request, 404, ("code", "no_sheet"))
    version = sheets.sheet_version(saved)
    if version:
        request.catalogue_publication = version  # type: ignore[attr-defined]
    body = _sheet_json(request, saved, version, sheets.stored_results(saved))
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _sheet_json(
    request: HttpRequest, saved: SavedResult, version: str | None, results: list[Any]
) -> dict[str, Any]:
    url = reverse("eligibility:saved", args=[saved.code])
    return {
        "code": saved.code,
        "url": request.build_absolute_uri(url),
        "pdf_url": request.build_absolute_uri(reverse("eligibility:saved_pdf", args=[saved.code])),
        "publication": version,
        "as_of": saved.as_of.isoformat(),
        "results": results,
        **(saved.household or {}),
    }
