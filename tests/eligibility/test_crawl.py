"""A crawl of the public site from the start page, every programme page and the library: every
internal link and `#anchor` resolves, every page has exactly one <h1>, no static asset is missing.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest

from tests.personas import SENIOR_AT_HOME

pytestmark = pytest.mark.django_db
NOT_CRAWLED = ("/admin/", "/api/", "/i18n/")  # staff pages, the API and its docs, forms only


class Page(HTMLParser):
    """The links, asset addresses, ids and <h1> count of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.assets: list[str] = []
        self.ids: set[str] = set()
        self.h1 = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if tag == "h1":
            self.h1 += 1
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if tag in ("link", "script", "img") and (found.get("href") or found.get("src")):
            self.assets.append(found.get("href") or found.get("src") or "")


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def crawl(client, starts: list[str]) -> tuple[dict[str, Page], list[str]]:
    """Every page reachable by links from `starts`, and the problems found on the way."""
    pages: dict[str, Page] = {}
    problems: list[str] = []
    anchors: list[tuple[str, str, str]] = []  # (from, page, fragment)
    assets: set[str] = set()
    queue = deque(starts)
    while queue:
        path = queue.popleft()
        if path in pages:
            continue
        response = client.get(path)
        if response.status_code != 200:
            problems.append(f"{path}: {response.status_code}")
            pages[path] = Page()
            continue
        page = parse(response.content.decode())
        pages[path] = page
        if page.h1 != 1:
            problems.append(f"{path}: {page.h1} <h1>")
        assets.update(urljoin(path, asset) for asset in page.assets)
        for local, fragment in internal_links(path, page):
            if fragment:
                anchors.append((path, local, fragment))
            if not urlsplit(local).path.endswith(".pdf"):
                queue.append(local)
    problems += [
        f"{source} → {target}#{fragment}: no such id"
        for source, target, fragment in anchors
        if fragment not in pages[target].ids
    ]
    problems += [f"asset {a}: missing" for a in sorted(assets) if client.get(a).status_code != 200]
    return pages, problems


def internal_links(path: str, page: Page) -> list[tuple[str, str]]:
    """(path and query, fragment) of each link of `page` to a public page of this site."""
    found = []
    for href in page.links:
        target, fragment = urldefrag(urljoin(path, href))
        parts = urlsplit(target)
        if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(NOT_CRAWLED):
            continue
        found.append((parts.path + (f"?{parts.query}" if parts.query else ""), unquote(fragment)))
    return found


def test_every_link_anchor_and_asset_of_the_public_site_resolves(client, catalogue):
    starts = ["/", "/programmes/", "/library/"]
    starts += [f"/programmes/{programme.slug}/" for programme in catalogue.programmes]
    pages, problems = crawl(client, starts)
    assert problems == []
    library = [path for path in pages if path.startswith("/library/") and path != "/library/"]
    assert len(library) >= 40 and len(pages) >= 75  # the crawl did reach the whole site
    clause_links = sum(
        1 for page in pages.values() for href in page.links if "/library/" in href and "#c-" in href
    )
    assert clause_links > 100


def test_the_resident_pages_with_answers_have_one_h1_and_working_links(client):
    """The pages only a resident with answers sees: question, answers, results, saved sheet."""
    session = client.session
    session["questionnaire"] = {"answers": SENIOR_AT_HOME, "skipped": [], "history": []}
    session.save()
    sheet = client.post("/results/save/").url
    pages, problems = crawl(client, ["/check/", "/check/answers/", "/results/", sheet])
    assert problems == []
    assert {"/check/answers/", "/results/", sheet} <= set(pages)


def test_failure_pages_have_one_h1(client):
    for path, status in (("/no-such-page/", 404), ("/programmes/no-such-programme/", 404)):
        response = client.get(path)
        assert response.status_code == status
        assert parse(response.content.decode()).h1 == 1, path
