"""Gazette figures live in dated parameters, never as constants inside expressions.

A figure written into a formula (`5786`, `0.25`, `25`) has no date and no clause: when the
gazette changes it, nobody can see which screening date it belongs to, and the page cannot say
where it comes from. So amount formulas, amount `when` guards and derived facts name parameters
(`pension_2021_absolute_threshold`), whose values carry `from` dates and clauses.

Question conditions (`ask_if`) are not checked: they only decide whether a question is asked,
never an amount or an eligibility result.
"""

import pytest
from django.conf import settings

from benefits.files import read_directory

# `_tokenise` is the language's own tokeniser, so a number is found exactly as the engine reads
# it: digits inside strings ("3-01-01-02", date("2020-12-31")) and names (`band1`) are not
# numbers.
from rules.expressions import _tokenise

pytestmark = pytest.mark.django_db

# Structural numbers that are not figures of any gazette and may stay literal:
#   0  — nothing: the last branch of an `if` ladder, a floor (`max(0, …)`);
#   1  — one whole (`1 - share`, `add_months(d, 1)`);
#   12 — months in a year (`floor(contribution_months / 12)`, `12 * years_parameter`).
# Not 100: a percentage from the gazette is a figure and belongs in a `ratio` parameter.
STRUCTURAL_NUMBERS = {"0", "1", "12"}


def _numbers(source: str) -> list[str]:
    return [text for kind, text, _ in _tokenise(source) if kind == "number"]


def _expressions(catalogue):
    """(where, expression) for every amount formula, amount guard and derived fact."""
    for programme in catalogue.programmes:
        for index, amount in enumerate(programme.amounts, 1):
            if amount.formula is not None:
                yield f"{programme.slug} amount {index} formula", amount.formula, programme
            if amount.when is not None:
                yield f"{programme.slug} amount {index} when", amount.when, programme
    for key, fact in catalogue.facts.items():
        if fact.derived is not None:
            yield f"fact {key} derived", fact.derived, None


def test_the_checks_see_the_catalogue_expressions(catalogue):
    """Guards the guard: the walk finds formulas, guards and derived facts, and the tokeniser
    finds numbers, so the test below cannot pass by looking at nothing."""
    wheres = [where for where, _, _ in _expressions(catalogue)]
    assert any(w.endswith("formula") for w in wheres)
    assert any(w.endswith("when") for w in wheres)
    assert any(w.endswith("derived") for w in wheres)
    assert _numbers('if(x >= 5786, 55, 0.25 * floor(m / 12)) + lookup("t", "3-01-01-02")') == [
        "5786",
        "55",
        "0.25",
        "12",
    ]


def test_no_gazette_figure_is_written_into_an_expression(catalogue):
    found = {
        where: numbers
        for where, expression, _ in _expressions(catalogue)
        if (numbers := sorted(set(_numbers(expression.source)) - STRUCTURAL_NUMBERS))
    }
    assert found == {}, (
        "Make these figures dated parameters (`parameters:` of the programme file, "
        "with the clause) and name them in the expression"
    )


def test_every_parameter_an_amount_reads_is_in_force_from_the_programme_start(catalogue):
    """A parameter whose first `from` date is after the programme starts makes the amount
    unknown on the first days the programme applies."""
    late = {}
    for where, expression, programme in _expressions(catalogue):
        if programme is None or programme.period_start is None:
            continue
        for name in sorted(expression.names & set(catalogue.parameters)):
            if catalogue.parameters[name].value_on(programme.period_start) is None:
                late[f"{where}: {name}"] = programme.period_start.isoformat()
    assert late == {}


def test_every_parameter_value_cites_a_document_number_and_clause():
    catalogue = read_directory(settings.CATALOGUE_DIR)
    numbers = {document.number for document in catalogue.documents}
    uncited = []
    for programme in catalogue.programmes:
        for parameter in programme.parameters:
            for value in parameter.values:
                number, _, clause = value.clause.partition(" ")
                if number not in numbers or not clause.strip():
                    uncited.append(f"{programme.slug} {parameter.key} from {value.valid_from}")
    assert uncited == []
