"""The resident pages through Django's test client: questions, errors, answers, results,
saved sheets, language and elderly mode. (Browser walks are in tests/browser.)"""

import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from eligibility.models import SavedResult
from eligibility.pagecache import HOLE
from tests.personas import SENIOR_AT_HOME

pytestmark = pytest.mark.django_db
RETIRED_SENIOR = {**SENIOR_AT_HOME, "employment_status": "retired"}


def page_keys(response):
    return re.findall(r'name="page" value="([a-z_0-9]+)"', response.content.decode())


def answered(client, values):
    """Put these answers in the client's session (stored server-side), as the questionnaire does."""
    session = client.session
    session["questionnaire"] = {"answers": values, "skipped": [], "history": []}
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def answer(client, values, skip=()):
    keys = page_keys(client.get("/check/"))
    data = {"page": keys, "skip": [k for k in keys if k in skip]}
    data.update({k: v for k, v in values.items() if k in keys})
    return client.post("/check/", data), keys


def test_start_page_explains_what_it_does_without_asking_for_identity(client):
    html = client.get("/").content.decode()
    assert "查一查您能享受的北京惠民政策" in html
    assert "不会询问您的姓名、电话或身份证号" in html
    assert 'lang="zh-Hans"' in html


def test_first_page_asks_date_of_birth_and_hukou_together(client):
    assert page_keys(client.get("/check/")) == ["birth_date", "hukou"]


