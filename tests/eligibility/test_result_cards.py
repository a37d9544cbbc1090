"""The results page's memoized result cards and summary lines (eligibility.cards) are exactly
what including their templates in the whole page context gives, for any answers and language."""

import datetime as dt
from dataclasses import replace

import pytest
from django.template import RequestContext, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from hypothesis import given

from benefits.snapshot import get_catalogue
from eligibility import cards
from eligibility.questionnaire import Questionnaire
from eligibility.sheet_page import results_context
from rules import engine
from rules.catalogue import Text
from tests.eligibility.test_properties import SETTINGS, answer_sets

pytestmark = pytest.mark.django_db
INCLUDED = Template('{% include "eligibility/_result.html" %}')
SUMMARY = Template('{% include "eligibility/_summary_item.html" %}')
# How results.html folded a card away inline, before _result_collapsed.html:
FOLDED = (
    '{% load i18n benefits %}<details class="result-collapsed">\n'
    "    <summary>{{ result.programme.name|t }}LABEL</summary>\n"
    '    {% include "eligibility/_result.html" %}\n'
    "  </details>"
)
COLLAPSED = {
    "ineligible": Template(FOLDED.replace("LABEL", "")),
    "inactive": Template(
        FOLDED.replace(
            "LABEL",
            "{% if result.programme.period_end %} — {% blocktranslate with "
            'end=result.programme.period_end|date:"Y-m-d" %}ended {{ end }}'
            "{% endblocktranslate %}{% endif %}",
        )
    ),
}


def page_request():
    request = RequestFactory().get("/results/", HTTP_COOKIE="elderly_mode=1")
    request.session = {}
    return request


def included_card(request, context: dict, result) -> str:
    """As results.html included it: in the page's context, `deciding` the unknown result's
    questions (or None for an eligible one, the whole mapping for the others)."""
    deciding = context["deciding"]
    if result.status == "unknown":
        deciding = deciding.get(result.programme.slug)
    elif result.status == "eligible":
        deciding = None
    page = RequestContext(request, {**context, "result": result, "deciding": deciding})
    return INCLUDED.render(page)


def included_summary(request, context: dict, result) -> str:
    """As results.html included a summary line (for eligible and unknown results only)."""
    if result.status not in ("eligible", "unknown"):
        return ""
    return SUMMARY.render(RequestContext(request, {**context, "result": result}))


def included_collapsed(request, context: dict, result) -> str:
    if result.status in ("eligible", "unknown"):
        return ""
    return COLLAPSED[result.status].render(RequestContext(request, {**context, "result": result}))


def screened(catalogue, drawn):
    """The screening a results page shows for answers drawn by `answer_sets`."""
    raw, as_of = drawn
    state = {"questionnaire": {"answers": raw, "skipped": [], "history": []}}
    return Questionnaire(state, catalogue).screen(as_of)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_memoized_card_is_the_card_the_page_would_include(language):
    catalogue = get_catalogue()

    @SETTINGS
    @given(drawn=answer_sets())
    def check(drawn):
        context = results_context(catalogue, screened(catalogue, drawn))
        request = page_request()
        rendered = cards.result_cards(catalogue, context)  # rendered now, or kept from before
        kept = cards.result_cards(catalogue, context)  # kept
        for result in context["screening"].results:
            slug = result.programme.slug
            plain = included_card(request, context, result)
            assert rendered[slug].card == kept[slug].card == plain
            summary = included_summary(request, context, result)
            assert rendered[slug].summary == kept[slug].summary == summary
            collapsed = included_collapsed(request, context, result)
            assert rendered[slug].collapsed == kept[slug].collapsed == collapsed

    with translation.override(language):
        cards.forget_cards()
        check()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_kept_reason_lines_and_how_to_apply_are_those_rendered_afresh(language):
    catalogue = get_catalogue()

    @SETTINGS
    @given(drawn=answer_sets())
    def check(drawn):
        screening = screened(catalogue, drawn)
        reasons = [reason for result in screening.results for reason in result.reasons]
        applying = [(result.programme, result.deadlines) for result in screening.results]
        kept = [cards.reason_item(reason) for reason in reasons]  # many kept from before
        kept_applying = [cards.how_to_apply(*args) for args in applying]
        cards.forget_cards()
        assert kept == [cards.reason_item(reason) for reason in reasons]
        assert kept_applying == [cards.how_to_apply(*args) for args in applying]

    with translation.override(language):
        check()


@pytest.mark.parametrize(("language", "elderly"), [("zh-hans", False), ("en", True)])
def test_a_page_built_on_a_kept_frame_is_the_page_rendered_whole(language, elderly):
    """Pages of different residents share frames (one screening date: their group sizes
    repeat); each is what rendering results.html with its cards gives."""
    catalogue = get_catalogue()
    request = RequestFactory().get("/results/", HTTP_COOKIE=f"elderly_mode={int(elderly)}")
    request.session = {}

    @SETTINGS
    @given(drawn=answer_sets())
    def check(drawn):
        screening = screened(catalogue, (drawn[0], dt.date(2026, 11, 22)))
        context = results_context(catalogue, screening)
        context.update(cards.page_cards(catalogue, context), csrf_token="token")
        whole = render_to_string(cards.PAGE_TEMPLATE, context, request)
        assert cards.results_page(request, catalogue, screening, "token", elderly) == whole

    with translation.override(language):
        cards.forget_cards()
        check()


@pytest.mark.parametrize("status", ["eligible", "unknown", "ineligible", "inactive"])
def test_a_cards_key_holds_its_deadline_dates_exactly_when_the_card_shows_them(status):
    """Only cards that say how to apply show deadline dates: for those the date is part of the
    key; the others are shared by residents whose dates differ."""
    catalogue = get_catalogue()
    as_of = dt.date(2026, 11, 22)
    screening = screened(catalogue, ({}, as_of))
    result = next(r for r in screening.results if r.programme.deadlines)
    deadline = engine.PersonalDeadline(Text("证书核发后一年内申请", "Apply"), "clause", None)
    one, other = (
        replace(result, status=status, deadlines=(replace(deadline, date=day),))
        for day in (dt.date(2027, 4, 29), dt.date(2027, 5, 30))
    )
    with translation.override("en"):
        cards_one = cards.render_card(one, None, {})
        cards_other = cards.render_card(other, None, {})
        shown = "2027-04-29" in cards_one.card + cards_one.summary
        keys_differ = cards.card_key("v", as_of, one, None) != cards.card_key(
            "v", as_of, other, None
        )
    assert shown is (status in cards.APPLYING) is keys_differ
    assert (cards_one == cards_other) is not shown
