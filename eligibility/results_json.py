"""A screening as the API gives it: `/screen` answers it, and saved sheets store it."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterable
from typing import Any

from eligibility.formatting import money_number
from rules import engine
from rules.catalogue import Catalogue, Conflict, Programme, Requirement


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
        "reasons": [_reason_json(reason, lang) for reason in result.reasons],
        "source": {
            "document": programme.document.number,
            "title": programme.document.title.get(lang),
        },
        "apply_url": f"/programmes/{programme.slug}/",
        "deadlines": _deadlines_json(result, lang),
        "conflicts": _conflicts_json(result, lang),
    }


def _reason_json(reason: engine.Reason, lang: str) -> dict[str, Any]:
    return {
        "requirement": reason.requirement.description.get(lang),
        "outcome": reason.outcome,
        "assessed": reason.assessed,
        "clause": reason.requirement.clause,
    }


def _deadlines_json(result: engine.Result, lang: str) -> list[dict[str, Any]]:
    return [
        {"description": d.description.get(lang), "clause": d.clause, "date": iso(d.date)}
        for d in result.deadlines
    ]


def _conflicts_json(result: engine.Result, lang: str) -> list[dict[str, Any]]:
    return [
        {"programme": c.other, "clause": c.clause, "note": c.note.get(lang)}
        for c in result.conflicts
    ]


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


# The same JSON as text, from pieces encoded once per catalogue and language ----------------
# `/screen` answers every resident with 24 results whose names, clauses, sources and reasons
# come from a few hundred texts that only change with a publication: encoding them once and
# joining the pieces is several times faster than building and encoding the dictionaries.

_encode = json.JSONEncoder(ensure_ascii=False).encode  # JsonResponse's separators and escapes


def screening_json_text(
    screening: engine.Screening, lang: str, publication: str, catalogue: Catalogue
) -> str:
    """`json.dumps(screening_json(...), ensure_ascii=False)`, the same text, made faster."""
    return (
        f'{{"as_of": "{screening.as_of.isoformat()}", "publication": {_encode(publication)}, '
        f'"results": {results_json_text(screening.results, lang, catalogue)}, '
        f'"next_questions": {_encode(list(screening.next_questions))}}}'
    )


def results_json_text(results: Iterable[engine.Result], lang: str, catalogue: Catalogue) -> str:
    """The JSON list of these results, each as `screening_json` gives it."""
    result = _pieces(catalogue, lang).result
    return f"[{', '.join([result(r) for r in results])}]"


def encode(data: Any) -> str:
    """`data` as `JsonResponse(data, json_dumps_params={"ensure_ascii": False})` writes it (for
    the plain JSON values a screening's parts are)."""
    return _encode(data)


@functools.lru_cache(maxsize=8)
def _pieces(catalogue: Catalogue, lang: str) -> _Pieces:
    return _Pieces(lang)


PIECES_KEPT = 1000  # per catalogue and language (about 1 MB): amounts and lists that vary
RESULTS_KEPT = 2000  # results encoded whole, per catalogue and language (about 2 MB)


def _kept[K](pieces: dict[K, str], key: K, encode: Callable[[], str]) -> str:
    """The piece kept under `key`, encoded (and kept, up to `PIECES_KEPT`) on first use."""
    text = pieces.get(key)
    if text is None:
        text = encode()
        if len(pieces) < PIECES_KEPT:
            pieces[key] = text
    return text


class _Pieces:
    """Encoded pieces for one catalogue and language, keyed by the identity of the frozen
    objects they come from (each kept beside its piece, so an identity is never reused), or by
    the small frozen values that are all the piece shows (an amount, the facts missing).

    Those keyed by value are pure functions of their key and at most `PIECES_KEPT` each; past
    that a piece is encoded afresh (the same text), never stored."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.programmes: dict[int, tuple[Programme, str, str]] = {}
        self.reasons: dict[tuple[int, str, bool], tuple[Requirement, str]] = {}
        self.deadlines: dict[int, tuple[tuple[engine.PersonalDeadline, ...], str]] = {}
        self.amounts: dict[engine.Entitlement, str] = {}
        self.missing: dict[tuple[str, ...], str] = {}
        self.conflicts: dict[tuple[Conflict, ...], str] = {}
        self.results: dict[int, tuple[engine.Result, str]] = {}

    def result(self, result: engine.Result) -> str:
        """Most results are objects the engine keeps and gives every resident whose reasons are
        the same (rules.engine `_Outcome`): each is encoded once. The others are one
        resident's; they are forgotten with the rest when `RESULTS_KEPT` is reached."""
        entry = self.results.get(id(result))
        if entry is not None and entry[0] is result:
            return entry[1]
        text = self._result(result)
        if len(self.results) >= RESULTS_KEPT:
            self.results.clear()
        self.results[id(result)] = (result, text)
        return text

    def _result(self, result: engine.Result) -> str:
        head, tail = self._programme(result.programme)
        reason = self._reason
        reasons = ", ".join([reason(r) for r in result.reasons])
        return (
            f'{head}"{result.status}", "amount": {self._amount(result.amount)}, '
            f'"missing": {self._missing(result.missing)}, '
            f'"reasons": [{reasons}], {tail}"deadlines": {self._deadlines(result)}, '
            f'"conflicts": {self._conflicts(result)}}}'
        )

    def _amount(self, amount: engine.Entitlement | None) -> str:
        if amount is None:
            return "null"
        return _kept(self.amounts, amount, lambda: _encode(_amount_json(amount, self.lang)))

    def _missing(self, missing: tuple[str, ...]) -> str:
        if not missing:
            return "[]"
        return _kept(self.missing, missing, lambda: _encode(list(missing)))

    def _conflicts(self, result: engine.Result) -> str:
        if not result.conflicts:
            return "[]"
        encode = lambda: _encode(_conflicts_json(result, self.lang))  # noqa: E731
        return _kept(self.conflicts, result.conflicts, encode)

    def _deadlines(self, result: engine.Result) -> str:
        """Deadlines on fixed dates are the same tuple in every screening: encoded once."""
        deadlines = result.deadlines
        if not deadlines:
            return "[]"
        entry = self.deadlines.get(id(deadlines))
        if entry is None or entry[0] is not deadlines:
            entry = (deadlines, _encode(_deadlines_json(result, self.lang)))
            if len(self.deadlines) < 1000:  # those counted from a resident's date vary
                self.deadlines[id(deadlines)] = entry
        return entry[1]

    def _programme(self, programme: Programme) -> tuple[str, str]:
        entry = self.programmes.get(id(programme))
        if entry is None or entry[0] is not programme:
            lang = self.lang
            head = f'{{"programme": {_encode(programme.slug)}, "name": '
            head += f'{_encode(programme.name.get(lang))}, "status": '
            source = {
                "document": programme.document.number,
                "title": programme.document.title.get(lang),
            }
            tail = f'"source": {_encode(source)}, '
            tail += f'"apply_url": {_encode(f"/programmes/{programme.slug}/")}, '
            entry = self.programmes[id(programme)] = (programme, head, tail)
        return entry[1], entry[2]

    def _reason(self, reason: engine.Reason) -> str:
        requirement = reason.requirement
        key = (id(requirement), reason.outcome, reason.assessed)
        entry = self.reasons.get(key)
        if entry is None or entry[0] is not requirement:
            text = _encode(_reason_json(reason, self.lang))
            entry = self.reasons[key] = (requirement, text)
        return entry[1]
