"""The screening engine: answers + date + catalogue snapshot → one outcome per programme.

Three-valued throughout: a condition is met, not met or unknown (its fact is not answered). A
requirement is met when any alternative is met; a programme is eligible when every requirement is
met, ineligible when any is not met, and otherwise unknown, with the facts that would decide it.
Outside its period a programme is inactive. Plain Python over a frozen `Catalogue`: no ORM.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rules.catalogue import (
    EMPTY,
    AmountRule,
    Catalogue,
    Condition,
    Conflict,
    Deadline,
    FactSpec,
    Parameter,
    Programme,
    Requirement,
    Text,
)
from rules.dates import add_months
from rules.expressions import NOT_CONVERTED, EvaluationError, Expression, Scope, Unknown, numeric

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
    """Names for one screening: answers, `as_of`, derived facts, dated parameters and the table
    rows in force on `as_of`. Each name is worked out once per screening (`known`).

    `known` starts with every answer (numbers as Decimal, as `Scope` gives them) and every
    plain question not answered, so most reads are one dict look-up; derived facts, questions
    that may not apply and parameters are worked out on first read by the resolver
    `_FactPlan` built for them once per catalogue.
    """

    def __init__(self, catalogue: Catalogue, answers: Mapping[str, Any], as_of: dt.date) -> None:
        super().__init__(answers, catalogue.tables_on(as_of))  # the rows in force on as_of
        self.catalogue = catalogue
        self.as_of = as_of
        plan = self.plan = _fact_plan(catalogue)
        self.resolvers = plan.resolvers
        known = self.known = dict(plan.unanswered)
        for key, value in answers.items():  # an answer wins over any other meaning of its key
            known[key] = value if value.__class__ in NOT_CONVERTED else numeric(value)
        known["as_of"] = as_of
        # `askable` of each result's missing facts, worked out once: many results await the same.
        self.asks: dict[tuple[str, ...], set[str]] = {}
        self.applies: dict[str, Any] = {}  # each `ask_if` read, by its text (`_ask_if_value`)

    def __call__(self, name: str) -> Any:
        known = self.known
        if name in known:
            return known[name]
        resolve = self.resolvers.get(name)
        if resolve is None:  # a name the catalogue does not know
            value = known[name] = _unanswered(name)
            return value
        return resolve(self, name)


Resolver = Callable[[FactScope, str], Any]


@dataclass(frozen=True, slots=True)
class _FactPlan:
    """How each name is worked out, once per catalogue: the value of every plain question left
    unanswered (the same Unknown for everyone) and a resolver for the rest."""

    unanswered: dict[str, Any]
    resolvers: dict[str, Resolver]
    shared: bool  # an ask_if is worked out once per screening (`_ask_if_value`)


def _fact_plan(catalogue: Catalogue) -> _FactPlan:
    plan = catalogue.engine_plans.get("facts")
    if plan is None:
        plan = catalogue.engine_plans["facts"] = _build_fact_plan(catalogue)
    return plan


def _build_fact_plan(catalogue: Catalogue) -> _FactPlan:
    """A fact's derivation comes first, then its `ask_if`, then a parameter of the same key;
    an answer overrides them all (FactScope puts answers in `known` before anything is read)."""
    unanswered: dict[str, Any] = {}
    resolvers: dict[str, Resolver] = {}
    shared = not _has_cycle(catalogue.facts)
    for key, parameter in catalogue.parameters.items():
        resolvers[key] = _parameter_resolver(parameter)
    for key, spec in catalogue.facts.items():
        if spec.derived is not None:
            resolvers[key] = _derived_resolver(spec.derived)
        elif spec.ask_if is not None:
            resolvers[key] = _ask_if_resolver(spec.ask_if, shared)
        elif key not in resolvers:
            unanswered[key] = _unanswered(key)
    return _FactPlan(unanswered, resolvers, shared)


def _derived_resolver(derived: Expression) -> Resolver:
    def resolve(scope: FactScope, name: str) -> Any:
        try:
            value = derived.evaluate(scope)
        except EvaluationError:
            value = None
        scope.known[name] = value
        return value

    return resolve


def _ask_if_resolver(ask_if: Expression, shared: bool) -> Resolver:
    def resolve(scope: FactScope, name: str) -> Any:
        # A question that does not apply to this person (its ask_if is false, e.g. the
        # residence permit of a Beijing hukou holder) is never asked: its conditions are
        # not met rather than unknown, so the result can be decided without it.
        known = scope.known
        known[name] = unknown = _unanswered(name)  # guards against cycles
        applies = _ask_if_value(scope, ask_if, shared)
        value = known[name] = None if applies is False else unknown  # _FAILED: it may apply
        return value

    return resolve


_FAILED = object()  # an ask_if that cannot be evaluated on these answers


def _ask_if_value(scope: FactScope, ask_if: Expression, shared: bool) -> Any:
    """The value of `ask_if` in `scope`, or _FAILED. `shared`: no fact is worked out from
    itself, so an `ask_if` has the same value whichever question reads it first (many share
    one, e.g. `screening_as_employer == true`): evaluated once per screening."""
    if shared:
        found = scope.applies.get(ask_if.source, scope)
        if found is not scope:
            return found
    try:
        value = ask_if.evaluate(scope)
    except EvaluationError:
        value = _FAILED
    if shared:
        scope.applies[ask_if.source] = value
    return value


def _has_cycle(facts: Mapping[str, FactSpec]) -> bool:
    """Some fact is derived from, or asked depending on, itself (directly or through others)."""
    reads = {
        key: {name for e in (spec.derived, spec.ask_if) if e is not None for name in e.names}
        for key, spec in facts.items()
    }
    done: set[str] = set()

    def reaches_itself(key: str, path: set[str]) -> bool:
        if key in path:
            return True
        if key in done or key not in reads:
            return False
        path.add(key)
        found = any(reaches_itself(name, path) for name in reads[key])
        path.discard(key)
        done.add(key)
        return found

    return any(reaches_itself(key, set()) for key in facts)


def _parameter_resolver(parameter: Parameter) -> Resolver:
    def resolve(scope: FactScope, name: str) -> Any:
        found = parameter.value_on(scope.as_of)
        value = scope.known[name] = Unknown() if found is None else found
        return value

    return resolve


@functools.lru_cache(maxsize=4096)
def _unanswered(name: str) -> Unknown:
    """The value of a fact not answered: the same immutable object in every screening."""
    return Unknown(frozenset({name}))


def screen(
    catalogue: Catalogue, answers: Mapping[str, Any], as_of: dt.date, question_limit: int = 5
) -> Screening:
    """Screen typed answers (see `rules.facts.parse_answers`) against every programme."""
    scope = FactScope(catalogue, answers, as_of)
    results = [plan(scope) for plan in _plans(catalogue, catalogue.programmes_on(as_of))]
    results = _with_conflicts(results)
    questions = next_questions(catalogue, results, scope, limit=question_limit)
    return Screening(as_of, tuple(results), questions)


# --- plans: a programme compiled once per catalogue ------------------------------------------
# Screening a programme runs closures and a function generated from fixed templates
# (`_verdicts_plan`), built the first time the catalogue screens it: every operator, fact kind
# and reason that does not depend on the answers is worked out then, so a screening only reads
# answers, compares and picks prebuilt values.

ProgrammePlan = Callable[[FactScope], Result]
Check = Callable[[FactScope], tuple[str, frozenset[str]]]
NOTHING: frozenset[str] = frozenset()
_MET = (MET, NOTHING)
_NOT_MET = (NOT_MET, NOTHING)
_NOT_APPLICABLE = (NOT_APPLICABLE, NOTHING)
_UNDECIDED = (UNKNOWN, NOTHING)


def _plans(catalogue: Catalogue, programmes: tuple[Programme, ...]) -> tuple[ProgrammePlan, ...]:
    """The plans of one era's programmes, built on first use and kept with the catalogue."""
    entry = catalogue.engine_plans.get(id(programmes))
    if entry is None or entry[0] is not programmes:  # keyed by identity: eras are frozen
        entry = (programmes, tuple(_plan(programme, catalogue) for programme in programmes))
        catalogue.engine_plans[id(programmes)] = entry
    return entry[1]


