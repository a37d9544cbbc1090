"""Chinese unless the resident chose English with the visible switch.

Django's LocaleMiddleware would follow the browser's Accept-Language; a Beijing service site
should open in Simplified Chinese and switch only when asked (the choice is kept in a cookie).
"""

from collections.abc import Callable
from io import BytesIO
from urllib.parse import parse_qsl, unquote_to_bytes

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
)
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from django.urls import reverse
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from config.errors import error_page, resident_language
from config.sessions import SessionStore
from eligibility.api_http import is_api


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = resident_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# Browser features no page of this site uses: denied, so no injected script can ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
)


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every response, error pages included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


FORM = "application/x-www-form-urlencoded"
TEXT_BODIES = ("application/json", "text/plain")


def unreadable(data: bytes) -> bool:
    """Whether `data` is not UTF-8 or holds a NUL byte: no resident types either, and
    PostgreSQL refuses NUL in text (a 5xx if it ever got that far)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return b"\x00" in data


def _raw(text: str) -> bytes:
    """A WSGI string back to the bytes the client sent (WSGI decodes them as Latin-1)."""
    try:
        return text.encode("iso-8859-1")
    except UnicodeEncodeError:  # ASGI paths arrive decoded already
        return text.encode("utf-8", "surrogatepass")


def _body_unreadable(request: HttpRequest) -> bool:
    content_type = (request.content_type or "").lower()
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    try:
        if content_type == FORM:
            return unreadable(unquote_to_bytes(request.body.replace(b"+", b" ")))
        if content_type in TEXT_BODIES:
            return unreadable(request.body) or b"\\u0000" in request.body
        if content_type == "multipart/form-data":  # files may hold any bytes; fields may not
            return any("\x00" in v for _, values in request.POST.lists() for v in values)
    except (SuspiciousOperation, RawPostDataException, MultiPartParserError):
        return False  # too big or malformed: Django answers those itself
    return False


def bad_bytes(request: HttpRequest) -> str | None:
    """Which part of a page request holds bytes no text field can take: path, query or body.

    The API is left to answer as its contract says: a NUL byte in any string is a 422 naming
    the field, and undecodable bytes read as U+FFFD (a 400 is not among its documented answers).
    """
    if is_api(request):
        return None
    # Django keeps undecodable path bytes percent-encoded (`%FF`): decode those too.
    if unreadable(unquote_to_bytes(_raw(request.META.get("PATH_INFO", request.path_info)))):
        return "path"
    query = _raw(request.META.get("QUERY_STRING", "")).replace(b"+", b" ")
    if unreadable(unquote_to_bytes(query)):
        return "query"
    if _body_unreadable(request):
        return "body"
    return None


class BadBytesMiddleware:
    """A NUL byte or invalid UTF-8 anywhere in a request is a 400 with a clear message.

    Placed after the CSRF middleware so the 400 page's own forms (language, text size) work.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if bad_bytes(request):
            return error_page(request, 400)
        return self.get_response(request)


class StaffFormLimitsMiddleware:
    """Larger form posts for signed-in staff in the admin; everyone else keeps Django's limits.

    A gazette document's full text, or a table of a hundred rows with its inline fields, is
    bigger than the 64 KiB and 1,000 fields a resident's form may send (`DATA_UPLOAD_MAX_*`).
    Django reads those limits from the settings for every request, so the staff member's form
    is read here, under `ADMIN_DATA_UPLOAD_MAX_*`, before anything else touches `request.POST`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and request.content_type == "application/x-www-form-urlencoded"
            and request.path.startswith(reverse("admin:index"))
            and request.user.is_active
            and request.user.is_staff
        ):
            read_staff_form(request)
        return self.get_response(request)


def read_staff_form(request: HttpRequest) -> None:
    """Parse the urlencoded body as `request.POST` would, under the admin's larger limits."""
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.ADMIN_DATA_UPLOAD_MAX_MEMORY_SIZE:
        raise RequestDataTooBig("Request body exceeded settings.ADMIN_DATA_UPLOAD_MAX_MEMORY_SIZE.")
    body = request.read()
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            max_num_fields=settings.ADMIN_DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )
    except UnicodeDecodeError as error:
        raise BadRequest("A form must be sent as UTF-8.") from error
    except ValueError as error:
        raise TooManyFieldsSent(
            "The number of POST parameters exceeded settings.ADMIN_DATA_UPLOAD_MAX_NUMBER_FIELDS."
        ) from error
    form = QueryDict(mutable=True)
    for name, value in pairs:
        form.appendlist(name, value)
    form._mutable = False
    # What HttpRequest._load_post_and_files would have set: the body stays readable.
    request._body = body
    request._stream = BytesIO(body)
    request._post, request._files = form, MultiValueDict()  # type: ignore[attr-defined]


class IdleSessionMiddleware(SessionMiddleware):
    """Django's session middleware, renewing a resident's idle expiry on every request that
    carries a session cookie, but writing the row only when that moves it on by more than a few
    minutes (`config.sessions`): most requests write nothing."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if isinstance(session, SessionStore) and response.status_code < 500:
            session.modified = session.modified or session.renewal_due()
        return super().process_response(request, response)
