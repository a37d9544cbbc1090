"""The safe expression language staff write formulas in: exact arithmetic, three-valued logic,
and refusal of anything that is not in the language (it never reaches Python's eval)."""

import datetime as dt
from decimal import Decimal

import pytest

from rules.expressions import (
    EvaluationError,
    ExpressionError,
    Scope,
    Unknown,
    compile_expression,
    table_key,
)


def ev(text, values=None, tables=None):
    return compile_expression(text).evaluate(Scope(values or {}, tables))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1500 * 1.2", Decimal("1800.0")),  # exact: no 1800.0000000000002
        ("1 + 2 * 3", Decimal(7)),
        ("(1 + 2) * 3", Decimal(9)),
        ("-5 + 2", Decimal(-3)),
        ("10 / 4", Decimal("2.5")),
        ("min(800, 0.5 * 2000)", Decimal(800)),
        ("max(0, 1395 * 2 - 3000)", Decimal(0)),
        ("floor(7.9)", Decimal(7)),
        ("round(2.345, 2)", Decimal("2.35")),
        ("abs(-3)", Decimal(3)),
        ("if(2 > 1, 10, 20)", Decimal(10)),
        ("1 < 2 and 2 <= 2 and 3 > 2 and 3 >= 3 and 1 == 1 and 1 != 2", True),
        ("not (1 > 2) or false", True),
        ('"beijing" == "beijing"', True),
        ('years_between(date("1944-03-02"), date("2026-03-01"))', Decimal(81)),
        ('years_between(date("1944-03-02"), date("2026-03-02"))', Decimal(82)),
        ('months_between(date("2025-07-01"), date("2026-06-30"))', Decimal(11)),
        ('add_months(date("2026-01-31"), 1)', dt.date(2026, 2, 28)),
        ('has(receives, "di_bao")', True),
    ],
)
def test_evaluates(text, expected):
    assert ev(text, {"receives": ("di_bao",)}) == expected


def test_unknown_spreads_through_arithmetic_with_the_missing_facts():
    result = ev("household_monthly_income / household_size", {"household_size": 2})
    assert result == Unknown(frozenset({"household_monthly_income"}))


def test_false_and_true_decide_despite_unknown():
    assert ev("x > 1 and false") is False
    assert ev("true or x > 1") is True
    assert isinstance(ev("x > 1 and true"), Unknown)


def test_if_with_unknown_condition_is_known_only_when_both_branches_agree():
    assert ev("if(x > 1, 5, 5)") == Decimal(5)
    assert ev("if(x > 1, 5, 6)") == Unknown(frozenset({"x"}))


def test_unknown_is_a_value_no_answer_settles_and_asks_nothing():
    """unknown(): the gazette leaves it to the office, so there is no fact to ask for."""
    assert ev("unknown()") == Unknown()
    assert ev('if(level == "not_assessed", unknown(), false)', {"level": "not_assessed"}) == (
        Unknown()
    )
    assert ev('if(level == "not_assessed", unknown(), false)', {"level": "mild"}) is False
    assert ev('if(level == "not_assessed", unknown(), false)') == Unknown(frozenset({"level"}))
    with pytest.raises(ExpressionError):
        compile_expression("unknown(1)")


def test_lookup_finds_a_row_by_text_keys_and_gives_none_for_a_missing_row():
    tables = {"tier": {("B", "4"): 1500}}
    assert ev('lookup("tier", "B", 4)', tables=tables) == Decimal(1500)
    assert ev('lookup("tier", "A", 9)', tables=tables) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 +", "Expected a value"),
        ("foo(1)", "Unknown function 'foo'"),
        ("min()", "min() takes"),
        ("if(1, 2)", "if() takes"),
        ("1 2", "Unexpected '2'"),
        ("__import__('os')", "Unknown function '__import__'"),
        ("a.b", "Unexpected character '.'"),
        ("x[0]", "Unexpected character '['"),
        ("", "empty"),
        ("(1 + 2", "Expected ')'"),
    ],
)
def test_invalid_text_is_refused_with_a_message(text, message):
    with pytest.raises(
        ExpressionError,
        match=message.replace("(", r"\(")
        .replace(")", r"\)")
        .replace("[", r"\[")
        .replace(".", r"\."),
    ):
        compile_expression(text)


def test_unknown_names_are_refused_when_the_known_names_are_given():
    with pytest.raises(ExpressionError, match="Unknown name 'housold_size'"):
        compile_expression("housold_size * 2", known_names={"household_size"})
    assert compile_expression("household_size * 2", {"household_size"}).names == {"household_size"}


def test_runtime_failures_raise_evaluation_error():
    with pytest.raises(EvaluationError):
        ev("1 / 0")
    with pytest.raises(EvaluationError):
        ev('"a" + 1')


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("min(1 2)", "Expected ')' at position 7, found '2'."),
        ("1 + and", "Unexpected 'and' at position 5."),
        ("1 + )", "Expected a value at position 5, found ')'."),
    ],
)
def test_messages_say_where_the_text_goes_wrong(text, message):
    with pytest.raises(ExpressionError) as refused:
        compile_expression(text)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    "text",
    [
        "1 and true",  # and/or/not/if need true or false
        'if("yes", 1, 2)',
        '"a" < 1',  # text has no order against numbers
        'date("next tuesday")',
        'abs("a")',
        'lookup("no-such-table", 1)',
    ],
)
def test_values_the_operation_cannot_take_raise_evaluation_error(text):
    with pytest.raises(EvaluationError):
        ev(text)


def test_unknown_and_false_is_false_and_unknown_or_false_is_unknown():
    assert ev("false and x > 1") is False
    assert ev("x > 1 or false") == Unknown(frozenset({"x"}))
    assert ev("x > 1 or y > 1") == Unknown(frozenset({"x", "y"}))
    assert ev("not (x > 1)") == Unknown(frozenset({"x"}))
    assert ev("if(false, x, 7)") == Decimal(7)


def test_table_keys_are_compared_as_text():
    assert table_key(Decimal("4.0")) == "4"
    assert table_key(4.0) == "4"
    assert table_key(Decimal("4.5")) == "4.5"
    assert table_key("B") == "B"