def _plan(programme: Programme, catalogue: Catalogue) -> ProgrammePlan:
    """The programme's plan for this catalogue, built on first use."""
    entry = catalogue.engine_plans.get(id(programme))
    if entry is None or entry[0] is not programme:
        entry = (programme, _programme_plan(programme, catalogue))
        catalogue.engine_plans[id(programme)] = entry
    return entry[1]


def _programme_plan(programme: Programme, catalogue: Catalogue) -> ProgrammePlan:
    """Reasons, outcome, amount and deadlines of one programme. What is the same for everyone
    with the same reasons (and an amount that is everyone's) is built once: `_Outcome`."""
    verdicts_of = _verdicts_plan(programme.requirements, catalogue.facts)
    amount_of, lasting, everyones_amount = _amount_plan(programme)
    order = _question_order(catalogue)
    # Deadlines on a fixed date are the same for everyone: built once when all are.
    fixed = tuple(
        PersonalDeadline(d.description, d.clause, d.date)
        for d in programme.deadlines
        if d.date is not None
    )
    constant_deadlines = fixed if len(fixed) == len(programme.deadlines) else None
    personal = _deadlines_plan(programme.deadlines)
    start, end = programme.period_start, programme.period_end
    outcomes: tuple[dict[tuple[_Verdict, ...], _Outcome], ...] = ({}, {})  # inactive, active

    def new_outcome(verdicts: tuple[_Verdict, ...], active: bool) -> _Outcome:
        outcome = _Outcome(
            programme,
            tuple([v.reason for v in verdicts]),
            active,
            order,
            constant_deadlines,
            everyones_amount,
        )
        if len(outcomes[active]) < _OUTCOMES_PER_PROGRAMME:
            outcomes[active][verdicts] = outcome
        return outcome

    def run(scope: FactScope) -> Result:
        verdicts = verdicts_of(scope)
        day = scope.as_of  # Programme.active_on, inline
        active = not ((start and day < start) or (end and day > end))
        outcome = outcomes[active].get(verdicts) or new_outcome(verdicts, active)
        if outcome.settled is not None:
            return outcome.settled
        amount = amount_of(scope) if outcome.assesses_amount else None
        if constant_deadlines is not None:
            deadlines, kept = constant_deadlines, True
        else:
            deadlines, kept = personal(scope)
        if kept and (amount is None or id(amount) in lasting):
            return outcome.result(amount, deadlines)
        return outcome.build(amount, deadlines)

    return run


