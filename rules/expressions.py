"""A small, safe expression language for formulas, guards and derived facts.

Staff write these in the admin, so they must never reach Python's `eval`: text is tokenised,
parsed into a tree and compiled into closures. Evaluation is three-valued: a name whose fact is
not answered is `Unknown`, which carries the fact keys that would decide it, and spreads through
arithmetic and comparisons (but `false and …`, `true or …` and an `if` whose branch does not need
the unknown are decided anyway).
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Protocol

from rules.dates import add_months, months_between, years_between


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value that cannot be known until the facts in `missing` are answered."""

    missing: frozenset[str] = frozenset()

    def __bool__(self) -> bool:  # pragma: no cover - guards against accidental truth tests
        raise TypeError("Unknown has no truth value; test with isinstance")

    def merge(self, other: Unknown) -> Unknown:
        return Unknown(self.missing | other.missing)


def gettext_noop(message: str) -> str:
    """Marks a message for translation (makemessages looks for this name) without importing
    Django: the engine stays plain Python, and the admin translates the message."""
    return message


class ExpressionError(ValueError):
    """The text is not a valid expression (reported to staff when they save). `message` is an
    English template marked for translation and `params` fill it, so the admin can show it in
    the staff member's language; str() gives the English."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message, self.params = message, params
        super().__init__(message % params)


class EvaluationError(ValueError):
    """A valid expression failed on these values (e.g. division by zero, a wrong type)."""


class Env(Protocol):
    """What an expression is evaluated in: a name's value, and rows of the gazette tables."""

    def __call__(self, name: str) -> Any: ...

    def lookup(self, table: str, keys: tuple[Any, ...]) -> Any: ...


Compiled = Callable[[Env], Any]

