"""Answers are checked against each fact's type and values, with messages in zh and en."""

import datetime as dt
from decimal import Decimal

import pytest

from rules.catalogue import FactSpec, Text
from rules.expressions import compile_expression
from rules.facts import (
    AnswerInvalid,
    normalise_date_text,
    normalise_number_text,
    parse_answers,
    parse_as_of,
)

AS_OF = dt.date(2026, 6, 1)
BIRTH = Text("您的出生日期是？", "What is your date of birth?")
FACTS = {
    "birth_date": FactSpec("birth_date", "date", BIRTH, past=True),
    "retirement_date": FactSpec(
        "retirement_date",
        "date",
        Text("您的退休日期是？", "When did you retire?"),
        past=True,
    ),
    "planned_date": FactSpec("planned_date", "date", Text("计划日期？", "Planned date?")),
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
        as_of=AS_OF,
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
        as_of=AS_OF,
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
    _, errors = parse_answers(FACTS, {"hukou": "shanghai", "household_size": 2.5}, as_of=AS_OF)
    assert {e.field: e.message for e in errors} == {
        "answers.hukou": "请从以下选项中选择：beijing, other。",
        "answers.household_size": "请填写整数。",
    }


def test_null_means_not_answered_and_non_object_is_refused():
    answers, errors = parse_answers(FACTS, {"hukou": None}, as_of=AS_OF)
    assert answers == {} and errors == []
    _, errors = parse_answers(FACTS, ["hukou"], lang="en", as_of=AS_OF)
    assert errors[0].field == "answers"


def errors_of(answers, lang="zh", as_of=AS_OF):
    _, errors = parse_answers(FACTS, answers, lang, as_of=as_of)
    return {e.field: e.message for e in errors}


@pytest.mark.parametrize(
    "text",
    [
        "20260101",  # date.fromisoformat accepts the basic format …
        "2026-W01-1",  # … week dates …
        "2026W011",
        "2026-001",  # … ordinal dates
        "2026-01-01T00:00",
        "2026-01-01 ",
        " 2026-01-01",
        "2026-01-01\n",
        "2026-1-1",
        "2026/01/01",
        "２０２６-０１-０１",  # full-width digits: the questionnaire's job, not the API's
        "٢٠٢٦-٠١-٠١",  # Arabic-Indic digits
        "+2026-01-01",
        "02026-01-01",
        "2026-02-29",
        "",
    ],
)
def test_dates_are_strictly_yyyy_mm_dd(text):
    assert errors_of({"planned_date": text}, "en") == {
        "answers.planned_date": "Enter a real date as YYYY-MM-DD, for example 1950-03-02."
    }
    with pytest.raises(AnswerInvalid):
        parse_as_of(text)


def test_a_birth_date_after_the_screening_date_is_refused_naming_the_question():
    assert errors_of({"birth_date": "2026-06-02"}) == {
        "answers.birth_date": "“您的出生日期是？”的回答是已经发生的日期，"
        "不能晚于查询日期 2026-06-01。"
    }
    assert errors_of({"birth_date": "2026-06-02"}, "en") == {
        "answers.birth_date": "The answer to “What is your date of birth?” is a date that has "
        "passed: it cannot be after the screening date, 2026-06-01."
    }
    answers, errors = parse_answers(FACTS, {"birth_date": "2026-06-01"}, as_of=AS_OF)
    assert errors == [] and answers == {"birth_date": AS_OF}  # born today


def test_a_birth_date_before_1900_is_refused_naming_the_question():
    assert errors_of({"birth_date": "1899-12-31"}) == {
        "answers.birth_date": "“您的出生日期是？”的回答不能早于 1900-01-01。"
    }
    assert errors_of({"birth_date": "1899-12-31"}, "en") == {
        "answers.birth_date": "The answer to “What is your date of birth?” cannot be before "
        "1900-01-01."
    }
    assert errors_of({"birth_date": "1900-01-01"}) == {}


def test_past_events_cannot_follow_the_screening_date_but_other_dates_may():
    assert errors_of({"retirement_date": "2026-07-01"}, "en") == {
        "answers.retirement_date": "The answer to “When did you retire?” is a date that has "
        "passed: it cannot be after the screening date, 2026-06-01."
    }
    assert errors_of({"retirement_date": "2026-06-01", "planned_date": "2030-01-01"}) == {}
    # The same answers are fine on a later screening date.
    assert errors_of({"retirement_date": "2026-07-01"}, as_of=dt.date(2026, 7, 1)) == {}


def test_dates_after_2100_are_refused_naming_the_question():
    assert errors_of({"planned_date": "2101-01-01"}) == {
        "answers.planned_date": "“计划日期？”的回答不能晚于 2100-12-31。"
    }
    assert errors_of({"birth_date": "2101-01-01"}, "en")["answers.birth_date"].startswith(
        "The answer to “What is your date of birth?” is a date that has passed"
    )


def test_a_question_without_text_is_named_by_its_key():
    facts = {"day": FactSpec("day", "date", Text("", ""), past=True)}
    _, errors = parse_answers(facts, {"day": "2027-01-01"}, "en", as_of=AS_OF)
    assert errors[0].message.startswith("The answer to “day” is")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("certificate_occupation", "4-10-01-05\x00"),
        ("hukou", "beijing\x00"),
        ("birth_date", "1950-03-02\x00"),
        ("receives", ["di_bao", "\x00"]),
    ],
)
def test_a_nul_character_in_any_string_answer_is_refused(key, value):
    assert errors_of({key: value}, "en") == {
        f"answers.{key}": "The answer must not contain a NUL character (\\u0000)."
    }
    assert errors_of({key: value}) == {f"answers.{key}": "回答不能包含空字符（\\u0000）。"}