def test_invalid_answers_get_a_summary_and_messages_and_keep_what_was_typed(client):
    response = client.post("/check/", {"page": ["birth_date", "hukou"], "birth_date": "1950-02-30"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "请修改以下问题" in html  # the error summary
    assert 'href="#id_birth_date"' in html and 'href="#id_hukou_0"' in html
    assert "请填写有效日期" in html
    assert "请回答这个问题，或勾选“跳过”。" in html
    assert 'value="1950-02-30"' in html  # nothing the resident typed is lost


def test_errors_are_in_english_after_switching(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post(
        "/check/", {"page": ["birth_date", "hukou"], "birth_date": "yesterday", "hukou": "beijing"}
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a real date as YYYY-MM-DD" in html


def test_answers_move_to_the_next_question_and_back_keeps_them(client):
    response, _ = answer(client, {"birth_date": "1944-03-02", "hukou": "beijing"})
    assert response.status_code == 302
    second = client.get("/check/")
    assert page_keys(second) != ["birth_date", "hukou"]
    back = client.get("/check/?q=birth_date&q=hukou")
    html = back.content.decode()
    assert 'value="1944-03-02"' in html
    assert re.search(r'value="beijing"[^>]*checked', html)


def test_skipped_questions_are_not_asked_again(client):
    answer(client, {"birth_date": "1944-03-02"}, skip={"hukou"})
    answers_page = client.get("/check/answers/").content.decode()
    assert "您跳过的问题" in answers_page and "您的户籍在哪里？" in answers_page
    for _ in range(30):
        keys = page_keys(client.get("/check/"))
        assert "hukou" not in keys
        if not keys:
            break
        answer(client, {}, skip=set(keys))


def test_htmx_post_returns_the_next_question_panel_and_side_panel(client):
    response = client.post(
        "/check/",
        {"page": ["birth_date", "hukou"], "birth_date": "1944-03-02", "hukou": "beijing"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # a fragment, swapped in place
    assert 'id="questionnaire-panel"' in html
    assert 'id="side-panel"' in html and 'hx-swap-oob="true"' in html
    assert response.headers["HX-Push-Url"].startswith("/check/?q=")


def test_check_your_answers_lists_each_answer_with_a_change_link(client):
    answer(client, {"birth_date": "1944-03-02", "hukou": "beijing"})
    html = client.get("/check/answers/").content.decode()
    assert "1944-03-02" in html and "北京市户籍" in html
    assert 'href="/check/?q=hukou"' in html


def test_answers_show_money_and_lists_in_the_page_language(client):
    answered(
        client,
        {
            **SENIOR_AT_HOME,
            "monthly_pension": 3500.0,
            "household_monthly_income": 12345.5,
            "receives": ["te_kun", "di_bao"],
        },
    )
    html = client.get("/check/answers/").content.decode()
    assert "3,500 元" in html and "12,345.5 元" in html
    assert "特困人员供养、最低生活保障（低保）" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/check/answers/").content.decode()
    assert "3,500 yuan" in html and "12,345.5 yuan" in html
    assert "Support for persons in extreme poverty (特困), Minimum living allowance (低保)" in html
    answered(client, {**SENIOR_AT_HOME, "receives": []})
    assert re.search(r"<dd>None</dd>", client.get("/check/answers/").content.decode())
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert re.search(r"<dd>无</dd>", client.get("/check/answers/").content.decode())


def test_results_group_the_programmes(client):
    answer(client, {"birth_date": "1944-03-02", "hukou": "beijing"})
    html = client.get("/results/").content.decode()
    for heading in ("您现在可以申请", "您可能符合——请核实", "不适用于您", "已结束或尚未开始"):
        assert heading in html


def test_saving_creates_a_reference_code_that_expires_after_90_days(client):
    answer(client, {"birth_date": "1944-03-02", "hukou": "beijing"})
    response = client.post("/results/save/")
    saved = SavedResult.objects.get()
    assert re.fullmatch(r"BJ(-[2-9A-HJKMNP-Z]{5}){3}", saved.code)  # 31**15 > 2**60 codes
    assert response.url == f"/r/{saved.code}/"
    assert saved.answers == {"birth_date": "1944-03-02", "hukou": "beijing"}
    assert {r["programme"] for r in saved.results} >= {"elderly-care-consumption-subsidy"}
    assert dt.timedelta(days=89) < saved.expires_at - timezone.now() <= dt.timedelta(days=90)
    sheet = client.get(response.url).content.decode()
    assert saved.code in sheet and "<svg" in sheet  # the QR code
    saved.expires_at = timezone.now() - dt.timedelta(seconds=1)
    saved.save()
    assert client.get(response.url).status_code == 404
    call_command("purge_expired_results", verbosity=0)
    assert not SavedResult.objects.exists()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_sheet_holds_the_reference_code_programme_names_and_amounts(client, tmp_path):
    answered(client, RETIRED_SENIOR)
    saved_url = client.post("/results/save/").url
    code = SavedResult.objects.get().code
    response = client.get(f"{saved_url}sheet.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert code in text
    assert "养老服务消费补贴（中度以上失能老年人）" in text
    assert "最高 800 元 每月" in text
    assert "京民发〔2026〕6号" in text


def test_elderly_mode_is_remembered_across_pages(client):
    response = client.post("/preferences/elderly-mode/", {"next": "/library/"})
    assert response.url == "/library/"
    assert '<html lang="zh-Hans" class="elderly">' in client.get("/").content.decode()
    client.post("/preferences/elderly-mode/", {"next": "https://evil.example/"})
    assert 'class="elderly"' not in client.get("/").content.decode()


def test_chinese_by_default_whatever_the_browser_prefers(client):
    html = client.get("/", headers={"Accept-Language": "en-US,en"}).content.decode()
    assert 'lang="zh-Hans"' in html


def test_library_search_and_clause_anchors(client):
    html = client.get("/library/", {"q": "重点群体"}).content.decode()
    assert "京人社能发〔2026〕2号" in html
    document = client.get("/library/京人社能发〔2026〕2号/").content.decode()
    assert 'id="c-一(一)"' in document and 'id="c-三(一)"' in document
    assert client.get("/library/京X〔0〕0号/").status_code == 404


def test_programme_page_links_each_requirement_to_its_clause(client):
    html = client.get("/programmes/key-group-skills-subsidy/").content.decode()
    assert "/library/%E4%BA%AC%E4%BA%BA%E7%A4%BE%E8%83%BD%E5%8F%91" in html
    assert "#c-%E4%B8%80%28%E4%B8%80%29" in html  # #c-一(一)
    assert "养老护理员" in html  # the full occupation table
    assert client.get("/programmes/no-such-programme/").status_code == 404


def test_every_clause_link_on_a_programme_page_lands_on_its_clause(client, catalogue):
    """One anchor scheme: "第10条" on a programme page is the id the library gives item 10."""
    from urllib.parse import unquote

    link = re.compile(r'href="/library/([^"#/]+)/#([^"]+)"')
    pages: dict[str, str] = {}
    checked = 0
    for programme in catalogue.programmes:
        html = client.get(f"/programmes/{programme.slug}/").content.decode()
        for number, anchor in link.findall(html):
            if number not in pages:
                pages[number] = client.get(f"/library/{number}/").content.decode()
            assert f'id="{unquote(anchor)}"' in pages[number], (programme.slug, unquote(anchor))
            checked += 1
    assert checked > 100
    assert (
        "#c-%E7%AC%AC10%E6%9D%A1"
        in client.get(  # #c-第10条, item 10 of the measures
            "/programmes/chronic-disease-long-prescription/"
        ).content.decode()
    )


def test_residents_who_answered_alike_share_a_results_page_but_not_a_csrf_token():
    """The results page is cached per answer set; each resident's forms carry their own
    token, and the token in a cached page is accepted when the resident saves a sheet."""
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    pages = []
    for _ in range(2):
        resident = Client(enforce_csrf_checks=True)
        resident.get("/check/")  # the questionnaire sets the CSRF cookie
        keys = page_keys(resident.get("/check/"))
        html = resident.get("/check/").content.decode()
        data = {
            "csrfmiddlewaretoken": token.search(html).group(1),
            "page": keys,
            "birth_date": "1944-03-02",
            "hukou": "beijing",
        }
        assert resident.post("/check/", data).status_code == 302
        page = resident.get("/results/").content.decode()
        pages.append(page)
        tokens = set(token.findall(page))
        assert len(tokens) == 1 and "hole" not in next(iter(tokens))
        saved = resident.post("/results/save/", {"csrfmiddlewaretoken": tokens.pop()})
        assert saved.status_code == 302 and saved.url.startswith("/r/BJ-")
    assert pages[0] != pages[1]
    assert token.sub("", pages[0]) == token.sub("", pages[1])


@pytest.mark.parametrize("name", ["eligible_cards", "no_such_group"])
def test_an_address_that_spells_a_kept_pages_holes_is_shown_as_typed(client, name):
    """A kept page has holes for the cards and the CSRF token: text from the request (the
    address, in the language switch's `next`) must never be taken for one (a 500, cards or the
    token put into the address)."""
    answered(client, RETIRED_SENIOR)
    typed = f"results-place-{name}-5e07 <results-place {name}> <csrf-token-hole> {HOLE}"
    response = client.get("/results/", {"x": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="result-card') == len(
        set(re.findall(r'id="result-([\w-]+)"', page))
    )  # every card once: none put into the address
    assert "results-place-" + name in page  # the address, as typed (escaped)
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) == 3 and not any(token in page.replace(token, "", 3) for token in tokens)


def test_results_page_follows_language_text_size_and_answers_not_a_cached_copy(client):
    answered(client, RETIRED_SENIOR)
    assert "您现在可以申请" in client.get("/results/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/results/"})
    english = client.get("/results/").content.decode()
    assert "You can apply now" in english and 'class="elderly"' not in english
    client.post("/preferences/elderly-mode/", {"next": "/results/"})
    assert '<html lang="en" class="elderly">' in client.get("/results/").content.decode()
    eligible = re.compile(r'id="h-eligible">You can apply now <span class="count">\((\d+)\)')
    assert eligible.search(client.get("/results/").content.decode()).group(1) != "0"
    client.post("/check/", {"page": ["birth_date"], "birth_date": "2003-05-01"})
    assert eligible.search(client.get("/results/").content.decode()).group(1) == "0"


def test_programme_page_marks_next_years_row_with_its_start_date(client, publish_dated_b5):
    """京人社能发〔2026〕2号 二: staff entered next year's standard ahead; the page shows this
    year's row until it ends and next year's row with the day it starts."""
    import datetime as dt

    from django.utils import timezone

    start = timezone.localdate() + dt.timedelta(days=30)
    publish_dated_b5(start)
    html = client.get("/programmes/key-group-skills-subsidy/").content.decode()
    last = start - dt.timedelta(days=1)
    assert (
        f'<td>1000 <span class="small row-period">至{last.year}年{last.month}月{last.day}日止'
        in html
    )
    assert (
        f'<td>1100 <span class="small row-period">自{start.year}年{start.month}月{start.day}日起'
        in html
    )
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/programmes/key-group-skills-subsidy/").content.decode()
    assert f"from {start.day} {start:%B} {start.year}</span>" in html
