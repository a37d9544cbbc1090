"""Rate limits on the public endpoints: who a client is, how fast they may screen, and the
friendly 429 (page or JSON) in the resident's language."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_address(group: str, request: HttpRequest) -> str:
    """The resident's address as nginx reports it (X-Real-IP), else the socket's peer.

    Only the proxy can reach the app servers in production, so the header is trusted.
    """
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR", "")


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _("Too many requests from your connection. Please wait a minute and try again.")
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"errors": [{"field": "rate", "message": message}]},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = "60"
    return response


def screening_rate(group: str, request: HttpRequest) -> str:
    return settings.RATELIMIT_SCREEN
