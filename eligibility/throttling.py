"""Rate limits on the public endpoints: who a client is, how fast they may screen, how many
unknown sheet codes they may try, and the friendly 429 (page or JSON) in the resident's language."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from eligibility.api_http import api_error, api_translation, is_api


def client_address(group: str, request: HttpRequest) -> str:
    """The resident's address as nginx reports it (X-Real-IP), else the socket's peer.

    Only the proxy can reach the app servers in production, so the header is trusted.
    """
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR", "")


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """429: the page, or for the API its JSON error in the language the client asked for."""
    with api_translation(request):
        message = _("Too many requests from your connection. Please wait a minute and try again.")
    response: HttpResponse
    if is_api(request):
        response = api_error(429, [("rate", message)])
    else:
        context = {"heading": _("Too many requests"), "message": message}
        response = render(request, "429.html", context, status=429)
    response["Retry-After"] = "60"
    return response


def screening_rate(group: str, request: HttpRequest) -> str:
    return settings.RATELIMIT_SCREEN


CODE_MISSES = "sheet-code-misses"


def code_miss_rate(group: str, request: HttpRequest) -> str:
    return settings.RATELIMIT_CODE_MISSES


def _code_misses_over_limit(request: HttpRequest, *, count: bool) -> bool:
    return is_ratelimited(
        request, group=CODE_MISSES, key=client_address, rate=code_miss_rate, increment=count
    )


def refuse_code_guessing(request: HttpRequest) -> None:
    """Raise `Ratelimited` (the 429) once this client has tried too many unknown sheet codes.

    Codes are the only key to a saved sheet, so guessing is slowed per client: only misses
    count, and once over the limit every lookup is refused until the window ends, so a guesser
    cannot tell a hit from a miss.
    """
    if _code_misses_over_limit(request, count=False):
        raise Ratelimited


def count_code_miss(request: HttpRequest) -> None:
    """Count an unknown code; raise `Ratelimited` when this miss is one too many."""
    if _code_misses_over_limit(request, count=True):
        raise Ratelimited
