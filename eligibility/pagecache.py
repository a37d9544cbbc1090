"""Whole pages cached with a hole where the CSRF token goes.

A page such as the results page is the same for every resident who answered alike (on the same
day, publication, language and text size); only the per-request CSRF token in its forms differs.
The page is rendered once with a hole in place of the token (`render` is given the hole to pass
as the template context's `csrf_token`), and each request fills the hole with its own token, so
forms keep their CSRF protection (and the BREACH masking) while the page is rendered once per
answer set instead of once per request.

Pages are kept in this worker as encoded pieces around the holes (like Django's local-memory
cache, which is per process too, but without pickling and re-encoding a whole page per request),
bounded by their total size and by age.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString

TIMEOUT = 600  # seconds; keys name the publication, so a new one is never served stale
MAX_BYTES = 16 * 1024 * 1024  # all pages kept by one worker (a results page is about 60 kB)
# The hole, given to `render` as safe text: put in the page as it is, while any text from the
# request that spells it (an address) is escaped ("&lt;…") and so is never taken for it.
HOLE = SafeString("<csrf-token-hole>")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="(?!' + re.escape(HOLE) + ")")

Pieces = tuple[bytes, ...]  # the page's bytes around its holes
_pages: OrderedDict[str, tuple[float, int, Pieces]] = OrderedDict()  # key: (stored at, size, …)
_size = 0
_lock = threading.Lock()


def page_key(*parts: str) -> str:
    return "page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def cached_page(request: HttpRequest, key: str, render: Callable[[str], str]) -> HttpResponse:
    """The page under `key`, rendered by `render(HOLE)` on a miss, with this request's token."""
    pieces = _kept(key)
    if pieces is None:
        html = render(HOLE)
        if TOKEN.search(html):  # a form's token not from the context: never share it
            raise ValueError("a cached page's CSRF tokens must come from its context")
        pieces = tuple(piece.encode() for piece in html.split(HOLE))
        _keep(key, pieces)
    return HttpResponse(get_token(request).encode().join(pieces))


def _kept(key: str) -> Pieces | None:
    with _lock:
        entry = _pages.get(key)
        if entry is None:
            return None
        if time.monotonic() - entry[0] > TIMEOUT:
            _drop(key)
            return None
        _pages.move_to_end(key)
        return entry[2]


def _keep(key: str, pieces: Pieces) -> None:
    global _size
    size = sum(len(p) for p in pieces)
    with _lock:
        if key in _pages:
            _drop(key)
        _pages[key] = (time.monotonic(), size, pieces)
        _size += size
        while _size > MAX_BYTES and len(_pages) > 1:
            _drop(next(iter(_pages)))


def _drop(key: str) -> None:
    global _size
    _size -= _pages.pop(key)[1]


def clear() -> None:
    """Forget every page (tests: rendered pages belong to one test)."""
    global _size
    with _lock:
        _pages.clear()
        _size = 0
