"""The engine's compiled plans against a deliberately plain reference, on the real catalogue.

`rules.engine` builds per-catalogue plans (closures, outcomes kept per combination of reasons,
shared ask_if values, entitlements built once) for speed. The reference below evaluates the same
rules the obvious way, one name and one condition at a time, so any shortcut that changes what a
resident sees (a status, a reason, a missing fact, an amount, a deadline) fails here.
"""

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest

from rules import engine
from rules.catalogue import Catalogue, Condition, FactSpec, Programme
from rules.dates import add_months
from rules.expressions import EvaluationError, Scope, Unknown

AS_OF_DATES = [
    dt.date(2026, 11, 22),
    dt.date(2025, 6, 1),
    dt.date(2027, 7, 1),
    dt.date(2024, 3, 15),
]


class PlainScope(Scope):
    """Names worked out one at a time, in the order the engine documents: an answer, else a
    derived fact, else a question's ask_if (false: no value), else a parameter, else unknown."""

    def __init__(self, catalogue: Catalogue, answers: dict, as_of: dt.date) -> None:
        super().__init__(answers, catalogue.tables_on(as_of))
        self.catalogue, self.as_of = catalogue, as_of
        self.known: dict[str, Any] = {"as_of": as_of}

    def __call__(self, name: str) -> Any:
        if name not in self.known:
            self.known[name] = self.work_out(name)
        return self.known[name]

    def work_out(self, name: str) -> Any:
        if name in self.values:
            return Scope.__call__(self, name)
        spec = self.catalogue.facts.get(name)
        if spec is not None and spec.derived is not None:
            try:
                return spec.derived.evaluate(self)
            except EvaluationError:
                return None
        if spec is not None and spec.ask_if is not None:
            self.known[name] = Unknown(frozenset({name}))  # a question depending on itself
            try:
                applies = spec.ask_if.evaluate(self)
            except EvaluationError:
                applies = True
            return None if applies is False else Unknown(frozenset({name}))
        parameter = self.catalogue.parameters.get(name)
        if parameter is not None:
            value = parameter.value_on(self.as_of)
            return Unknown() if value is None else value
        return Unknown(frozenset({name}))


def may_go_unasked(catalogue: Catalogue, key: str) -> bool:
    spec = catalogue.facts.get(key)
    return spec is not None and (spec.ask_if is not None or spec.derived is not None)


def condition_outcome(condition: Condition, scope: PlainScope) -> tuple[str, frozenset]:
    value = scope(condition.fact)
    if value is None:
        unasked = may_go_unasked(scope.catalogue, condition.fact)
        return ("not_applicable" if unasked else "not_met"), frozenset()
    if isinstance(value, Unknown):
        return "unknown", value.missing
    target = condition.value
    try:
        if condition.operator == "within":
            return within(value, target, scope)
        met = {
            "eq": lambda: value == target,
            "ne": lambda: value != target,
            "in": lambda: value in target,
            "not_in": lambda: value not in target,
            "gte": lambda: value >= target,
            "lte": lambda: value <= target,
            "between": lambda: target[0] <= value <= target[1],
            "contains": lambda: target in value,
            "excludes": lambda: not any(item in value for item in target),
        }[condition.operator]()
    except (TypeError, ValueError):
        return "unknown", frozenset()
    return ("met" if met else "not_met"), frozenset()


def within(value: Any, target: dict, scope: PlainScope) -> tuple[str, frozenset]:
    reference = scope(target["of"])
    if reference is None and may_go_unasked(scope.catalogue, target["of"]):
        return "not_applicable", frozenset()
    if isinstance(reference, Unknown):
        return "unknown", reference.missing
    if reference is None:
        return "not_met", frozenset()
    months = target["months"]
    if target.get("direction", "before") == "after":
        met = reference <= value <= add_months(reference, months)
    else:
        met = add_months(reference, -months) <= value <= reference
    return ("met" if met else "not_met"), frozenset()


def alternative_outcome(conditions: tuple, scope: PlainScope) -> tuple[str, frozenset]:
    outcomes = []
    for condition in conditions:
        outcome = condition_outcome(condition, scope)
        if outcome[0] == "not_met":
            return outcome
        outcomes.append(outcome)
    if any(outcome == "not_applicable" for outcome, _ in outcomes):
        return "not_applicable", frozenset()
    missing = frozenset().union(*(m for outcome, m in outcomes if outcome == "unknown"))
    if any(outcome == "unknown" for outcome, _ in outcomes):
        return "unknown", missing
    return "met", frozenset()


def requirement_reason(requirement, scope: PlainScope) -> tuple:
    """(outcome, missing, assessed) as a resident is shown it, before the programme's verdict."""
    outcomes = [alternative_outcome(alt, scope) for alt in requirement.alternatives]
    if any(outcome == "met" for outcome, _ in outcomes):
        return "met", frozenset(), True
    unknown = [missing for outcome, missing in outcomes if outcome == "unknown"]
    if unknown or requirement.open_list:
        return "unknown", frozenset().union(*unknown), True
    assessed = any(outcome == "not_met" for outcome, _ in outcomes)
    return "not_met", frozenset(), assessed


