"""The screening engine: answers + date + catalogue snapshot → one outcome per programme.

Three-valued throughout: a condition is met, not met or unknown (its fact is not answered). A
requirement is met when any alternative is met; a programme is eligible when every requirement is
met, ineligible when any is not met, and otherwise unknown, with the facts that would decide it.
Outside its period a programme is inactive. Plain Python over a frozen `Catalogue`: no ORM.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rules.catalogue import (
    EMPTY,
    AmountRule,
    Catalogue,
    Condition,
    Conflict,
    Programme,
    Requirement,
    Text,
)
from rules.dates import add_months
from rules.expressions import EvaluationError, Scope, Unknown

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
NOT_APPLICABLE = "not_applicable"  # within the engine only: shown as an unassessed NOT_MET
ELIGIBLE, INELIGIBLE, UNKNOWN_STATUS, INACTIVE = "eligible", "ineligible", "unknown", "inactive"
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Reason:
    """How one requirement fares. `assessed` is false for a requirement not met only because
    its questions do not apply to this person (the hired person's age, for someone who is not
    screening as an employer) while another requirement already decides the programme: it is
    not a reason the resident should read as "you fail this"."""

    requirement: Requirement
    outcome: str
    missing: frozenset[str] = frozenset()
    assessed: bool = True


@dataclass(frozen=True, slots=True)
class Entitlement:
    """The amount for this person: `value` None when the gazette gives no figure or facts lack."""

    value: Decimal | None
    period: str
    clause: str
    note: Text = EMPTY
    up_to: bool = False
    missing: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PersonalDeadline:
    description: Text
    clause: str
    date: dt.date | None  # None: it depends on an answer not yet given


@dataclass(frozen=True, slots=True)
class Result:
    programme: Programme
    status: str
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...]
    amount: Entitlement | None
    deadlines: tuple[PersonalDeadline, ...]
    conflicts: tuple[Conflict, ...] = ()


@dataclass(frozen=True, slots=True)
class Screening:
    as_of: dt.date
    results: tuple[Result, ...]
    next_questions: tuple[str, ...]

    def result(self, slug: str) -> Result:
        for result in self.results:
            if result.programme.slug == slug:
                return result
        raise KeyError(slug)


class FactScope(Scope):
    """Names for one screening: answers, `as_of`, derived facts (cached), dated parameters and
    the table rows in force on `as_of`."""

    def __init__(self, catalogue: Catalogue, answers: Mapping[str, Any], as_of: dt.date) -> None:
        super().__init__(answers, catalogue.tables_on(as_of))  # the rows in force on as_of
        self.catalogue = catalogue
        self.as_of = as_of
        self.derived: dict[str, Any] = {}

    def __call__(self, name: str) -> Any:
        if name == "as_of":
            return self.as_of
        if name in self.values:
            return super().__call__(name)
        spec = self.catalogue.facts.get(name)
        if spec is not None and spec.derived is not None:
            if name not in self.derived:
                try:
                    self.derived[name] = spec.derived.evaluate(self)
                except EvaluationError:
                    self.derived[name] = None
            return self.derived[name]
        if spec is not None and spec.ask_if is not None:
            # A question that does not apply to this person (its ask_if is false, e.g. the
            # residence permit of a Beijing hukou holder) is never asked: its conditions are
            # not met rather than unknown, so the result can be decided without it.
            if name not in self.derived:
                self.derived[name] = Unknown(frozenset({name}))  # guards against cycles
                try:
                    applies = spec.ask_if.evaluate(self)
                except EvaluationError:
                    applies = True
                self.derived[name] = None if applies is False else Unknown(frozenset({name}))
            return self.derived[name]
        parameter = self.catalogue.parameters.get(name)
        if parameter is not None:
            value = parameter.value_on(self.as_of)
            return Unknown() if value is None else value
        return Unknown(frozenset({name}))


def screen(
    catalogue: Catalogue, answers: Mapping[str, Any], as_of: dt.date, question_limit: int = 5
) -> Screening:
    """Screen typed answers (see `rules.facts.parse_answers`) against every programme."""
    scope = FactScope(catalogue, answers, as_of)
    results = [evaluate_programme(p, scope) for p in catalogue.programmes_on(as_of)]
    results = _with_conflicts(results)
    questions = next_questions(catalogue, results, scope, limit=question_limit)
    return Screening(as_of, tuple(results), questions)


def evaluate_programme(programme: Programme, scope: FactScope) -> Result:
    reasons = _assessed(
        tuple(evaluate_requirement(requirement, scope) for requirement in programme.requirements)
    )
    missing: set[str] = set()
    for reason in reasons:
        missing |= reason.missing
    if not programme.active_on(scope.as_of):
        status = INACTIVE
    elif any(reason.outcome == NOT_MET for reason in reasons):
        status = INELIGIBLE
    elif missing or any(reason.outcome == UNKNOWN for reason in reasons):
        status = UNKNOWN_STATUS
    else:
        status = ELIGIBLE
    amount = compute_amount(programme, scope) if status in (ELIGIBLE, UNKNOWN_STATUS) else None
    if status == ELIGIBLE and amount is not None:
        missing |= amount.missing
    if status in (INELIGIBLE, INACTIVE):
        missing = set()
    deadlines = tuple(_personal_deadline(deadline, scope) for deadline in programme.deadlines)
    return Result(programme, status, reasons, _in_question_order(scope, missing), amount, deadlines)


def _assessed(reasons: tuple[Reason, ...]) -> tuple[Reason, ...]:
    """Unassessed "not met" lines stay unassessed only beside an assessed one that decides."""
    if any(r.outcome == NOT_MET and r.assessed for r in reasons):
        return reasons
    return tuple(
        Reason(r.requirement, r.outcome, r.missing) if not r.assessed else r for r in reasons
    )


def evaluate_requirement(requirement: Requirement, scope: FactScope) -> Reason:
    missing: set[str] = set()
    undecided = False
    assessed = False
    for alternative in requirement.alternatives:
        outcome, alternative_missing = _evaluate_alternative(alternative, scope)
        if outcome == MET:
            return Reason(requirement, MET)
        if outcome == UNKNOWN:
            undecided = True
            missing |= alternative_missing
        assessed = assessed or outcome == NOT_MET
    if undecided or requirement.open_list:
        return Reason(requirement, UNKNOWN, frozenset(missing))
    return Reason(requirement, NOT_MET, assessed=assessed)


def _evaluate_alternative(
    conditions: tuple[Condition, ...], scope: FactScope
) -> tuple[str, frozenset[str]]:
    """MET, UNKNOWN (with the facts it awaits), NOT_MET, or NOT_APPLICABLE: not met only on
    facts whose questions do not apply to this person."""
    missing: frozenset[str] = frozenset()
    undecided = inapplicable = False
    for condition in conditions:
        outcome, condition_missing = evaluate_condition(condition, scope)
        if outcome == NOT_MET:
            return NOT_MET, frozenset()
        inapplicable = inapplicable or outcome == NOT_APPLICABLE
        if outcome == UNKNOWN:
            undecided = True
            missing |= condition_missing
    if inapplicable:
        return NOT_APPLICABLE, frozenset()
    return (UNKNOWN, missing) if undecided else (MET, frozenset())


def evaluate_condition(condition: Condition, scope: FactScope) -> tuple[str, frozenset[str]]:
    """MET, NOT_MET or UNKNOWN; NOT_APPLICABLE (a kind of not met) when the fact's question does
    not apply to this person, e.g. the hired person's age for someone not screening as an
    employer."""
    value = scope(condition.fact)
    if isinstance(value, Unknown):
        return UNKNOWN, value.missing
    if value is None:  # not asked of this person, or a code not in the catalogue table
        return (NOT_APPLICABLE if _not_asked(condition.fact, scope) else NOT_MET), frozenset()
    if condition.operator == "within" and _not_asked(condition.value["of"], scope):
        return NOT_APPLICABLE, frozenset()  # e.g. within two years of a hire there was not
    try:
        result = _test(condition, value, scope)
    except (TypeError, ValueError):
        return UNKNOWN, frozenset()
    if isinstance(result, Unknown):
        return UNKNOWN, result.missing
    return (MET if result else NOT_MET), frozenset()


def _not_asked(key: str, scope: FactScope) -> bool:
    """`key` has no value because its question does not apply to this person (or, for a
    derived fact, because the answers it is worked out from do not)."""
    spec = scope.catalogue.facts.get(key)
    if spec is None or (spec.ask_if is None and spec.derived is None):
        return False
    return scope(key) is None


# Condition operators other than `within`, which needs the scope: (answer, condition value) → bool.
# A comparison Python refuses (e.g. text against a number) raises TypeError: the condition is
# then unknown rather than guessed.
_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda value, target: value == target,
    "ne": lambda value, target: value != target,
    "in": lambda value, target: value in target,
    "not_in": lambda value, target: value not in target,
    "gte": lambda value, target: value >= target,
    "lte": lambda value, target: value <= target,
    "between": lambda value, target: target[0] <= value <= target[1],
    "contains": lambda value, target: target in value,
    "excludes": lambda value, target: not any(item in value for item in target),
}


def _test(condition: Condition, value: Any, scope: FactScope) -> bool | Unknown:
    if condition.operator == "within":
        return _within(value, condition.value, scope)
    test = _OPERATORS.get(condition.operator)
    if test is None:
        raise ValueError(f"unknown operator {condition.operator}")
    return test(value, condition.value)


def _within(value: Any, target: Mapping[str, Any], scope: FactScope) -> bool | Unknown:
    """`value` lies within `months` before (or after) the date `of` names, both ends included.

    The reference is another fact or `as_of`: unknown until that fact is answered, and never met
    when its question does not apply to this person.
    """
    reference = scope(target["of"])
    if isinstance(reference, Unknown):
        return reference
    if reference is None:
        return False
    months = target["months"]
    if target.get("direction", "before") == "after":
        return bool(reference <= value <= add_months(reference, months))
    return bool(add_months(reference, -months) <= value <= reference)


def compute_amount(programme: Programme, scope: FactScope) -> Entitlement | None:
    """The first amount rule whose guard holds; unknown guard → no figure yet, with its facts."""
    for rule in programme.amounts:
        if rule.when is not None:
            try:
                applies = rule.when.evaluate(scope)
            except EvaluationError:
                applies = Unknown()
            if isinstance(applies, Unknown):
                return Entitlement(
                    None, rule.period, rule.clause, rule.note, missing=applies.missing
                )
            if applies is not True:
                continue
        return _amount_of(rule, scope)
    return None


def _amount_of(rule: AmountRule, scope: FactScope) -> Entitlement:
    """The figure `rule` gives this person.

    Kind `none` (the gazette gives no figure), an unknown kind and a computation that fails on
    these answers all give no figure: an amount is never guessed.
    """
    compute = _AMOUNT_KINDS.get(rule.kind)
    if compute is None:
        return _entitlement(rule, None)
    try:
        return compute(rule, scope)
    except EvaluationError:
        return _entitlement(rule, None)


def _entitlement(rule: AmountRule, value: Any, up_to: bool = False) -> Entitlement:
    """`value` to the cent; no figure when it is unknown (with the facts it awaits) or no number."""
    if isinstance(value, Unknown):
        return Entitlement(None, rule.period, rule.clause, rule.note, missing=value.missing)
    if not isinstance(value, Decimal):
        return Entitlement(None, rule.period, rule.clause, rule.note)
    return Entitlement(value.quantize(CENT), rule.period, rule.clause, rule.note, up_to)


def _fixed_amount(rule: AmountRule, scope: FactScope) -> Entitlement:
    return _entitlement(rule, rule.value)


def _rate_amount(rule: AmountRule, scope: FactScope) -> Entitlement:
    """A share of the base fact, capped; before the base is known, "up to" the cap."""
    base = scope(rule.base) if rule.base else None
    if not isinstance(base, Decimal):
        return _entitlement(rule, rule.cap, up_to=True)
    if rule.rate is None:  # the loader and the admin refuse this; no figure rather than a crash
        return _entitlement(rule, None)
    share = base * rule.rate
    return _entitlement(rule, share if rule.cap is None else min(share, rule.cap))


def _table_amount(rule: AmountRule, scope: FactScope) -> Entitlement:
    """The gazette table's row for the answers to `table_keys`; unknown until all are given."""
    keys = [scope(key) for key in rule.table_keys]
    unknown = [key for key in keys if isinstance(key, Unknown)]
    if unknown:
        return _entitlement(rule, Unknown(frozenset().union(*(u.missing for u in unknown))))
    return _entitlement(rule, scope.lookup(rule.table, tuple(keys)))