_OUTCOMES_PER_PROGRAMME = 256  # distinct combinations of reasons kept per programme


class _Outcome:
    """What a programme's reasons decide (its status, the reasons shown and the facts awaited),
    worked out once per combination of reasons; with the Result for each amount that is the
    same for everyone (none, a fixed figure, "up to" a cap, no figure yet for these facts)."""

    __slots__ = (
        "assesses_amount",
        "missing",
        "order",
        "programme",
        "reasons",
        "results",
        "settled",
        "status",
    )

    def __init__(
        self,
        programme: Programme,
        reasons: tuple[Reason, ...],
        active: bool,
        order: Mapping[str, int],
        constant_deadlines: tuple[PersonalDeadline, ...] | None,
        everyones_amount: tuple[Entitlement | None] | None = None,
    ) -> None:
        shown, status, missing = _requirements_outcome(reasons)
        if not active:
            status = INACTIVE
        if status in (INELIGIBLE, INACTIVE):
            missing = set()
        self.programme = programme
        self.reasons = shown
        self.status = status
        self.order = order
        self.missing = _ordered(missing, order)
        self.assesses_amount = status in (ELIGIBLE, UNKNOWN_STATUS)
        self.results: dict[tuple[int, int], Result] = {}
        # The Result itself when nothing in it depends on the answers beyond the reasons:
        # deadlines on fixed dates and no amount to work out (ineligible, inactive) or one that
        # is everyone's (`_amount_plan`).
        self.settled = None
        if constant_deadlines is not None and not self.assesses_amount:
            self.settled = self.build(None, constant_deadlines)
        elif constant_deadlines is not None and everyones_amount is not None:
            self.settled = self.build(everyones_amount[0], constant_deadlines)

    def result(self, amount: Entitlement | None, deadlines: tuple[PersonalDeadline, ...]) -> Result:
        """`build`, once per amount and deadlines that are kept by their plans (or None): ids
        that are never reused."""
        key = (id(amount), id(deadlines))
        result = self.results.get(key)
        if result is None:
            result = self.build(amount, deadlines)
            if len(self.results) < 16:
                self.results[key] = result
        return result

    def build(self, amount: Entitlement | None, deadlines: tuple[PersonalDeadline, ...]) -> Result:
        missing = self.missing
        if self.status == ELIGIBLE and amount is not None and amount.missing:
            missing = _ordered(amount.missing, self.order)
        return Result(self.programme, self.status, self.reasons, missing, amount, deadlines)


def _requirements_outcome(reasons: tuple[Reason, ...]) -> tuple[tuple[Reason, ...], str, set[str]]:
    """Ineligible when a requirement is not met, eligible when all are met, else unknown with the
    facts that would decide it; the reasons as shown."""
    missing: set[str] = set()
    decided = unassessed = undecided = False
    for reason in reasons:
        if reason.outcome == NOT_MET:
            if reason.assessed:
                decided = True
            else:
                unassessed = True
        elif reason.outcome == UNKNOWN:
            undecided = True
            missing |= reason.missing
    if decided:
        return reasons, INELIGIBLE, missing
    if unassessed:  # shown as assessed: no other reason decides
        return tuple(_as_assessed(reason) for reason in reasons), INELIGIBLE, missing
    return reasons, UNKNOWN_STATUS if missing or undecided else ELIGIBLE, missing


def _as_assessed(reason: Reason) -> Reason:
    if reason.assessed:
        return reason
    return Reason(reason.requirement, reason.outcome, reason.missing)


class _Verdict:
    """A requirement's reason as its plan gives it: compared and hashed by identity, so a
    programme's verdicts key its outcomes (`_Outcome`) at the cost of a tuple. Each is built
    once (`_Reasons`), so equal reasons are the same verdict."""

    __slots__ = ("reason",)

    def __init__(self, reason: Reason) -> None:
        self.reason = reason


