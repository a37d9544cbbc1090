"""Residents see only what staff have published: every public page, the PDF sheet and every API
endpoint read the latest publication, never the draft staff are editing in the admin.

Staff edit a document's title and full text, a programme's name and summary and a question, and
add a programme and a document, without publishing: none of it shows anywhere public, and
nothing links to the new programme or document. Once published, it shows.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote, unquote, urlsplit

import pytest
from django.conf import settings

from benefits import snapshot
from benefits.loader import publish_draft
from benefits.models import Document, Fact, Programme
from benefits.services import publish_catalogue
from tests.personas import B5_RESIDENT

pytestmark = pytest.mark.django_db

MARK = "DRAFT-ONLY"  # in every edited text, in both languages, and in the new programme's slug
SKILLS = "key-group-skills-subsidy"
SKILLS_DOCUMENT = "京人社能发〔2026〕2号"
NEW_DOCUMENT = "京草〔2099〕1号"
NEW_PROGRAMME = "draft-only-programme"
NEW_PARAGRAPH = "草稿新增段落"  # added to the full text; searched for (a page repeats its query)
AS_OF = dt.date(2026, 6, 1)  # the B5 certificate (issued 2026-03-01) is recent on this day


@pytest.fixture
def draft_edits(db):
    """What a staff member does in the admin before pressing publish."""
    document = Document.objects.get(number=SKILLS_DOCUMENT)
    document.title_zh = f"{MARK} 草稿标题"
    document.title_en = f"{MARK} draft title"
    document.summary_zh = f"{MARK} 草稿摘要"
    document.full_text += f"\n{NEW_PARAGRAPH} {MARK}"
    document.save()
    programme = Programme.objects.get(slug=SKILLS)
    programme.name_zh, programme.name_en = f"{MARK} 技能补贴", f"{MARK} skills subsidy"
    programme.summary_zh, programme.summary_en = f"{MARK} 草稿摘要", f"{MARK} draft summary"
    programme.save()
    Fact.objects.filter(key="hukou").update(
        question_zh=f"{MARK} 户口在哪里？", question_en=f"{MARK} Where is your hukou?"
    )
    new_document = Document.objects.create(
        number=NEW_DOCUMENT,
        title_zh=f"{MARK} 新文件",
        title_en=f"{MARK} new document",
        issue_date=dt.date(2099, 1, 1),
        full_text=f"一、{MARK} 新文件正文",
    )
    new_programme = Programme.objects.create(
        slug=NEW_PROGRAMME,
        name_zh=f"{MARK} 新项目",
        name_en=f"{MARK} new programme",
        summary_zh=f"{MARK} 新项目摘要",
        summary_en=f"{MARK} new programme summary",
        category=Programme.Category.TRAINING,
        document=document,  # listed on a published document's page if the draft leaked
    )
    new_programme.cites.add(new_document)


def publish(django_capture_on_commit_callbacks) -> None:
    """Staff press publish (every persona case still passes)."""
    with django_capture_on_commit_callbacks(execute=True):
        publication, failures = publish_catalogue(user=None, note="Draft edits")
    assert failures == [] and publication is not None


def leaks(text: str) -> list[str]:
    """Whatever of the unpublished draft a response shows."""
    found = [MARK] if MARK.casefold() in text.casefold() else []
    return found + [n for n in (NEW_DOCUMENT, quote(NEW_DOCUMENT)) if n in text]


def answered(client, values=B5_RESIDENT) -> None:
    """The resident's answers in the session (a signed cookie), as the questionnaire keeps them."""
    session = client.session
    session["questionnaire"] = {"answers": values, "skipped": [], "history": []}
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def api_json(client, method: str, path: str, body: dict | None = None):
    if method == "post":
        return client.post(path, json.dumps(body), content_type="application/json")
    return client.get(path)


def saved_sheet_code(client) -> str:
    answered(client)
    response = client.post("/results/save/")
    assert response.status_code == 302
    return response.url.strip("/").split("/")[-1]


def pdf_text(client, code: str, tmp_path) -> str:
    response = client.get(f"/r/{code}/sheet.pdf")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "sheet.pdf"
    path.write_bytes(response.content)
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    return result.stdout


@dataclass(frozen=True)
class Probe:
    """One public page or endpoint; `fetch` gives (status, what the resident or client sees)."""

    fetch: Callable[..., tuple[int, str]]
    before: int = 200  # status while the edits are only in the draft
    shows_after_publishing: bool = True


