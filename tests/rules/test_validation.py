"""What staff and file authors are told when a catalogue is wrong: each check refuses with a
message naming the place, before a resident could see the result."""

from decimal import Decimal

import pydantic
import pytest

from rules import schema
from rules.validation import catalogue_problems, condition_problems

TEXT = {"zh": "文", "en": "text"}
DOCUMENT = {"number": "京测试发〔2026〕1号", "title": TEXT}
FACTS = [
    {"key": "birth_date", "type": "date", "question": TEXT},
    {"key": "hukou", "type": "enum", "values": ["beijing", "other"], "question": TEXT},
    {"key": "veteran", "type": "bool", "question": TEXT},
    {"key": "household_size", "type": "int", "question": TEXT},
    {"key": "income", "type": "number", "question": TEXT},
    {"key": "occupation", "type": "string", "question": TEXT},
    {"key": "receives", "type": "list", "values": ["di_bao", "te_kun"], "question": TEXT},
]


def programme(**changes):
    data = {
        "schema_version": 2,
        "slug": "test-programme",
        "name": TEXT,
        "summary": TEXT,
        "category": "employment",
        "document": DOCUMENT["number"],
        "requirements": [
            {
                "clause": "一",
                "description": TEXT,
                "alternatives": [[{"fact": "hukou", "op": "eq", "value": "beijing"}]],
            }
        ],
        "amounts": [{"kind": "fixed", "value": 100, "clause": "二"}],
    }
    data.update(changes)
    return data


def catalogue(*programmes, facts=FACTS, documents=(DOCUMENT,)):
    return schema.Catalogue(
        documents=list(documents), facts=list(facts), programmes=list(programmes)
    )


def messages(*programmes, **options):
    return [str(problem) for problem in catalogue_problems(catalogue(*programmes, **options))]


def test_a_valid_catalogue_has_no_problems():
    assert messages(programme()) == []


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        ({"kind": "fixed", "value": -5, "clause": "二"}, "cannot be negative: -5"),
        ({"kind": "fixed", "value": "-5", "clause": "二"}, "cannot be negative: -5"),
        ({"kind": "fixed", "value": "2000元", "clause": "二"}, "neither a figure in yuan nor"),
        ({"kind": "rate", "rate": 0.5, "cap": "2,000", "clause": "二"}, "neither a figure"),
        ({"kind": "fixed", "value": "NaN", "clause": "二"}, "not a figure"),
        ({"kind": "fixed", "clause": "二"}, "a fixed amount needs a value"),
        ({"kind": "rate", "rate": 1.5, "cap": 800, "clause": "二"}, "less than or equal to 1"),
        ({"kind": "rate", "rate": 0.5, "clause": "二"}, "a rate needs"),
        ({"kind": "fixed", "value": 100, "period": "week", "clause": "二"}, "'once'"),
        ({"kind": "fixed", "value": 100}, "clause"),
        ({"kind": "formula", "clause": "二"}, "a formula amount needs a formula"),
        ({"kind": "table", "clause": "二"}, "a table amount needs a table"),
    ],
)
def test_wrong_figures_are_refused_by_the_schema(amount, error):
    with pytest.raises(pydantic.ValidationError, match=error):
        schema.Programme.model_validate(programme(amounts=[amount]))


def test_figures_keep_their_value():
    parsed = schema.Programme.model_validate(programme())
    assert parsed.amounts[0].value == Decimal(100)
    assert parsed.model_dump(mode="json")["amounts"][0]["value"] == 100


def test_unknown_fields_are_refused():
    with pytest.raises(pydantic.ValidationError, match="Extra inputs are not permitted"):
        schema.Programme.model_validate(programme(ammounts=[]))


def test_dates_and_periods_in_order():
    with pytest.raises(pydantic.ValidationError, match="ends before it starts"):
        schema.Programme.model_validate(
            programme(period={"start": "2026-02-01", "end": "2026-01-01"})
        )
    with pytest.raises(pydantic.ValidationError, match="end date is before"):
        schema.Document.model_validate(
            {**DOCUMENT, "effective_date": "2026-02-01", "end_date": "2026-01-01"}
        )


def test_tables_and_parameters_are_consistent():
    row = {"no": 1, "keys": ["a"], "value": 100}
    with pytest.raises(pydantic.ValidationError, match="row number is used twice"):
        schema.Table.model_validate({"slug": "t", "name": TEXT, "keys": ["k"], "rows": [row, row]})
    with pytest.raises(pydantic.ValidationError, match="has 2 keys, not 1"):
        schema.Table.model_validate(
            {"slug": "t", "name": TEXT, "keys": ["k"], "rows": [{**row, "keys": ["a", "b"]}]}
        )
    value = {"from": "2026-01-01", "value": 1}
    with pytest.raises(pydantic.ValidationError, match="same day"):
        schema.Parameter.model_validate({"key": "p", "name": TEXT, "values": [value, value]})
    with pytest.raises(pydantic.ValidationError, match="either a date"):
        schema.Deadline.model_validate({"description": TEXT, "relative_to": "birth_date"})


