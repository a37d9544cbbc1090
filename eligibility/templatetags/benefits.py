"""Template filters for bilingual texts, amounts of money, and links from citations to the
published library. Amounts are formatted by `eligibility.formatting`, as in the API."""

import datetime as dt
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from benefits.selectors import in_library
from eligibility import cards
from eligibility.formatting import active_lang, format_amount_html, format_long_date
from eligibility.results import clause_url
from rules.catalogue import Programme, Text
from rules.engine import Reason

register = template.Library()


@register.filter
def t(text: Text | None) -> str:
    """The text in the page's language (Chinese unless English is chosen)."""
    if text is None:
        return ""
    return text.get(active_lang())


@register.simple_tag
def amount(value: Decimal | None, period: str = "", up_to: bool = False) -> SafeString | str:
    """{% amount value period up_to %}: e.g. 最高 <strong>800 元</strong> 每月."""
    if value is None:
        return ""
    return format_amount_html(value, period, up_to=up_to)


@register.simple_tag
def clause_link(citation: str, title: Text | None = None, css: str = "clause") -> SafeString:
    """{% clause_link citation %}: the citation linked to its clause in the policy library
    (followed by the document's `title` when given).

    Plain text when the published library does not hold the document, as on a sheet saved under
    earlier rules: a public page never links to a page that is not there.
    """
    label = f"{citation} {t(title)}" if title else citation
    attributes = format_html(' class="{}"', css) if css else ""
    number, _, _clause = citation.partition(" ")
    if not in_library(number):
        return format_html("<span{}>{}</span>", attributes, label)
    return format_html('<a{} href="{}">{}</a>', attributes, clause_url(citation), label)


@register.simple_tag
def reason_item(reason: Reason) -> SafeString:
    """{% reason_item reason %}: one line of a "Why" list (eligibility/_reason.html), rendered
    once per requirement, outcome and language (`eligibility.cards.reason_item`)."""
    return cards.reason_item(reason)


@register.simple_tag
def how_to_apply(programme: Programme, deadlines: tuple) -> SafeString:
    """{% how_to_apply programme deadlines %}: as including eligibility/_how_to_apply.html,
    rendered once per programme, deadlines and language (`eligibility.cards.how_to_apply`)."""
    return cards.how_to_apply(programme, tuple(deadlines))


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key)


@register.filter
def long_date(day: dt.date | None) -> str:
    """{{ day|long_date }}: 2027年1月1日 / 1 January 2027."""
    return "" if day is None else format_long_date(day)
