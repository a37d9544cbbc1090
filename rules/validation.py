"""Checks that need the whole catalogue: every name a rule uses must exist and fit its fact.

The schema (`rules.schema`) checks each field on its own; these check the references between
them, so a condition on an unknown fact, a formula naming nothing, or a table with the wrong key
columns is refused when it is saved or loaded, not found by a resident. Each problem carries an
English message template marked for translation and its parameters, so the admin and the loader
show it in the staff member's language while this module stays free of Django.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from rules import schema
from rules.clauses import split_citation, unresolved_parts
from rules.dates import in_period, periods_overlap
from rules.expressions import ExpressionError, compile_expression, gettext_noop
from rules.figures import BadReference, Reference, parse_reference, references

OPERATORS_BY_TYPE: dict[str, frozenset[str]] = {
    "date": frozenset({"eq", "ne", "gte", "lte", "between", "within"}),
    "enum": frozenset({"eq", "ne", "in", "not_in"}),
    "bool": frozenset({"eq", "ne"}),
    "int": frozenset({"eq", "ne", "in", "not_in", "gte", "lte", "between"}),
    "number": frozenset({"eq", "ne", "gte", "lte", "between"}),
    "string": frozenset({"eq", "ne", "in", "not_in"}),
    "list": frozenset({"contains", "excludes"}),
}
LIST_OPERATORS = frozenset({"in", "not_in", "excludes"})


@dataclass(frozen=True)
class Problem:
    """One thing wrong: where it is, an English template marked for translation, its values."""

    where: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        text = self.message % dict(self.params) if self.params else self.message
        return f"{self.where}: {text}" if self.where else text


def condition_problems(
    fact: str, operator: str, value: Any, facts: Mapping[str, Any], where: str = ""
) -> list[Problem]:
    """What is wrong with the condition `fact operator value`, given the facts by key."""
    spec = facts.get(fact)
    if spec is None:
        return [Problem(where, gettext_noop("Unknown fact %(fact)r."), {"fact": fact})]
    allowed = OPERATORS_BY_TYPE.get(spec.type, frozenset())
    if operator not in allowed:
        message = gettext_noop(
            "Operator %(operator)r cannot be used with %(type)s fact %(fact)r; "
            "use one of %(allowed)s."
        )
        params = {"operator": operator, "type": spec.type, "fact": fact, "allowed": _join(allowed)}
        return [Problem(where, message, params)]
    if operator == "within":
        return _within_problems(value, facts, where)
    if operator == "between":
        if not isinstance(value, list | tuple) or len(value) != 2:
            message = gettext_noop("'between' needs a list of two values for %(fact)r.")
            return [Problem(where, message, {"fact": fact})]
        return [p for item in value for p in _value_problems(fact, spec, item, where)]
    if operator in LIST_OPERATORS:
        if not isinstance(value, list | tuple) or not value:
            message = gettext_noop("%(operator)r needs a non-empty list of values for %(fact)r.")
            return [Problem(where, message, {"operator": operator, "fact": fact})]
        return [p for item in value for p in _value_problems(fact, spec, item, where)]
    return _value_problems(fact, spec, value, where)


def _value_problems(fact: str, spec: Any, value: Any, where: str) -> list[Problem]:
    check = _VALUE_CHECKS.get(spec.type)
    if check is None or check(value):
        allowed = list(spec.values or [])
        if spec.type in ("enum", "list", "int", "number") and allowed and value not in allowed:
            message = gettext_noop("%(value)r is not an allowed value of %(fact)r (%(values)s).")
            params = {"value": value, "fact": fact, "values": _join(allowed, sort=False)}
            return [Problem(where, message, params)]
        return []
    return [Problem(where, _VALUE_MESSAGES[spec.type], {"fact": fact, "value": value})]


def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float)


def _is_date(value: Any) -> bool:
    if isinstance(value, dt.date):
        return True
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


_VALUE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "bool": lambda value: isinstance(value, bool),
    "int": _is_number,
    "number": _is_number,
    "date": _is_date,
    "string": lambda value: isinstance(value, str),
}
_VALUE_MESSAGES = {
    "bool": gettext_noop("%(fact)r is yes/no: use true or false, not %(value)r."),
    "int": gettext_noop("%(fact)r is a number: %(value)r is not."),
    "number": gettext_noop("%(fact)r is a number: %(value)r is not."),
    "date": gettext_noop("%(fact)r is a date: %(value)r is not a date (YYYY-MM-DD)."),
    "string": gettext_noop("%(fact)r is text: %(value)r is not."),
}


def _join(items: Iterable[Any], sort: bool = True) -> str:
    texts = [str(item) for item in items]
    return ", ".join(sorted(texts) if sort else texts)


def _within_problems(value: Any, facts: Mapping[str, Any], where: str) -> list[Problem]:
    if not isinstance(value, Mapping):
        message = gettext_noop("'within' needs {months: N or years: N, of: as_of or a date fact}.")
        return [Problem(where, message)]
    problems = []
    span = [key for key in ("months", "years") if key in value]
    if len(span) != 1 or not _is_whole(value[span[0]]):
        message = gettext_noop("'within' needs exactly one of months or years, a whole number.")
        problems.append(Problem(where, message))
    reference = value.get("of", "as_of")
    if reference != "as_of" and getattr(facts.get(reference), "type", None) != "date":
        message = gettext_noop("'within … of %(reference)s' must name as_of or a date fact.")
        problems.append(Problem(where, message, {"reference": reference}))
    if value.get("direction", "before") not in ("before", "after"):
        problems.append(Problem(where, gettext_noop("'within' direction is before or after.")))
    unknown = set(value) - {"months", "years", "of", "direction"}
    if unknown:
        message = gettext_noop("'within' does not take %(keys)s.")
        problems.append(Problem(where, message, {"keys": _join(unknown)}))
    return problems


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def expression_problems(text: str | None, known_names: Iterable[str], where: str) -> list[Problem]:
    """The parser's complaint about `text`, if any; names must be facts, parameters or as_of."""
    if not text:
        return []
    try:
        compile_expression(text, known_names=set(known_names) | {"as_of"})
    except ExpressionError as exc:
        return [Problem(where, exc.message, exc.params)]
    return []


