"""Template filters for bilingual texts, money, and links from citations to the library."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language, gettext, gettext_noop

from eligibility.results import clause_url
from rules.catalogue import Text

register = template.Library()


@register.filter
def t(text: Text | None) -> str:
    """The text in the page's language (Chinese unless English is chosen)."""
    if text is None:
        return ""
    return text.get("en" if (get_language() or "").startswith("en") else "zh")


@register.filter
def money(value: Decimal | None) -> str:
    if value is None:
        return ""
    number = int(value) if value == value.to_integral_value() else value.normalize()
    return f"{number:,}"


PERIODS = {
    "once": gettext_noop("one-off"),
    "month": gettext_noop("a month"),
    "year": gettext_noop("a year"),
}


@register.filter
def per(period: str) -> str:
    return gettext(PERIODS.get(period, period))


@register.filter
def library_url(citation: str) -> str:
    return clause_url(citation)


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key)