def test_a_derived_fact_given_as_an_answer_is_refused():
    assert errors_of({"age": 70, "birth_date": "1950-03-02"}) == {
        "answers.age": "age 由其他回答推算，无需填写。"
    }


def test_the_screening_date_must_be_between_1900_and_2100():
    assert parse_as_of("1900-01-01") == dt.date(1900, 1, 1)
    assert parse_as_of("2100-12-31") == dt.date(2100, 12, 31)
    for text in ("1899-12-31", "2101-01-01"):
        with pytest.raises(AnswerInvalid) as caught:
            parse_as_of(text)
        assert caught.value.code == "date_range"


@pytest.mark.parametrize(
    "text",
    [
        "1950-03-02",
        "1950-3-2",
        "1950/03/02",
        "1950/3/2",
        "1950.3.2",
        "1950.03.02",
        "1950年3月2日",
        "1950年03月02日",
        "1950 年 3 月 2 日",
        "1950年3月2",
        "19500302",
        "１９５０－０３－０２",
        "１９５０年３月２日",
        "１９５０／３／２",
        "1950。3。2",  # a Chinese input method types 。 for .
        "1950–03–02",
        "  1950-03-02\t",
        "\u30001950-3-2\u3000",  # ideographic spaces
    ],
)
def test_dates_as_people_write_them_are_normalised(text):
    assert normalise_date_text(text) == "1950-03-02"


@pytest.mark.parametrize(
    "text",
    ["yesterday", "1950-03/02", "50-3-2", "1950-3", "3/2/1950", "1950年3月2日 10:00", ""],
)
def test_text_that_spells_no_date_is_left_for_the_strict_check(text):
    normalised = normalise_date_text(text)
    assert normalised == text.strip()
    assert errors_of({"planned_date": normalised}) != {}


def test_an_impossible_day_is_normalised_and_then_refused():
    assert normalise_date_text("1950/2/30") == "1950-02-30"
    assert errors_of({"planned_date": "1950-02-30"}) != {}


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("3500", "3500"),
        (" 3500 ", "3500"),
        ("3,500", "3500"),
        ("1,234,567.5", "1234567.5"),
        ("３５００", "3500"),
        ("３，５００", "3500"),
        ("３５００元", "3500"),
        ("3500 元", "3500"),
        ("3,500元", "3500"),
        ("3500 yuan", "3500"),
        ("3500 Yuan", "3500"),
        ("¥3500", "3500"),
        ("￥3,500", "3500"),
        ("3,5", "3,5"),  # not thousands: left for the check to refuse
        ("35,00", "35,00"),
        ("3500.5", "3500.5"),
        ("abc", "abc"),
    ],
)
def test_numbers_as_people_write_them_are_normalised(text, plain):
    assert normalise_number_text(text) == plain


def test_a_whole_number_written_with_a_decimal_point_is_a_whole_number():
    """JSON (and JSON Schema's "integer") does not tell 3 from 3.0."""
    as_of = dt.date(2026, 6, 1)
    answers, errors = parse_answers(FACTS, {"household_size": 3.0}, as_of=as_of)
    assert answers == {"household_size": 3} and errors == []
    _, errors = parse_answers(FACTS, {"household_size": 3.5}, lang="en", as_of=as_of)
    assert [e.message for e in errors] == ["Enter a whole number."]