def _duplicates(values: Iterable[str]) -> list[str]:
    return sorted(value for value, count in Counter(values).items() if count > 1)


class DatedRow(Protocol):
    """A table row as the schema, the admin's model and a spreadsheet import each hold it."""

    @property
    def no(self) -> int: ...

    @property
    def keys(self) -> Any: ...

    @property
    def valid_from(self) -> dt.date | None: ...

    @property
    def valid_to(self) -> dt.date | None: ...


def row_keys(row: DatedRow) -> tuple[str, ...]:
    """A row's keys as text, as lookups compare them (5 and "5" are one key)."""
    return tuple(str(key) for key in row.keys or ())


def overlapping_rows[Row: DatedRow](rows: Iterable[Row]) -> list[tuple[Row, Row]]:
    """Pairs of rows with the same keys that are both in force on some day: a screening on that
    day could not tell which figure applies. Next year's row must start after this year's ends."""
    by_keys: dict[tuple[str, ...], list[Row]] = defaultdict(list)
    for row in rows:
        by_keys[row_keys(row)].append(row)
    return [
        (first, second)
        for group in by_keys.values()
        for index, first in enumerate(group)
        for second in group[index + 1 :]
        if periods_overlap((first.valid_from, first.valid_to), (second.valid_from, second.valid_to))
    ]


OVERLAP = gettext_noop(
    "Rows %(first)d and %(second)d have the same keys (%(keys)s) and are both in force on "
    "%(day)s: end the earlier row (valid to) before the later one starts (valid from)."
)
OVERLAP_UNDATED = gettext_noop(
    "Rows %(first)d and %(second)d have the same keys (%(keys)s) and neither has dates: give "
    "the earlier row a last day (valid to) and the later one a first day (valid from)."
)


def overlap_problem(first: DatedRow, second: DatedRow, where: str = "") -> Problem:
    """Two rows in force together, named by their row numbers, with the first day both apply."""
    params: dict[str, Any] = {
        "first": first.no,
        "second": second.no,
        "keys": ", ".join(row_keys(first)),
    }
    starts = [day for day in (first.valid_from, second.valid_from) if day is not None]
    if not starts and first.valid_to is None and second.valid_to is None:
        return Problem(where, OVERLAP_UNDATED, params)
    day = max(starts) if starts else min(d for d in (first.valid_to, second.valid_to) if d)
    return Problem(where, OVERLAP, {**params, "day": day.isoformat()})


