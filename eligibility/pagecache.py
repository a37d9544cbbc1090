"""Whole pages cached with a hole where the CSRF token goes.

A page such as the results page is the same for every resident who answered alike (on the same
day, publication, language and text size); only the per-request CSRF token in its forms differs.
The page is cached once with a hole in place of the token, and each request fills the hole with
its own token, so forms keep their CSRF protection (and the BREACH masking) while the page is
rendered once per answer set instead of once per request.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

TIMEOUT = 600  # seconds; keys name the publication, so a new one is never served stale
HOLE = "csrf-token-hole-4c1d9e"  # no token contains "-": the two never collide
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def page_key(*parts: str) -> str:
    return "page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def cached_page(request: HttpRequest, key: str, render: Callable[[], str]) -> HttpResponse:
    """The page under `key`, rendered by `render()` on a miss, with this request's token."""
    page = cache.get(key)
    if page is None:
        html = render()
        cache.set(key, TOKEN.sub(rf"\g<1>{HOLE}\g<2>", html), TIMEOUT)
        return HttpResponse(html)
    return HttpResponse(page.replace(HOLE, get_token(request)))
