"""What the results page and a saved result sheet show, as template context.

No request: the sheet's PDF is rendered from the same context by the task worker.
"""

from __future__ import annotations

import dataclasses

from django.utils.translation import pgettext

from eligibility import household_views, pdf, sheets
from eligibility.formatting import active_lang, format_yuan
from eligibility.forms import is_money, value_label
from eligibility.models import SavedResult
from eligibility.results import deciding_questions, group_results
from rules import engine
from rules.catalogue import Catalogue, FactSpec
from rules.wording import about_them


def answer_text(spec: FactSpec, value, lang: str) -> str:
    """An answer as the resident reads it on the answers page and the result sheet."""
    if spec.type == "list":
        labels = [value_label(spec, v, lang) for v in value]
        separator = pgettext("between the options chosen in one answer", ", ")
        return separator.join(labels) or pgettext("answer with no option chosen", "None")
    if is_money(spec):
        return format_yuan(value)
    return value_label(spec, value, lang)


def results_context(catalogue: Catalogue, screening: engine.Screening) -> dict:
    """What the results page shows (the sheet too): outcomes grouped, and for each programme
    that may apply the questions that would decide it."""
    groups = group_results(screening)
    names = {p.slug: p.name for p in catalogue.programmes}
    return {
        "screening": screening,
        "groups": groups,
        "deciding": {r.programme.slug: deciding_questions(catalogue, r) for r in groups.unknown},
        "names": names,
    }


def sheet_context(saved: SavedResult, url: str) -> dict:
    """The sheet as it was saved: its answers screened on its date against its publication, in
    the active language; `url` is its address (for the QR code)."""
    catalogue, screening = sheets.screen_sheet(saved)
    lang = active_lang()
    rows = [
        (catalogue.facts[key], answer_text(catalogue.facts[key], value, lang))
        for key, value in sorted(
            (item for item in saved.answers.items() if item[0] in catalogue.facts),
            key=lambda item: catalogue.facts[item[0]].order,
        )
    ]
    return {
        **results_context(catalogue, screening),
        "saved": saved,
        "rows": rows,
        "url": url,
        "qr_svg": pdf.qr_svg(url),
        "rules_updated_at": sheets.rules_updated_at(saved),
        "rules_unrecorded": saved.publication_id is None,
        "documents": sorted(
            {
                r.programme.document
                for r in screening.results
                if r.status in ("eligible", "unknown")
            },
            key=lambda d: d.number,
        ),
    }


def household_sheet_context(saved: SavedResult, url: str) -> dict:
    """A household's sheet: a summary page with the totals, then one section per member."""
    catalogue, screened = sheets.screen_household_sheet(saved)
    lang = active_lang()
    answers = {
        m["id"]: answer_rows(catalogue, m["answers"], lang, m["relation"] != "self")
        for m in saved.members
    }
    for_someone_else = not any(m["relation"] == "self" for m in saved.members)
    return {
        **household_views.household_context(catalogue, screened, saved.members),
        "saved": saved,
        "shared_rows": answer_rows(catalogue, saved.answers, lang, for_someone_else),
        "member_rows": answers,
        "url": url,
        "qr_svg": pdf.qr_svg(url),
        "rules_updated_at": sheets.rules_updated_at(saved),
    }


def answer_rows(catalogue, raw: dict, lang: str, about_someone_else: bool = False) -> list:
    """(question, answer shown) in question order; questions about someone else worded so."""
    return [
        (
            _about(catalogue.facts[key], about_someone_else),
            answer_text(catalogue.facts[key], value, lang),
        )
        for key, value in sorted(
            (item for item in raw.items() if item[0] in catalogue.facts),
            key=lambda item: catalogue.facts[item[0]].order,
        )
    ]


def _about(spec: FactSpec, about_someone_else: bool) -> FactSpec:
    if not about_someone_else:
        return spec
    return dataclasses.replace(spec, question=about_them(spec.question))


def sheet_document(saved: SavedResult, url: str, appendix: bool = False) -> tuple[str, dict]:
    """The template and context of a saved sheet (a household's has its own), for the page and
    the PDF alike; the reasons and clause texts follow in an appendix only when asked for."""
    if saved.members:
        return "eligibility/household_sheet.html", household_sheet_context(saved, url)
    return "eligibility/sheet.html", {**sheet_context(saved, url), "appendix": appendix}
