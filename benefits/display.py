"""Catalogue values as staff read them in lists and read-only fields: labels, not codes or JSON.

`{"hukou": "beijing", "age": 67}` reads "您的户籍在哪里 = 北京市户籍；年龄（周岁）= 67": each answer
under its question, each coded value under its label, in the staff member's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _


def english() -> bool:
    return (get_language() or "").startswith("en")


def plain(value: Any) -> str:
    """A JSON value as text: lists joined, mappings as `key = value`, yes/no in words."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return "、".join(plain(item) for item in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{key} = {plain(item)}" for key, item in value.items()) or "—"
    return str(value)


def fact_name(key: str, fact: Any) -> str:
    """A fact by its question (without the question mark), or its key when it has none."""
    if fact is None:
        return key
    question = fact.question_en if english() else fact.question_zh
    return question.rstrip("？?") or key


def value_label(value: Any, fact: Any) -> str:
    """A coded answer by the label its fact gives it ("beijing" → "北京市户籍")."""
    if isinstance(value, list | tuple):
        return "、".join(value_label(item, fact) for item in value) or "—"
    label = ((getattr(fact, "labels", None) or {}).get(str(value)) or {}).get(
        "en" if english() else "zh"
    )
    return label or plain(value)


def answers_text(answers: Mapping[str, Any] | None, facts: Mapping[str, Any]) -> str:
    """Persona answers as "question = answer" pairs, in the order they were given."""
    if not answers:
        return _("(no answers)")
    return "；".join(
        f"{fact_name(key, facts.get(key))} = {value_label(value, facts.get(key))}"
        for key, value in answers.items()
    )


def condition_text(condition: Any, facts: Mapping[str, Any]) -> str:
    """A condition as a sentence: "年龄（周岁） 至少 60"."""
    fact = facts.get(condition.fact)
    value = condition.value
    if condition.operator == "within" and isinstance(value, dict):
        shown = within_text(value, facts)
    else:
        shown = value_label(value, fact)
    return f"{fact_name(condition.fact, fact)} {condition.get_operator_display()} {shown}"


def within_text(value: Mapping[str, Any], facts: Mapping[str, Any]) -> str:
    """`{"months": 24, "of": "as_of", "direction": "before"}` as "查询日期之前 24 个月内"."""
    of = str(value.get("of", ""))
    moment = _("the screening date") if of == "as_of" else fact_name(of, facts.get(of))
    years = "years" in value
    count = value["years"] if years else value.get("months")
    after = value.get("direction", "before") == "after"
    if years:
        words = (
            _("within %(count)s years after %(moment)s")
            if after
            else _("within %(count)s years before %(moment)s")
        )
    else:
        words = (
            _("within %(count)s months after %(moment)s")
            if after
            else _("within %(count)s months before %(moment)s")
        )
    return words % {"count": count, "moment": moment}
