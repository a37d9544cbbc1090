"""The results page leads with a summary (what, how much, what next) and keeps each
programme's reasons and how to apply one click away; the result sheet of a typical resident
prints on two pages, with the clause texts in an appendix only when asked for."""

import re
import shutil
import subprocess

import pytest
from django.conf import settings

from eligibility.models import SavedResult
from tests.personas import GRADUATE_2025
from tests.programmes.walk import PERSONA_35_UNEMPLOYED, PERSONA_80_MODERATE

pytestmark = pytest.mark.django_db
TYPICAL = {"80": PERSONA_80_MODERATE, "35": PERSONA_35_UNEMPLOYED, "graduate": GRADUATE_2025}


def answered(client, values):
    session = client.session
    session["questionnaire"] = {"answers": values, "skipped": [], "history": []}
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def test_the_summary_comes_first_with_what_how_much_and_what_next(client):
    answered(client, PERSONA_80_MODERATE)
    html = client.get("/results/").content.decode()
    summary = html[html.index('id="h-summary"') : html.index('id="h-eligible"')]
    assert "结果一览" in summary and "接下来怎么做" in summary
    assert "您现在可以申请 2 项" in summary
    assert re.search(
        r'<a href="#result-elderly-care-consumption-subsidy">'
        r"养老服务消费补贴（中度以上失能老年人）</a>"
        r"：最高 <strong>800 元</strong> 每月 · 2026-12-31 前申请",
        summary,
    ), summary
    assert "另有 6 项您可能符合" in summary
    assert "保存并打印结果单" in summary  # the next step is a button right there
    for slug in re.findall(r'href="#result-([a-z0-9-]+)"', summary):
        assert f'id="result-{slug}"' in html


def test_each_programmes_reasons_and_how_to_apply_are_collapsed(client):
    answered(client, PERSONA_80_MODERATE)
    html = client.get("/results/").content.decode()
    cards = re.findall(
        r'<article class="result-card result-(eligible|unknown)".*?</article>', html, re.S
    )
    assert len(cards) == 8
    for card in re.findall(
        r'<article class="result-card result-(?:eligible|unknown)".*?</article>', html, re.S
    ):
        opened = card.index('<details class="result-more">')
        assert card.index('<ul class="reasons">') > opened
        assert card.index('class="how-to-apply"') > opened
    # the programmes that are not for you, and those ended, are one click away too
    assert re.search(r'id="h-ineligible">.*?</h2>\s*<details class="result-group">', html, re.S)
    assert re.search(r'id="h-inactive">.*?</h2>\s*<details class="result-group">', html, re.S)


def test_the_summary_says_so_when_nothing_is_confirmed_yet(client):
    html = client.get("/results/").content.decode()
    assert "根据目前的回答，还不能确认您符合哪一项。" in html


def pdf_pages(client, url: str, tmp_path) -> tuple[int, str]:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(client.get(url).content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return pages, text


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("persona", TYPICAL.values(), ids=TYPICAL.keys())
def test_a_typical_residents_sheet_prints_on_two_pages(client, persona, tmp_path):
    answered(client, persona)
    client.post("/results/save/")
    code = SavedResult.objects.get().code
    pages, text = pdf_pages(client, f"/r/{code}/sheet.pdf", tmp_path)
    assert pages <= 2, pages
    assert code in text and "条款原文" not in text
    with_clauses, text = pdf_pages(client, f"/r/{code}/sheet.pdf?clauses=1", tmp_path)
    assert with_clauses > pages
    assert "附：判断依据和公报条款原文" in text


def test_the_clause_texts_are_one_link_away_on_the_sheet(client):
    answered(client, PERSONA_80_MODERATE)
    url = client.post("/results/save/").url
    html = client.get(url).content.decode()
    assert "下载 PDF（附条款原文）" in html and 'id="appendix"' not in html
    assert "经能力评估为中度、重度、完全失能的本市户籍老年人" not in html
    html = client.get(url, {"clauses": "1"}).content.decode()
    assert 'id="appendix"' in html
    assert "经能力评估为中度、重度、完全失能的本市户籍老年人" in html  # 京民发〔2026〕6号 一(一)