class _Reasons:
    """The verdicts a requirement can give, built once; an unknown one once per set of facts it
    awaits (a requirement reads few facts, so there are few such sets)."""

    __slots__ = ("met", "not_applicable", "not_met", "requirement", "undecided", "unknowns")

    def __init__(self, requirement: Requirement) -> None:
        self.requirement = requirement
        self.met = _Verdict(Reason(requirement, MET))
        self.undecided = _Verdict(Reason(requirement, UNKNOWN, NOTHING))
        # An open list (examples, not a closed list) is never "not met": it is "ask".
        self.not_met = (
            self.undecided if requirement.open_list else _Verdict(Reason(requirement, NOT_MET))
        )
        self.not_applicable = (
            self.undecided
            if requirement.open_list
            else _Verdict(Reason(requirement, NOT_MET, assessed=False))
        )
        self.unknowns: dict[frozenset[str], _Verdict] = {}

    def unknown(self, missing: frozenset[str]) -> _Verdict:
        if not missing:
            return self.undecided
        verdict = self.unknowns.get(missing)
        if verdict is None:
            verdict = _Verdict(Reason(self.requirement, UNKNOWN, missing))
            if len(self.unknowns) < 64:
                self.unknowns[missing] = verdict
        return verdict


VerdictsPlan = Callable[[FactScope], tuple["_Verdict", ...]]

# The test of a condition as Python, for each operator that is a plain expression (see
# `_OPERATORS`, which these must match); others call their `_OPERATORS` function.
_INLINE_TESTS = {
    "eq": "value == {target}",
    "ne": "value != {target}",
    "in": "value in {target}",
    "not_in": "value not in {target}",
    "gte": "value >= {target}",
    "lte": "value <= {target}",
    "between": "{target}[0] <= value <= {target}[1]",
    "contains": "{target} in value",
}

# Blocks of the generated functions (`_verdicts_plan`). Every name ending in {n} is a value of
# the requirement, alternative or condition `n`, bound in the namespace when compiling.

# A fact's value, read as the closures read it: `known` first, the scope (a resolver) else.
_READ = """\
value = known.get(key{n}, scope)
if value is scope:
    value = scope(key{n})
"""

# A requirement of one condition: its verdict v{n}. No value: not met, or not applicable when
# its question may not apply; unknown awaiting its facts; a test Python refuses: unknown.
_ONE_CONDITION = (
    _READ
    + """\
if value is None:
    v{n} = no_value{n}
elif isinstance(value, Unknown):
    v{n} = unknowns{n}.get(value.missing) or unknown{n}(value.missing)
else:
    try:
        v{n} = met{n} if {test} else not_met{n}
    except (TypeError, ValueError):
        v{n} = undecided{n}
"""
)

# A condition of an alternative: `ok` false once one is not met; then the next conditions are
# not read (each is indented under `if ok:`). No value: not met, or not applicable.
_PLAIN_CONDITION = (
    _READ
    + """\
if value is None:
    {no_value}
elif isinstance(value, Unknown):
    undecided_here = True
    missing_here |= value.missing
else:
    try:
        if not ({test}):
            ok = False
    except (TypeError, ValueError):
        undecided_here = True
"""
)

# After an alternative's conditions: met if every one is; else the requirement goes on to the
# next, unknown (with the facts awaited) if any was unknown, assessed if any was not met.
_ALTERNATIVE_END = """\
if not ok:
    assessed = True
elif not inapplicable_here:
    if not undecided_here:
        return met
    undecided = True
    missing |= missing_here
"""

# An alternative with a `within` condition: its `_alternative_check` closure, called.
_ALTERNATIVE_CALL = """\
outcome, missing_here = check{n}(scope)
if outcome == MET:
    return met
if outcome == UNKNOWN:
    undecided = True
    missing |= missing_here
elif outcome == NOT_MET:
    assessed = True
"""

_REQUIREMENT_END = """\
if undecided:
    return unknown(missing)
return not_met if assessed else not_applicable
"""


def _verdicts_plan(
    requirements: tuple[Requirement, ...], facts: Mapping[str, FactSpec]
) -> VerdictsPlan:
    """The verdicts of a programme's requirements, in order, from Python generated and compiled
    once per catalogue. A requirement is met when any alternative is met; else unknown (with the
    facts awaited) if any is unknown or the list is open (`_Reasons`); else not met, `assessed`
    when some alternative was really not met. A one-condition requirement (the most common) is
    a block of `verdicts`; any other is a function of its own whose alternatives and conditions
    are inline (but those with `within`, which call their closure). A programme thus costs a call
    or a few rather than one per requirement, alternative and condition. The source holds no
    catalogue text: every key, value and verdict is a name bound in its namespace."""
    namespace: dict[str, Any] = {"Unknown": Unknown, "MET": MET, "UNKNOWN": UNKNOWN}
    namespace.update(NOT_MET=NOT_MET, NOTHING=NOTHING)
    functions, body = [], []
    for i, requirement in enumerate(requirements):
        reasons = _Reasons(requirement)
        if _is_one_condition(requirement):
            condition = requirement.alternatives[0][0]
            block = _one_condition_block(str(i), condition, facts, reasons, namespace)
            body.append(f"# requirement {i}\n" + block)
        else:
            functions.append(_requirement_function(i, requirement, facts, reasons, namespace))
            body.append(f"v{i} = requirement{i}(scope, known)")
    body.append(f"return ({''.join(f'v{i}, ' for i in range(len(requirements)))})")  # () if none
    source = "\n".join([*functions, _function("verdicts(scope)", ["known = scope.known", *body])])
    exec(compile(source, "<programme verdicts>", "exec"), namespace)
    verdicts: VerdictsPlan = namespace["verdicts"]
    return verdicts