def table_problems(table: schema.Table) -> list[Problem]:
    """Rows of one table in force together with the same keys. (A value that is not a figure
    in a table an amount reads is reported once, by the amount: `table_row_problems`.)"""
    where = f"table {table.slug}"
    return [overlap_problem(first, second, where) for first, second in overlapping_rows(table.rows)]


def catalogue_problems(catalogue: schema.Catalogue) -> list[Problem]:
    """Everything wrong with the references in a catalogue; empty when it may be published."""
    facts = {fact.key: fact for fact in catalogue.all_facts()}
    names = set(facts) | {parameter.key for parameter in catalogue.all_parameters()}
    problems = _duplicate_problems(catalogue)
    for fact in catalogue.all_facts():
        problems += fact_problems(fact, names)
    texts = {document.number: document.full_text for document in catalogue.documents}
    tables = {table.slug: table for table in catalogue.all_tables()}
    parameters = {parameter.key: parameter for parameter in catalogue.all_parameters()}
    for programme in catalogue.programmes:
        problems += programme_problems(programme, set(texts), facts, names, tables)
        problems += programme_clause_problems(programme, texts.get)
        problems += figure_problems(programme, parameters, tables)
    for table in catalogue.all_tables():
        problems += table_problems(table)
    return problems


TextOf = Callable[[str], str | None]


def clause_problems(clause: str, number: str, text_of: TextOf, where: str) -> list[Problem]:
    """A clause of document `number` (or a citation naming another document first, as in
    "京民社救发〔2023〕240号 一") must name a document of the catalogue and places its text has
    (`rules.clauses`: the same anchors the library links to)."""
    cited, place = split_citation(clause)
    number = cited or number
    if not (place or cited) or not number:
        return []
    text = text_of(number)
    if text is None:
        message = gettext_noop("Document %(number)s is not in the catalogue.")
        return [Problem(where, message, {"number": number})]
    missing = unresolved_parts(place, text)
    if missing:
        message = gettext_noop("%(number)s has no clause %(clause)s in its text.")
        return [Problem(where, message, {"number": number, "clause": "、".join(missing)})]
    return []


def programme_clause_problems(programme: schema.Programme, text_of: TextOf) -> list[Problem]:
    """Every clause a programme cites, checked against its document's text (a missing
    document is reported once, by `programme_problems`, not for each of its clauses)."""
    own = programme.document

    def text(number: str) -> str | None:
        found = text_of(number)
        return "" if found is None and number == own else found

    return [
        problem
        for where, clause in _clauses(programme)
        for problem in clause_problems(clause, own, text, where)
    ]


def _clauses(programme: schema.Programme) -> Iterable[tuple[str, str]]:
    where = programme.slug
    yield f"{where} period_clause", programme.period_clause
    yield f"{where} apply clause", programme.apply.clause
    groups: list[tuple[str, Sequence[Any]]] = [
        ("requirement", programme.requirements),
        ("exclusion", programme.exclusions),
        ("amount", programme.amounts),
        ("conflict", programme.conflicts),
        ("table", programme.tables),
        ("deadline", programme.apply.deadlines),
        ("case", programme.cases),
    ]
    for kind, items in groups:
        for index, item in enumerate(items, 1):
            yield f"{where} {kind} {index}", item.clause
    for parameter in programme.parameters:
        for value in parameter.values:
            yield f"{where} parameter {parameter.key} {value.valid_from}", value.clause


def figure_problems(
    programme: schema.Programme,
    parameters: Mapping[str, schema.Parameter],
    tables: Mapping[str, schema.Table],
) -> list[Problem]:
    """Placeholders in texts and parameter keys in amounts that name no figure (rules.figures)."""
    start = programme.period.start
    problems = []
    for where, text in schema.texts_in(programme, programme.slug):
        for source in references(text):
            problems += [
                Problem(where, message, {"placeholder": "{" + source + "}", **params})
                for message, params in _reference_problems(source, start, parameters, tables)
            ]
    for index, amount in enumerate(programme.amounts, 1):
        problems += amount_figure_problems(amount, parameters, f"{programme.slug} amount {index}")
    return problems


