"""Saved result sheets show exactly what was printed: the page, its PDF and the API screen the
saved answers on the saved date against the publication of that day, whatever is published later.
A newer publication is pointed out, and a fresh screening makes a new sheet."""

import datetime as dt
import html as html_lib
import json
import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.utils import timezone

from benefits import snapshot
from eligibility.models import SavedResult
from tests.personas import B5_RESIDENT, SENIOR_AT_HOME

pytestmark = pytest.mark.django_db
SKILLS = "key-group-skills-subsidy"
AS_OF = dt.date(2026, 6, 1)  # the B5 certificate (issued 2026-03-01) is recent on this day
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils not installed"
)


def answered(client, values):
    """Put these answers in the client's session (stored server-side), as the questionnaire does."""
    session = client.session
    session["questionnaire"] = {"answers": values, "skipped": [], "history": []}
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def save_via_api(client, answers, lang="zh", as_of=AS_OF):
    body = {"answers": answers, "as_of": as_of.isoformat(), "lang": lang}
    response = client.post("/api/v1/sheets", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def api_sheet(client, code):
    response = client.get(f"/api/v1/sheets/{code}")
    assert response.status_code == 200
    return response.json()


def api_result(body, slug):
    return next(r for r in body["results"] if r["programme"] == slug)


def pdf_text(client, code, tmp_path, query=""):
    response = client.get(f"/r/{code}/sheet.pdf{query}")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / f"{code}.pdf"
    path.write_bytes(response.content)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def card(page: str, slug: str) -> str:
    """One programme's part of a result sheet page, as text."""
    match = re.search(rf'<article class="sheet-result" id="sheet-{slug}">.*?</article>', page, re.S)
    assert match, slug
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", "", match.group(0))))


def test_saving_from_the_results_page_keeps_the_publication_and_the_api_results(client):
    answered(client, SENIOR_AT_HOME)
    code = client.post("/results/save/").url.split("/")[2]
    saved = SavedResult.objects.get(code=code)
    assert saved.publication_id == snapshot.publication_id(snapshot.get_catalogue())
    screened = client.post(
        "/api/v1/screen",
        json.dumps({"answers": SENIOR_AT_HOME, "lang": "zh"}),
        content_type="application/json",
    ).json()
    assert saved.results == screened["results"]
    assert api_sheet(client, code)["results"] == screened["results"]


@needs_pdftotext
def test_a_later_publication_changes_nothing_on_a_saved_sheet(client, tmp_path, publish_b5):
    saved = save_via_api(client, B5_RESIDENT)
    code = saved["code"]
    assert api_result(saved, SKILLS)["amount"]["value"] == 1000
    page_before = client.get(f"/r/{code}/").content.decode()
    pdf_before = pdf_text(client, code, tmp_path)
    assert "1,000 元 一次性" in card(page_before, SKILLS) and "1,000 元 一次性" in pdf_before
    assert "规则已于" not in page_before and "规则已于" not in pdf_before

    publication = publish_b5(1100)
    fresh = client.post(
        "/api/v1/screen",
        json.dumps({"answers": B5_RESIDENT, "as_of": AS_OF.isoformat()}),
        content_type="application/json",
    ).json()
    assert api_result(fresh, SKILLS)["amount"]["value"] == 1100  # residents now get 1100

    page_after = client.get(f"/r/{code}/").content.decode()
    pdf_after = pdf_text(client, code, tmp_path)
    assert card(page_after, SKILLS) == card(page_before, SKILLS)  # the old figure, unchanged
    assert "1,100" not in page_after and "1,100" not in pdf_after
    assert "1,000 元 一次性" in pdf_after
    day = timezone.localtime(publication.published_at).date().isoformat()
    note = f"规则已于 {day} 更新，本结果单按保存时的规则显示。"
    assert note in html_lib.unescape(page_after)
    assert note.replace(" ", "") in pdf_after.replace(" ", "").replace("\n", "")
    assert api_sheet(client, code) == saved  # the API gives back exactly what was saved

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = html_lib.unescape(client.get(f"/r/{code}/").content.decode())
    assert (
        f"The rules were updated on {day}; this sheet shows the results under the rules of the "
        "day it was saved." in english
    )
    assert "1,000 yuan one-off" in card(english, SKILLS)


def test_a_fresh_screening_makes_a_new_sheet_under_the_new_rules(client, monkeypatch, publish_b5):
    saved = save_via_api(client, B5_RESIDENT)
    publish_b5(1100)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: AS_OF)

    response = client.post(f"/r/{saved['code']}/rescreen/")
    assert response.status_code == 302
    new_code = response.url.split("/")[2]
    assert new_code != saved["code"]
    new_page = client.get(response.url).content.decode()
    assert "1,100 元 一次性" in card(new_page, SKILLS)
    assert "规则已于" not in new_page  # screened against the latest: nothing to point out
    new = api_sheet(client, new_code)
    assert new["publication"] == snapshot.get_catalogue().version != saved["publication"]
    assert api_result(new, SKILLS)["amount"]["value"] == 1100
    assert api_sheet(client, saved["code"]) == saved  # the old sheet never changes
    assert "1,000 元 一次性" in card(client.get(f"/r/{saved['code']}/").content.decode(), SKILLS)
    assert client.get(f"/r/{saved['code']}/rescreen/").status_code == 405


