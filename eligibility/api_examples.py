"""Examples and status descriptions for the OpenAPI document, one set per endpoint.

Abridged from real answers of the gazette catalogue; tests/api/test_openapi_contract.py checks
each against its schema, so an example cannot drift from the contract.
"""

from __future__ import annotations

from typing import Any

JSON = "application/json"
SENIOR = {"birth_date": "1950-03-02", "hukou": "beijing", "capability_level": "severe"}
PUBLICATION = "7@2026-11-20T09:30:00+00:00"

SCREEN_REQUESTS = {
    "senior": {
        "summary": "A severely disabled senior with a Beijing hukou (Chinese)",
        "value": {"answers": SENIOR, "as_of": "2026-11-22", "lang": "zh"},
    },
    "graduate": {
        "summary": "A 2025 graduate with a level-4 elderly-care certificate (English)",
        "value": {
            "answers": {
                "birth_date": "2002-05-01",
                "hukou": "beijing",
                "higher_ed_graduate": True,
                "graduation_date": "2025-07-01",
                "employment_status": "unemployed",
                "certificate_kind": "skill_level",
                "certificate_level": 4,
                "certificate_occupation": "4-10-01-05",
                "certificate_issue_date": "2026-03-01",
                "receives": [],
            },
            "as_of": "2026-06-01",
            "lang": "en",
        },
    },
    "nothing_answered": {
        "summary": "No answers yet: every result is unknown or inactive",
        "value": {"answers": {}},
    },
    "household": {
        "summary": "A household: the household's answers, then each member's own (English)",
        "value": {
            "answers": {"hukou": "beijing", "household_size": 3, "household_monthly_income": 6000},
            "members": [
                {
                    "id": "me",
                    "relation": "self",
                    "answers": {"birth_date": "1991-04-02", "employment_status": "unemployed"},
                },
                {"id": "kid", "relation": "child", "answers": {"birth_date": "2021-03-01"}},
                {
                    "id": "dad",
                    "relation": "parent",
                    "answers": {
                        "birth_date": "1946-01-09",
                        "capability_level": "moderate",
                        "care_setting": "home",
                    },
                },
            ],
            "as_of": "2026-06-01",
            "lang": "en",
        },
    },
}

SCREEN_RESULT: dict[str, Any] = {
    "programme": "elderly-care-consumption-subsidy",
    "name": "养老服务消费补贴（中度以上失能老年人）",
    "status": "unknown",
    "amount": {
        "value": None,
        "period": "month",
        "currency": "CNY",
        "note": "居家社区养老服务消费按50%抵扣，每人每月最高抵扣800元；电子消费券当月有效。",
        "up_to": False,
        "clause": "京民发〔2026〕6号 一(五)",
    },
    "missing": ["receives", "care_setting"],
    "reasons": [
        {
            "requirement": "年满60周岁的老年人。",
            "outcome": "met",
            "clause": "京民发〔2026〕6号 一(一)",
        },
        {
            "requirement": "在本市居家接受服务，或入住本市的养老机构。",
            "outcome": "unknown",
            "clause": "京民发〔2026〕6号 一(一)",
        },
    ],
    "source": {
        "document": "京民发〔2026〕6号",
        "title": "北京市民政局 北京市财政局关于印发《关于向中度以上失能老年人发放养老服务消费补贴"
        "项目工作方案》的通知",
    },
    "apply_url": "/programmes/elderly-care-consumption-subsidy/",
    "deadlines": [
        {
            "description": "项目实施至2026年12月（12个自然月），电子消费券当月有效",
            "clause": "京民发〔2026〕6号 一(七)",
            "date": "2026-12-31",
        }
    ],
    "conflicts": [
        {
            "programme": "disability-care-subsidy-jjj",
            "clause": "京民发〔2026〕6号 一(八)3",
            "note": "正在享受失能护理补贴的老年人不能同时领取养老服务消费补贴。",
        }
    ],
}
SCREEN_RESPONSE = {
    "as_of": "2026-11-22",
    "publication": PUBLICATION,
    "results": [SCREEN_RESULT],
    "next_questions": ["receives", "care_setting"],
}

