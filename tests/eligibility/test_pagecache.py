"""The worker's kept pages: filled with each request's CSRF token, bounded in size and age."""

from django.test import RequestFactory

from eligibility import pagecache

FORM = '<form><input name="csrfmiddlewaretoken" value="{}"></form>'


def page(request, key: str, text: str, rendered: list[str]) -> str:
    def render() -> str:
        rendered.append(key)
        return text + FORM.format("first-token")

    return pagecache.cached_page(request, key, render).content.decode()


def test_a_kept_page_is_served_with_each_requests_own_token():
    request, rendered = RequestFactory().get("/results/"), []
    assert page(request, "a", "甲", rendered).endswith('value="first-token"></form>')
    again = page(request, "a", "changed", rendered)
    assert rendered == ["a"] and again.startswith("甲")
    assert "first-token" not in again and pagecache.HOLE not in again
    assert request.META["CSRF_COOKIE"]  # the token served belongs to this request's cookie


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