def _formula_amount(rule: AmountRule, scope: FactScope) -> Entitlement:
    return _entitlement(rule, rule.formula.evaluate(scope) if rule.formula is not None else None)


_AMOUNT_KINDS: dict[str, Callable[[AmountRule, FactScope], Entitlement]] = {
    "fixed": _fixed_amount,
    "rate": _rate_amount,
    "table": _table_amount,
    "formula": _formula_amount,
}


def _personal_deadline(deadline: Any, scope: FactScope) -> PersonalDeadline:
    if deadline.date is not None:
        return PersonalDeadline(deadline.description, deadline.clause, deadline.date)
    start = scope(deadline.relative_to)
    day = add_months(start, deadline.months) if isinstance(start, dt.date) else None
    return PersonalDeadline(deadline.description, deadline.clause, day)


def _with_conflicts(results: list[Result]) -> list[Result]:
    """Mark results that cannot be combined with another result the person may also get."""
    possible = {r.programme.slug for r in results if r.status in (ELIGIBLE, UNKNOWN_STATUS)}
    marked = []
    for result in results:
        conflicts = tuple(c for c in result.programme.conflicts if c.other in possible)
        if conflicts and result.programme.slug in possible:
            result = Result(
                result.programme,
                result.status,
                result.reasons,
                result.missing,
                result.amount,
                result.deadlines,
                conflicts,
            )
        marked.append(result)
    return marked


