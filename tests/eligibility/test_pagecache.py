"""The worker's kept pages: filled with each request's CSRF token, bounded in size and age."""

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import RequestFactory

from eligibility import pagecache

FORM = '<form><input name="csrfmiddlewaretoken" value="{}"></form>'


def page(request, key: str, text: str, rendered: list[str]) -> str:
    def render(csrf_token: str) -> str:
        rendered.append(key)
        return text + FORM.format(csrf_token)

    return pagecache.cached_page(request, key, render).content.decode()


def token(html: str) -> str:
    return html.rsplit('value="', 1)[1].split('"')[0]


def test_a_kept_page_is_served_with_each_requests_own_token():
    resident, other, rendered = RequestFactory().get("/"), RequestFactory().get("/"), []
    first = page(resident, "a", "甲", rendered)
    again = page(other, "a", "changed", rendered)
    assert rendered == ["a"] and first.startswith("甲") and again.startswith("甲")
    assert pagecache.HOLE not in first + again
    assert _unmask_cipher_token(token(first)) == resident.META["CSRF_COOKIE"]
    assert _unmask_cipher_token(token(again)) == other.META["CSRF_COOKIE"]
    assert resident.META["CSRF_COOKIE"] != other.META["CSRF_COOKIE"]


def test_a_page_whose_form_carries_a_real_token_is_never_kept():
    def render(csrf_token: str) -> str:
        return FORM.format("someone-elses-token")

    with pytest.raises(ValueError):
        pagecache.cached_page(RequestFactory().get("/"), "a", render)


def test_the_least_recently_used_pages_go_when_the_size_limit_is_reached(monkeypatch):
    monkeypatch.setattr(pagecache, "MAX_BYTES", 350)  # three of these pages (116 bytes each)
    request, rendered = RequestFactory().get("/results/"), []
    for key in ["a", "b", "c"]:
        page(request, key, key * 60, rendered)
    page(request, "a", "", rendered)  # kept; now the most recently used
    page(request, "d", "d" * 60, rendered)  # over the limit: "b" goes
    page(request, "b", "b" * 60, rendered)  # and "c"
    page(request, "a", "", rendered)
    page(request, "d", "", rendered)
    assert rendered == ["a", "b", "c", "d", "b"]


def test_a_page_is_rendered_again_after_ten_minutes(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock[0])
    request, rendered = RequestFactory().get("/results/"), []
    page(request, "a", "old", rendered)
    clock[0] += pagecache.TIMEOUT
    assert page(request, "a", "new", rendered).startswith("old")
    clock[0] += 1
    assert page(request, "a", "new", rendered).startswith("new")
    assert rendered == ["a", "a"]