FUNCTIONS: dict[str, tuple[int, int | None]] = {
    # name: (minimum arguments, maximum arguments or None for any)
    "min": (1, None),
    "max": (1, None),
    "floor": (1, 1),
    "round": (1, 2),
    "abs": (1, 1),
    "if": (3, 3),
    "lookup": (2, None),
    "has": (2, 2),
    "date": (1, 1),
    "years_between": (2, 2),
    "months_between": (2, 2),
    "add_months": (2, 2),
    "unknown": (0, 0),
}

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>\d+(?:\.\d+)?)
    | (?P<string>"[^"\\]*"|'[^'\\]*')
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<op><=|>=|==|!=|[-+*/()<>,])
    )""",
    re.VERBOSE,
)

_KEYWORDS = {"and", "or", "not", "true", "false"}


def _tokenise(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ExpressionError(
                gettext_noop("Unexpected character %(char)r at position %(position)d."),
                char=text[position:].strip()[:1],
                position=position + 1,
            )
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind), match.start(kind)))
        position = match.end()
    tokens.append(("end", "", len(text)))
    return tokens


@dataclass(frozen=True, slots=True)
class Expression:
    """A parsed expression: its source text, the names it reads, and its compiled form."""

    source: str
    names: frozenset[str]
    _run: Compiled

    def evaluate(self, env: Env) -> Any:
        return self._run(env)


class _Parser:
    """Precedence climbing: or < and < not < comparison < additive < multiplicative < unary."""

    def __init__(self, text: str, known_names: set[str] | None) -> None:
        self.tokens = _tokenise(text)
        self.index = 0
        self.known_names = known_names
        self.names: set[str] = set()

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.index]

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, value: str) -> None:
        kind, text, position = self.take()
        if text != value and kind == "end":
            raise ExpressionError(
                gettext_noop("Expected %(expected)r at position %(position)d, found the end."),
                expected=value,
                position=position + 1,
            )
        if text != value:
            raise ExpressionError(
                gettext_noop("Expected %(expected)r at position %(position)d, found %(found)r."),
                expected=value,
                position=position + 1,
                found=text,
            )

    def parse(self) -> Compiled:
        node = self.parse_or()
        kind, text, position = self.peek()
        if kind != "end":
            raise _unexpected(text, position)
        return node

    def parse_or(self) -> Compiled:
        left = self.parse_and()
        while self.peek()[1] == "or":
            self.take()
            left = _or(left, self.parse_and())
        return left

    def parse_and(self) -> Compiled:
        left = self.parse_not()
        while self.peek()[1] == "and":
            self.take()
            left = _and(left, self.parse_not())
        return left

    def parse_not(self) -> Compiled:
        if self.peek()[1] == "not":
            self.take()
            return _not(self.parse_not())
        return self.parse_comparison()

    def parse_comparison(self) -> Compiled:
        left = self.parse_additive()
        if self.peek()[1] in _COMPARISONS:
            operator = self.take()[1]
            left = _binary(_COMPARISONS[operator], left, self.parse_additive())
        return left

    def parse_additive(self) -> Compiled:
        left = self.parse_multiplicative()
        while self.peek()[1] in ("+", "-"):
            operator = self.take()[1]
            left = _binary(_ARITHMETIC[operator], left, self.parse_multiplicative())
        return left

    def parse_multiplicative(self) -> Compiled:
        left = self.parse_unary()
        while self.peek()[1] in ("*", "/"):
            operator = self.take()[1]
            left = _binary(_ARITHMETIC[operator], left, self.parse_unary())
        return left

    def parse_unary(self) -> Compiled:
        if self.peek()[1] == "-":
            self.take()
            operand = self.parse_unary()
            return _binary(_ARITHMETIC["-"], _constant(Decimal(0)), operand)
        return self.parse_primary()

    def parse_primary(self) -> Compiled:
        kind, text, position = self.take()
        if kind == "number":
            return _constant(Decimal(text))
        if kind == "string":
            return _constant(text[1:-1])
        if text == "(":
            node = self.parse_or()
            self.expect(")")
            return node
        if kind == "name":
            if text in ("true", "false"):
                return _constant(text == "true")
            if text in _KEYWORDS:
                raise _unexpected(text, position)
            if self.peek()[1] == "(":
                return self.parse_call(text, position)
            if self.known_names is not None and text not in self.known_names:
                raise ExpressionError(
                    gettext_noop("Unknown name %(name)r at position %(position)d."),
                    name=text,
                    position=position + 1,
                )
            self.names.add(text)
            return _name(text)
        if kind == "end":
            raise ExpressionError(
                gettext_noop("Expected a value at position %(position)d, found the end."),
                position=position + 1,
            )
        raise ExpressionError(
            gettext_noop("Expected a value at position %(position)d, found %(found)r."),
            position=position + 1,
            found=text,
        )

    def parse_call(self, name: str, position: int) -> Compiled:
        if name not in FUNCTIONS:
            raise ExpressionError(
                gettext_noop("Unknown function %(name)r at position %(position)d."),
                name=name,
                position=position + 1,
            )
        self.expect("(")
        arguments: list[Compiled] = []
        if self.peek()[1] != ")":
            arguments.append(self.parse_or())
            while self.peek()[1] == ",":
                self.take()
                arguments.append(self.parse_or())
        self.expect(")")
        low, high = FUNCTIONS[name]
        if len(arguments) < low or (high is not None and len(arguments) > high):
            message = (
                gettext_noop("%(name)s() takes %(count)d argument(s), got %(given)d.")
                if low == high
                else gettext_noop("%(name)s() takes %(count)d or more argument(s), got %(given)d.")
            )
            raise ExpressionError(message, name=name, count=low, given=len(arguments))
        if name == "if":
            return _if(*arguments)
        if name == "unknown":
            return _constant(Unknown())
        return _call(name, arguments)


def compile_expression(text: str, known_names: set[str] | None = None) -> Expression:
    """Parse `text`; with `known_names`, refuse any name not in it (the check run at save)."""
    if not text or not text.strip():
        raise ExpressionError(gettext_noop("The expression is empty."))
    parser = _Parser(text, known_names)
    run = parser.parse()
    return Expression(text, frozenset(parser.names), run)


def _unexpected(text: str, position: int) -> ExpressionError:
    return ExpressionError(
        gettext_noop("Unexpected %(text)r at position %(position)d."),
        text=text,
        position=position + 1,
    )


# --- compiled node builders -------------------------------------------------------------------


_VARIES = object()


def _constant(value: Any) -> Compiled:
    def constant(env: Env) -> Any:
        return value

    constant.value = value  # type: ignore[attr-defined]  # read by _binary when compiling
    return constant


def _name(name: str) -> Compiled:
    return lambda env: env(name)


_NOT_CONVERTED = frozenset({str, bool, Decimal, dt.date, tuple, type(None)})  # by `_numeric`


def _numeric(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    return value


def _binary(operation: Callable[[Any, Any], Any], left: Compiled, right: Compiled) -> Compiled:
    constant = getattr(right, "value", _VARIES)
    if constant is not _VARIES and not isinstance(constant, Unknown):
        return _binary_constant(operation, left, constant)

    def run(env: Env) -> Any:
        a, b = left(env), right(env)
        if isinstance(a, Unknown) or isinstance(b, Unknown):
            return _merge_unknown(a, b)
        try:
            return operation(_numeric(a), _numeric(b))
        except (TypeError, InvalidOperation, ZeroDivisionError, ArithmeticError) as exc:
            raise EvaluationError(f"Cannot compute with {a!r} and {b!r}: {exc}") from exc

    return run


def _binary_constant(operation: Callable[[Any, Any], Any], left: Compiled, b: Any) -> Compiled:
    """`_binary` with a constant on the right (`age >= 60`, `hukou == "other"`): the most
    common shape, worth a closure that does not evaluate or convert the constant each time."""
    number = _numeric(b)

    def run(env: Env) -> Any:
        a = left(env)
        if isinstance(a, Unknown):
            return a
        try:
            return operation(a if a.__class__ in _NOT_CONVERTED else _numeric(a), number)
        except (TypeError, InvalidOperation, ZeroDivisionError, ArithmeticError) as exc:
            raise EvaluationError(f"Cannot compute with {a!r} and {b!r}: {exc}") from exc

    return run


def _merge_unknown(*values: Any) -> Unknown:
    missing: frozenset[str] = frozenset()
    for value in values:
        if isinstance(value, Unknown):
            missing |= value.missing
    return Unknown(missing)


def _truth(value: Any) -> bool | Unknown:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, bool):
        return value
    raise EvaluationError(f"Expected true or false, got {value!r}.")


def _and(left: Compiled, right: Compiled) -> Compiled:
    def run(env: Env) -> Any:
        a = _truth(left(env))
        if a is False:
            return False
        b = _truth(right(env))
        if b is False:
            return False
        if isinstance(a, Unknown) or isinstance(b, Unknown):
            return _merge_unknown(a, b)
        return True

    return run


def _or(left: Compiled, right: Compiled) -> Compiled:
    def run(env: Env) -> Any:
        a = _truth(left(env))
        if a is True:
            return True
        b = _truth(right(env))
        if b is True:
            return True
        if isinstance(a, Unknown) or isinstance(b, Unknown):
            return _merge_unknown(a, b)
        return False

    return run


def _not(operand: Compiled) -> Compiled:
    def run(env: Env) -> Any:
        value = _truth(operand(env))
        return value if isinstance(value, Unknown) else not value

    return run


def _if(condition: Compiled, then: Compiled, otherwise: Compiled) -> Compiled:
    def run(env: Env) -> Any:
        test = _truth(condition(env))
        if test is True:
            return then(env)
        if test is False:
            return otherwise(env)
        a, b = then(env), otherwise(env)
        if not isinstance(a, Unknown) and not isinstance(b, Unknown) and a == b:
            return a
        return _merge_unknown(test, a, b)

    return run


def _divide(a: Decimal, b: Decimal) -> Decimal:
    if b == 0:
        raise ZeroDivisionError("division by zero")
    return a / b


def _compare(check: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def run(a: Any, b: Any) -> bool:
        if type(a) is not type(b) and not (isinstance(a, Decimal) and isinstance(b, Decimal)):
            raise TypeError(f"cannot compare {type(a).__name__} with {type(b).__name__}")
        return check(a, b)

    return run


def _equals(a: Any, b: Any) -> bool:
    return bool(a == b)


_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _divide,
}
_COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "==": _equals,
    "!=": lambda a, b: not _equals(a, b),
    "<": _compare(operator.lt),
    "<=": _compare(operator.le),
    ">": _compare(operator.gt),
    ">=": _compare(operator.ge),
}


def _round(value: Decimal, places: Decimal = Decimal(0)) -> Decimal:
    exponent = Decimal(1).scaleb(-int(places))
    return value.quantize(exponent, rounding=ROUND_HALF_UP)


def _to_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise EvaluationError(f"Not a date: {value!r}") from exc


_PLAIN: dict[str, Callable[..., Any]] = {
    "min": min,
    "max": max,
    "floor": lambda x: x.to_integral_value(rounding=ROUND_FLOOR),
    "round": _round,
    "abs": abs,
    "has": lambda items, item: item in items,
    "date": _to_date,
    "years_between": lambda a, b: Decimal(years_between(_to_date(a), _to_date(b))),
    "months_between": lambda a, b: Decimal(months_between(_to_date(a), _to_date(b))),
    "add_months": lambda d, n: add_months(_to_date(d), int(n)),
}


def _call(name: str, arguments: list[Compiled]) -> Compiled:
    folded = _folded(name, arguments)
    if folded is not None:
        return folded

    def run(env: Env) -> Any:
        values = [_numeric(argument(env)) for argument in arguments]
        for value in values:
            if isinstance(value, Unknown):
                return _merge_unknown(*values)
        if name == "lookup":
            return env.lookup(values[0], tuple(values[1:]))
        try:
            return _PLAIN[name](*values)
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise EvaluationError(f"{name}() failed on {values!r}: {exc}") from exc

    return run


def _folded(name: str, arguments: list[Compiled]) -> Compiled | None:
    """A call of a plain function on constants (`date("2025-12-31")`) as the constant it always
    gives, worked out once when compiling; None when it reads the scope or fails (it then fails
    the same way on every evaluation, as before)."""
    if name not in _PLAIN or any(getattr(a, "value", _VARIES) is _VARIES for a in arguments):
        return None
    values = [_numeric(argument.value) for argument in arguments]  # type: ignore[attr-defined]
    if any(isinstance(value, Unknown) for value in values):
        return None
    try:
        return _constant(_PLAIN[name](*values))
    except (TypeError, ValueError, ArithmeticError):
        return None


class Scope:
    """Resolves names for evaluation: `values` first, else Unknown({name}).

    Subclasses (the engine's fact scope) add derived facts, parameters and table look-ups.
    """

    def __init__(
        self,
        values: Mapping[str, Any],
        tables: Mapping[str, Mapping[tuple[str, ...], Any]] | None = None,
    ) -> None:
        self.values = values
        self.tables = tables or {}

    def __call__(self, name: str) -> Any:
        if name in self.values:
            return _numeric(self.values[name])
        return Unknown(frozenset({name}))

    def lookup(self, table: str, keys: tuple[Any, ...]) -> Any:
        rows = self.tables.get(table)
        if rows is None:
            raise EvaluationError(f"No table {table!r}.")
        normalised = tuple(_key(k) for k in keys)
        if normalised not in rows:
            return None  # no such row: the gazette lists no value for these keys
        return _numeric(rows[normalised])


def _key(value: Any) -> Any:
    """Table keys are compared as text, so 4 and "4" find the same row."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)


table_key = _key
numeric = _numeric  # the value a Scope gives for an answer (numbers as Decimal)
NOT_CONVERTED = _NOT_CONVERTED  # the types `numeric` gives as they are