def askable(catalogue: Catalogue, scope: FactScope, keys: set[str]) -> set[str]:
    """Replace facts that may not be asked yet by the facts their question depends on.

    A fact whose `ask_if` is false is dropped (it can never be asked); one whose `ask_if` is
    unknown gives way to the facts that would decide it, recursively.
    """
    result: set[str] = set()
    pending = list(keys)
    seen: set[str] = set()
    while pending:
        key = pending.pop()
        if key in seen or key in scope.values:
            continue
        seen.add(key)
        spec = catalogue.facts.get(key)
        if spec is None or spec.derived is not None:
            continue
        if spec.ask_if is None:
            result.add(key)
            continue
        try:
            allowed = spec.ask_if.evaluate(scope)
        except EvaluationError:
            continue
        if allowed is True:
            result.add(key)
        elif isinstance(allowed, Unknown):
            pending.extend(allowed.missing)
    return result


def next_questions(
    catalogue: Catalogue, results: list[Result], scope: FactScope, limit: int = 5
) -> tuple[str, ...]:
    """Unanswered facts that would decide the most unknown results, best first.

    An unknown result counts fully; an eligible one whose amount still needs a fact counts a
    little, so eligibility questions come before amount questions.
    """
    scores: dict[str, float] = {}
    for result in results:
        if result.status == UNKNOWN_STATUS:
            weight = 1.0
        elif result.status == ELIGIBLE and result.missing:
            weight = 0.5
        else:
            continue
        for key in askable(catalogue, scope, set(result.missing)):
            scores[key] = scores.get(key, 0.0) + weight
    order = {key: spec.order for key, spec in catalogue.facts.items()}
    ranked = sorted(scores, key=lambda key: (-scores[key], order.get(key, 0), key))
    return tuple(ranked[:limit])


def _in_question_order(scope: FactScope, keys: set[str]) -> tuple[str, ...]:
    facts = scope.catalogue.facts
    return tuple(sorted(keys, key=lambda key: (facts[key].order if key in facts else 0, key)))