def test_sheets_saved_before_publications_were_recorded_use_the_latest_rules_and_say_so(client):
    old = SavedResult.objects.create(
        as_of=AS_OF,
        lang="zh",
        answers=B5_RESIDENT,
        results=[{"programme": SKILLS, "status": "eligible", "amount": "1000", "period": "once"}],
    )
    page = html_lib.unescape(client.get(f"/r/{old.code}/").content.decode())
    assert "现按最新规则显示" in page and "1,000 元 一次性" in card(page, SKILLS)
    body = api_sheet(client, old.code)
    assert body["publication"] is None
    assert api_result(body, SKILLS)["amount"]["value"] == 1000  # as the page shows it


def test_codes_are_read_in_any_case_with_or_without_dashes(client):
    code = save_via_api(client, B5_RESIDENT)["code"]
    for typed in (code.lower(), code.replace("-", ""), f" {code.lower().replace('-', ' ')} "):
        assert client.get(f"/api/v1/sheets/{typed.strip()}").json()["code"] == code
        assert client.get(f"/r/{typed.strip()}/").status_code == 200


def test_change_answers_starts_the_questionnaire_from_the_sheets_answers(client):
    code = save_via_api(client, SENIOR_AT_HOME)["code"]
    answered(client, {"hukou": "other"})  # answers in progress are replaced
    response = client.post(f"/r/{code}/change/")
    assert response.status_code == 302 and response.url == "/check/answers/"
    assert client.session["questionnaire"]["answers"] == SENIOR_AT_HOME
    assert "1944-03-02" in client.get("/check/answers/").content.decode()


def test_a_sheet_saved_before_any_answer_says_so_rather_than_show_an_empty_table(client):
    code = save_via_api(client, {})["code"]
    page = client.get(f"/r/{code}/").content.decode()
    answers = re.search(r"<h2>您的回答</h2>(.*?)</section>", page, re.S)
    assert answers and "<table" not in answers.group(1) and "无。" in answers.group(1)
    assert (
        "<table"
        in client.get(f"/r/{save_via_api(client, SENIOR_AT_HOME)['code']}/").content.decode()
    )


LABELS = {"met": "符合", "not_met": "不符合", "unknown": "尚不确定"}


def page_reasons(page: str, slug: str) -> list[tuple[str, str]]:
    """(outcome, clause) of each reason a results page shows for a programme."""
    match = re.search(rf'id="result-{slug}">(.*?)</article>', page, re.S)
    assert match, slug
    return re.findall(
        r'class="reason reason-(\w+)">.*?<a class="clause"[^>]*>([^<]*)</a>', match.group(1), re.S
    )


@needs_pdftotext
def test_results_page_and_pdf_give_the_reasons_the_api_gives(client, tmp_path):
    answers = {**SENIOR_AT_HOME, "employment_status": "retired"}
    answered(client, answers)
    page = client.get("/results/").content.decode()
    code = client.post("/results/save/").url.split("/")[2]
    api = client.post(
        "/api/v1/screen", json.dumps({"answers": answers, "lang": "zh"}), "application/json"
    ).json()
    assert api_sheet(client, code)["results"] == api["results"]

    # the reasons are in the appendix, printed when the resident asks for the clause texts
    text = re.sub(r"\s+", "", pdf_text(client, code, tmp_path, "?clauses=1"))
    statuses = {r["status"] for r in api["results"]}
    assert {"eligible", "ineligible"} <= statuses
    for result in api["results"]:
        reasons = [(r["outcome"], r["clause"]) for r in result["reasons"]]
        assert page_reasons(page, result["programme"]) == reasons, result["programme"]
        shown = [r for r in result["reasons"] if result["status"] in ("eligible", "unknown")]
        if result["status"] == "ineligible":  # the sheet names what was not met
            shown = [r for r in result["reasons"] if r["outcome"] == "not_met"]
        for reason in shown:
            line = f"{LABELS[reason['outcome']]}:{reason['requirement']}{reason['clause']}"
            assert re.sub(r"\s+", "", line) in text, (result["programme"], line)
