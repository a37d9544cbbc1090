"""Dated table rows: next year's standard is entered before it applies, and a screening uses the
row in force on its date (京人社能发〔2026〕2号 二: the level-5 tier-B subsidy, raised here from
1000 to 1100 yuan from 2027-01-01 as an example)."""

import datetime as dt
from decimal import Decimal

import pydantic
import pytest

from rules import engine, schema
from rules.compile import compile_catalogue
from tests.rules.test_validation import TEXT, catalogue, messages, programme

FACTS = [
    {"key": "hukou", "type": "enum", "values": ["beijing", "other"], "question": TEXT},
    {"key": "tier", "type": "enum", "values": ["A", "B"], "question": TEXT},
    {"key": "level", "type": "int", "values": [4, 5], "question": TEXT},
]
THIS_YEAR = {"no": 1, "keys": ["B", "5"], "value": 1000, "valid_to": "2026-12-31"}
NEXT_YEAR = {"no": 2, "keys": ["B", "5"], "value": 1100, "valid_from": "2027-01-01"}
LEVEL_4 = {"no": 3, "keys": ["B", "4"], "value": 1500}  # undated: always in force
FUTURE_ONLY = {"no": 4, "keys": ["A", "5"], "value": 1320, "valid_from": "2027-01-01"}


def standard(*rows):
    return {"slug": "standard", "name": TEXT, "keys": ["tier", "level"], "rows": list(rows)}


def skills_programme(*rows):
    return programme(
        summary={"zh": "五级B档{standard:B,5}元。", "en": "Level 5, tier B: {standard:B,5} yuan."},
        tables=[standard(*rows)],
        amounts=[{"kind": "table", "table": "standard", "keys": ["tier", "level"], "clause": "二"}],
    )


@pytest.fixture
def compiled():
    rows = (THIS_YEAR, NEXT_YEAR, LEVEL_4, FUTURE_ONLY)
    source = catalogue(schema.Programme.model_validate(skills_programme(*rows)), facts=FACTS)
    return compile_catalogue(source)


def amount(compiled, tier, level, day):
    answers = {"hukou": "beijing", "tier": tier, "level": level}
    result = engine.screen(compiled, answers, dt.date.fromisoformat(day)).result("test-programme")
    return result.amount.value if result.amount else None


@pytest.mark.parametrize(
    ("day", "figure"),
    [
        ("2026-06-30", Decimal(1000)),
        ("2026-12-31", Decimal(1000)),  # the old row's last day
        ("2027-01-01", Decimal(1100)),  # the new row's first day
        ("2030-01-01", Decimal(1100)),
    ],
)
def test_a_screening_uses_the_row_in_force_on_its_date(compiled, day, figure):
    assert amount(compiled, "B", 5, day) == figure


def test_an_undated_row_applies_on_every_date(compiled):
    assert amount(compiled, "B", 4, "2020-01-01") == Decimal(1500)
    assert amount(compiled, "B", 4, "2027-06-01") == Decimal(1500)


def test_before_its_first_row_starts_a_key_has_no_figure_not_next_years(compiled):
    assert amount(compiled, "A", 5, "2026-12-31") is None
    assert amount(compiled, "A", 5, "2027-01-01") == Decimal(1320)


def test_texts_name_the_figure_of_the_row_in_force(compiled):
    before = compiled.programme("test-programme", dt.date(2026, 12, 31))
    after = compiled.programme("test-programme", dt.date(2027, 1, 1))
    assert before.summary.zh == "五级B档1000元。"
    assert (after.summary.zh, after.summary.en) == (
        "五级B档1100元。",
        "Level 5, tier B: 1,100 yuan.",
    )


def test_the_rows_in_force_are_chosen_when_the_catalogue_is_compiled(compiled):
    """A screening picks a prepared dictionary; it builds none."""
    assert [day for day, _ in compiled.table_eras] == [dt.date.min, dt.date(2027, 1, 1)]
    assert compiled.tables_on(dt.date(2026, 1, 1)) is compiled.tables_on(dt.date(2026, 12, 31))
    assert compiled.tables_on(dt.date(2027, 1, 1)) is compiled.tables
    assert compiled.tables_on(dt.date(2026, 1, 1))["standard"] == {
        ("B", "5"): Decimal(1000),
        ("B", "4"): Decimal(1500),
    }