def _function(signature: str, blocks: list[str]) -> str:
    return f"def {signature}:\n" + "".join(_indented(block, 1) for block in blocks)


def _indented(block: str, depth: int) -> str:
    return "".join("    " * depth + line + "\n" for line in block.splitlines())


def _is_one_condition(requirement: Requirement) -> bool:
    alternatives = requirement.alternatives
    return (
        len(alternatives) == 1
        and len(alternatives[0]) == 1
        and alternatives[0][0].operator != "within"
    )


def _one_condition_block(
    n: str,
    condition: Condition,
    facts: Mapping[str, FactSpec],
    reasons: _Reasons,
    namespace: dict[str, Any],
) -> str:
    """`_ONE_CONDITION` for requirement `n`, its names bound in `namespace`."""
    test = _bind_condition(n, condition, namespace)
    namespace.update(
        {
            f"no_value{n}": (
                reasons.not_applicable
                if _may_go_unasked(facts, condition.fact)
                else reasons.not_met
            ),
            f"unknown{n}": reasons.unknown,
            f"unknowns{n}": reasons.unknowns,  # those `unknown` keeps, read first
            f"met{n}": reasons.met,
            f"not_met{n}": reasons.not_met,
            f"undecided{n}": reasons.undecided,
        }
    )
    return _ONE_CONDITION.format(n=n, test=test)


def _bind_condition(n: str, condition: Condition, namespace: dict[str, Any]) -> str:
    """Binds condition `n`'s fact, value and operator; gives its test as Python."""
    namespace[f"key{n}"] = condition.fact
    namespace[f"target{n}"] = condition.value
    namespace[f"test{n}"] = _OPERATORS.get(condition.operator, _unknown_operator)
    default = "test{n}(value, {target})".replace("{n}", n)
    return _INLINE_TESTS.get(condition.operator, default).format(target=f"target{n}")


def _requirement_function(
    i: int,
    requirement: Requirement,
    facts: Mapping[str, FactSpec],
    reasons: _Reasons,
    namespace: dict[str, Any],
) -> str:
    """The source of `requirement{i}`, the verdict of requirement `i` of several conditions."""
    blocks = ["missing = NOTHING", "undecided = assessed = False"]
    for j, conditions in enumerate(requirement.alternatives):
        n = f"{i}_{j}"
        if any(condition.operator == "within" for condition in conditions):
            namespace[f"check{n}"] = _alternative_check(conditions, facts)
            blocks.append(f"# alternative {j}\n" + _ALTERNATIVE_CALL.format(n=n))
        else:
            blocks.append(
                f"# alternative {j}\n" + _alternative_block(n, conditions, facts, namespace)
            )
    blocks.append(_REQUIREMENT_END)
    bound = {"met": reasons.met, "unknown": reasons.unknown}
    bound.update(not_met=reasons.not_met, not_applicable=reasons.not_applicable)
    for name, value in bound.items():
        namespace[f"{name}{i}"] = value
        blocks.insert(0, f"{name} = {name}{i}")
    return _function(f"requirement{i}(scope, known)", blocks)


def _alternative_block(
    n: str,
    conditions: tuple[Condition, ...],
    facts: Mapping[str, FactSpec],
    namespace: dict[str, Any],
) -> str:
    """Alternative `n`'s conditions (none with `within`), inline, and what the requirement makes of
    its outcome (`_ALTERNATIVE_END`)."""
    block = "ok = True\nmissing_here = NOTHING\nundecided_here = inapplicable_here = False\n"
    for k, condition in enumerate(conditions):
        m = f"{n}_{k}"
        test = _bind_condition(m, condition, namespace)
        unasked = _may_go_unasked(facts, condition.fact)
        no_value = "inapplicable_here = True" if unasked else "ok = False"
        source = _PLAIN_CONDITION.format(n=m, test=test, no_value=no_value)
        block += source if k == 0 else "if ok:\n" + _indented(source, 1)
    return block + _ALTERNATIVE_END


