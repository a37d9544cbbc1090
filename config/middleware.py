"""Chinese unless the resident chose English with the visible switch; larger forms for staff.

Django's LocaleMiddleware would follow the browser's Accept-Language; a Beijing service site
should open in Simplified Chinese and switch only when asked (the choice is kept in a cookie).
"""

from collections.abc import Callable
from io import BytesIO
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.datastructures import MultiValueDict


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


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
