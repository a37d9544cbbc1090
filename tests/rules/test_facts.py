"""Answers are checked against each fact's type and values, with messages in zh and en."""

import datetime as dt
from decimal import Decimal

import pytest

from rules.catalogue import FactSpec, Text
from rules.expressions import compile_expression
from rules.facts import AnswerInvalid, message, parse_answers, parse_as_of

FACTS = {
    "birth_date": FactSpec("birth_date", "date", Text("", "")),
    "hukou": FactSpec("hukou", "enum", Text("", ""), values=("beijing", "other")),
    "veteran": FactSpec("veteran", "bool", Text("", "")),
    "household_size": FactSpec("household_size", "int", Text("", ""), min_value=Decimal(1)),
    "household_monthly_income": FactSpec(
        "household_monthly_income", "number", Text("", ""), min_value=Decimal(0)
    ),
    "receives": FactSpec("receives", "list", Text("", ""), values=("te_kun", "di_bao")),
    "certificate_occupation": FactSpec("certificate_occupation", "string", Text("", "")),
    "age": FactSpec(
        "age", "int", Text("", ""), derived=compile_expression("years_between(birth_date, as_of)")
    ),
}


def test_valid_answers_are_typed():
    answers, errors = parse_answers(
        FACTS,
        {
            "birth_date": "1950-03-02",
            "hukou": "beijing",
            "veteran": False,
            "household_size": 3,
            "household_monthly_income": 4200.5,
            "receives": ["di_bao", "di_bao"],
            "certificate_occupation": " 4-10-01-05 ",
        },
    )
    assert errors == []
    assert answers == {
        "birth_date": dt.date(1950, 3, 2),
        "hukou": "beijing",
        "veteran": False,
        "household_size": 3,
        "household_monthly_income": Decimal("4200.5"),
        "receives": ("di_bao",),
        "certificate_occupation": "4-10-01-05",
    }


def test_each_bad_answer_gets_its_own_message_and_good_ones_are_kept():
    answers, errors = parse_answers(
        FACTS,
        {
            "birth_date": "1950-02-30",
            "hukou": "shanghai",
            "veteran": "yes",
            "household_size": 0,
            "receives": ["pension"],
            "unknown_key": 1,
            "age": 70,
            "household_monthly_income": 100,
        },
        lang="en",
    )
    assert answers == {"household_monthly_income": Decimal(100)}
    assert {e.field: e.message for e in errors} == {
        "answers.birth_date": "Enter a real date as YYYY-MM-DD, for example 1950-03-02.",
        "answers.hukou": "Choose one of: beijing, other.",
        "answers.veteran": "Answer true (yes) or false (no).",
        "answers.household_size": "Must be 1 or more.",
        "answers.receives": "Give a list whose items are each one of: te_kun, di_bao.",
        "answers.unknown_key": "There is no question called unknown_key.",
        "answers.age": "age is worked out from other answers and cannot be given.",
    }


def test_messages_are_in_chinese_by_default():
    _, errors = parse_answers(FACTS, {"hukou": "shanghai", "household_size": 2.5})
    assert {e.field: e.message for e in errors} == {
        "answers.hukou": "请从以下选项中选择：beijing, other。",
        "answers.household_size": "请填写整数。",
    }


def test_null_means_not_answered_and_non_object_is_refused():
    answers, errors = parse_answers(FACTS, {"hukou": None})
    assert answers == {} and errors == []
    _, errors = parse_answers(FACTS, ["hukou"], lang="en")
    assert errors[0].field == "answers"


def spec(type_, **options):
    return FactSpec("answer", type_, Text("", ""), **options)


def errors_for(fact_spec, value):
    _, errors = parse_answers({"answer": fact_spec}, {"answer": value}, lang="en")
    return [e.message for e in errors]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (19500302, "Enter a real date as YYYY-MM-DD, for example 1950-03-02."),
        ("1950-3-2", "Enter a real date as YYYY-MM-DD, for example 1950-03-02."),
        ("1899-12-31", "The date must be between 1900-01-01 and 2100-12-31."),
        ("2101-01-01", "The date must be between 1900-01-01 and 2100-12-31."),
    ],
)
def test_dates_must_be_iso_and_plausible(value, message):
    assert errors_for(spec("date"), value) == [message]
    assert errors_for(spec("date"), "1900-01-01") == []


@pytest.mark.parametrize("value", [True, "3", float("nan"), float("inf")])
def test_numbers_refuse_booleans_text_and_non_finite_values(value):
    assert errors_for(spec("number"), value) == ["Enter a number."]


def test_bounds_are_inclusive_and_shown_plainly():
    income = spec("number", min_value=Decimal("0"), max_value=Decimal("99999.50"))
    assert errors_for(income, 99999.5) == []
    assert errors_for(income, 99999.51) == ["Must be 99999.5 or less."]
    assert errors_for(income, -0.01) == ["Must be 0 or more."]


def test_whole_numbers_with_listed_values_only_take_those():
    level = spec("int", values=(1, 2, 3, 4, 5))
    assert parse_answers({"answer": level}, {"answer": 4}) == ({"answer": 4}, [])
    assert errors_for(level, 6) == ["Choose one of: 1, 2, 3, 4, 5."]
    assert errors_for(level, True) == ["Enter a whole number."]


@pytest.mark.parametrize("value", ["", "   ", "x" * 201, 42])
def test_text_must_be_non_blank_and_short(value):
    assert errors_for(spec("string"), value) == ["Enter text of at most 200 characters."]


def test_booleans_in_enum_choices_read_as_json():
    choice = spec("enum", values=(True, False))
    assert errors_for(choice, "maybe") == ["Choose one of: true, false."]


def test_a_fact_of_a_type_the_engine_does_not_know_refuses_every_answer():
    assert errors_for(spec("colour"), "red") == ["There is no question called answer."]


def test_as_of_is_read_like_a_date_answer():
    assert parse_as_of("2026-06-01") == dt.date(2026, 6, 1)
    with pytest.raises(AnswerInvalid) as refused:
        parse_as_of("2026-06-31")
    assert refused.value.code == "date"
    assert message(refused.value.code, "zh") == "请填写有效日期，格式为 年-月-日，例如 1950-03-02。"
