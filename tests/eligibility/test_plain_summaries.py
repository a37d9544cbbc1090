"""Each programme has a one-line summary in a resident's words (what it is, for whom, how
much), shown first on its page, in the list and on the results; the gazette's fuller account
stays one click away."""

import re

import pytest
from django.utils import timezone

from tests.programmes.walk import PERSONA_80_MODERATE

pytestmark = pytest.mark.django_db


def test_every_programme_has_a_short_plain_summary_in_both_languages(catalogue):
    for programme in catalogue.programmes_on(timezone.localdate()):
        plain = programme.plain
        assert plain.zh and plain.en, programme.slug
        assert "\n" not in plain.zh + plain.en, programme.slug
        assert len(plain.zh) <= 130, (programme.slug, len(plain.zh))  # one line, not a notice
        assert len(plain.zh) < len(programme.summary.zh), programme.slug
        assert not re.search(r"[{}]|\?\s*(元|yuan)", plain.zh + plain.en), programme.slug


def test_the_programme_page_leads_with_the_plain_summary_and_folds_the_gazettes(client):
    html = client.get("/programmes/elderly-care-consumption-subsidy/").content.decode()
    lead = html.index('class="lead plain-summary"')
    assert lead < html.index('class="mb-3 formal-summary"') < html.index("谁可以享受")
    assert "居家社区服务抵50%，每月最多800元" in html[lead:]
    formal = html[html.index('class="mb-3 formal-summary"') :]
    assert "<summary>公报原文怎么说</summary>" in formal[:200]
    assert "可用“民政通”电子消费券抵扣" in formal


def test_the_list_and_the_results_show_the_plain_summary(client, catalogue):
    listing = client.get("/programmes/").content.decode()
    assert "孤儿、弃婴每人每月领2650元生活费" in listing
    session = client.session
    session["questionnaire"] = {"answers": PERSONA_80_MODERATE, "skipped": [], "history": []}
    session.save()
    results = client.get("/results/").content.decode()
    card = results[results.index('id="result-elderly-care-consumption-subsidy"') :]
    assert card.index('class="plain-summary"') < card.index('class="amount"')


def test_the_plain_summary_is_in_english_too(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/programmes/children-in-need-allowance/").content.decode()
    assert "Orphans and abandoned infants receive a living allowance of 2,650 yuan" in html
    assert "As the gazette puts it" in html