def _alternative_check(conditions: tuple[Condition, ...], facts: Mapping[str, FactSpec]) -> Check:
    """All conditions of an alternative that has a `within` condition (the others are generated
    inline, `_alternative_block`): MET, UNKNOWN (with the facts it awaits), NOT_MET, or
    NOT_APPLICABLE (not met only on facts whose questions do not apply to this person)."""
    if len(conditions) == 1:
        return _condition_check(conditions[0], facts)
    checks = tuple(_condition_check(condition, facts) for condition in conditions)

    def check_all(scope: FactScope) -> tuple[str, frozenset[str]]:
        missing: frozenset[str] = NOTHING
        undecided = inapplicable = False
        for check in checks:
            outcome, condition_missing = check(scope)
            if outcome == NOT_MET:
                return _NOT_MET
            if outcome == NOT_APPLICABLE:
                inapplicable = True
            elif outcome == UNKNOWN:
                undecided = True
                missing |= condition_missing
        return _combined(inapplicable, undecided, missing)

    return check_all


def _combined(
    inapplicable: bool, undecided: bool, missing: frozenset[str]
) -> tuple[str, frozenset[str]]:
    """An alternative none of whose conditions is not met."""
    if inapplicable:
        return _NOT_APPLICABLE
    return (UNKNOWN, missing) if undecided else _MET


def _may_go_unasked(facts: Mapping[str, FactSpec], key: str) -> bool:
    """`key` may have no value because its question does not apply to this person (or, for a
    derived fact, because the answers it is worked out from do not)."""
    spec = facts.get(key)
    return spec is not None and (spec.ask_if is not None or spec.derived is not None)


def _condition_check(condition: Condition, facts: Mapping[str, FactSpec]) -> Check:
    """The condition as a closure over the scope. A fact without a value (None) is not met, or
    not applicable when its question may not apply (`_may_go_unasked`)."""
    key, target = condition.fact, condition.value
    no_value = _NOT_APPLICABLE if _may_go_unasked(facts, key) else _NOT_MET
    if condition.operator == "within":
        return _within_check(key, target, no_value, _may_go_unasked(facts, target["of"]))
    test = _OPERATORS.get(condition.operator, _unknown_operator)

    def check(scope: FactScope) -> tuple[str, frozenset[str]]:
        value = scope.known.get(key, scope)  # the scope itself: not yet worked out
        if value is scope:
            value = scope(key)
        if value is None:  # not asked of this person, or a code not in the catalogue table
            return no_value
        if isinstance(value, Unknown):
            return UNKNOWN, value.missing
        try:
            return _MET if test(value, target) else _NOT_MET
        except (TypeError, ValueError):  # e.g. text against a number: unknown, never guessed
            return _UNDECIDED

    return check


def _within_check(
    key: str, target: Mapping[str, Any], no_value: tuple[str, frozenset[str]], of_unasked: bool
) -> Check:
    reference_key = target["of"]

    def check(scope: FactScope) -> tuple[str, frozenset[str]]:
        value = scope(key)
        if value is None:
            return no_value
        if isinstance(value, Unknown):
            return UNKNOWN, value.missing
        if of_unasked and scope(reference_key) is None:
            return _NOT_APPLICABLE  # e.g. within two years of a hire there was not
        try:
            result = _within(value, target, scope)
        except (TypeError, ValueError):
            return _UNDECIDED
        if isinstance(result, Unknown):
            return UNKNOWN, result.missing
        return _MET if result else _NOT_MET

    return check


def _unknown_operator(value: Any, target: Any) -> bool:
    raise ValueError("unknown operator")


# Condition operators other than `within`, which needs the scope: (answer, condition value) → bool.
# A comparison Python refuses (e.g. text against a number) raises TypeError: the condition is
# then unknown rather than guessed.
# The operator module's functions are the same comparisons, without a Python call.
_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,  # value == target
    "ne": operator.ne,  # value != target
    "in": lambda value, target: value in target,
    "not_in": lambda value, target: value not in target,
    "gte": operator.ge,  # value >= target
    "lte": operator.le,  # value <= target
    "between": lambda value, target: target[0] <= value <= target[1],
    "contains": operator.contains,  # target in value
    "excludes": lambda value, target: not any(item in value for item in target),
}


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
        return bool(reference <= value <= _add_months(reference, months))
    return bool(_add_months(reference, -months) <= value <= reference)


def _add_months(day: Any, months: Any) -> Any:
    """`add_months`, kept for the dates many screenings share (`as_of` above all)."""
    if day.__class__ is dt.date and months.__class__ is int:
        return _shifted(day, months)
    return add_months(day, months)


@functools.lru_cache(maxsize=4096)
def _shifted(day: dt.date, months: int) -> dt.date:
    return add_months(day, months)


def compute_amount(programme: Programme, scope: FactScope) -> Entitlement | None:
    """The first amount rule whose guard holds; unknown guard → no figure yet, with its facts.

    The plain form of what a programme's plan computes (`_amount_plan`, which builds the
    entitlements that are the same for everyone once); tests hold the two equal.
    """
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
        return _entitlement(rule, *_figure(rule, scope))
    return None


