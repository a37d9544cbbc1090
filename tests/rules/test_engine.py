"""The engine on small hand-built catalogues: operators, three-valued logic, periods, amounts,
exclusions, conflicts and what to ask next. No database is involved."""

import datetime as dt
from decimal import Decimal

import pytest

from rules import engine
from rules.catalogue import (
    AmountRule,
    Catalogue,
    Condition,
    Conflict,
    Deadline,
    FactSpec,
    Parameter,
    Programme,
    Requirement,
    SourceDocument,
    Text,
)
from rules.expressions import compile_expression

AS_OF = dt.date(2026, 6, 1)
DOC = SourceDocument("京测试发〔2026〕1号", Text("测试文件", "Test document"))


def fact(key, type_, values=(), ask_if=None, derived=None, order=0):
    return FactSpec(
        key=key,
        type=type_,
        question=Text(key, key),
        values=tuple(values),
        ask_if=compile_expression(ask_if) if ask_if else None,
        derived=compile_expression(derived) if derived else None,
        order=order,
    )


FACTS = {
    spec.key: spec
    for spec in [
        fact("birth_date", "date", order=1),
        fact("hukou", "enum", ["beijing", "other"], order=2),
        fact("residence_permit", "bool", ask_if='hukou == "other"', order=3),
        fact("household_size", "int", order=4),
        fact("household_monthly_income", "number", order=5),
        fact("receives", "list", ["te_kun", "di_bao", "disability_care_subsidy"], order=6),
        fact("certificate_kind", "enum", ["skill_level", "special_ability", "none"], order=7),
        fact(
            "certificate_level",
            "int",
            [1, 2, 3, 4, 5],
            ask_if='certificate_kind == "skill_level"',
            order=8,
        ),
        fact("certificate_issue_date", "date", order=9),
        fact("graduation_date", "date", order=10),
        fact("spending", "number", order=11),
        fact("care_setting", "enum", ["home", "beijing_institution"], order=12),
        fact("age", "int", derived="years_between(birth_date, as_of)"),
        fact("per_capita_income", "number", derived="household_monthly_income / household_size"),
    ]
}


def requirement(*alternatives, clause="一", kind="requirement"):
    return Requirement(
        clause=f"{DOC.number} {clause}",
        description=Text(clause, clause),
        alternatives=tuple(tuple(alt) for alt in alternatives),
        kind=kind,
    )


def cond(fact_key, operator, value):
    return Condition(fact_key, operator, value)


def programme(slug="p", requirements=(), amounts=(), **extra):
    return Programme(
        slug=slug,
        name=Text(slug, slug),
        summary=Text("", ""),
        category="test",
        audience="resident",
        document=DOC,
        requirements=tuple(requirements),
        amounts=tuple(amounts),
        **extra,
    )


def catalogue(*programmes, parameters=None, tables=None):
    return Catalogue(
        programmes=tuple(programmes), facts=FACTS, parameters=parameters or {}, tables=tables or {}
    )


def outcome_of(condition, answers, as_of=AS_OF):
    result = engine.screen(
        catalogue(programme(requirements=[requirement([condition])])), answers, as_of
    ).result("p")
    return result.reasons[0].outcome


