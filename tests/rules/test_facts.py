"""Answers are checked against each fact's type and values, with messages in zh and en."""

import datetime as dt
from decimal import Decimal

import pytest

from rules.catalogue import FactSpec, Text
from rules.expressions import compile_expression
from rules.facts import parse_answers

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


@pytest.mark.parametrize(
    "value",
    ["2026-W01-1", "19500302  ", "１９５０-03-02", "1950-3-2", "1950-03-02\n", "1950-03-02T00"],
)
def test_dates_are_yyyy_mm_dd_in_ascii_digits_only(value):
    answers, errors = parse_answers(FACTS, {"birth_date": value}, lang="en")
    assert answers == {}
    assert [e.message for e in errors] == [
        "Enter a real date as YYYY-MM-DD, for example 1950-03-02."
    ]


def test_a_whole_number_written_with_a_decimal_point_is_a_whole_number():
    """JSON (and JSON Schema's "integer") does not tell 3 from 3.0."""
    answers, errors = parse_answers(FACTS, {"household_size": 3.0})
    assert answers == {"household_size": 3} and errors == []
    _, errors = parse_answers(FACTS, {"household_size": 3.5}, lang="en")
    assert [e.message for e in errors] == ["Enter a whole number."]