def test_a_persona_case_without_an_amount_does_not_check_it():
    case = {"name": TEXT, "as_of": "2026-01-01", "expect": {"status": "eligible"}}
    parsed = schema.Case.model_validate(case)
    assert parsed.expect.check_amount is False
    assert "amount" not in parsed.model_dump(mode="json")["expect"]
    nothing = schema.Case.model_validate({**case, "expect": {"status": "eligible", "amount": None}})
    assert nothing.expect.check_amount is True
    assert nothing.model_dump(mode="json")["expect"] == {"status": "eligible", "amount": None}


@pytest.mark.parametrize(
    ("condition", "error"),
    [
        ({"fact": "hukuo", "op": "eq", "value": "beijing"}, "Unknown fact 'hukuo'"),
        ({"fact": "hukou", "op": "gte", "value": "beijing"}, "cannot be used with enum fact"),
        ({"fact": "hukou", "op": "eq", "value": "shanghai"}, "not an allowed value"),
        ({"fact": "veteran", "op": "eq", "value": "yes"}, "is yes/no"),
        ({"fact": "household_size", "op": "gte", "value": "3"}, "is a number"),
        ({"fact": "birth_date", "op": "lte", "value": "1950-13-01"}, "is a date"),
        ({"fact": "occupation", "op": "eq", "value": 5}, "is text"),
        ({"fact": "household_size", "op": "between", "value": [1]}, "list of two values"),
        ({"fact": "hukou", "op": "in", "value": []}, "non-empty list"),
        ({"fact": "receives", "op": "excludes", "value": ["di_bao", "x"]}, "'x' is not an allowed"),
        ({"fact": "birth_date", "op": "within", "value": 12}, "'within' needs {months"),
        (
            {"fact": "birth_date", "op": "within", "value": {"months": 1, "years": 1}},
            "exactly one of months or years",
        ),
        (
            {"fact": "birth_date", "op": "within", "value": {"months": 1, "of": "hukou"}},
            "must name as_of or a date fact",
        ),
        (
            {"fact": "birth_date", "op": "within", "value": {"months": 1, "direction": "up"}},
            "before or after",
        ),
        (
            {"fact": "birth_date", "op": "within", "value": {"months": 1, "weeks": 2}},
            "does not take weeks",
        ),
    ],
)
def test_conditions_must_fit_their_fact(condition, error):
    requirement = {"clause": "一", "description": TEXT, "alternatives": [[condition]]}
    found = messages(programme(requirements=[requirement]))
    assert any(error in message for message in found), found
    assert all(message.startswith("test-programme requirement 1 (一)") for message in found)


def test_valid_conditions_of_every_kind_pass():
    facts = {fact["key"]: schema.Fact.model_validate(fact) for fact in FACTS}
    for fact, op, value in [
        ("birth_date", "within", {"years": 2, "of": "as_of", "direction": "after"}),
        ("household_size", "between", [1, 4]),
        ("receives", "contains", "di_bao"),
        ("occupation", "in", ["a", "b"]),
    ]:
        assert condition_problems(fact, op, value, facts) == []


def test_references_between_parts_must_resolve():
    table = {"slug": "t", "name": TEXT, "keys": ["k1", "k2"], "rows": []}
    bad = programme(
        document="京不存在〔2026〕1号",
        requirements=[{"clause": "一", "description": TEXT, "alternatives": []}],
        exclusions=[{"clause": "三", "description": TEXT, "receives": ["nothing"]}],
        tables=[table],
        amounts=[
            {"kind": "table", "table": "t", "keys": ["hukou"], "clause": "二"},
            {"kind": "table", "table": "missing", "keys": ["hukou"], "clause": "二"},
            {"kind": "table", "table": "t", "keys": ["nope"], "clause": "二"},
            {"kind": "rate", "rate": 0.5, "base": "salary", "clause": "二"},
            {"kind": "formula", "formula": "income *", "when": "agee > 3", "clause": "二"},
        ],
        apply={"deadlines": [{"description": TEXT, "relative_to": "hukou", "months": 3}]},
    )
    found = "\n".join(messages(bad))
    for expected in [
        "Document 京不存在〔2026〕1号 is not in the catalogue",
        "requirement 1 (一): A requirement needs at least one alternative",
        "exclusion 1 (三): 'nothing' is not an allowed value",
        "amount 1: The table has 2 key column(s) but 1 key fact(s) are given",
        "amount 2: A table amount needs a table",
        "amount 3: Unknown fact(s) for the table keys: nope",
        "amount 4: Unknown fact 'salary' for the rate",
        "amount 5 formula: Expected a value",
        "amount 5 when: Unknown name 'agee'",
        "deadline: 'within … of hukou' must name as_of or a date fact",
    ]:
        assert expected in found


def test_keys_defined_twice_and_lists_without_values():
    facts = [*FACTS, FACTS[0], {"key": "colour", "type": "enum", "question": TEXT}]
    found = messages(programme(), programme(), facts=facts, documents=(DOCUMENT, DOCUMENT))
    for expected in [
        "document '京测试发〔2026〕1号' is defined twice",
        "fact 'birth_date' is defined twice",
        "programme 'test-programme' is defined twice",
        "fact colour: List the allowed values",
    ]:
        assert any(expected in message for message in found), found