# --- operators ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        (cond("hukou", "eq", "beijing"), {"hukou": "beijing"}, "met"),
        (cond("hukou", "eq", "beijing"), {"hukou": "other"}, "not_met"),
        (cond("hukou", "ne", "beijing"), {"hukou": "other"}, "met"),
        (cond("hukou", "in", frozenset({"beijing", "other"})), {"hukou": "other"}, "met"),
        (
            cond("certificate_level", "in", frozenset({Decimal(3)})),
            {"certificate_level": 4},
            "not_met",
        ),
        (cond("hukou", "not_in", frozenset({"other"})), {"hukou": "beijing"}, "met"),
        (cond("hukou", "not_in", frozenset({"other"})), {"hukou": "other"}, "not_met"),
        (cond("age", "gte", Decimal(60)), {"birth_date": dt.date(1966, 6, 1)}, "met"),
        (cond("age", "gte", Decimal(60)), {"birth_date": dt.date(1966, 6, 2)}, "not_met"),
        (cond("household_size", "lte", Decimal(3)), {"household_size": 3}, "met"),
        (cond("household_size", "lte", Decimal(3)), {"household_size": 4}, "not_met"),
        (
            cond("certificate_issue_date", "between", (dt.date(2025, 4, 1), dt.date(2027, 12, 31))),
            {"certificate_issue_date": dt.date(2025, 4, 1)},
            "met",
        ),
        (
            cond("certificate_issue_date", "between", (dt.date(2025, 4, 1), dt.date(2027, 12, 31))),
            {"certificate_issue_date": dt.date(2025, 3, 31)},
            "not_met",
        ),
        (cond("receives", "contains", "di_bao"), {"receives": ("di_bao", "te_kun")}, "met"),
        (cond("receives", "contains", "di_bao"), {"receives": ()}, "not_met"),
        (cond("receives", "excludes", frozenset({"te_kun"})), {"receives": ("di_bao",)}, "met"),
        (cond("receives", "excludes", frozenset({"te_kun"})), {"receives": ("te_kun",)}, "not_met"),
    ],
)
def test_each_operator_decides_met_or_not_met(condition, answers, expected):
    assert outcome_of(condition, answers) == expected


def test_within_months_before_as_of_includes_both_edges():
    within = cond(
        "certificate_issue_date", "within", {"months": 12, "of": "as_of", "direction": "before"}
    )
    assert outcome_of(within, {"certificate_issue_date": dt.date(2025, 6, 1)}) == "met"
    assert outcome_of(within, {"certificate_issue_date": dt.date(2026, 6, 1)}) == "met"
    assert outcome_of(within, {"certificate_issue_date": dt.date(2025, 5, 31)}) == "not_met"
    assert outcome_of(within, {"certificate_issue_date": dt.date(2026, 6, 2)}) == "not_met"


def test_within_another_date_fact_is_unknown_until_that_fact_is_answered():
    within = cond(
        "graduation_date",
        "within",
        {"months": 24, "of": "certificate_issue_date", "direction": "before"},
    )
    assert outcome_of(within, {"graduation_date": dt.date(2025, 7, 1)}) == "unknown"
    answers = {
        "graduation_date": dt.date(2024, 3, 1),
        "certificate_issue_date": dt.date(2026, 3, 1),
    }
    assert outcome_of(within, answers) == "met"
    answers["graduation_date"] = dt.date(2024, 2, 29)
    assert outcome_of(within, answers) == "not_met"


def test_within_after_direction():
    after = cond(
        "certificate_issue_date",
        "within",
        {"months": 3, "of": "graduation_date", "direction": "after"},
    )
    answers = {"graduation_date": dt.date(2026, 1, 31)}
    assert outcome_of(after, {**answers, "certificate_issue_date": dt.date(2026, 4, 30)}) == "met"
    assert (
        outcome_of(after, {**answers, "certificate_issue_date": dt.date(2026, 5, 1)}) == "not_met"
    )


# --- three-valued logic ---------------------------------------------------------------------


def test_unanswered_fact_makes_condition_unknown_and_lists_it():
    result = engine.screen(
        catalogue(programme(requirements=[requirement([cond("hukou", "eq", "beijing")])])),
        {},
        AS_OF,
    ).result("p")
    assert result.status == "unknown"
    assert result.missing == ("hukou",)
    assert result.reasons[0].outcome == "unknown"


def test_derived_fact_reports_the_facts_it_is_computed_from():
    result = engine.screen(
        catalogue(
            programme(requirements=[requirement([cond("per_capita_income", "lte", Decimal(1395))])])
        ),
        {"household_size": 2},
        AS_OF,
    ).result("p")
    assert result.missing == ("household_monthly_income",)


def test_a_derived_unknown_is_unknown_with_nothing_to_ask():
    """unknown(): the gazette leaves it to the office; once the facts it depends on are
    answered, the requirement stays "not known yet" and no question is asked for it."""
    facts = {
        **FACTS,
        "pending": fact(
            "pending", "bool", derived='if(certificate_kind == "none", unknown(), false)'
        ),
    }
    p = programme(
        requirements=[
            requirement(
                [cond("certificate_kind", "eq", "skill_level")], [cond("pending", "eq", True)]
            )
        ]
    )
    screened = Catalogue(programmes=(p,), facts=facts, parameters={}, tables={})
    pending = engine.screen(screened, {"certificate_kind": "none"}, AS_OF)
    assert pending.result("p").status == engine.UNKNOWN_STATUS
    assert pending.result("p").missing == () and pending.next_questions == ()
    decided = engine.screen(screened, {"certificate_kind": "special_ability"}, AS_OF)
    assert decided.result("p").status == engine.INELIGIBLE
    unanswered = engine.screen(screened, {}, AS_OF).result("p")
    assert unanswered.missing == ("certificate_kind",)


