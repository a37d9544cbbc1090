"""Amounts of money and their periods, the one formatter for pages, the result sheet (HTML and
PDF) and the JSON API; and the catalogue language that goes with the active Django language.

Words come from the gettext catalogue (locale/), never from conditionals on the language:
"%(amount)s yuan" is "%(amount)s 元" in Chinese. Render for another language with
`django.utils.translation.override`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop, pgettext

Number = Decimal | int | float | str

# An amount and how often it is paid; translators may move the amount within the phrase.
PERIODS = {
    "once": gettext_noop("%(amount)s one-off"),
    "month": gettext_noop("%(amount)s a month"),
    "year": gettext_noop("%(amount)s a year"),
}


def active_lang() -> str:
    """The catalogue language (`Text.get`) for the active Django language: Chinese unless
    English is chosen."""
    return "en" if (get_language() or "").startswith("en") else "zh"


def _decimal(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def money_number(value: Number | None) -> int | float | None:
    """An amount as a JSON number: an integer when it is whole (1245, 1245.5)."""
    if value is None:
        return None
    value = _decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def format_money(value: Number | None) -> str:
    """An amount with thousands separators and no trailing zeros ("1,245", "1,245.5")."""
    if value is None:
        return ""
    value = _decimal(value)
    number = int(value) if value == value.to_integral_value() else value.normalize()
    return f"{number:,}"


def format_yuan(value: Number) -> str:
    """An amount in yuan in the active language ("1,245 元", "1,245 yuan")."""
    return gettext("%(amount)s yuan") % {"amount": format_money(value)}


def _compose(value: Number, period: str, up_to: bool, html: bool) -> str:
    text = format_yuan(value)
    if html:
        text = format_html("<strong>{}</strong>", text)
    phrases = [gettext("Up to %(amount)s")] if up_to else []
    if period in PERIODS:
        phrases.append(gettext(PERIODS[period]))
    for phrase in phrases:
        text = (conditional_escape(phrase) if html else phrase) % {"amount": text}
    return text


def format_amount(value: Number, period: str = "", *, up_to: bool = False) -> str:
    """An amount with its period in the active language: "最高 800 元 每月" / "Up to 800 yuan a
    month"; `period` is once, month or year (anything else adds nothing)."""
    return _compose(value, period, up_to, html=False)


def format_amount_html(value: Number, period: str = "", *, up_to: bool = False) -> SafeString:
    """`format_amount` for pages and the sheet, with the sum in yuan in <strong>."""
    return mark_safe(_compose(value, period, up_to, html=True))


def format_long_date(day: dt.date) -> str:
    """A date in words in the active language: "2027年1月1日", "1 January 2027" (the format is
    translated with the words around it, not taken from the locale's "Jan. 1, 2027")."""
    return date_format(day, pgettext("a date in words, as a Django date format", "j F Y"))