def amount_figure_problems(
    amount: schema.Amount, parameters: Mapping[str, Any], where: str
) -> list[Problem]:
    """A value or cap given as a parameter key must name a parameter."""
    message = gettext_noop("%(field)s names %(key)r, which is not a parameter.")
    return [
        Problem(where, message, {"field": name, "key": figure})
        for name, figure in (("value", amount.value), ("cap", amount.cap))
        if isinstance(figure, str) and figure not in parameters
    ]


def _reference_problems(
    source: str,
    start: dt.date | None,
    parameters: Mapping[str, schema.Parameter],
    tables: Mapping[str, schema.Table],
) -> list[tuple[str, dict[str, Any]]]:
    try:
        reference = parse_reference(source)
    except BadReference:
        return [
            (
                gettext_noop(
                    "%(placeholder)s is not {parameter}, {parameter@YYYY-MM-DD} or {table:key,…}."
                ),
                {},
            )
        ]
    if reference.table:
        return _table_reference_problems(reference, tables, start)
    parameter = parameters.get(reference.parameter)
    if parameter is None:
        return [(gettext_noop("%(placeholder)s names no parameter."), {})]
    first = min(value.valid_from for value in parameter.values)
    day = reference.day or start
    if day is not None and day < first:
        message = gettext_noop(
            "%(placeholder)s has no value in force on %(day)s (the first is from %(first)s)."
        )
        return [(message, {"day": day.isoformat(), "first": first.isoformat()})]
    return []


def _table_reference_problems(
    reference: Reference, tables: Mapping[str, schema.Table], start: dt.date | None
) -> list[tuple[str, dict[str, Any]]]:
    table = tables.get(reference.table)
    if table is None:
        return [(gettext_noop("%(placeholder)s names no table."), {})]
    rows = [row for row in table.rows if tuple(row.keys) == reference.keys]
    if not rows:
        return [(gettext_noop("%(placeholder)s names no row of the table."), {})]
    if any(isinstance(row.value, dt.date | str) or row.value is None for row in rows):
        return [(gettext_noop("%(placeholder)s names a row without a figure."), {})]
    if start is not None and not any(in_period(start, r.valid_from, r.valid_to) for r in rows):
        message = gettext_noop("%(placeholder)s has no row in force on %(day)s.")
        return [(message, {"day": start.isoformat()})]
    return []


def _duplicate_problems(catalogue: schema.Catalogue) -> list[Problem]:
    message = gettext_noop("%(kind)s %(key)r is defined twice.")
    keys = {
        "document": [d.number for d in catalogue.documents],
        "fact": [f.key for f in catalogue.all_facts()],
        "programme": [p.slug for p in catalogue.programmes],
        "table": [t.slug for t in catalogue.all_tables()],
        "parameter": [p.key for p in catalogue.all_parameters()],
    }
    return [
        Problem("", message, {"kind": kind, "key": key})
        for kind, values in keys.items()
        for key in _duplicates(values)
    ]


def fact_problems(fact: schema.Fact, names: set[str]) -> list[Problem]:
    where = f"fact {fact.key}"
    problems = expression_problems(fact.ask_if, names, f"{where} ask_if")
    problems += expression_problems(fact.derived, names, f"{where} derived")
    if fact.type in ("enum", "list") and not fact.values and not fact.derived:
        problems.append(Problem(where, gettext_noop("List the allowed values.")))
    if fact.past and (fact.type != "date" or fact.derived):
        message = gettext_noop("Only a date the resident answers can be a past event.")
        problems.append(Problem(where, message))
    return problems


