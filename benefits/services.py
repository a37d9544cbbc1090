"""Writes with side effects on the catalogue: running persona cases and publishing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from benefits import snapshot
from benefits.loader import publish_draft
from benefits.models import PersonaCase, Publication
from rules import engine
from rules.catalogue import Catalogue
from rules.facts import parse_answers


@dataclass(frozen=True)
class CaseOutcome:
    """One persona case screened against a catalogue, and whether it gave what it expects."""

    case: PersonaCase
    status: str
    amount: Decimal | None
    errors: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def status_ok(self) -> bool:
        return self.status == self.case.expected_status

    @property
    def amount_ok(self) -> bool:
        if not self.case.check_amount:
            return True
        expected = self.case.expected_amount
        return self.amount == (Decimal(expected) if expected is not None else None)

    @property
    def reasons_ok(self) -> bool:
        expected = self.case.expected_reasons
        return expected is None or list(self.reasons) == list(expected)

    @property
    def missing_ok(self) -> bool:
        expected = self.case.expected_missing
        return expected is None or list(self.missing) == list(expected)

    @property
    def passed(self) -> bool:
        checks = (self.status_ok, self.amount_ok, self.reasons_ok, self.missing_ok)
        return not self.errors and all(checks)

    def difference(self) -> str:
        """What differs, e.g. "amount: expected 1000, got 1100"."""
        parts = list(self.errors)
        if not self.status_ok:
            parts.append(f"status: expected {self.case.expected_status}, got {self.status}")
        if not self.amount_ok:
            parts.append(
                f"amount: expected {_plain(self.case.expected_amount)}, got {_plain(self.amount)}"
            )
        if not self.reasons_ok:
            parts.append(
                f"reasons: expected {self.case.expected_reasons}, got {list(self.reasons)}"
            )
        if not self.missing_ok:
            parts.append(
                f"missing: expected {self.case.expected_missing}, got {list(self.missing)}"
            )
        return "; ".join(parts)


def _plain(value: Any) -> str:
    if value is None:
        return "none"
    value = Decimal(value)
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def run_persona_cases(catalogue: Catalogue, cases: Iterable[PersonaCase]) -> list[CaseOutcome]:
    outcomes = []
    for case in cases:
        answers, errors = parse_answers(catalogue.facts, case.answers, "en", as_of=case.as_of)
        programme = catalogue.programme(case.programme.slug)
        if programme is None:
            outcomes.append(CaseOutcome(case, "missing", None, ("programme not in catalogue",)))
            continue
        result = engine.screen(catalogue, answers, case.as_of).result(programme.slug)
        amount = result.amount.value if result.amount else None
        outcomes.append(
            CaseOutcome(
                case,
                result.status,
                amount,
                tuple(f"{e.field}: {e.message}" for e in errors),
                tuple(reason.outcome for reason in result.reasons),
                result.missing,
            )
        )
    return outcomes


def run_draft_cases(cases: Iterable[PersonaCase] | None = None) -> list[CaseOutcome]:
    """Screen persona cases (all by default) against the draft catalogue."""
    if cases is None:
        cases = PersonaCase.objects.select_related("programme")
    return run_persona_cases(snapshot.draft_catalogue(), cases)


@transaction.atomic
def publish_catalogue(user: Any, note: str = "") -> tuple[Publication | None, list[CaseOutcome]]:
    """Publish the draft unless a persona case fails; returns the failures otherwise."""
    failures = [outcome for outcome in run_draft_cases() if not outcome.passed]
    if failures:
        return None, failures
    publication = publish_draft(note=note, user=user)
    transaction.on_commit(snapshot.invalidate)
    return publication, []
