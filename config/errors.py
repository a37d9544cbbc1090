"""The failure pages (400, 403, 404, 500 and a refused CSRF check) in the resident's language.

Each says in plain words what happened and offers a way back: the page the resident came from
(when it is on this site) and the start page. The 500 page is rendered from a plain context, so
it still shows when the database or a context processor is what failed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from config.staff_login import USER_AT_ADDRESS_LIMIT
from eligibility.api_http import is_api
from eligibility.views import elderly_mode


def resident_language(request: HttpRequest) -> str:
    """Chinese unless the language cookie says English (see ChosenLanguageMiddleware)."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def way_back(request: HttpRequest) -> str | None:
    """The page the resident came from, when it is on this site and not this very page.

    A link, not `history.back()`: the content security policy allows no inline script.
    """
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or referer.endswith(request.get_full_path()):
        return None
    secure = request.is_secure()
    if not url_has_allowed_host_and_scheme(referer, {request.get_host()}, secure):
        return None
    return referer


def _texts(status: int) -> tuple[str, str]:
    texts = {
        400: (
            _("The request could not be read"),
            _(
                "Something in the address or the form could not be read, such as a control "
                "character or text that is not valid UTF-8. Go back (your browser keeps what "
                "you typed), check the text and send it again."
            ),
        ),
        403: (
            _("You cannot open this page"),
            _("This page is not open to you. If you think it should be, ask the office."),
        ),
        404: (
            _("Page not found"),
            _(
                "There is no page at this address. Check the address, or start again from the "
                "start page. A saved result sheet is kept only for a limited time."
            ),
        ),
        500: (
            _("Something went wrong on our side"),
            _(
                "The page could not be shown because of a fault in the service. Your answers "
                "are safe; please try again in a few minutes."
            ),
        ),
    }
    return texts[status]


def error_page(request: HttpRequest, status: int, template: str | None = None) -> HttpResponse:
    """The failure page for `status`, or the API's JSON error under /api/."""
    if is_api(request):  # ApiResponseMiddleware answers it in the API's envelope
        return HttpResponse(status=status)
    with translation.override(resident_language(request)):
        heading, message = _texts(status)
        context = {"heading": heading, "message": message, "back": way_back(request)}
        return render(request, template or f"{status}.html", context, status=status)


def in_admin(request: HttpRequest) -> bool:
    return request.path.startswith(reverse("admin:index"))


def staff_refusal(request: HttpRequest, status: int, title: str) -> HttpResponse:
    """A 400 or 403 in the admin: in the admin's frame and the staff member's language."""
    frame = admin.site.each_context(request) if hasattr(request, "user") else {}
    return render(request, f"admin/{status}.html", {**frame, "title": title}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if in_admin(request):
        return staff_refusal(request, 400, _("The request could not be read"))
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if in_admin(request):
        return staff_refusal(request, 403, _("You do not have permission for this page"))
    return error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page from a plain context: no context processor runs, nothing queries."""
    with translation.override(resident_language(request)):
        heading, message = _texts(500)
        html = loader.get_template("500.html").render(
            {
                "heading": heading,
                "message": message,
                "request": request,
                "csrf_token": get_token(request),
                "elderly_mode": elderly_mode(request),
            }
        )
    return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (its page was open too long, or cookies are blocked).

    htmx does not swap a 403 into the page, so the resident would see nothing happen: answer it
    with `HX-Refresh`, which reloads the page and with it a fresh token.
    """
    with translation.override(resident_language(request)):
        if request.headers.get("HX-Request") == "true":
            message = _(
                "For your safety the form could not be sent because its page had been open "
                "too long. The page has been reloaded; please answer this question again."
            )
            messages.warning(
                request, message, fail_silently=True
            )  # shown on the reloaded question page
            response = render(request, "_csrf_expired.html", {"message": message}, status=403)
            response["HX-Refresh"] = "true"
            return response
        context = {
            "heading": _("The form had expired"),
            "message": _(
                "For your safety the form could not be sent: its page had been open too long, "
                "or this browser blocks cookies."
            ),
            "back": way_back(request),
        }
        return render(request, "403_csrf.html", context, status=403)


def staff_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' lockout (AXES_LOCKOUT_CALLABLE): too many wrong passwords."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "title": _("Login temporarily locked"),
        "failure_limit": USER_AT_ADDRESS_LIMIT,
        "minutes": minutes,
    }
    frame = admin.site.each_context(request)
    return render(request, "admin/locked_out.html", {**frame, **context}, status=429)
