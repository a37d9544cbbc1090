"""Reading a resident's answers: each value checked against its fact's type and allowed values.

The API and the questionnaire share this, so the same answer is accepted or refused the same way,
with the same message in the resident's language.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rules.catalogue import FactSpec, Text

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
MAX_STRING = 200

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
    "too_early": {
        "zh": "“{question}”的回答不能早于 {limit}。",
        "en": "The answer to “{question}” cannot be before {limit}.",
    },
    "too_late": {
        "zh": "“{question}”的回答不能晚于 {limit}。",
        "en": "The answer to “{question}” cannot be after {limit}.",
    },
    "after_as_of": {
        "zh": "“{question}”的回答是已经发生的日期，不能晚于查询日期 {as_of}。",
        "en": "The answer to “{question}” is a date that has passed: "
        "it cannot be after the screening date, {as_of}.",
    },
    "nul": {
        "zh": "回答不能包含空字符（\\u0000）。",
        "en": "The answer must not contain a NUL character (\\u0000).",
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
    """The message `code` in `lang` ("en", else Chinese); a `Text` value (a question) is given
    in the same language."""
    texts = MESSAGES[code]
    plain = {key: v.get(lang) if isinstance(v, Text) else v for key, v in values.items()}
    return (texts["en"] if lang == "en" else texts["zh"]).format(**plain)


@dataclass(frozen=True, slots=True)
class AnswerError:
    field: str
    message: str


def parse_answers(
    facts: Mapping[str, FactSpec], raw: Any, lang: str = "zh", *, as_of: dt.date
) -> tuple[dict[str, Any], list[AnswerError]]:
    """Check raw answers (from JSON or a form) and convert them to typed values.

    Returns the answers that are valid and an error for each that is not, so a form can keep
    everything the resident entered. A key whose value is `None` counts as not answered. `as_of`
    is the screening date: a past event (a birth, a graduation) cannot come after it.
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
            if value.__class__ is bool and spec.type == "bool":  # most answers: as parse_value
                answers[key] = value
            else:
                answers[key] = parse_value(spec, value, as_of)
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


def _question(spec: FactSpec) -> Text:
    """How a message names the question: its text, or its key when it has none."""
    return spec.question if spec.question.zh else Text(spec.key, spec.key)


def parse_value(spec: FactSpec, value: Any, as_of: dt.date) -> Any:
    """One answer, typed; raises AnswerInvalid with a message code."""
    kind = value.__class__
    if ("\x00" in value) if kind is str else (kind not in _NO_TEXT and _has_nul(value)):
        raise AnswerInvalid("nul")  # (a bool or a number has none)
    parser = _PARSERS.get(spec.type)
    if parser is None:
        raise AnswerInvalid("unknown_fact", key=spec.key)
    return parser(spec, value, as_of)


_NO_TEXT = frozenset({bool, int, float})


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    return isinstance(value, list | tuple) and any(_has_nul(item) for item in value)


def _date_answer(spec: FactSpec, value: Any, as_of: dt.date) -> dt.date:
    day = _strict_date(value)
    if day < EARLIEST_DATE:
        raise AnswerInvalid("too_early", question=_question(spec), limit=EARLIEST_DATE.isoformat())
    if spec.past and day > as_of:
        raise AnswerInvalid("after_as_of", question=_question(spec), as_of=as_of.isoformat())
    if day > LATEST_DATE:
        raise AnswerInvalid("too_late", question=_question(spec), limit=LATEST_DATE.isoformat())
    return day


def _bool_answer(spec: FactSpec, value: Any, as_of: dt.date) -> bool:
    if isinstance(value, bool):
        return value
    raise AnswerInvalid("bool")


def _enum_answer(spec: FactSpec, value: Any, as_of: dt.date) -> str:
    if isinstance(value, str) and value in spec.values:
        return value
    raise AnswerInvalid("enum", choices=_choices(spec))


def _list_answer(spec: FactSpec, value: Any, as_of: dt.date) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        raise AnswerInvalid("list", choices=_choices(spec))
    for item in value:
        if not isinstance(item, str) or item not in spec.values:
            raise AnswerInvalid("list", choices=_choices(spec))
    return tuple(sorted(set(value)))


def _int_answer(spec: FactSpec, value: Any, as_of: dt.date) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON does not tell 3 from 3.0 (nor does JSON Schema)
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnswerInvalid("int")
    if spec.values and value not in spec.values:
        raise AnswerInvalid("enum", choices=_choices(spec))
    if spec.min_value is not None or spec.max_value is not None:
        _check_bounds(spec, Decimal(value))
    return value


