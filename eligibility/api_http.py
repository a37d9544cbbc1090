"""What every answer under `/api/` shares: the client's language, the one error envelope
`{"errors": [{"field", "message"}]}`, and the `Catalogue-Publication` header.

The API's own views, the 429 (`eligibility.throttling`) and the 503 (`config.observability`)
build their errors with `api_error`; `ApiResponseMiddleware` turns any other error under `/api/`
(an unknown path, a wrong method, a crash) into the same envelope, in the same language.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from contextlib import AbstractContextManager

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.utils import translation
from django.utils.translation import gettext as _

from benefits.snapshot import get_catalogue
from rules.catalogue import Catalogue

LANGS = ("zh", "en")
DJANGO_LANGUAGE = {"zh": "zh-hans", "en": "en"}
CONTENT_LANGUAGE = {"zh": "zh-Hans", "en": "en"}
PUBLICATION_HEADER = "Catalogue-Publication"
JSON = "application/json"


def is_api(request: HttpRequest) -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def query_lang(request: HttpRequest) -> str:
    """`?lang=` when it is zh or en, else Chinese."""
    lang = request.GET.get("lang")
    return lang if lang in LANGS else "zh"


def request_lang(request: HttpRequest) -> str:
    """The language the client asked for: `lang` in a POSTed JSON body, else `?lang=`, else
    Chinese.

    Worked out once per request; a view that has read the body sets it with `set_lang`.
    """
    lang = getattr(request, "api_lang", None)
    if lang is None:
        lang = _body_lang(request) or query_lang(request)
        set_lang(request, lang)
    return lang


def set_lang(request: HttpRequest, lang: str) -> None:
    request.api_lang = lang  # type: ignore[attr-defined]


def _body_lang(request: HttpRequest) -> str | None:
    if request.method != "POST" or (request.content_type or "").lower() != JSON:
        return None
    try:
        payload = json.loads(request.body or b"null")
    except (RequestDataTooBig, RawPostDataException, ValueError, RecursionError):
        return None
    lang = payload.get("lang") if isinstance(payload, dict) else None
    return lang if lang in LANGS else None


def in_language(lang: str) -> AbstractContextManager[None]:
    """gettext in the API language `lang` (zh or en)."""
    return translation.override(DJANGO_LANGUAGE.get(lang, "zh-hans"))


def api_translation(request: HttpRequest) -> AbstractContextManager[None]:
    """For an API request, gettext in the language it asked for; for a page, no change."""
    if is_api(request):
        return in_language(request_lang(request))
    return contextlib.nullcontext()


def api_error(status: int, errors: list[tuple[str, str]]) -> JsonResponse:
    """The one error shape of the API: `{"errors": [{"field", "message"}]}`."""
    response = JsonResponse(
        {"errors": [{"field": field, "message": message} for field, message in errors]},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    response.api_error = True  # type: ignore[attr-defined]
    return response


def answering_catalogue(request: HttpRequest) -> Catalogue:
    """The published catalogue this request is answered from; named in its response header."""
    catalogue = get_catalogue()
    request.catalogue_publication = catalogue.version  # type: ignore[attr-defined]
    return catalogue


def _publication(request: HttpRequest) -> str | None:
    version = getattr(request, "catalogue_publication", None)
    if version is None:
        try:
            version = get_catalogue().version
        except DatabaseError:  # nothing in memory and no database: no publication answered
            return None
    return version


def _not_found(request: HttpRequest, response: HttpResponse) -> tuple[str, str]:
    return "path", _("There is no such address in this API; see /api/v1/docs.")


def _not_allowed(request: HttpRequest, response: HttpResponse) -> tuple[str, str]:
    return "method", _("This address does not accept %(method)s; use %(allowed)s.") % {
        "method": request.method,
        "allowed": response.get("Allow", "GET"),
    }


def _too_big(request: HttpRequest, response: HttpResponse) -> tuple[str, str]:
    return "body", too_big_message()


def _bad_request(request: HttpRequest, response: HttpResponse) -> tuple[str, str]:
    return "request", _("The request could not be understood.")


def _server_error(request: HttpRequest, response: HttpResponse) -> tuple[str, str]:
    return "server", _("Something went wrong on our side. Please try again in a few minutes.")


def too_big_message() -> str:
    return _("The request body must not exceed 64 KiB.")


GENERIC_ERRORS: dict[int, Callable[[HttpRequest, HttpResponse], tuple[str, str]]] = {
    404: _not_found,
    405: _not_allowed,
    413: _too_big,
}
KEPT_HEADERS = ("Allow", "Retry-After")


def _envelope(request: HttpRequest, response: HttpResponse, lang: str) -> HttpResponse:
    """An error response from outside the API's views, in the API's shape and language."""
    status = response.status_code
    describe = GENERIC_ERRORS.get(status, _server_error if status >= 500 else _bad_request)
    with in_language(lang):
        error = api_error(status, [describe(request, response)])
    for header in KEPT_HEADERS:
        if header in response:
            error[header] = response[header]
    return error


class ApiResponseMiddleware:
    """Every answer under /api/: errors in the envelope, the language it was given in, and the
    publication that answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api(request):
            return response
        lang = request_lang(request)
        if response.status_code >= 400 and not getattr(response, "api_error", False):
            response = _envelope(request, response, lang)
        publication = _publication(request)
        if publication:
            response[PUBLICATION_HEADER] = publication
        response["Content-Language"] = CONTENT_LANGUAGE[lang]
        return response
