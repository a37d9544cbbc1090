"""Money and periods: one formatter for pages, the result sheet and the API."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from eligibility.formatting import (
    active_lang,
    format_amount,
    format_amount_html,
    format_money,
    format_yuan,
    money_number,
)


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (Decimal("1245"), 1245),
        (Decimal("1245.00"), 1245),
        (Decimal("1245.50"), 1245.5),
        (Decimal("0.5"), 0.5),
        (3500.0, 3500),
        (None, None),
    ],
)
def test_money_number_is_an_integer_when_whole(value, number):
    assert money_number(value) == number
    assert type(money_number(value)) is type(number)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1245"), "1,245"),
        (Decimal("1245.50"), "1,245.5"),
        (Decimal("1E+3"), "1,000"),
        (Decimal("800.00"), "800"),
        (3500.0, "3,500"),
        (None, ""),
    ],
)
def test_format_money(value, text):
    assert format_money(value) == text


def test_amounts_in_chinese_and_english():
    with translation.override("zh-hans"):
        assert active_lang() == "zh"
        assert format_yuan(Decimal("2650")) == "2,650 元"
        assert format_amount(Decimal("800"), "month", up_to=True) == "最高 800 元 每月"
        assert format_amount(Decimal("1800"), "once") == "1,800 元 一次性"
        assert format_amount(Decimal("1245.5"), "year") == "1,245.5 元 每年"
        assert format_amount(Decimal("100")) == "100 元"
    with translation.override("en"):
        assert active_lang() == "en"
        assert format_yuan(Decimal("2650")) == "2,650 yuan"
        assert format_amount(Decimal("800"), "month", up_to=True) == "Up to 800 yuan a month"
        assert format_amount(Decimal("1800"), "once") == "1,800 yuan one-off"


def test_html_amount_emphasises_the_sum_and_matches_the_text():
    with translation.override("zh-hans"):
        html = format_amount_html(Decimal("800"), "month", up_to=True)
        assert html == "最高 <strong>800 元</strong> 每月"
        assert html.replace("<strong>", "").replace("</strong>", "") == format_amount(
            Decimal("800"), "month", up_to=True
        )


def test_amount_template_tag_uses_the_formatter():
    template = Template("{% load benefits %}[{% amount value period up_to %}]")
    with translation.override("en"):
        context = {"value": Decimal("2650"), "period": "month", "up_to": False}
        assert template.render(Context(context)) == "[<strong>2,650 yuan</strong> a month]"
        assert template.render(Context({**context, "value": None})) == "[]"