FACTS_RESPONSE = {
    "facts": [
        {
            "key": "hukou",
            "type": "enum",
            "values": ["beijing", "other"],
            "labels": {
                "beijing": {"zh": "北京市户籍", "en": "Beijing hukou"},
                "other": {"zh": "外省市户籍", "en": "Hukou elsewhere"},
            },
            "min": None,
            "max": None,
            "question": {
                "zh": "您的户籍在哪里？",
                "en": "Where is your household registration (hukou)?",
            },
            "help": {
                "zh": "户口簿上登记的户籍所在地。",
                "en": "The place recorded in your hukou booklet.",
            },
            "derived": None,
            "ask_if": None,
            "depends_on": [],
            "scope": "household",
        },
        {
            "key": "age",
            "type": "int",
            "values": [],
            "labels": {},
            "min": None,
            "max": None,
            "question": {"zh": "年龄", "en": "Age"},
            "help": {"zh": "", "en": ""},
            "derived": "years_between(birth_date, as_of)",
            "ask_if": None,
            "depends_on": [],
            "scope": "person",
        },
    ]
}

PROGRAMME_SUMMARY = {
    "slug": "elderly-care-consumption-subsidy",
    "name": "Elderly care consumption subsidy for moderately or more disabled seniors",
    "names": {
        "zh": "养老服务消费补贴（中度以上失能老年人）",
        "en": "Elderly care consumption subsidy for moderately or more disabled seniors",
    },
    "summary": "Monthly e-vouchers for listed care services in Beijing, at most 800 yuan a month.",
    "category": "elderly_care",
    "audience": "resident",
    "period": {
        "start": "2026-01-01",
        "end": "2026-12-31",
        "clause": "京民发〔2026〕6号 一(七)",
        "active_today": True,
    },
    "source": {
        "document": "京民发〔2026〕6号",
        "title": "Circular on the Work Plan for Elderly Care Service Consumption Subsidies",
    },
    "url": "/programmes/elderly-care-consumption-subsidy/",
}
PROGRAMMES_RESPONSE = {"programmes": [PROGRAMME_SUMMARY]}
PROGRAMME_RESPONSE = {
    **PROGRAMME_SUMMARY,
    "office": "The civil affairs bureau of the district where the senior lives",
    "decisions": ["The gazette says 'seniors' without an age; 60 or over is required."],
    "requirements": [
        {
            "clause": "京民发〔2026〕6号 一(一)",
            "kind": "requirement",
            "description": "You are a senior aged 60 or over.",
            "text": "经能力评估为中度、重度、完全失能的本市户籍老年人…",
            "note": None,
            "alternatives": [[{"fact": "age", "op": "gte", "value": 60}]],
        }
    ],
    "amounts": [
        {
            "kind": "rate",
            "period": "month",
            "clause": "京民发〔2026〕6号 一(五)",
            "note": "Home and community care is discounted by 50%, at most 800 yuan a month.",
            "when": 'care_setting == "home"',
            "value": None,
            "rate": 0.5,
            "base": "monthly_care_spending",
            "cap": 800,
            "table": None,
            "table_keys": [],
            "formula": None,
        }
    ],
    "tables": {},
    "conflicts": [
        {
            "programme": "disability-care-subsidy-jjj",
            "clause": "京民发〔2026〕6号 一(八)3",
            "note": "You cannot receive the disability care subsidy and this one together.",
        }
    ],
    "how_to_apply": {
        "clause": "京民发〔2026〕6号 二",
        "channels": [
            {"kind": "app", "name": "Minzhengtong (民政通) mini-program or app", "url": None}
        ],
        "agent": "Your spouse, children or other relatives may apply for you.",
        "materials": ["Identity card"],
        "steps": ["Apply on Minzhengtong."],
        "deadlines": [
            {
                "description": "Until December 2026",
                "clause": "京民发〔2026〕6号 一(七)",
                "date": "2026-12-31",
                "relative_to": None,
                "months": None,
            }
        ],
        "processing": None,
        "payment": None,
    },
    "cites": [],
}