def test_any_met_alternative_meets_the_requirement_even_with_others_unknown():
    residence = requirement(
        [cond("hukou", "eq", "beijing")],
        [cond("hukou", "eq", "other"), cond("residence_permit", "eq", True)],
    )
    screen = engine.screen(
        catalogue(programme(requirements=[residence])), {"hukou": "beijing"}, AS_OF
    )
    assert screen.result("p").status == "eligible"
    screen = engine.screen(
        catalogue(programme(requirements=[residence])), {"hukou": "other"}, AS_OF
    )
    assert screen.result("p").status == "unknown"
    assert screen.result("p").missing == ("residence_permit",)
    screen = engine.screen(
        catalogue(programme(requirements=[residence])),
        {"hukou": "other", "residence_permit": False},
        AS_OF,
    )
    assert screen.result("p").status == "ineligible"


def test_one_failed_requirement_makes_ineligible_even_with_others_unknown():
    p = programme(
        requirements=[
            requirement([cond("hukou", "eq", "beijing")]),
            requirement([cond("household_size", "gte", Decimal(1))]),
        ]
    )
    result = engine.screen(catalogue(p), {"hukou": "other"}, AS_OF).result("p")
    assert result.status == "ineligible"
    assert result.missing == ()
    assert [r.outcome for r in result.reasons] == ["not_met", "unknown"]


def test_every_requirement_met_is_eligible_with_reasons_citing_clauses():
    p = programme(
        requirements=[
            requirement([cond("hukou", "eq", "beijing")], clause="一(一)"),
            requirement([cond("household_size", "gte", Decimal(1))], clause="一(二)"),
        ]
    )
    result = engine.screen(catalogue(p), {"hukou": "beijing", "household_size": 2}, AS_OF).result(
        "p"
    )
    assert result.status == "eligible"
    assert [(r.outcome, r.requirement.clause) for r in result.reasons] == [
        ("met", "京测试发〔2026〕1号 一(一)"),
        ("met", "京测试发〔2026〕1号 一(二)"),
    ]