Figure = tuple[Any, bool]  # (the value, "up to": a cap before the base is known)
_NO_FIGURE: Figure = (None, False)


def _figure(rule: AmountRule, scope: FactScope) -> Figure:
    """The figure `rule` gives this person.

    Kind `none` (the gazette gives no figure), an unknown kind and a computation that fails on
    these answers all give no figure: an amount is never guessed.
    """
    compute = _AMOUNT_KINDS.get(rule.kind)
    if compute is None:
        return _NO_FIGURE
    try:
        return compute(rule, scope)
    except EvaluationError:
        return _NO_FIGURE


def _entitlement(rule: AmountRule, value: Any, up_to: bool = False) -> Entitlement:
    """`value` to the cent; no figure when it is unknown (with the facts it awaits) or no number."""
    if isinstance(value, Unknown):
        return Entitlement(None, rule.period, rule.clause, rule.note, missing=value.missing)
    if not isinstance(value, Decimal):
        return Entitlement(None, rule.period, rule.clause, rule.note)
    return Entitlement(value.quantize(CENT), rule.period, rule.clause, rule.note, up_to)


def _fixed_amount(rule: AmountRule, scope: FactScope) -> Figure:
    return rule.value, False


def _rate_amount(rule: AmountRule, scope: FactScope) -> Figure:
    """A share of the base fact, capped; before the base is known, "up to" the cap."""
    base = scope(rule.base) if rule.base else None
    if not isinstance(base, Decimal):
        return rule.cap, True
    if rule.rate is None:  # the loader and the admin refuse this; no figure rather than a crash
        return _NO_FIGURE
    share = base * rule.rate
    return (share if rule.cap is None else min(share, rule.cap)), False


def _table_amount(rule: AmountRule, scope: FactScope) -> Figure:
    """The gazette table's row for the answers to `table_keys`; unknown until all are given."""
    keys = [scope(key) for key in rule.table_keys]
    unknown = [key for key in keys if isinstance(key, Unknown)]
    if unknown:
        return Unknown(frozenset().union(*(u.missing for u in unknown))), False
    return scope.lookup(rule.table, tuple(keys)), False


def _formula_amount(rule: AmountRule, scope: FactScope) -> Figure:
    return (rule.formula.evaluate(scope) if rule.formula is not None else None), False


_AMOUNT_KINDS: dict[str, Callable[[AmountRule, FactScope], Figure]] = {
    "fixed": _fixed_amount,
    "rate": _rate_amount,
    "table": _table_amount,
    "formula": _formula_amount,
}

AmountPlan = Callable[[FactScope], Entitlement | None]


def _amount_plan(
    programme: Programme,
) -> tuple[AmountPlan, dict[int, Entitlement], tuple[Entitlement | None] | None]:
    """`compute_amount` for this programme, with the entitlements that are the same for
    everyone built once: the second value keeps them by id (see `_Outcome.result`). The third
    is the amount when it never depends on the answers (in a 1-tuple: it may be None, no amount
    rule), else None."""
    lasting: dict[int, Entitlement] = {}
    rules = tuple(_AmountRule(rule, lasting) for rule in programme.amounts)

    def amount_of(scope: FactScope) -> Entitlement | None:
        for rule in rules:
            if rule.when is not None:
                try:
                    applies = rule.when(scope)
                except EvaluationError:
                    applies = _NO_FACTS
                if isinstance(applies, Unknown):
                    return rule.entitlement(applies, False)
                if applies is not True:
                    continue
            return rule.entitlement(*_figure(rule.rule, scope))
        return None

    return amount_of, lasting, _everyones_amount(rules)


def _everyones_amount(rules: tuple[_AmountRule, ...]) -> tuple[Entitlement | None] | None:
    """What `amount_of` gives whatever the answers, when it reads none: no rule, or a first rule
    without a guard whose kind reads no fact (fixed, none, or a kind `_figure` does not know)."""
    if not rules:
        return (None,)
    first = rules[0]
    if first.when is not None or first.rule.kind in _AMOUNTS_READING_FACTS:
        return None
    return (first.entitlement(first.rule.value if first.rule.kind == "fixed" else None, False),)


_AMOUNTS_READING_FACTS = frozenset(_AMOUNT_KINDS) - {"fixed"}


_NO_FACTS = Unknown()