DOCUMENT_TITLE = SCREEN_RESULT["source"]["title"]
DOCUMENT_SUMMARY = {
    "number": "京民发〔2026〕6号",
    "title": DOCUMENT_TITLE,
    "titles": {
        "zh": DOCUMENT_TITLE,
        "en": "Circular on the Work Plan for Elderly Care Service Consumption Subsidies",
    },
    "issuers": "北京市民政局 北京市财政局",
    "issue_date": "2026-01-20",
    "effective_date": "2026-01-01",
    "end_date": "2026-12-31",
    "repeals": [],
    "gazette": "2026年第5期",
    "summary": "向中度以上失能老年人发放养老服务消费补贴。",
    "programmes": ["elderly-care-consumption-subsidy"],
}
DOCUMENTS_RESPONSE = {"documents": [DOCUMENT_SUMMARY]}
DOCUMENT_RESPONSE = {**DOCUMENT_SUMMARY, "full_text": "各区民政局、财政局：……"}


def _errors(field: str, zh: str, en: str) -> dict[str, Any]:
    return {
        "zh": {"summary": "中文 (default)", "value": {"errors": [{"field": field, "message": zh}]}},
        "en": {
            "summary": "English (lang=en)",
            "value": {"errors": [{"field": field, "message": en}]},
        },
    }


ERRORS = {
    "bad_answers": _errors(
        "answers.hukou", "请从以下选项中选择：beijing, other。", "Choose one of: beijing, other."
    ),
    "bad_query": _errors(
        "q", "搜索词不能超过 100 个字。", "The search text must be at most 100 characters."
    ),
    "bad_lang": _errors("lang", "lang 只能是 zh 或 en。", "lang must be zh or en."),
    "no_programme": _errors("slug", "没有这个项目。", "There is no such programme."),
    "no_document": _errors("number", "没有这个文件。", "There is no such document."),
    "too_big": _errors(
        "body", "请求正文不能超过 64 KiB。", "The request body must not exceed 64 KiB."
    ),
    "not_json": _errors(
        "Content-Type",
        "请以 JSON 发送请求正文，并注明 Content-Type: application/json。",
        "Send the body as JSON, with Content-Type: application/json.",
    ),
    "rate": _errors(
        "rate",
        "请求过于频繁，请稍等一分钟再试。",
        "Too many requests from your connection. Please wait a minute and try again.",
    ),
    "service": _errors(
        "service",
        "服务繁忙或正在维护，您的回答不会丢失，请几分钟后再试。",
        "The service is busy or under maintenance. Your answers are safe; please try again in "
        "a few minutes.",
    ),
}

STATUS_TEXT = {
    200: "OK.",
    404: "No such programme or document.",
    413: "The body is over 64 KiB.",
    415: "The body is not sent as application/json.",
    422: "A field is invalid: one error per field (an answer, `as_of`, `lang`, `q`, or a body "
    "that is not a JSON object), in the requested language.",
    429: "Too many requests from this client address; wait `Retry-After` seconds.",
    503: "The database is unavailable or too slow; try again after `Retry-After` seconds.",
}
ERROR_EXAMPLES = {
    404: None,
    413: "too_big",
    415: "not_json",
    422: "bad_lang",
    429: "rate",
    503: "service",
}


def _content(examples: dict[str, Any]) -> dict[str, Any]:
    return {JSON: {"examples": examples}}


def responses(
    ok: dict[str, Any],
    statuses: tuple[int, ...],
    *,
    errors: dict[int, str] | None = None,
    links: dict[str, Any] | None = None,
) -> dict[int, Any]:
    """The `responses` part of an operation: descriptions and examples of each status."""
    chosen = {**ERROR_EXAMPLES, **(errors or {})}
    result: dict[int, Any] = {
        200: {"description": STATUS_TEXT[200], "content": _content({"example": {"value": ok}})}
    }
    if links:
        result[200]["links"] = links
    for status in statuses:
        result[status] = {"description": STATUS_TEXT[status]}
        if code := chosen.get(status):
            result[status]["content"] = _content(ERRORS[code])
    return result


PROGRAMME_LINK = {
    "operationId": "get_programme",
    "description": "The programme a result is about.",
}
LINK_TO_PROGRAMME = {
    "GetProgramme": {
        **PROGRAMME_LINK,
        "parameters": {"slug": "$response.body#/results/0/programme"},
    }
}
LINK_TO_LISTED_PROGRAMME = {
    "GetProgramme": {**PROGRAMME_LINK, "parameters": {"slug": "$response.body#/programmes/0/slug"}}
}
LINK_TO_DOCUMENT = {
    "GetDocument": {
        "operationId": "get_document",
        "description": "The first document found.",
        "parameters": {"number": "$response.body#/documents/0/number"},
    }
}
