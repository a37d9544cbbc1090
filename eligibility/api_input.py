"""Reading an API request: the JSON body of `/screen` and `/sheets` (the same body), checked
field by field, with every error in the one envelope and the client's language."""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from eligibility.api_http import (
    JSON,
    LANGS,
    answering_catalogue,
    api_error,
    in_language,
    query_lang,
    request_lang,
    set_lang,
    too_big_message,
)
from eligibility.households import RawMember, read_members
from rules import household
from rules.catalogue import Catalogue
from rules.facts import AnswerInvalid, message, parse_answers, parse_as_of

ERRORS = {
    "json": gettext_lazy("The request body is not a valid JSON object."),
    "content_type": gettext_lazy("Send the body as JSON, with Content-Type: application/json."),
    "lang": gettext_lazy("lang must be zh or en."),
    "field": gettext_lazy("Unknown field."),
    "not_found": gettext_lazy("There is no such programme."),
    "no_document": gettext_lazy("There is no such document."),
    "query": gettext_lazy("The search text must be at most 100 characters."),
    "query_nul": gettext_lazy("The search text must not contain NUL characters."),
    "no_sheet": gettext_lazy("There is no such result sheet, or it has expired."),
}
BODY_FIELDS = frozenset({"answers", "as_of", "lang", "members"})


def error(request: HttpRequest, status: int, *errors: tuple[str, str]) -> JsonResponse:
    """An error whose messages are `ERRORS` codes, in the request's language."""
    with in_language(request_lang(request)):
        return api_error(status, [(field, str(ERRORS[code])) for field, code in errors])


def json_object(request: HttpRequest) -> dict[str, Any] | HttpResponse:
    """The body as a JSON object, or the error response saying why it is not one."""
    try:
        body = request.body
    except RequestDataTooBig:
        with in_language(request_lang(request)):
            return api_error(413, [("body", too_big_message())])
    if body and (request.content_type or "").lower() != JSON:
        return error(request, 415, ("Content-Type", "content_type"))
    try:
        payload = json.loads(body or b"null")
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, or absurdly deep nesting
        return error(request, 422, ("body", "json"))
    if not isinstance(payload, dict):
        return error(request, 422, ("body", "json"))
    return payload


def screen_input(
    payload: dict[str, Any], catalogue: Catalogue, lang: str
) -> tuple[dt.date, dict[str, Any], list[tuple[str, str]]]:
    """The date and typed answers of a /screen body, and an error for each bad field."""
    errors = _field_errors(payload, lang)
    as_of = None
    if "as_of" in payload:  # optional, but never null
        try:
            as_of = parse_as_of(payload["as_of"])
        except AnswerInvalid as exc:
            errors.append(("as_of", message(exc.code, lang, **exc.values)))
    if as_of is None:
        as_of = timezone.localdate()
    # Required: `{}` is "nothing answered yet"; a missing object is a mistake worth saying.
    answers, answer_errors = parse_answers(
        catalogue.facts, payload.get("answers"), lang, as_of=as_of
    )
    errors += [(error.field, error.message) for error in answer_errors]
    return as_of, answers, errors


def _field_errors(payload: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """A bad `lang` and unknown fields; translations are only switched when there is one (a
    request that is all right, nearly every one, never pays for it)."""
    bad_lang = "lang" in payload and payload["lang"] not in LANGS
    unknown = sorted(payload.keys() - BODY_FIELDS)
    if not bad_lang and not unknown:
        return []
    with in_language(lang):
        errors = [("lang", str(ERRORS["lang"]))] if bad_lang else []
        return errors + [(key, str(ERRORS["field"])) for key in unknown]


def raw_answers(payload: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The answers as sent (JSON values), only those that were valid and not null: what a
    saved sheet keeps, so it can be screened again exactly."""
    sent = payload.get("answers") or {}
    return {key: value for key, value in sent.items() if key in answers and value is not None}


@dataclass(frozen=True)
class ScreenRequest:
    """A `/screen` (or `/sheets`) body that passed every check."""

    lang: str
    as_of: dt.date
    catalogue: Catalogue
    answers: dict[str, Any]
    payload: dict[str, Any]
    members: list[RawMember] | None = None  # None: one person, as before households

    @functools.cached_property
    def raw(self) -> dict[str, Any]:
        """The answers a sheet keeps (`raw_answers`): only a sheet asks, so only it pays."""
        return raw_answers(self.payload, self.answers)

    def members_json(self) -> list[dict[str, Any]] | None:
        return None if self.members is None else [m.json() for m in self.members]


def read_screen_request(request: HttpRequest) -> ScreenRequest | HttpResponse:
    """The checked body of a screening request, or the error response (413, 415, 422)."""
    asked = query_lang(request)
    set_lang(request, asked)
    payload = json_object(request)
    if isinstance(payload, HttpResponse):
        return payload
    lang = str(payload["lang"]) if payload.get("lang") in LANGS else asked
    set_lang(request, lang)
    catalogue = answering_catalogue(request)
    as_of, answers, errors = screen_input(payload, catalogue, lang)
    members = None
    if payload.get("members") is not None:  # null: one person, as without the key
        members, member_errors = read_members(catalogue, payload["members"], lang, as_of)
        errors += member_errors
    if errors:
        return api_error(422, errors)
    return ScreenRequest(lang, as_of, catalogue, answers, payload, members)


def screen_household(parsed: ScreenRequest) -> household.HouseholdScreening:
    """The household of a request with `members`."""
    members = [raw.member for raw in parsed.members or []]
    return household.screen_household(parsed.catalogue, parsed.answers, members, parsed.as_of)
