"""Screening for someone else or for a whole household, kept in the resident's session.

Who it is for decides the wording: a family member's or a helped resident's questions read
"他/她…" / "their…" (`rules.wording`); in household mode the person screening answers for
themselves as "您". Household facts are asked once, then each member's own questions, only
those that can still change that member's results (`rules.household`). Only answers are kept:
relations and birth dates, never names.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, MutableMapping
from typing import Any

from rules import household
from rules.catalogue import Catalogue, FactSpec
from rules.facts import AnswerInvalid, parse_answers, parse_value
from rules.wording import about_them

SESSION_KEY = "household"
HOUSEHOLD = "_household"  # whose page: the household's shared facts
PAGE_SIZE = 5
FIRST_GROUP = "about_you"
MODES = ("family", "household", "helper")
FAMILY_RELATIONS = ("child", "parent", "spouse", "other")


class HouseholdSession:
    """The mode (family, household, helper), shared answers, members and skipped questions."""

    def __init__(self, session: MutableMapping[str, Any], catalogue: Catalogue) -> None:
        self.session = session
        self.catalogue = catalogue
        state = session.get(SESSION_KEY) or {}
        mode = state.get("mode")
        self.mode: str = mode if mode in MODES else "household"
        self.shared: dict[str, Any] = dict(state.get("answers") or {})
        self.members: list[dict[str, Any]] = list(state.get("members") or [])
        self.skipped: dict[str, list[str]] = dict(state.get("skipped") or {})

    @property
    def active(self) -> bool:
        return SESSION_KEY in self.session

    def save(self) -> None:
        self.session[SESSION_KEY] = {
            "mode": self.mode,
            "answers": self.shared,
            "members": self.members,
            "skipped": self.skipped,
        }

    def begin(self, mode: str) -> None:
        """A new screening: nothing carried over from the one before (a community worker's
        next resident starts clean)."""
        self.mode = mode if mode in MODES else "household"
        self.shared, self.members, self.skipped = {}, [], {}
        self.save()

    def start_from(self, answers: Mapping[str, Any], members: list[dict[str, Any]]) -> None:
        """Begin again from a saved sheet's answers (the sheet itself never changes)."""
        self.begin("household" if len(members) > 1 else "family")
        self.shared = {k: v for k, v in answers.items() if k in self.catalogue.facts}
        self.members = [
            {
                "id": str(m["id"]),
                "relation": m["relation"],
                "answers": {k: v for k, v in m["answers"].items() if k in self.catalogue.facts},
            }
            for m in members
        ]
        self.save()

    @property
    def single(self) -> bool:
        """One person screened for someone else: a family member, or a helped resident."""
        return self.mode in ("family", "helper")

    def add_member(self, relation: str, birth_date: str, as_of: dt.date) -> str | None:
        """Add a member; the error code of a birth date that is not a real past date."""
        if relation not in household.RELATIONS:
            return "enum"
        try:
            parse_value(self.catalogue.facts["birth_date"], birth_date, as_of)
        except AnswerInvalid as exc:
            return exc.code
        number = max((int(m["id"][1:]) for m in self.members), default=0) + 1
        self.members.append(
            {"id": f"m{number}", "relation": relation, "answers": {"birth_date": birth_date}}
        )
        self.save()
        return None

    def remove_member(self, member_id: str) -> None:
        self.members = [m for m in self.members if m["id"] != member_id]
        self.skipped.pop(member_id, None)
        self.save()

    def member(self, member_id: str) -> dict[str, Any] | None:
        return next((m for m in self.members if m["id"] == member_id), None)

    def raw_of(self, who: str) -> dict[str, Any]:
        if who == HOUSEHOLD:
            return self.shared
        member = self.member(who)
        return member["answers"] if member else {}

    def screen(self, as_of: dt.date) -> household.HouseholdScreening:
        facts = self.catalogue.facts
        shared, _errors = parse_answers(facts, self.shared, as_of=as_of)
        members = []
        for raw in self.members:
            answers, _errors = parse_answers(facts, raw["answers"], as_of=as_of)
            members.append(household.Member(raw["id"], raw["relation"], answers))
        return household.screen_household(
            self.catalogue, shared, members, as_of, question_limit=household.ALL_QUESTIONS
        )

    def next_page(self, screening: household.HouseholdScreening) -> tuple[str, list[str]]:
        """Whose questions come next and which: the household's first, then each member's."""
        candidates = [(HOUSEHOLD, screening.next_questions)] + [
            (m.member.id, m.next_questions) for m in screening.members
        ]
        for who, questions in candidates:
            open_keys = [k for k in questions if k not in self.skipped.get(who, [])]
            if open_keys:
                return who, self._page(open_keys)
        return "", []

    def _page(self, keys: list[str]) -> list[str]:
        """The first open question and up to four more of its page group, in question order."""
        facts = self.catalogue.facts
        about_you = [k for k in keys if facts[k].group == FIRST_GROUP]
        if about_you:  # registration and district decide most programmes: ask them first
            keys = about_you
        group = facts[keys[0]].group
        related = [k for k in keys[1:] if group and facts[k].group == group]
        page = [keys[0], *related[: PAGE_SIZE - 1]]
        return sorted(page, key=lambda key: facts[key].order)

    def record(
        self, who: str, values: Mapping[str, Any], skipped: set[str], keys: list[str]
    ) -> None:
        raw = self.raw_of(who)
        done = set(self.skipped.get(who, []))
        for key in keys:
            if key in skipped:
                raw.pop(key, None)
                done.add(key)
            elif key in values:
                raw[key] = values[key]
                done.discard(key)
        self.skipped[who] = sorted(done)
        self.save()

    def speaks_to_them(self, who: str) -> bool:
        """Whether `who`'s questions are about someone else, not the person screening."""
        if who == HOUSEHOLD:
            return self.single or not any(m["relation"] == "self" for m in self.members)
        member = self.member(who)
        return member is None or member["relation"] != "self"

    def worded(self, who: str, keys: list[str]) -> list[FactSpec]:
        """The questions' specs, worded for the person they are about."""
        specs = [self.catalogue.facts[key] for key in keys]
        if not self.speaks_to_them(who):
            return specs
        return [
            dataclasses.replace(s, question=about_them(s.question), help=about_them(s.help))
            for s in specs
        ]
