"""A screening as the API gives it: `/screen` answers it, and saved sheets store it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from eligibility.formatting import money_number
from rules import engine


def screening_json(screening: engine.Screening, lang: str, publication: str = "") -> dict[str, Any]:
    return {
        "as_of": screening.as_of.isoformat(),
        "publication": publication,
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
                "assessed": reason.assessed,
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
                "date": iso(d.date),
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
        "value": money_number(amount.value),
        "period": amount.period,
        "currency": "CNY",
        "note": amount.note.get(lang),
        "up_to": amount.up_to,
        "clause": amount.clause,
    }


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