def _number_answer(spec: FactSpec, value: Any, as_of: dt.date) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AnswerInvalid("number")
    if isinstance(value, float) and not math.isfinite(value):
        raise AnswerInvalid("number")
    number = Decimal(str(value))
    _check_bounds(spec, number)
    return number


def _string_answer(spec: FactSpec, value: Any, as_of: dt.date) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_STRING:
        raise AnswerInvalid("string", limit=MAX_STRING)
    return value.strip()


_PARSERS: dict[str, Callable[[FactSpec, Any, dt.date], Any]] = {
    "date": _date_answer,
    "bool": _bool_answer,
    "enum": _enum_answer,
    "list": _list_answer,
    "int": _int_answer,
    "number": _number_answer,
    "string": _string_answer,
}

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _strict_date(value: Any) -> dt.date:
    """`YYYY-MM-DD` in ASCII digits, a real day: nothing else `date.fromisoformat` accepts
    (`20260101`, week dates such as `2026-W01-1`, times)."""
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise AnswerInvalid("date")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise AnswerInvalid("date") from exc


def _check_bounds(spec: FactSpec, number: Decimal) -> None:
    if spec.min_value is not None and number < spec.min_value:
        raise AnswerInvalid("min", limit=_plain(spec.min_value))
    if spec.max_value is not None and number > spec.max_value:
        raise AnswerInvalid("max", limit=_plain(spec.max_value))


def _plain(number: Decimal) -> str:
    return str(int(number)) if number == number.to_integral_value() else str(number.normalize())


def parse_as_of(value: Any) -> dt.date:
    """The screening date (strict `YYYY-MM-DD`, 1900–2100); raises AnswerInvalid like an answer
    would."""
    day = _strict_date(value)
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise AnswerInvalid("date_range")
    return day


# --- what people type in the questionnaire ----------------------------------------------------
# The API takes only the strict forms above; the questionnaire's fields also accept the ways
# people write dates and amounts, normalised to those forms before they are checked.

_SEPARATORS = str.maketrans({"‐": "-", "‑": "-", "–": "-", "—": "-", "。": ".", "、": "/"})
_LENIENT_DATE = re.compile(
    r"(?P<year>[0-9]{4})\s*(?:"
    r"(?P<sep>[-/.])\s*(?P<month>[0-9]{1,2})\s*(?P=sep)\s*(?P<day>[0-9]{1,2})"
    r"|年\s*(?P<month_zh>[0-9]{1,2})\s*月\s*(?P<day_zh>[0-9]{1,2})\s*日?"
    r")"
)
_COMPACT_DATE = re.compile(r"(?P<year>[0-9]{4})(?P<month>[0-9]{2})(?P<day>[0-9]{2})")


def _plain_text(text: str) -> str:
    """Full-width digits and punctuation as ASCII (NFKC), Chinese separators as ASCII ones."""
    return unicodedata.normalize("NFKC", text).translate(_SEPARATORS).strip()


def normalise_date_text(text: str) -> str:
    """A date as people write it → `YYYY-MM-DD`: `1950-3-2`, `1950/03/02`, `1950.3.2`,
    `1950年3月2日`, `19500302`, full-width digits, spaces around. Text that spells no date this
    way is returned stripped, for the strict check to refuse. The day is not checked here:
    `1950-2-30` becomes `1950-02-30`, which the strict check refuses."""
    plain = _plain_text(text)
    match = _LENIENT_DATE.fullmatch(plain) or _COMPACT_DATE.fullmatch(plain)
    if match is None:
        return text.strip()
    parts = match.groupdict()
    month = parts.get("month") or parts["month_zh"]
    day = parts.get("day") or parts["day_zh"]
    return f"{parts['year']}-{int(month):02d}-{int(day):02d}"


_CURRENCY = re.compile(r"^[¥]\s*|\s*(?:元|yuan)$", re.IGNORECASE)
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")


def normalise_number_text(text: str) -> str:
    """A number as people write it → plain ASCII: full-width digits, thousands separators
    (`3,500`, `３，５００`), a currency sign or unit (`¥3500`, `3500元`, `3500 yuan`), spaces
    around. Commas that do not group thousands (`3,5`) are kept, for the check to refuse."""
    plain = _CURRENCY.sub("", _plain_text(text)).strip()
    if _GROUPED.fullmatch(plain):
        plain = plain.replace(",", "")
    return plain
