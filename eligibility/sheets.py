"""Saved result sheets: saving a screening under a reference code, and showing it again.

A sheet is screened once, against the latest publication, and keeps that publication and the
results (as the API gives them). Showing it later screens the saved answers again on the saved
date against the *same* publication, so the page, the PDF and the API all give what was printed,
whatever has been published since. Sheets saved before publications were recorded have none:
they are shown under the latest rules, with a note saying so.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from django.utils import timezone

from benefits import snapshot
from eligibility.households import household_parts
from eligibility.models import CODE_GROUP_SIZE, CODE_GROUPS, SavedResult
from eligibility.results_json import screening_json
from rules import engine, household
from rules.catalogue import Catalogue
from rules.facts import parse_answers

logger = logging.getLogger(__name__)
PREFIX = "BJ"
LEGACY_LENGTH = 8  # codes of 2026 before the contract asked for 60 bits, e.g. BJ-7DMC-APT7


def canonical_code(raw: str) -> str | None:
    """A code as typed, in any case, with or without dashes or spaces → as stored."""
    letters = re.sub(r"[\s\-\u2010-\u2015\uff0d]", "", raw).upper()
    if not letters.startswith(PREFIX):
        return None
    letters = letters[len(PREFIX) :]
    if len(letters) == LEGACY_LENGTH:
        size = LEGACY_LENGTH // 2
    elif len(letters) == CODE_GROUPS * CODE_GROUP_SIZE:
        size = CODE_GROUP_SIZE
    else:
        return None
    return "-".join([PREFIX, *(letters[i : i + size] for i in range(0, len(letters), size))])


def find_sheet(code: str) -> SavedResult | None:
    """The unexpired sheet with this code, with its publication's id and date (not its JSON)."""
    canonical = canonical_code(code)
    if canonical is None:
        return None
    return (
        SavedResult.objects.current()
        .select_related("publication")
        .defer("publication__catalogue")
        .filter(code=canonical)
        .first()
    )


def save_sheet(
    catalogue: Catalogue, screening: engine.Screening, answers: dict[str, Any], lang: str
) -> SavedResult:
    """Keep a screening made on `catalogue` (a published snapshot) of these raw answers."""
    return SavedResult.objects.create(
        as_of=screening.as_of,
        lang=lang,
        publication_id=snapshot.publication_id(catalogue),
        answers=answers,
        results=screening_json(screening, lang)["results"],
    )


def save_household_sheet(
    catalogue: Catalogue,
    screened: household.HouseholdScreening,
    answers: dict[str, Any],
    members: list[dict[str, Any]],
    lang: str,
) -> SavedResult:
    """Keep a household's screening: the household's raw answers, each member's, and the
    results per member, for the household and the totals, as the API gives them."""
    return SavedResult.objects.create(
        as_of=screened.as_of,
        lang=lang,
        publication_id=snapshot.publication_id(catalogue),
        answers=answers,
        results=screening_json(screened.screening, lang)["results"],
        members=members,
        household=household_parts(screened, lang),
    )


def typed_members(
    catalogue: Catalogue, members: list[dict[str, Any]], as_of: dt.date
) -> list[household.Member]:
    """A sheet's members with their answers typed (those still valid) for screening."""
    typed = []
    for raw in members:
        answers, _errors = parse_answers(catalogue.facts, raw.get("answers") or {}, as_of=as_of)
        typed.append(household.Member(str(raw["id"]), str(raw["relation"]), answers))
    return typed


def screen_household_sheet(saved: SavedResult) -> tuple[Catalogue, household.HouseholdScreening]:
    """A household sheet's screening again: its answers, its date, its publication."""
    catalogue = sheet_catalogue(saved)
    answers, _errors = parse_answers(catalogue.facts, saved.answers, as_of=saved.as_of)
    members = typed_members(catalogue, saved.members, saved.as_of)
    return catalogue, household.screen_household(catalogue, answers, members, saved.as_of)


def sheet_catalogue(saved: SavedResult) -> Catalogue:
    """The catalogue the sheet was screened against (the latest for sheets without one)."""
    publication = saved.publication
    if publication is None:
        return snapshot.get_catalogue()
    return snapshot.publication_catalogue(publication)


def screen_sheet(saved: SavedResult) -> tuple[Catalogue, engine.Screening]:
    """The sheet's screening again: its answers, its date, its publication."""
    catalogue = sheet_catalogue(saved)
    answers, _errors = parse_answers(catalogue.facts, saved.answers, as_of=saved.as_of)
    screening = engine.screen(catalogue, answers, saved.as_of)
    recorded = saved.publication_id is not None
    if recorded and screening_json(screening, saved.lang)["results"] != saved.results:
        # Same publication, same answers, same date: only a change to the engine can do this.
        # The row's id, never the code: a code opens the resident's answers.
        logger.warning("Saved sheet id=%s no longer screens as it was saved", saved.pk)
    return catalogue, screening


def stored_results(saved: SavedResult) -> list[dict[str, Any]]:
    """The results the sheet was saved with, as the API gives them. Sheets saved before
    results were stored in that shape are screened (on the latest rules) in their language."""
    if saved.publication_id is not None:
        return saved.results
    _catalogue, screening = screen_sheet(saved)
    return screening_json(screening, saved.lang)["results"]


def sheet_version(saved: SavedResult) -> str | None:
    """The version of the publication the sheet was screened against ("<id>@<time>")."""
    if saved.publication is None:
        return None
    return snapshot.publication_version(saved.publication)


def rules_updated_at(saved: SavedResult) -> dt.datetime | None:
    """When the rules now in force were published, if that is after the sheet's publication."""
    latest = snapshot.latest_publication()
    if latest is None or saved.publication_id is None or latest.id == saved.publication_id:
        return None
    return latest.published_at


def rescreen_sheet(saved: SavedResult, lang: str) -> SavedResult:
    """A new sheet: the saved answers screened today against the latest publication."""
    catalogue = snapshot.get_catalogue()
    raw = {key: value for key, value in saved.answers.items() if key in catalogue.facts}
    today = timezone.localdate()
    answers, _errors = parse_answers(catalogue.facts, raw, as_of=today)
    raw = {key: value for key, value in raw.items() if key in answers}  # still valid answers
    screening = engine.screen(catalogue, answers, today)
    return save_sheet(catalogue, screening, raw, lang)