def page(path: str, with_answers: bool = False) -> Callable[..., tuple[int, str]]:
    def fetch(client, tmp_path):
        if with_answers:
            answered(client)
        response = client.get(path)
        text = response.content.decode()
        if response.status_code == 404:  # the not-found page's forms carry the address typed
            text = text.replace(quote(path), "").replace(path, "")
        return response.status_code, text

    return fetch


def api(method: str, path: str, body: dict | None = None) -> Callable[..., tuple[int, str]]:
    def fetch(client, tmp_path):
        response = api_json(client, method, path, body)
        return response.status_code, response.content.decode()

    return fetch


def sheet_page(client, tmp_path):
    response = client.get(f"/r/{saved_sheet_code(client)}/")
    return response.status_code, response.content.decode()


def sheet_pdf(client, tmp_path):
    return 200, pdf_text(client, saved_sheet_code(client), tmp_path)


def api_sheet(client, tmp_path):
    body = {"answers": B5_RESIDENT, "as_of": AS_OF.isoformat(), "lang": "en"}
    code = api_json(client, "post", "/api/v1/sheets", body).json()["code"]
    response = client.get(f"/api/v1/sheets/{code}?lang=en")
    return response.status_code, response.content.decode()


SCREEN = {"answers": B5_RESIDENT, "as_of": AS_OF.isoformat()}
PROBES = {
    "start": Probe(page("/"), shows_after_publishing=False),  # counts: see the test below
    "question": Probe(page("/check/")),
    "answers": Probe(page("/check/answers/", with_answers=True)),
    "results": Probe(page("/results/", with_answers=True)),
    "programme list": Probe(page("/programmes/")),
    "programme page": Probe(page(f"/programmes/{SKILLS}/")),
    "new programme page": Probe(page(f"/programmes/{NEW_PROGRAMME}/"), before=404),
    "library": Probe(page("/library/")),
    "library search": Probe(page(f"/library/?q={NEW_PARAGRAPH}")),
    "document page": Probe(page(f"/library/{SKILLS_DOCUMENT}/")),
    "new document page": Probe(page(f"/library/{NEW_DOCUMENT}/"), before=404),
    "saved sheet page": Probe(sheet_page),
    "api screen": Probe(api("post", "/api/v1/screen", SCREEN)),
    "api facts": Probe(api("get", "/api/v1/facts")),
    "api openapi": Probe(api("get", "/api/v1/openapi.json")),
    "api programmes": Probe(api("get", "/api/v1/programmes")),
    "api programme": Probe(api("get", f"/api/v1/programmes/{SKILLS}")),
    "api new programme": Probe(api("get", f"/api/v1/programmes/{NEW_PROGRAMME}"), before=404),
    "api documents": Probe(api("get", "/api/v1/documents")),
    "api documents search": Probe(api("get", f"/api/v1/documents?q={NEW_PARAGRAPH}")),
    "api document": Probe(api("get", f"/api/v1/documents/{SKILLS_DOCUMENT}")),
    "api new document": Probe(api("get", f"/api/v1/documents/{NEW_DOCUMENT}"), before=404),
    "api saved sheet": Probe(api_sheet),
}
if shutil.which("pdftotext"):
    PROBES["saved sheet pdf"] = Probe(sheet_pdf)


@pytest.mark.parametrize("probe", PROBES.values(), ids=PROBES.keys())
def test_draft_edits_show_nowhere_public_until_published(
    client, tmp_path, draft_edits, django_capture_on_commit_callbacks, probe
):
    status, seen = probe.fetch(client, tmp_path)
    assert status == probe.before
    assert leaks(seen) == []

    publish(django_capture_on_commit_callbacks)
    status, seen = probe.fetch(client, tmp_path)
    assert status == 200
    if probe.shows_after_publishing:
        assert MARK in seen or MARK.lower() in seen
    else:
        assert leaks(seen) == []


def test_a_sheet_saved_before_publishing_keeps_showing_what_was_published_then(
    client, tmp_path, draft_edits, django_capture_on_commit_callbacks
):
    code = saved_sheet_code(client)
    publish(django_capture_on_commit_callbacks)
    assert leaks(client.get(f"/r/{code}/").content.decode()) == []
    assert MARK in client.get(f"/r/{saved_sheet_code(client)}/").content.decode()


def lead(client) -> str:
    html = client.get("/").content.decode()
    return re.search(r'class="lead">(.*?)</p>', html, re.S).group(1)


