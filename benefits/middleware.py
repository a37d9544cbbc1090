"""Make every worker pick up a new publication within `CATALOGUE_CHECK_SECONDS`."""

import contextlib
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from benefits import snapshot


class PublishedCatalogueMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # With the database down, keep screening on the snapshot already in memory.
        with contextlib.suppress(DatabaseError):
            snapshot.refresh_if_due()
        return self.get_response(request)
