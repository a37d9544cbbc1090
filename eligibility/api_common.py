"""What the JSON API's endpoints share: the error envelope, the language, and reading a
screening request (`POST /api/v1/screen` and `POST /api/v1/sheets` take the same body).

The body is read by hand rather than by a schema so that every bad field is reported in the
contract's shape (`{"errors": [{"field", "message"}]}`) and the resident's language; the OpenAPI
schema still documents it (`SCREEN_REQUEST_SCHEMA`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Schema

from benefits.snapshot import get_catalogue
from rules.catalogue import Catalogue
from rules.facts import AnswerInvalid, message, parse_answers, parse_as_of

LANGS = ("zh", "en")
ERROR_TEXT = {
    "json": {
        "zh": "请求正文不是有效的 JSON 对象。",
        "en": "The request body is not a valid JSON object.",
    },
    "too_big": {
        "zh": "请求正文不能超过 64 KiB。",
        "en": "The request body must not exceed 64 KiB.",
    },
    "lang": {"zh": "lang 只能是 zh 或 en。", "en": "lang must be zh or en."},
    "field": {"zh": "不认识的字段。", "en": "Unknown field."},
    "not_found": {"zh": "没有这个项目。", "en": "There is no such programme."},
    "no_document": {"zh": "没有这个文件。", "en": "There is no such document."},
    "no_sheet": {
        "zh": "没有这个结果单，或已超过保存期限。",
        "en": "There is no such result sheet, or it has expired.",
    },
    "query": {
        "zh": "搜索词不能超过 100 个字。",
        "en": "The search text must be at most 100 characters.",
    },
}


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    errors: list[ErrorItem]


SCREEN_REQUEST_SCHEMA = {
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["answers"],
                "properties": {
                    "answers": {
                        "type": "object",
                        "description": "Fact key → answer (see GET /api/v1/facts). A key left "
                        "out means not answered.",
                        "additionalProperties": True,
                    },
                    "as_of": {
                        "type": "string",
                        "format": "date",
                        "description": "Date the rules are applied on (default: today "
                        "in Asia/Shanghai).",
                    },
                    "lang": {"type": "string", "enum": list(LANGS), "default": "zh"},
                },
                "additionalProperties": False,
            },
            "example": {
                "answers": {
                    "birth_date": "1950-03-02",
                    "hukou": "beijing",
                    "capability_level": "severe",
                },
                "as_of": "2026-11-22",
                "lang": "zh",
            },
        }
    },
    "required": True,
}


def error_response(status: int, errors: list[tuple[str, str]]) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"field": f, "message": m} for f, m in errors]},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def request_lang(request: HttpRequest, requested: Any = None) -> str:
    if requested in LANGS:
        return requested
    query = request.GET.get("lang")
    return query if query in LANGS else "zh"


@dataclass(frozen=True)
class ScreenRequest:
    """A valid screening request: typed answers for the engine, and the answers as sent."""

    lang: str
    as_of: dt.date
    catalogue: Catalogue
    answers: dict[str, Any]
    raw_answers: dict[str, Any]


def parse_screen_request(request: HttpRequest) -> ScreenRequest | JsonResponse:
    """The request, or the error response (413, 422) naming every bad field."""
    lang = request_lang(request)
    try:
        body = request.body
    except RequestDataTooBig:
        return error_response(413, [("body", ERROR_TEXT["too_big"][lang])])
    try:
        payload = json.loads(body or b"null")
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, or absurdly deep nesting
        return error_response(422, [("body", ERROR_TEXT["json"][lang])])
    if not isinstance(payload, dict):
        return error_response(422, [("body", ERROR_TEXT["json"][lang])])
    return _check_payload(request, payload)


def _check_payload(request: HttpRequest, payload: dict[str, Any]) -> ScreenRequest | JsonResponse:
    errors: list[tuple[str, str]] = []
    lang = request_lang(request, payload.get("lang"))
    if "lang" in payload and payload["lang"] not in LANGS:
        errors.append(("lang", ERROR_TEXT["lang"][lang]))
    for key in payload.keys() - {"answers", "as_of", "lang"}:
        errors.append((str(key), ERROR_TEXT["field"][lang]))
    as_of = timezone.localdate()
    if payload.get("as_of") is not None:
        try:
            as_of = parse_as_of(payload["as_of"])
        except AnswerInvalid as exc:
            errors.append(("as_of", message(exc.code, lang, **exc.values)))
    catalogue = get_catalogue()
    raw = payload.get("answers", {})
    answers, answer_errors = parse_answers(catalogue.facts, raw, lang, as_of=as_of)
    errors += [(error.field, error.message) for error in answer_errors]
    if errors:
        return error_response(422, errors)
    raw = {key: value for key, value in raw.items() if value is not None}
    return ScreenRequest(lang, as_of, catalogue, answers, raw)
