"""A household in the API and on saved sheets: reading `members`, and the household's results
as JSON (each result as `/screen` gives it).

`members` is `[{"id", "relation", "answers"}]`: each member's answers are checked like the
top-level ones, and an error names the member and the question.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from eligibility.formatting import money_number
from eligibility.results_json import encode, results_json_text, screening_json
from rules.catalogue import Catalogue
from rules.engine import Result, Screening
from rules.facts import parse_answers
from rules.household import (
    MAX_MEMBERS,
    RELATIONS,
    HouseholdScreening,
    Member,
    MemberScreening,
    Totals,
)

MEMBER_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
MESSAGES: dict[str, dict[str, str]] = {
    "members": {
        "zh": "members 须为列表，最多 {limit} 人，每人为 {{id, relation, answers}} 对象。",
        "en": "members must be a list of at most {limit} {{id, relation, answers}} objects.",
    },
    "member": {
        "zh": "每位成员须为 {{id, relation, answers}} 对象。",
        "en": "Each member must be an {{id, relation, answers}} object.",
    },
    "id": {
        "zh": "成员 id 须为 1–40 个字母、数字、- 或 _，且不能重复。",
        "en": "A member id must be 1–40 letters, digits, - or _, and not used twice.",
    },
    "relation": {
        "zh": "relation 须为以下之一：{choices}。",
        "en": "relation must be one of: {choices}.",
    },
    "in_member": {"zh": "成员 {member}：{message}", "en": "Member {member}: {message}"},
}


def _message(code: str, lang: str, **values: Any) -> str:
    return MESSAGES[code]["en" if lang == "en" else "zh"].format(**values)


@dataclass(frozen=True, slots=True)
class RawMember:
    """A member as sent and checked: typed answers for screening, raw ones for a sheet."""

    member: Member
    raw: dict[str, Any]

    def json(self) -> dict[str, Any]:
        return {"id": self.member.id, "relation": self.member.relation, "answers": self.raw}


def read_members(
    catalogue: Catalogue, value: Any, lang: str, as_of: dt.date
) -> tuple[list[RawMember], list[tuple[str, str]]]:
    """The members of a request body, and an error for each bad field (`members.<id>.…`)."""
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_MEMBERS:
        return [], [("members", _message("members", lang, limit=MAX_MEMBERS))]
    members: list[RawMember] = []
    errors: list[tuple[str, str]] = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        if not isinstance(item, Mapping) or set(item) - {"id", "relation", "answers"}:
            errors.append((f"members.{index}", _message("member", lang)))
            continue
        member_id = item.get("id")
        if (
            not isinstance(member_id, str)
            or not MEMBER_ID.fullmatch(member_id)
            or (member_id in seen)
        ):
            errors.append((f"members.{index}.id", _message("id", lang)))
            continue
        seen.add(member_id)
        where = f"members.{member_id}"
        relation = item.get("relation")
        if relation not in RELATIONS:
            choices = ", ".join(RELATIONS)
            errors.append((f"{where}.relation", _message("relation", lang, choices=choices)))
        answers, answer_errors = parse_answers(
            catalogue.facts, item.get("answers"), lang, as_of=as_of
        )
        for error in answer_errors:
            text = _message("in_member", lang, member=member_id, message=error.message)
            errors.append((f"{where}.{error.field}", text))
        sent = item.get("answers")
        raw = {k: v for k, v in sent.items() if k in answers} if isinstance(sent, Mapping) else {}
        members.append(RawMember(Member(member_id, str(relation), answers), raw))
    return members, errors


def totals_json(totals: Totals) -> dict[str, Any]:
    return {
        "month": _yuan(totals.month),
        "year": _yuan(totals.year),
        "once": _yuan(totals.once),
        "up_to": totals.up_to,
    }


def _yuan(value: Decimal) -> int | float:
    number = money_number(value)
    return 0 if number is None else number


def household_json(
    household: HouseholdScreening, lang: str, publication: str = ""
) -> dict[str, Any]:
    """The `/screen` answer for a household: the applicant's screening as the top-level
    results, then each member's, the household programmes and the totals."""
    body = screening_json(household.screening, lang, publication)
    body["next_questions"] = list(household.next_questions)
    body.update(household_parts(household, lang))
    return body


def household_json_text(
    household: HouseholdScreening, lang: str, publication: str, catalogue: Catalogue
) -> str:
    """`household_json` as the text `/screen` answers, built from the encoded pieces of
    `results_json_text` rather than six screenings' worth of dictionaries."""
    screening = household.screening
    members = ", ".join([_member_text(m, lang, catalogue) for m in household.members])
    household_results = _chosen(household.household_results, screening)
    return (
        f'{{"as_of": "{screening.as_of.isoformat()}", "publication": {encode(publication)}, '
        f'"results": {results_json_text(screening.results, lang, catalogue)}, '
        f'"next_questions": {encode(list(household.next_questions))}, '
        f'"members": [{members}], '
        f'"household_results": {results_json_text(household_results, lang, catalogue)}, '
        f'"totals": {encode(totals_json(household.totals))}, '
        f'"may_qualify": {encode(totals_json(household.may_qualify))}}}'
    )


def _member_text(member: MemberScreening, lang: str, catalogue: Catalogue) -> str:
    results = results_json_text(_chosen(member.results, member.screening), lang, catalogue)
    return (
        f'{{"id": {encode(member.member.id)}, "relation": {encode(member.member.relation)}, '
        f'"results": {results}, "next_questions": {encode(list(member.next_questions))}, '
        f'"totals": {encode(totals_json(member.totals))}, '
        f'"may_qualify": {encode(totals_json(member.may_qualify))}, '
        f'"not_at_this_age": {encode(sorted(member.not_at_this_age))}}}'
    )


def _chosen(results: Iterable[Result], screening: Screening) -> list[Result]:
    """The results of `screening` for the programmes of `results`, in the screening's order
    (what `_results` gives as dictionaries)."""
    wanted = {r.programme.slug for r in results}
    return [r for r in screening.results if r.programme.slug in wanted]


def household_parts(household: HouseholdScreening, lang: str) -> dict[str, Any]:
    """What a household adds to a screening's JSON (and what a household sheet stores)."""
    return {
        "members": [
            {
                "id": m.member.id,
                "relation": m.member.relation,
                "results": _results(m.results, m.screening, lang),
                "next_questions": list(m.next_questions),
                "totals": totals_json(m.totals),
                "may_qualify": totals_json(m.may_qualify),
                "not_at_this_age": sorted(m.not_at_this_age),
            }
            for m in household.members
        ],
        "household_results": _results(household.household_results, household.screening, lang),
        "totals": totals_json(household.totals),
        "may_qualify": totals_json(household.may_qualify),
    }


def _results(results: Any, screening: Any, lang: str) -> list[dict[str, Any]]:
    wanted = {r.programme.slug for r in results}
    return [r for r in screening_json(screening, lang)["results"] if r["programme"] in wanted]