def test_the_start_page_counts_published_programmes_only(
    client, draft_edits, django_capture_on_commit_callbacks
):
    published = len(snapshot.get_catalogue().programmes)
    assert f"{published} 项" in lead(client)
    publish(django_capture_on_commit_callbacks)
    assert f"{published + 1} 项" in lead(client)


def test_a_published_document_links_only_published_programmes(
    client, draft_edits, django_capture_on_commit_callbacks
):
    html = client.get(f"/library/{SKILLS_DOCUMENT}/").content.decode()
    assert f'href="/programmes/{SKILLS}/"' in html
    assert NEW_PROGRAMME not in html
    assert client.get(f"/api/v1/documents/{SKILLS_DOCUMENT}").json()["programmes"] == [SKILLS]

    publish(django_capture_on_commit_callbacks)
    html = client.get(f"/library/{SKILLS_DOCUMENT}/").content.decode()
    assert f'href="/programmes/{NEW_PROGRAMME}/"' in html
    listed = client.get(f"/api/v1/documents/{NEW_DOCUMENT}").json()["programmes"]
    assert listed == [NEW_PROGRAMME]  # it cites the new document


# Crawling: no public link leads nowhere --------------------------------------------------------


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def public_links(html: str) -> set[str]:
    """Programme and library pages a page links to (without the #clause)."""
    parser = Links()
    parser.feed(html)
    paths = {unquote(urlsplit(href).path) for href in parser.hrefs if href.startswith("/")}
    return {p for p in paths if p.startswith(("/programmes/", "/library/"))}


def crawl(client, *start: str) -> dict[str, int]:
    """Every programme and library page reachable from `start`, with its status."""
    seen: dict[str, int] = {}
    queue = list(start)
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code == 200:
            queue.extend(public_links(response.content.decode()) - seen.keys())
    return seen


def test_no_public_page_links_to_a_page_that_is_not_there(
    client, draft_edits, django_capture_on_commit_callbacks
):
    """With unpublished edits, after publishing them, and on a sheet saved under earlier rules
    whose source document has since been renumbered (its old number is no longer in the library).
    """
    old_sheet = saved_sheet_code(client)
    start = ("/", "/programmes/", "/library/", "/results/", f"/r/{old_sheet}/")
    unpublished = crawl(client, *start)
    assert {path for path, status in unpublished.items() if status != 200} == set()
    assert f"/programmes/{SKILLS}/" in unpublished and f"/library/{SKILLS_DOCUMENT}/" in unpublished
    assert not any(MARK.lower() in path or NEW_DOCUMENT in path for path in unpublished)

    Document.objects.filter(number=SKILLS_DOCUMENT).update(number="京人社能发〔2026〕20号")
    publish(django_capture_on_commit_callbacks)
    published = crawl(client, *start)
    assert {path for path, status in published.items() if status != 200} == set()
    assert f"/programmes/{NEW_PROGRAMME}/" in published
    assert f"/library/{NEW_DOCUMENT}/" in published
    old = client.get(f"/r/{old_sheet}/").content.decode()
    assert SKILLS_DOCUMENT in old  # the sheet still cites its clauses, as plain text
    assert f"/library/{quote(SKILLS_DOCUMENT)}/" not in old


def test_before_anything_is_published_public_pages_show_an_empty_catalogue(client):
    from benefits.models import Publication

    Publication.objects.all().delete()
    snapshot.invalidate()
    assert "尚未发布" in client.get("/").content.decode()
    assert "尚未发布" in client.get("/programmes/").content.decode()
    assert "尚未发布" in client.get("/library/").content.decode()
    assert client.get(f"/library/{SKILLS_DOCUMENT}/").status_code == 404
    assert client.get(f"/programmes/{SKILLS}/").status_code == 404
    assert client.get("/api/v1/documents").json() == {"documents": []}
    assert client.get("/api/v1/programmes").json() == {"programmes": []}


def test_a_publication_reaches_the_library_on_the_next_request(client, draft_edits):
    """`publish_draft` (as `load_catalogue` does) reaches residents on their next request."""
    publish_draft(note="Loaded")
    assert MARK in client.get(f"/library/{SKILLS_DOCUMENT}/").content.decode()


def test_a_library_search_that_finds_nothing_says_so(client):
    html = client.get("/library/", {"q": "没有这种文件"}).content.decode()
    assert "没有文件包含这些字词" in html
