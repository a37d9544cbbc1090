"""Walk the resident questionnaire page by page, as the question view does, for a persona."""

import datetime as dt

from eligibility.questionnaire import Questionnaire


def walk(catalogue, persona: dict, as_of: str, limit: int = 80) -> list[list[str]]:
    """The pages a resident is shown, answering from `persona` (raw JSON values) and skipping
    every question it does not cover, until no question is left."""
    questionnaire = Questionnaire({}, catalogue)
    day = dt.date.fromisoformat(as_of)
    pages = []
    for _ in range(limit):
        page = questionnaire.next_page(questionnaire.screen(day))
        if not page:
            return pages
        pages.append(page)
        values = {key: persona[key] for key in page if key in persona}
        questionnaire.record(page, values, {key for key in page if key not in persona})
    raise AssertionError(f"the questionnaire did not end after {limit} pages: {pages}")


def asked(pages: list[list[str]]) -> set[str]:
    return {key for page in pages for key in page}