def test_an_undated_table_is_held_once_whatever_the_date():
    dated = schema.Programme.model_validate(skills_programme(THIS_YEAR, NEXT_YEAR))
    undated_table = {**standard(LEVEL_4), "slug": "undated"}
    other = schema.Programme.model_validate(
        programme(slug="other-programme", tables=[undated_table])
    )
    compiled = compile_catalogue(catalogue(dated, other, facts=FACTS))
    first, second = (tables["undated"] for _, tables in compiled.table_eras)
    assert first is second


def test_a_page_shows_the_rows_in_force_and_those_that_start_later(compiled):
    shown = compiled.rows_from("standard", dt.date(2026, 12, 2))
    assert [(row.value, row.valid_from) for row in shown] == [
        (Decimal(1000), None),
        (Decimal(1100), dt.date(2027, 1, 1)),
        (Decimal(1500), None),
        (Decimal(1320), dt.date(2027, 1, 1)),
    ]
    later = compiled.rows_from("standard", dt.date(2027, 1, 1))
    assert Decimal(1000) not in [row.value for row in later]  # ended: history


@pytest.mark.parametrize(
    ("second", "day"),
    [
        ({**NEXT_YEAR, "valid_from": "2026-12-31"}, "2026-12-31"),  # the last day counts
        ({**NEXT_YEAR, "valid_from": None}, "2026-12-31"),
    ],
)
def test_rows_with_the_same_keys_in_force_together_are_refused(second, day):
    found = messages(skills_programme(THIS_YEAR, second), facts=FACTS)
    assert found == [
        f"table standard: Rows 1 and 2 have the same keys (B, 5) and are both in force on {day}:"
        " end the earlier row (valid to) before the later one starts (valid from)."
    ]


def test_two_undated_rows_with_the_same_keys_are_refused():
    first, second = {**THIS_YEAR, "valid_to": None}, {**NEXT_YEAR, "valid_from": None}
    (found,) = messages(skills_programme(first, second), facts=FACTS)
    assert "Rows 1 and 2 have the same keys (B, 5) and neither has dates" in found


def test_consecutive_rows_pass():
    assert messages(skills_programme(THIS_YEAR, NEXT_YEAR, LEVEL_4), facts=FACTS) == []


def test_a_row_that_ends_before_it_starts_is_refused_by_the_schema():
    with pytest.raises(pydantic.ValidationError, match="row 2 ends"):
        schema.TableRow.model_validate({**NEXT_YEAR, "valid_to": "2026-01-01"})


def test_an_amount_table_needs_figures():
    rows = (THIS_YEAR, NEXT_YEAR, {**LEVEL_4, "value": "1500元"})
    found = messages(skills_programme(*rows), facts=FACTS)
    # Once, by the amount that reads the table (not again by the table).
    assert [message for message in found if "1500元" in message] == [
        "test-programme amount 1: Row 3: the value '1500元' is not a figure in yuan."
    ]


def test_a_placeholder_needs_a_row_in_force_when_the_programme_starts():
    late = skills_programme({**NEXT_YEAR, "no": 1})
    found = messages({**late, "period": {"start": "2026-07-01"}}, facts=FACTS)
    assert found == [
        "test-programme summary: {standard:B,5} has no row in force on 2026-07-01.",
        "test-programme summary: {standard:B,5} has no row in force on 2026-07-01.",
    ]


def test_an_undated_row_is_stored_as_before_dates_existed():
    """Publications and the draft's fingerprint do not change for tables that date no row."""
    row = schema.TableRow.model_validate(LEVEL_4)
    assert row.model_dump(mode="json") == {
        "no": 3,
        "keys": ["B", "4"],
        "value": 1500,
        "label": None,
        "extra": {},
    }
    dated = schema.TableRow.model_validate(NEXT_YEAR).model_dump(mode="json")
    assert (dated["valid_from"], "valid_to" in dated) == ("2027-01-01", False)
