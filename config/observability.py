"""Request logs without personal data, a health check, and a friendly 503 when the database
is down or too slow."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

request_log = logging.getLogger("requests")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: easy to ship and query, and nothing but what we put in."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update(getattr(record, "fields", {}))
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


# A saved sheet's code opens the resident's answers: it never reaches a log line.
SHEET_CODE = re.compile(r"(/r/|/api/v1/sheets/)[^/\s?]+")


def loggable_path(path: str) -> str:
    """The path with a saved sheet's reference code replaced by `[code]`."""
    return SHEET_CODE.sub(r"\g<1>[code]", path)


class RedactSheetCodes(logging.Filter):
    """Django's own lines ("Not Found: /r/<code>/") lose the code too."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                loggable_path(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        if isinstance(record.msg, str):
            record.msg = loggable_path(record.msg)
        return True


class RequestLogMiddleware:
    """Method, path (no query string), status and duration: no IP, no user agent, no answers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        request_log.info(
            "request",
            extra={
                "fields": {
                    "method": request.method,
                    "path": loggable_path(request.path),
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - start) * 1000, 1),
                }
            },
        )
        return response


class ServiceUnavailableMiddleware:
    """A database failure becomes a calm 503 page (or JSON) in the resident's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DatabaseError):
            return None
        logging.getLogger("django").warning("database unavailable: %s", type(exception).__name__)
        return service_unavailable(request)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503: the page in the resident's language, or for the API its JSON error in the language
    the client asked for (`?lang=` or the body's `lang`)."""
    # Imported here: logging loads this module before the apps (and their models) are ready.
    from django.utils.translation import gettext as _

    from eligibility.api_http import api_error, api_translation, is_api

    with api_translation(request):
        if request.path.startswith("/admin/"):  # staff: the change was rolled back as a whole
            message = _(
                "The database is unavailable, so nothing from this request was saved. Go back "
                "(your browser keeps what you typed) and save again in a few minutes."
            )
        else:
            message = _(
                "The service is busy or under maintenance. Your answers are safe; please try "
                "again in a few minutes."
            )
    response: HttpResponse
    if is_api(request):
        response = api_error(503, [("service", message)])
    else:
        context = {"heading": _("Service temporarily unavailable"), "message": message}
        response = render(request, "503.html", context, status=503)
    response["Retry-After"] = "60"
    return response


def alive(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers (no database); also the bare baseline for benchmarks."""
    return HttpResponse("ok", content_type="text/plain")


def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class PrivateErrorFilter(SafeExceptionReporterFilter):
    """What an error report may say about the request: no answers, cookies or query strings.

    Residents' answers (birth dates, incomes, disability) and the session that holds them must
    not travel in an email, so every posted value and cookie is replaced and only the request
    headers needed to reproduce a failure are kept.
    """

    KEPT_META = frozenset(
        {
            "REQUEST_METHOD",
            "CONTENT_TYPE",
            "CONTENT_LENGTH",
            "HTTP_ACCEPT_LANGUAGE",
            "HTTP_HX_REQUEST",
        }
    )

    def get_post_parameters(self, request: HttpRequest | None) -> dict[str, str]:
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}

    def get_safe_cookies(self, request: HttpRequest) -> dict[str, str]:
        return {key: self.cleansed_substitute for key in getattr(request, "COOKIES", {})}

    def get_safe_request_meta(self, request: HttpRequest) -> dict[str, object]:
        meta = getattr(request, "META", {})
        kept = {key: meta[key] for key in self.KEPT_META if key in meta}
        if "PATH_INFO" in meta:
            kept["PATH_INFO"] = loggable_path(meta["PATH_INFO"])
        return kept


class PrivateErrorReporter(ExceptionReporter):
    """Error mails to ADMINS: the traceback and the path without a sheet's code or a query."""

    def _get_raw_insecure_uri(self) -> str:
        request = self.request
        assert request is not None
        host = request.META.get("HTTP_HOST", "")
        return f"{request.scheme}://{host}{loggable_path(request.path)}"

    def get_traceback_data(self) -> dict[str, object]:
        data = super().get_traceback_data()
        data["request_GET_items"] = (
            [(key, self.filter.cleansed_substitute) for key in self.request.GET]
            if self.request
            else []
        )
        return data

    def get_traceback_text(self) -> SafeString:
        return mark_safe(loggable_path(super().get_traceback_text()))  # plain text of a mail