def plain_result(programme: Programme, scope: PlainScope) -> tuple:
    reasons = [requirement_reason(r, scope) for r in programme.requirements]
    missing: set[str] = set().union(*(m for outcome, m, _ in reasons if outcome == "unknown"))
    if any(outcome == "not_met" and assessed for outcome, _, assessed in reasons):
        status = "ineligible"
    elif any(outcome == "not_met" for outcome, _, _ in reasons):
        status = "ineligible"
        reasons = [(outcome, m, True) for outcome, m, _ in reasons]  # nothing else decides
    elif any(outcome == "unknown" for outcome, _, _ in reasons):
        status = "unknown"
    else:
        status = "eligible"
    if not programme.active_on(scope.as_of):
        status = "inactive"
    amount = None
    if status in ("eligible", "unknown"):
        amount = engine.compute_amount(programme, scope)  # type: ignore[arg-type]
    if status == "eligible" and amount is not None:
        missing |= amount.missing
    if status in ("ineligible", "inactive"):
        missing = set()
    order = {key: spec.order for key, spec in scope.catalogue.facts.items()}
    deadlines = []
    for deadline in programme.deadlines:
        day = deadline.date
        if day is None:
            start = scope(deadline.relative_to)
            day = add_months(start, deadline.months or 0) if isinstance(start, dt.date) else None
        deadlines.append((deadline.description, deadline.clause, day))
    return (
        status,
        [(r.clause, *reason) for r, reason in zip(programme.requirements, reasons, strict=True)],
        sorted(missing, key=lambda key: (order.get(key, 0), key)),
        amount,
        deadlines,
    )


def compiled_result(result: engine.Result) -> tuple:
    return (
        result.status,
        [(r.requirement.clause, r.outcome, r.missing, r.assessed) for r in result.reasons],
        list(result.missing),
        result.amount,
        [(d.description, d.clause, d.date) for d in result.deadlines],
    )


def random_value(rng: random.Random, spec: FactSpec) -> Any:
    """A typed answer as `parse_answers` gives it: any value the question accepts."""
    if spec.type == "bool":
        return rng.random() < 0.5
    if spec.type == "date":
        return dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(0, 4000))
    if spec.type == "list":
        return tuple(sorted(rng.sample(list(spec.values), rng.randrange(0, 3))))
    if spec.values:
        return rng.choice(list(spec.values))
    if spec.type == "int":
        low = int(spec.min_value) if spec.min_value is not None else 0
        return rng.randint(low, min(int(spec.max_value or 80), low + 80))
    if spec.type == "number":
        return Decimal(rng.randrange(0, 1_200_000)) / 100
    return rng.choice(["4-10-01-05", "3-01-01-02", "家庭清洁"])


def random_answers(rng: random.Random, catalogue: Catalogue) -> dict:
    answers = {}
    for key in sorted(catalogue.facts):
        spec = catalogue.facts[key]
        if spec.derived is None and rng.random() < 0.6:
            answers[key] = random_value(rng, spec)
    if "birth_date" in answers and rng.random() < 0.7:  # ages across the whole range
        answers["birth_date"] = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(0, 34000))
    return answers


@pytest.mark.parametrize("seed", range(4))
def test_compiled_plans_give_what_the_plain_rules_give(catalogue, seed):
    rng = random.Random(seed)
    for n in range(100):
        as_of = AS_OF_DATES[n % len(AS_OF_DATES)]
        answers = random_answers(rng, catalogue)
        screening = engine.screen(catalogue, answers, as_of)
        programmes = catalogue.programmes_on(as_of)
        assert [r.programme for r in screening.results] == list(programmes)
        scope = PlainScope(catalogue, answers, as_of)
        for programme, result in zip(programmes, screening.results, strict=True):
            assert compiled_result(result) == plain_result(programme, scope), programme.slug


def test_the_same_answers_give_the_same_screening_twice(catalogue):
    """Outcomes and entitlements built once are the same values the second time."""
    rng = random.Random(99)
    for _ in range(50):
        answers = random_answers(rng, catalogue)
        first = engine.screen(catalogue, answers, AS_OF_DATES[0])
        assert engine.screen(catalogue, dict(answers), AS_OF_DATES[0]) == first


INLINE_VALUES = [Decimal(3), 3, "beijing", "", ("di_bao", "te_kun"), (), dt.date(2026, 1, 1)]
INLINE_TARGETS = [
    Decimal(3),
    "beijing",
    "di_bao",
    frozenset({"beijing", "te_kun"}),
    frozenset({Decimal(3)}),
    (Decimal(1), Decimal(5)),
    (dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
    dt.date(2026, 1, 1),
]


def _outcome(test: Any) -> Any:
    try:
        return bool(test())
    except Exception as exc:  # the engine tells TypeError/ValueError from anything else
        return type(exc)


@pytest.mark.parametrize("name", sorted(engine._INLINE_TESTS))
def test_each_inline_test_is_its_operator(name):
    """A one-condition requirement's test is generated as Python (`_INLINE_TESTS`): on every
    value and target, including ones Python refuses to compare, it gives what the operator's
    function gives, or fails the same way."""
    source = compile(engine._INLINE_TESTS[name].format(target="target0"), "<inline test>", "eval")
    for value in INLINE_VALUES:
        for target in INLINE_TARGETS:
            inline = _outcome(lambda v=value, t=target: eval(source, {"value": v, "target0": t}))
            plain = _outcome(lambda v=value, t=target: engine._OPERATORS[name](v, t))
            assert inline == plain, (name, value, target)