# --- periods and as_of ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (dt.date(2025, 12, 31), "inactive"),
        (dt.date(2026, 1, 1), "eligible"),
        (dt.date(2026, 12, 31), "eligible"),
        (dt.date(2027, 1, 1), "inactive"),
    ],
)
def test_programme_period_edges(as_of, status):
    p = programme(
        requirements=[requirement([cond("hukou", "eq", "beijing")])],
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    assert engine.screen(catalogue(p), {"hukou": "beijing"}, as_of).result("p").status == status


def test_age_is_judged_on_as_of():
    p = programme(requirements=[requirement([cond("age", "gte", Decimal(60))])])
    answers = {"birth_date": dt.date(1966, 7, 1)}
    assert (
        engine.screen(catalogue(p), answers, dt.date(2026, 6, 30)).result("p").status
        == "ineligible"
    )
    assert (
        engine.screen(catalogue(p), answers, dt.date(2026, 7, 1)).result("p").status == "eligible"
    )


# --- amounts ----------------------------------------------------------------------------------


def amount_for(rule, answers, parameters=None, tables=None, as_of=AS_OF):
    p = programme(amounts=[rule])
    return (
        engine.screen(catalogue(p, parameters=parameters, tables=tables), answers, as_of)
        .result("p")
        .amount
    )


def test_fixed_amount():
    amount = amount_for(AmountRule("fixed", "month", "二", value=Decimal(2650)), {})
    assert amount.value == Decimal("2650.00") and amount.period == "month"


def test_rate_with_cap_uses_the_base_fact_and_caps_it():
    rule = AmountRule(
        "rate", "month", "一(五)", rate=Decimal("0.5"), base="spending", cap=Decimal(800)
    )
    assert amount_for(rule, {"spending": Decimal(1000)}).value == Decimal("500.00")
    assert amount_for(rule, {"spending": Decimal(1600)}).value == Decimal("800.00")
    assert amount_for(rule, {"spending": Decimal(5000)}).value == Decimal("800.00")
    without_base = amount_for(rule, {})
    assert without_base.value == Decimal("800.00") and without_base.up_to


def test_table_amount_looks_up_by_facts_and_is_unknown_until_answered():
    tables = {"standard": {("skill_level", "4"): Decimal(1500)}}
    rule = AmountRule(
        "table",
        "once",
        "二",
        table="standard",
        table_keys=("certificate_kind", "certificate_level"),
    )
    answers = {"certificate_kind": "skill_level", "certificate_level": 4}
    assert amount_for(rule, answers, tables=tables).value == Decimal("1500.00")
    unknown = amount_for(rule, {"certificate_kind": "skill_level"}, tables=tables)
    assert unknown.value is None and unknown.missing == {"certificate_level"}
    no_row = amount_for(rule, {**answers, "certificate_level": 5}, tables=tables)
    assert no_row.value is None and not no_row.missing


def test_formula_amount_uses_the_parameter_in_force_on_as_of():
    """1245 from 2021-07-01 and 1395 from 2023-07-01 both stay; the date picks one."""
    parameters = {
        "di_bao_standard": Parameter(
            "di_bao_standard",
            Text("低保标准", "standard"),
            ((dt.date(2021, 7, 1), Decimal(1245)), (dt.date(2023, 7, 1), Decimal(1395))),
        )
    }
    rule = AmountRule(
        "formula",
        "month",
        "一",
        formula=compile_expression(
            "max(0, di_bao_standard * household_size - household_monthly_income)"
        ),
    )
    answers = {"household_size": 2, "household_monthly_income": Decimal(1000)}
    assert amount_for(rule, answers, parameters, as_of=dt.date(2023, 6, 30)).value == Decimal(
        "1490.00"
    )
    assert amount_for(rule, answers, parameters, as_of=dt.date(2023, 7, 1)).value == Decimal(
        "1790.00"
    )
    assert amount_for(rule, answers, parameters, as_of=dt.date(2021, 6, 30)).value is None


def test_none_amount_is_null_never_a_guess():
    amount = amount_for(AmountRule("none", "month", "三", note=Text("按规定", "as set")), {})
    assert amount.value is None
    assert amount.note.zh == "按规定"


def test_guarded_amounts_pick_the_first_rule_that_applies():
    home = AmountRule(
        "rate",
        "month",
        "一(五)",
        when=compile_expression('care_setting == "home"'),
        rate=Decimal("0.5"),
        base="spending",
        cap=Decimal(800),
    )
    institution = AmountRule(
        "rate",
        "month",
        "一(五)",
        when=compile_expression('care_setting == "beijing_institution"'),
        rate=Decimal("0.4"),
        base="spending",
        cap=Decimal(800),
    )
    p = programme(amounts=[home, institution])
    answers = {"spending": Decimal(1000)}
    assert engine.screen(catalogue(p), {**answers, "care_setting": "home"}, AS_OF).result(
        "p"
    ).amount.value == Decimal("500.00")
    assert engine.screen(
        catalogue(p), {**answers, "care_setting": "beijing_institution"}, AS_OF
    ).result("p").amount.value == Decimal("400.00")
    undecided = engine.screen(catalogue(p), answers, AS_OF).result("p").amount
    assert undecided.value is None and undecided.missing == {"care_setting"}


def test_no_amount_for_ineligible_or_inactive_results():
    p = programme(
        requirements=[requirement([cond("hukou", "eq", "beijing")])],
        amounts=[AmountRule("fixed", "once", "二", value=Decimal(100))],
        period_end=dt.date(2026, 12, 31),
    )
    assert engine.screen(catalogue(p), {"hukou": "other"}, AS_OF).result("p").amount is None
    assert (
        engine.screen(catalogue(p), {"hukou": "beijing"}, dt.date(2027, 1, 1)).result("p").amount
        is None
    )


# --- exclusions, conflicts, deadlines ---------------------------------------------------------


def test_exclusion_by_benefit_already_received():
    exclusion = requirement(
        [cond("receives", "excludes", frozenset({"te_kun"}))], clause="一(八)1", kind="exclusion"
    )
    p = programme(requirements=[exclusion])
    result = engine.screen(catalogue(p), {"receives": ("te_kun",)}, AS_OF).result("p")
    assert result.status == "ineligible"
    assert result.reasons[0].requirement.clause.endswith("一(八)1")
    assert engine.screen(catalogue(p), {"receives": ()}, AS_OF).result("p").status == "eligible"


def test_conflicting_programmes_are_flagged_when_both_are_possible():
    a = programme("a", conflicts=(Conflict("b", "一(八)3", Text("二选一", "choose one")),))
    b = programme("b", requirements=[requirement([cond("hukou", "eq", "beijing")])])
    both = engine.screen(catalogue(a, b), {"hukou": "beijing"}, AS_OF)
    assert [c.other for c in both.result("a").conflicts] == ["b"]
    only_a = engine.screen(catalogue(a, b), {"hukou": "other"}, AS_OF)
    assert only_a.result("a").conflicts == ()


def test_personal_deadline_follows_from_an_answer():
    deadline = Deadline(
        Text("一年内申请", "within a year"),
        "三(一)",
        relative_to="certificate_issue_date",
        months=12,
    )
    p = programme(deadlines=(deadline,))
    result = engine.screen(catalogue(p), {"certificate_issue_date": dt.date(2026, 3, 1)}, AS_OF)
    assert result.result("p").deadlines[0].date == dt.date(2027, 3, 1)
    assert engine.screen(catalogue(p), {}, AS_OF).result("p").deadlines[0].date is None


# --- next questions ---------------------------------------------------------------------------


def test_next_questions_rank_facts_by_how_many_unknown_results_they_decide():
    p1 = programme(
        "p1",
        requirements=[
            requirement([cond("hukou", "eq", "beijing")]),
            requirement([cond("household_size", "gte", Decimal(1))]),
        ],
    )
    p2 = programme("p2", requirements=[requirement([cond("household_size", "gte", Decimal(2))])])
    p3 = programme("p3", requirements=[requirement([cond("household_size", "lte", Decimal(5))])])
    screening = engine.screen(catalogue(p1, p2, p3), {}, AS_OF)
    assert screening.next_questions[:2] == ("household_size", "hukou")


def test_next_questions_ask_the_parent_question_first():
    p = programme(requirements=[requirement([cond("certificate_level", "gte", Decimal(3))])])
    assert engine.screen(catalogue(p), {}, AS_OF).next_questions == ("certificate_kind",)
    answers = {"certificate_kind": "skill_level"}
    assert engine.screen(catalogue(p), answers, AS_OF).next_questions == ("certificate_level",)


def test_questions_that_cannot_apply_are_never_asked():
    p = programme(requirements=[requirement([cond("residence_permit", "eq", True)])])
    assert engine.screen(catalogue(p), {"hukou": "beijing"}, AS_OF).next_questions == ()


def test_decided_results_ask_nothing():
    p = programme(
        requirements=[
            requirement([cond("hukou", "eq", "beijing")]),
            requirement([cond("household_size", "gte", Decimal(1))]),
        ]
    )
    assert engine.screen(catalogue(p), {"hukou": "other"}, AS_OF).next_questions == ()


def test_a_question_that_does_not_apply_is_not_met_rather_than_unknown():
    """The residence permit is only asked of non-Beijing hukou holders: for a Beijing hukou
    holder a condition on it is decided (not met) instead of waiting for an answer."""
    permit_only = programme(requirements=[requirement([cond("residence_permit", "eq", True)])])
    result = engine.screen(catalogue(permit_only), {"hukou": "beijing"}, AS_OF).result("p")
    assert result.status == "ineligible"
    assert result.missing == ()
    result = engine.screen(catalogue(permit_only), {"hukou": "other"}, AS_OF).result("p")
    assert result.status == "unknown"
    assert result.missing == ("residence_permit",)
    result = engine.screen(catalogue(permit_only), {}, AS_OF).result("p")
    assert result.missing == ("residence_permit",)
    assert engine.screen(catalogue(permit_only), {}, AS_OF).next_questions == ("hukou",)


def test_an_open_list_is_never_not_met():
    """主要针对…等: a person outside the named examples may still qualify: ask, never "no"."""
    examples = Requirement(
        clause=f"{DOC.number} 一",
        description=Text("主要针对孤儿等", "Mainly orphans and the like"),
        alternatives=((cond("hukou", "eq", "beijing"),),),
        open_list=True,
    )
    programme = Programme(
        slug="open",
        name=Text("x", "x"),
        summary=Text("x", "x"),
        category="children",
        audience="resident",
        document=DOC,
        requirements=(examples,),
    )
    catalogue = Catalogue(programmes=(programme,), facts=FACTS)
    outside = engine.screen(catalogue, {"hukou": "other"}, AS_OF).result("open")
    assert outside.status == engine.UNKNOWN_STATUS
    assert [r.outcome for r in outside.reasons] == [engine.UNKNOWN]
    assert outside.missing == ()
    inside = engine.screen(catalogue, {"hukou": "beijing"}, AS_OF).result("open")
    assert inside.status == engine.ELIGIBLE


# --- what cannot be decided is never guessed --------------------------------------------------


def test_asking_a_screening_for_a_programme_it_does_not_hold_is_a_key_error():
    screening = engine.screen(catalogue(programme("a")), {}, AS_OF)
    with pytest.raises(KeyError, match="b"):
        screening.result("b")


def test_a_derived_fact_that_cannot_be_computed_meets_no_condition():
    """Zero household members: the per-capita income is undefined, not zero."""
    p = programme(requirements=[requirement([cond("per_capita_income", "lte", Decimal(1395))])])
    answers = {"household_size": 0, "household_monthly_income": Decimal(1000)}
    result = engine.screen(catalogue(p), answers, AS_OF).result("p")
    assert result.status == "ineligible"
    assert result.reasons[0].outcome == "not_met"
    assert result.missing == ()


def test_a_question_whose_ask_if_fails_stays_unknown_rather_than_not_met():
    broken = fact("pension_kind", "enum", ["urban", "rural"], ask_if='household_size > "two"')
    facts = {**FACTS, broken.key: broken}
    p = programme(requirements=[requirement([cond("pension_kind", "eq", "urban")])])
    cat = Catalogue(programmes=(p,), facts=facts)
    result = engine.screen(cat, {"household_size": 2}, AS_OF).result("p")
    assert result.status == "unknown"
    assert result.missing == ("pension_kind",)
    # ... yet the engine cannot tell whether it may be asked, so it does not suggest it.
    assert engine.screen(cat, {"household_size": 2}, AS_OF).next_questions == ()
    decided = engine.screen(cat, {"household_size": 2, "pension_kind": "urban"}, AS_OF)
    assert decided.result("p").status == "eligible"


@pytest.mark.parametrize(
    "condition",
    [
        cond("hukou", "gte", Decimal(3)),  # text against a number: no order between them
        cond("hukou", "approximately", "beijing"),  # an operator the engine does not know
    ],
)
def test_a_condition_that_cannot_be_tested_is_unknown_without_a_question(condition):
    result = engine.screen(
        catalogue(programme(requirements=[requirement([condition])])), {"hukou": "beijing"}, AS_OF
    ).result("p")
    assert result.status == "unknown"
    assert result.reasons[0].outcome == "unknown"
    assert result.missing == ()


def test_a_condition_that_cannot_be_tested_leaves_its_alternative_unknown():
    """In an alternative of several conditions, and with another alternative not met: the
    requirement is unknown, with nothing to ask, never met nor not met."""
    untestable = [cond("hukou", "gte", Decimal(3)), cond("household_size", "eq", Decimal(2))]
    condition = requirement(untestable, [cond("household_size", "eq", Decimal(9))])
    result = engine.screen(
        catalogue(programme(requirements=[condition])),
        {"hukou": "beijing", "household_size": 2},
        AS_OF,
    ).result("p")
    assert (result.status, result.reasons[0].outcome, result.missing) == ("unknown", "unknown", ())


def test_within_a_date_that_does_not_apply_is_not_met():
    """The reference date is a question this person is never asked (ask_if false)."""
    dated = fact("permit_date", "date", ask_if='hukou == "other"')
    facts = {**FACTS, dated.key: dated}
    within = cond("graduation_date", "within", {"months": 6, "of": "permit_date"})
    p = programme(requirements=[requirement([within])])
    cat = Catalogue(programmes=(p,), facts=facts)
    answers = {"hukou": "beijing", "graduation_date": dt.date(2026, 1, 1)}
    assert engine.screen(cat, answers, AS_OF).result("p").status == "ineligible"


def test_a_condition_on_a_fact_outside_the_catalogue_is_unknown_but_never_asked():
    p = programme(requirements=[requirement([cond("shoe_size", "gte", Decimal(40))])])
    screening = engine.screen(catalogue(p), {}, AS_OF)
    assert screening.result("p").missing == ("shoe_size",)
    assert screening.next_questions == ()


def test_an_amount_guard_that_fails_gives_no_figure_and_asks_nothing():
    rule = AmountRule(
        "fixed",
        "month",
        "二",
        when=compile_expression("household_size > 1 and 1"),
        value=Decimal(100),
    )
    amount = amount_for(rule, {"household_size": 2})
    assert amount.value is None and amount.missing == frozenset()
    assert amount.clause == "二" and amount.period == "month"


def test_a_guard_that_is_false_for_every_rule_gives_no_amount():
    rule = AmountRule(
        "fixed", "once", "二", when=compile_expression("household_size > 9"), value=Decimal(1)
    )
    assert amount_for(rule, {"household_size": 2}) is None


def test_a_formula_that_fails_on_these_answers_gives_no_figure():
    rule = AmountRule("formula", "month", "一", formula=compile_expression("1000 / household_size"))
    assert amount_for(rule, {"household_size": 4}).value == Decimal("250.00")
    failed = amount_for(rule, {"household_size": 0})
    assert failed.value is None and failed.missing == frozenset()


def test_a_formula_waiting_for_an_answer_names_it():
    rule = AmountRule("formula", "month", "一", formula=compile_expression("1000 / household_size"))
    amount = amount_for(rule, {})
    assert amount.value is None and amount.missing == {"household_size"}


def test_rate_without_base_or_cap_gives_no_figure():
    rule = AmountRule("rate", "month", "一", rate=Decimal("0.5"))
    amount = amount_for(rule, {})
    assert amount.value is None and not amount.up_to


def test_rate_rule_without_a_rate_gives_no_figure_rather_than_failing():
    """The loader and the admin refuse such a rule; the engine still never guesses."""
    rule = AmountRule("rate", "month", "一", base="spending", cap=Decimal(800))
    amount = amount_for(rule, {"spending": Decimal(1000)})
    assert amount.value is None and not amount.up_to


def test_rate_without_cap_is_the_share_of_the_base():
    rule = AmountRule("rate", "month", "一", rate=Decimal("0.15"), base="spending")
    assert amount_for(rule, {"spending": Decimal("333.33")}).value == Decimal("50.00")


def test_a_table_amount_on_a_table_the_catalogue_lacks_gives_no_figure():
    rule = AmountRule("table", "once", "二", table="missing", table_keys=("certificate_kind",))
    amount = amount_for(rule, {"certificate_kind": "none"})
    assert amount.value is None and amount.missing == frozenset()


def test_eligible_result_lists_the_facts_its_amount_still_needs():
    rule = AmountRule("formula", "month", "一", formula=compile_expression("100 * household_size"))
    p = programme(amounts=[rule])
    screening = engine.screen(catalogue(p), {}, AS_OF)
    assert screening.result("p").status == "eligible"
    assert screening.result("p").missing == ("household_size",)
    assert screening.next_questions == ("household_size",)


def test_askable_drops_a_question_whose_ask_if_is_false():
    cat = catalogue()
    scope = engine.FactScope(cat, {"hukou": "beijing"}, AS_OF)
    assert engine.askable(cat, scope, {"residence_permit", "household_size"}) == {"household_size"}
    scope = engine.FactScope(cat, {"hukou": "other"}, AS_OF)
    assert engine.askable(cat, scope, {"residence_permit", "hukou"}) == {"residence_permit"}


def test_an_absolute_deadline_is_the_same_for_everyone():
    deadline = Deadline(Text("年底前", "by year end"), "三", date=dt.date(2026, 12, 31))
    p = programme(deadlines=(deadline,))
    assert engine.screen(catalogue(p), {}, AS_OF).result("p").deadlines[0].date == dt.date(
        2026, 12, 31
    )