def programme_problems(
    programme: schema.Programme,
    documents: set[str],
    facts: Mapping[str, schema.Fact],
    names: set[str],
    tables: Mapping[str, schema.Table],
) -> list[Problem]:
    """What is wrong with one programme's references to documents, facts and tables."""
    where = f"{programme.slug}"
    problems = [
        Problem(where, gettext_noop("Document %(number)s is not in the catalogue."), {"number": n})
        for n in [programme.document, *programme.cites]
        if n not in documents
    ]
    for index, requirement in enumerate(programme.requirements, 1):
        label = f"{where} requirement {index} ({requirement.clause})"
        if not requirement.alternatives or not all(requirement.alternatives):
            message = gettext_noop("A requirement needs at least one alternative.")
            problems.append(Problem(label, message))
        for alternative in requirement.alternatives:
            for condition in alternative:
                problems += condition_problems(
                    condition.fact, condition.op, condition.value, facts, label
                )
    for index, exclusion in enumerate(programme.exclusions, 1):
        label = f"{where} exclusion {index} ({exclusion.clause})"
        problems += condition_problems("receives", "excludes", exclusion.receives, facts, label)
    for index, amount in enumerate(programme.amounts, 1):
        problems += amount_problems(amount, names, tables, f"{where} amount {index}", facts)
    for deadline in programme.apply.deadlines:
        relative = deadline.relative_to
        if relative and getattr(facts.get(relative), "type", None) != "date":
            message = gettext_noop("'within … of %(reference)s' must name as_of or a date fact.")
            problems.append(Problem(f"{where} deadline", message, {"reference": relative}))
    return problems


def amount_problems(
    amount: schema.Amount,
    names: set[str],
    tables: Mapping[str, schema.Table],
    where: str,
    facts: Mapping[str, Any] | None = None,
) -> list[Problem]:
    """Names in an amount rule that do not exist, and a table that does not fit its keys (its
    rows' keys must be allowed values of the key facts, given `facts` by key)."""
    # Without a place (the admin's form), the field's own label says where.
    when_label = f"{where} when" if where else gettext_noop("Applies when")
    formula_label = f"{where} formula" if where else gettext_noop("Formula")
    problems = expression_problems(amount.when, names, when_label)
    problems += expression_problems(amount.formula, names, formula_label)
    if amount.base and amount.base not in names:
        message = gettext_noop("Unknown fact %(fact)r for the rate.")
        problems.append(Problem(where, message, {"fact": amount.base}))
    if amount.kind == "table":
        problems += _table_amount_problems(amount, names, tables, where)
        table = tables.get(amount.table or "")
        if table is not None and facts is not None:
            # Keys are checked against their facts only when the key facts themselves are right.
            key_facts = [] if problems else amount.keys
            problems += table_row_problems(table.rows, key_facts, facts, where)
    return problems


def table_row_problems(
    rows: Iterable[schema.TableRow], key_facts: list[str], facts: Mapping[str, Any], where: str
) -> list[Problem]:
    """Rows of a table an amount reads: each key an allowed value of its column's fact (for a
    fact with a list of values), each value a figure in yuan."""
    problems = []
    for row in rows:
        for column, (key, fact) in enumerate(zip(row.keys, key_facts, strict=False), 1):
            allowed = [str(value) for value in getattr(facts.get(fact), "values", None) or []]
            if allowed and key not in allowed:
                message = gettext_noop(
                    "Row %(no)s: key %(key)r in column %(column)d is not an allowed value of "
                    "%(fact)r (%(values)s)."
                )
                params = {"no": row.no, "key": key, "column": column, "fact": fact}
                problems.append(
                    Problem(where, message, {**params, "values": _join(allowed, sort=False)})
                )
        if not schema.is_figure(row.value):
            message = gettext_noop("Row %(no)s: the value %(value)r is not a figure in yuan.")
            problems.append(Problem(where, message, {"no": row.no, "value": row.value}))
    return problems


def _table_amount_problems(
    amount: schema.Amount,
    names: set[str],
    tables: Mapping[str, schema.Table],
    where: str,
) -> list[Problem]:
    table = tables.get(amount.table or "")
    if table is None:
        return [Problem(where, gettext_noop("A table amount needs a table."))]
    unknown = [key for key in amount.keys if key not in names]
    if unknown:
        message = gettext_noop("Unknown fact(s) for the table keys: %(keys)s.")
        return [Problem(where, message, {"keys": _join(unknown, sort=False)})]
    if len(amount.keys) != len(table.keys):
        message = gettext_noop(
            "The table has %(columns)d key column(s) but %(given)d key fact(s) are given."
        )
        return [Problem(where, message, {"columns": len(table.keys), "given": len(amount.keys)})]
    return []
