"""A screening as the JSON API gives it: `POST /api/v1/screen`, and the saved result sheets
(`/api/v1/sheets`, which store exactly this JSON with each sheet). One shape, one function."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Schema

from rules import engine


class AmountOut(Schema):
    value: float | None
    period: str
    currency: str
    note: str


class ReasonOut(Schema):
    requirement: str
    outcome: str
    clause: str


class SourceOut(Schema):
    document: str
    title: str


class ResultOut(Schema):
    programme: str
    name: str
    status: str
    amount: AmountOut | None
    missing: list[str]
    reasons: list[ReasonOut]
    source: SourceOut
    apply_url: str


def money(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def screening_json(screening: engine.Screening, lang: str) -> dict[str, Any]:
    return {
        "as_of": screening.as_of.isoformat(),
        "results": [_result_json(result, lang) for result in screening.results],
        "next_questions": list(screening.next_questions),
    }


def _result_json(result: engine.Result, lang: str) -> dict[str, Any]:
    programme = result.programme
    return {
        "programme": programme.slug,
        "name": programme.name.get(lang),
        "status": result.status,
        "amount": _amount_json(result.amount, lang),
        "missing": list(result.missing),
        "reasons": [
            {
                "requirement": reason.requirement.description.get(lang),
                "outcome": reason.outcome,
                "clause": reason.requirement.clause,
            }
            for reason in result.reasons
        ],
        "source": {
            "document": programme.document.number,
            "title": programme.document.title.get(lang),
        },
        "apply_url": f"/programmes/{programme.slug}/",
        "deadlines": [
            {
                "description": d.description.get(lang),
                "clause": d.clause,
                "date": d.date.isoformat() if d.date else None,
            }
            for d in result.deadlines
        ],
        "conflicts": [
            {"programme": c.other, "clause": c.clause, "note": c.note.get(lang)}
            for c in result.conflicts
        ],
    }


def _amount_json(amount: engine.Entitlement | None, lang: str) -> dict[str, Any] | None:
    if amount is None:
        return None
    return {
        "value": money(amount.value),
        "period": amount.period,
        "currency": "CNY",
        "note": amount.note.get(lang),
        "up_to": amount.up_to,
        "clause": amount.clause,
    }
