"""Rate limits on the public endpoints: who a client is, how fast they may screen, how many
unknown sheet codes they may try, how many PDFs they may have rendered, and the friendly 429
(page or JSON) in the resident's language."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from eligibility.api_http import api_error, api_translation, is_api


def client_address(group: str, request: HttpRequest) -> str:
    """The resident's address as nginx reports it (X-Real-IP), else the socket's peer.

    Only the proxy can reach the app servers in production, so the header is trusted.
    """
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR", "")


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """429: the page, or for the API its JSON error in the language the client asked for.

    Retry-After is when the client's window ends (limits counted here record it on the
    request); the per-minute limits of `@ratelimit` end within 60 seconds."""
    seconds = getattr(request, "retry_after", 60)
    with api_translation(request):
        message = _wait_message(seconds)
    response: HttpResponse
    if is_api(request):
        response = api_error(429, [("rate", message)])
    else:
        context = {"heading": _("Too many requests"), "message": message}
        response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _wait_message(seconds: int) -> str:
    minutes = -(-seconds // 60)
    if minutes <= 1:
        return _("Too many requests from your connection. Please wait a minute and try again.")
    return _(
        "Too many requests from your connection. Please wait %(minutes)d minutes and try again."
    ) % {"minutes": minutes}


def screening_rate(group: str, request: HttpRequest) -> str:
    return settings.RATELIMIT_SCREEN


CODE_MISSES = "sheet-code-misses"


def code_miss_rate(group: str, request: HttpRequest) -> str:
    return settings.RATELIMIT_CODE_MISSES


PDF_RENDERS = "sheet-pdf-renders"


def pdf_render_rate(group: str, request: HttpRequest) -> str:
    return settings.RATELIMIT_PDF_RENDERS


def _over_limit(request: HttpRequest, group: str, rate, *, count: bool) -> bool:
    """Whether the client is over this limit; if so, when its window ends goes on the request
    (`retry_after`, for the 429's Retry-After)."""
    usage = get_usage(request, group=group, key=client_address, rate=rate, increment=count)
    if usage is None or not usage["should_limit"]:  # None: rate limits turned off
        return False
    request.retry_after = max(1, usage["time_left"])  # type: ignore[attr-defined]
    return True


def _code_misses_over_limit(request: HttpRequest, *, count: bool) -> bool:
    return _over_limit(request, CODE_MISSES, code_miss_rate, count=count)


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


def may_render_pdf(request: HttpRequest) -> bool:
    """Count a PDF render for this client (a few a minute; serving a stored PDF is free) and say
    whether it is within the limit."""
    return not _over_limit(request, PDF_RENDERS, pdf_render_rate, count=True)


def count_pdf_render(request: HttpRequest) -> None:
    """Count a PDF render this client asks for; raise `Ratelimited` (the 429) past the limit."""
    if not may_render_pdf(request):
        raise Ratelimited
