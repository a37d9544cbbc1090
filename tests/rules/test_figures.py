"""Figures in texts come from the parameters and tables the engine uses, as in force on the
screening date: a resident never reads one figure in a text and gets another as the amount."""

import datetime as dt
from decimal import Decimal

import pytest

from rules import engine, schema
from rules.compile import compile_catalogue
from rules.figures import BadReference, format_figure, parse_reference, render
from tests.rules.test_validation import DOCUMENT, FACTS, catalogue, messages, programme

STANDARD = {
    "key": "standard",
    "name": {"zh": "标准", "en": "Standard"},
    "unit": "yuan_per_month",
    "values": [
        {"from": "2021-07-01", "value": 1245, "clause": "一"},
        {"from": "2023-07-01", "value": 1395, "clause": "一"},
    ],
}
TIERS = {
    "slug": "tiers",
    "name": {"zh": "档次", "en": "Tiers"},
    "keys": ["level", "tier"],
    "rows": [
        {"no": 1, "keys": ["5", "B"], "value": 1000},
        {"no": 2, "keys": ["5", "A"], "value": "A档"},
    ],
}


def dated_programme(**changes):
    fields = dict(
        summary={
            "zh": "每人每月{standard}元（2021年7月起{standard@2021-07-01}元），五级{tiers:5,B}元。",
            "en": "{standard} yuan a month (from July 2021: {standard@2021-07-01} yuan); "
            "level 5: {tiers:5,B} yuan.",
        },
        period={"start": "2021-07-01"},
        parameters=[STANDARD],
        tables=[TIERS],
        amounts=[
            {
                "kind": "fixed",
                "value": "standard",
                "clause": "二",
                "note": {"zh": "{standard}元", "en": "{standard} yuan"},
            }
        ],
    )
    return programme(**(fields | changes))


@pytest.fixture
def compiled():
    return compile_catalogue(catalogue(schema.Programme.model_validate(dated_programme())))


@pytest.mark.parametrize(
    ("day", "zh", "en", "amount"),
    [
        (
            "2022-01-01",
            "每人每月1245元（2021年7月起1245元），五级1000元。",
            "1,245 yuan a month (from July 2021: 1,245 yuan); level 5: 1,000 yuan.",
            Decimal(1245),
        ),
        (
            "2023-06-30",
            "每人每月1245元（2021年7月起1245元），五级1000元。",
            "1,245 yuan a month (from July 2021: 1,245 yuan); level 5: 1,000 yuan.",
            Decimal(1245),
        ),
        (
            "2023-07-01",
            "每人每月1395元（2021年7月起1245元），五级1000元。",
            "1,395 yuan a month (from July 2021: 1,245 yuan); level 5: 1,000 yuan.",
            Decimal(1395),
        ),
    ],
)
def test_texts_and_amounts_show_the_figure_in_force_on_the_screening_date(
    compiled, day, zh, en, amount
):
    result = engine.screen(compiled, {"hukou": "beijing"}, dt.date.fromisoformat(day)).result(
        "test-programme"
    )
    assert (result.programme.summary.zh, result.programme.summary.en) == (zh, en)
    assert result.amount is not None and result.amount.value == amount
    assert result.amount.note.zh == f"{amount}元"


def test_a_page_without_a_screening_shows_the_latest_figures(compiled):
    assert compiled.programme("test-programme").summary.zh.startswith("每人每月1395元")
    assert compiled.programme("test-programme", dt.date(2022, 1, 1)).summary.zh.startswith(
        "每人每月1245元"
    )
    assert [day for day, _ in compiled.eras] == [dt.date.min, dt.date(2023, 7, 1)]


def test_a_programme_without_dated_figures_is_compiled_once():
    compiled = compile_catalogue(catalogue(schema.Programme.model_validate(programme())))
    assert len(compiled.eras) == 1
    assert compiled.programmes_on(dt.date(2000, 1, 1)) is compiled.programmes


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        (Decimal("1395"), "zh", "1395"),
        (Decimal("28221"), "en", "28,221"),
        (Decimal("1500.00"), "en", "1,500"),
        (Decimal("0.25"), "zh", "0.25"),
        (Decimal("1E+3"), "zh", "1000"),
    ],
)
def test_figures_are_written_as_the_gazette_prints_them(value, lang, shown):
    assert format_figure(value, lang) == shown


@pytest.mark.parametrize("source", ["", "Standard", "standard@2023-13-01", "tiers:", "a b"])
def test_a_malformed_placeholder_is_refused(source):
    with pytest.raises(BadReference):
        parse_reference(source)


def test_a_malformed_placeholder_on_a_page_shows_a_question_mark_never_an_error():
    assert render("标准{Standard}元", lambda reference: Decimal(1), "zh") == "标准?元"
    assert render("无占位", lambda reference: 1 / 0, "zh") == "无占位"


@pytest.mark.parametrize(
    ("summary", "error"),
    [
        ("{nothing}元", "{nothing} names no parameter"),
        (
            "{standard@2020-01-01}元",
            "no value in force on 2020-01-01 (the first is from 2021-07-01)",
        ),
        ("{Standard}元", "is not {parameter}, {parameter@YYYY-MM-DD} or {table:key,…}"),
        ("{missing:5,B}元", "{missing:5,B} names no table"),
        ("{tiers:6,B}元", "{tiers:6,B} names no row of the table"),
        ("{tiers:5,A}元", "{tiers:5,A} names a row without a figure"),
    ],
)
def test_a_placeholder_that_names_no_figure_is_refused(summary, error):
    found = messages(dated_programme(summary={"zh": summary, "en": "text"}))
    assert any(error in message and "test-programme summary" in message for message in found)


def test_a_parameter_must_be_in_force_when_the_programme_starts():
    found = messages(dated_programme(period={"start": "2021-01-01"}))
    assert any("no value in force on 2021-01-01" in message for message in found)


def test_an_amount_naming_a_missing_parameter_is_refused():
    amounts = [{"kind": "rate", "rate": 0.5, "cap": "no_such_cap", "clause": "二"}]
    found = messages(dated_programme(amounts=amounts))
    assert found == ["test-programme amount 1: cap names 'no_such_cap', which is not a parameter."]


def test_an_amount_figure_is_a_number_or_a_parameter_key():
    parsed = schema.Amount(kind="fixed", value="standard", clause="二")
    assert parsed.value == "standard"
    assert schema.Amount(kind="fixed", value="1000", clause="二").value == Decimal(1000)


def test_the_catalogue_used_here_is_valid():
    assert messages(dated_programme()) == []
    assert FACTS and DOCUMENT