class _AmountRule:
    """One amount rule's guard and the entitlements it can give that do not depend on the
    person's figures: no figure, its fixed value, "up to" its cap, no figure yet for a set of
    facts awaited (once per set, as `_Reasons`). Kept in `lasting`, never dropped."""

    __slots__ = ("awaiting", "fixed", "lasting", "no_figure", "rule", "up_to_cap", "when")

    def __init__(self, rule: AmountRule, lasting: dict[int, Entitlement]) -> None:
        self.rule = rule
        self.when = None if rule.when is None else rule.when.evaluate
        self.lasting = lasting
        self.no_figure = self.keep(_entitlement(rule, None))
        self.up_to_cap = self.keep(_entitlement(rule, rule.cap, up_to=True))
        self.fixed = self.keep(_entitlement(rule, rule.value)) if rule.kind == "fixed" else None
        self.awaiting: dict[frozenset[str], Entitlement] = {}

    def keep(self, entitlement: Entitlement) -> Entitlement:
        self.lasting[id(entitlement)] = entitlement
        return entitlement

    def entitlement(self, value: Any, up_to: bool) -> Entitlement:
        """`_entitlement(rule, value, up_to)`, the same object whenever it is everyone's."""
        rule = self.rule
        if isinstance(value, Unknown):
            found = self.awaiting.get(value.missing)
            if found is None:
                found = _entitlement(rule, value)
                if len(self.awaiting) < 64:
                    self.awaiting[value.missing] = self.keep(found)
            return found
        if not isinstance(value, Decimal):
            return self.no_figure
        if up_to and value is rule.cap:
            return self.up_to_cap
        if self.fixed is not None and value is rule.value and not up_to:
            return self.fixed
        return _entitlement(rule, value, up_to)


def _deadline_day(deadline: Deadline, scope: FactScope) -> dt.date | None:
    """A fixed date, or one counted from the person's date (None until it is answered)."""
    if deadline.date is not None:
        return deadline.date
    start = scope(deadline.relative_to)
    months = deadline.months or 0
    return _add_months(start, months) if isinstance(start, dt.date) else None


def _deadlines_plan(
    deadlines: tuple[Deadline, ...],
) -> Callable[[FactScope], tuple[tuple[PersonalDeadline, ...], bool]]:
    """The programme's deadlines for this person, and whether they are kept (lasting): built
    once per combination of days (`_Outcome.result` may then keep the Result too)."""
    kept: dict[tuple[dt.date | None, ...], tuple[PersonalDeadline, ...]] = {}

    def personal(scope: FactScope) -> tuple[tuple[PersonalDeadline, ...], bool]:
        days = tuple([_deadline_day(deadline, scope) for deadline in deadlines])
        found = kept.get(days)
        if found is not None:
            return found, True
        found = tuple(
            PersonalDeadline(d.description, d.clause, day)
            for d, day in zip(deadlines, days, strict=True)
        )
        if len(kept) < _DEADLINES_PER_PROGRAMME:
            kept[days] = found
            return found, True
        return found, False

    return personal


_DEADLINES_PER_PROGRAMME = 256  # combinations of days kept per programme


def _with_conflicts(results: list[Result]) -> list[Result]:
    """Mark results that cannot be combined with another result the person may also get."""
    possible: set[str] | None = None
    for index, result in enumerate(results):
        if not result.programme.conflicts:
            continue
        if possible is None:
            possible = {r.programme.slug for r in results if r.status in (ELIGIBLE, UNKNOWN_STATUS)}
        conflicts = tuple(c for c in result.programme.conflicts if c.other in possible)
        if conflicts and result.programme.slug in possible:
            results[index] = Result(
                result.programme,
                result.status,
                result.reasons,
                result.missing,
                result.amount,
                result.deadlines,
                conflicts,
            )
    return results


def askable(catalogue: Catalogue, scope: FactScope, keys: set[str]) -> set[str]:
    """Replace facts that may not be asked yet by the facts their question depends on.

    A fact whose `ask_if` is false is dropped (it can never be asked); one whose `ask_if` is
    unknown gives way to the facts that would decide it, recursively.
    """
    result: set[str] = set()
    pending = list(keys)
    seen: set[str] = set()
    same = catalogue is scope.catalogue
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
        allowed = _ask_if_value(scope, spec.ask_if, shared=scope.plan.shared and same)
        if allowed is _FAILED:
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
        asked = scope.asks.get(result.missing)
        if asked is None:
            asked = scope.asks[result.missing] = askable(catalogue, scope, set(result.missing))
        for key in asked:
            scores[key] = scores.get(key, 0.0) + weight
    order = _question_order(catalogue)
    ranked = sorted(scores, key=lambda key: (-scores[key], order.get(key, 0), key))
    return tuple(ranked[:limit])


def _ordered(keys: Collection[str], order: Mapping[str, int]) -> tuple[str, ...]:
    """Fact keys in the questionnaire's order."""
    if not keys:
        return ()
    return tuple(sorted(keys, key=lambda key: (order.get(key, 0), key)))


def _question_order(catalogue: Catalogue) -> dict[str, int]:
    """Each fact's place in the questionnaire, worked out once per catalogue."""
    order = catalogue.engine_plans.get("question order")
    if order is None:
        order = {key: spec.order for key, spec in catalogue.facts.items()}
        catalogue.engine_plans["question order"] = order
    return order
