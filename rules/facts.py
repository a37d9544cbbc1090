"""Reading a resident's answers: each value checked against its fact's type and allowed values.

The API and the questionnaire share this, so the same answer is accepted or refused the same way,
with the same message in the resident's language.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rules.catalogue import FactSpec

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
MAX_STRING = 200
# YYYY-MM-DD in ASCII digits only: date.fromisoformat also takes week dates ("2026-W01-1") and
# "19500302" padded with spaces.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

MESSAGES: dict[str, dict[str, str]] = {
    "unknown_fact": {"zh": "没有这个问题（{key}）。", "en": "There is no question called {key}."},
    "derived_fact": {
        "zh": "{key} 由其他回答推算，无需填写。",
        "en": "{key} is worked out from other answers and cannot be given.",
    },
    "date": {
        "zh": "请填写有效日期，格式为 年-月-日，例如 1950-03-02。",
        "en": "Enter a real date as YYYY-MM-DD, for example 1950-03-02.",
    },
    "date_range": {
        "zh": "日期须在 1900-01-01 至 2100-12-31 之间。",
        "en": "The date must be between 1900-01-01 and 2100-12-31.",
    },
    "enum": {"zh": "请从以下选项中选择：{choices}。", "en": "Choose one of: {choices}."},
    "bool": {"zh": "请回答是（true）或否（false）。", "en": "Answer true (yes) or false (no)."},
    "int": {"zh": "请填写整数。", "en": "Enter a whole number."},
    "number": {"zh": "请填写数字。", "en": "Enter a number."},
    "min": {"zh": "不能小于 {limit}。", "en": "Must be {limit} or more."},
    "max": {"zh": "不能大于 {limit}。", "en": "Must be {limit} or less."},
    "string": {
        "zh": "请填写不超过 {limit} 个字的文字。",
        "en": "Enter text of at most {limit} characters.",
    },
    "list": {
        "zh": "请填写一个列表，每项为：{choices}。",
        "en": "Give a list whose items are each one of: {choices}.",
    },
    "answers": {
        "zh": "answers 须为对象（键为问题，值为回答）。",
        "en": "answers must be an object of question keys and answers.",
    },
}


def message(code: str, lang: str, **values: Any) -> str:
    texts = MESSAGES[code]
    return (texts["en"] if lang == "en" else texts["zh"]).format(**values)


@dataclass(frozen=True, slots=True)
class AnswerError:
    field: str
    message: str


def parse_answers(
    facts: Mapping[str, FactSpec], raw: Any, lang: str = "zh"
) -> tuple[dict[str, Any], list[AnswerError]]:
    """Check raw answers (from JSON or a form) and convert them to typed values.

    Returns the answers that are valid and an error for each that is not, so a form can keep
    everything the resident entered. A key whose value is `None` counts as not answered.
    """
    if not isinstance(raw, Mapping):
        return {}, [AnswerError("answers", message("answers", lang))]
    answers: dict[str, Any] = {}
    errors: list[AnswerError] = []
    for key, value in raw.items():
        spec = facts.get(key) if isinstance(key, str) else None
        if spec is None:
            errors.append(AnswerError(f"answers.{key}", message("unknown_fact", lang, key=key)))
            continue
        if spec.derived is not None:
            errors.append(AnswerError(f"answers.{key}", message("derived_fact", lang, key=key)))
            continue
        if value is None:
            continue
        try:
            answers[key] = parse_value(spec, value)
        except AnswerInvalid as exc:
            errors.append(AnswerError(f"answers.{key}", message(exc.code, lang, **exc.values)))
    return answers, errors


class AnswerInvalid(ValueError):
    def __init__(self, code: str, **values: Any) -> None:
        super().__init__(code)
        self.code = code
        self.values = values


def _choices(spec: FactSpec) -> str:
    return ", ".join(str(v).lower() if isinstance(v, bool) else str(v) for v in spec.values)


def parse_value(spec: FactSpec, value: Any) -> Any:
    """One answer, typed; raises AnswerInvalid with a message code."""
    kind = spec.type
    if kind == "date":
        return _parse_date(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise AnswerInvalid("bool")
    if kind == "enum":
        if isinstance(value, str) and value in spec.values:
            return value
        raise AnswerInvalid("enum", choices=_choices(spec))
    if kind == "list":
        if not isinstance(value, list | tuple) or any(
            not isinstance(item, str) or item not in spec.values for item in value
        ):
            raise AnswerInvalid("list", choices=_choices(spec))
        return tuple(sorted(set(value)))
    if kind == "int":
        return _parse_int(spec, value)
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise AnswerInvalid("number")
        if isinstance(value, float) and not math.isfinite(value):
            raise AnswerInvalid("number")
        number = Decimal(str(value))
        _check_bounds(spec, number)
        return number
    if kind == "string":
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_STRING:
            raise AnswerInvalid("string", limit=MAX_STRING)
        return value.strip()
    raise AnswerInvalid("unknown_fact", key=spec.key)


def _parse_int(spec: FactSpec, value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON does not tell 3 from 3.0 (nor does JSON Schema)
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnswerInvalid("int")
    if spec.values and value not in spec.values:
        raise AnswerInvalid("enum", choices=_choices(spec))
    _check_bounds(spec, Decimal(value))
    return value


def _parse_date(value: Any) -> dt.date:
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise AnswerInvalid("date")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise AnswerInvalid("date") from exc
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise AnswerInvalid("date_range")
    return day


def _check_bounds(spec: FactSpec, number: Decimal) -> None:
    if spec.min_value is not None and number < spec.min_value:
        raise AnswerInvalid("min", limit=_plain(spec.min_value))
    if spec.max_value is not None and number > spec.max_value:
        raise AnswerInvalid("max", limit=_plain(spec.max_value))


def _plain(number: Decimal) -> str:
    return str(int(number)) if number == number.to_integral_value() else str(number.normalize())


def parse_as_of(value: Any) -> dt.date:
    """The screening date; raises AnswerInvalid like an answer would."""
    return _parse_date(value)
