"""Help text for every catalogue field staff edit in the admin, where the model gives none.

By field name, with a (model, field) entry where one name means different things. Kept here
rather than on the models so the wording can change without a migration.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

ZH = _("In Simplified Chinese, as residents read it on the site.")
EN = _("The English translation of the Chinese text beside it; empty: the Chinese is shown.")
CLAUSE = _(
    "Where the gazette says this: a clause of the programme's own document, e.g. “一(一)” "
    "or “第十条”, or another document's number followed by its clause, e.g. "
    "“京民社救发〔2023〕240号 一”."
)
ORDER = _("Position in lists: smaller numbers first.")
PROGRAMME = _("The programme this belongs to.")

BY_NAME: Mapping[str, Any] = {
    "name_zh": ZH,
    "name_en": EN,
    "title_zh": ZH,
    "title_en": EN,
    "summary_zh": ZH,
    "summary_en": EN,
    "plain_zh": _(
        "One line in everyday words: what it is, who it is for, how much (figures as "
        "placeholders such as {parameter}); shown before the gazette's own summary."
    ),
    "plain_en": EN,
    "description_zh": ZH,
    "description_en": EN,
    "note_zh": _("An explanation for residents of how the gazette is read here; may be empty."),
    "note_en": EN,
    "question_zh": _("The question as residents see it, in Chinese."),
    "question_en": EN,
    "help_zh": _("A hint under the question (what to look up, where to find it); may be empty."),
    "help_en": EN,
    "label_zh": _("The row's name as residents see it, in Chinese."),
    "label_en": EN,
    "text_zh": ZH,
    "text_en": EN,
    "office_zh": _("The office that reviews applications, as the gazette names it."),
    "office_en": EN,
    "agent_zh": _("Who may apply on the resident's behalf, as the gazette says; may be empty."),
    "agent_en": EN,
    "processing_zh": _("How long the office takes, as the gazette says; may be empty."),
    "processing_en": EN,
    "payment_zh": _("How and when the money is paid, as the gazette says; may be empty."),
    "payment_en": EN,
    "clause": CLAUSE,
    "order": ORDER,
    "programme": PROGRAMME,
    "slug": _(
        "A short name in small Latin letters and hyphens, used in web addresses; do not change "
        "it once published (saved result sheets and links use it)."
    ),
    "key": _(
        "A short name in small Latin letters, digits and underscores that formulas and "
        "conditions use; it cannot be renamed while a published programme uses it."
    ),
    "type": _("How the resident answers: a date, a choice, yes/no, a number or several choices."),
    "group": _("Questions with the same group are asked on the same page."),
    "min_value": _("The smallest answer accepted; empty: no limit."),
    "max_value": _("The largest answer accepted; empty: no limit."),
    "ask_if": _(
        'Ask the question only when this holds, e.g. hukou == "beijing"; empty: always ask '
        "when a programme needs it. The line below reads it with the questions' names."
    ),
    "derived": _(
        "For a fact worked out from other answers instead of asked, e.g. years_between("
        "birth_date, as_of); empty for a question. The line below reads it in words."
    ),
    "category": _("The group the programme is listed under on the site."),
    "audience": _("Who applies: a resident, or an employer for its staff."),
    "document": _("The gazette document that sets up the programme."),
    "cites": _("Other documents the programme's texts cite."),
    "period_start": _("The first day the programme applies; empty: from the document's date."),
    "period_end": _("The last day the programme applies; empty: no end date."),
    "period_clause": _("The clause that sets the programme's period; may be empty."),
    "decisions": _(
        "How staff read the gazette where it is not explicit, one note per item, each with the "
        "clause it concerns."
    ),
    "apply_clause": _("The clause that says how to apply."),
    "kind": _("What kind of item this is; see the choices."),
    "text": _("The gazette's own words for this requirement, copied exactly."),
    "open_list": _(
        "Tick when the gazette lists examples (“主要针对…等”): a resident who matches none of "
        "them may still qualify, so the answer is “may qualify”, never “no”."
    ),
    "requirement": _("The requirement this condition belongs to."),
    "alternative": _(
        "Conditions with the same number must all hold; the requirement is met when the "
        "conditions of any one number hold."
    ),
    "fact": _("The question whose answer is tested."),
    "operator": _(
        "How the answer is compared. “Date within”: the date lies within a number of months "
        "before or after another date (e.g. the screening date)."
    ),
    "other": _("The programme that cannot be received together with this one."),
    "url": _("The full web address, starting with https://; empty for a window or a phone."),
    "relative_to": _(
        "For a personal deadline: the date question it counts from (e.g. the graduation date)."
    ),
    "months": _("For a personal deadline: how many months after that date."),
    "date": _("For a fixed deadline: the last day."),
    "number": _("The document number exactly as printed, e.g. 京民社救发〔2023〕240号."),
    "issuers": _("The offices that issued the document, as printed."),
    "issue_date": _("The date the document was signed."),
    "effective_date": _("The date the document takes effect."),
    "end_date": _("The date the document stops applying; empty: no end date."),
    "repeals": _("Documents this one repeals, as printed; may be empty."),
    "gazette": _("The gazette issue the document was printed in, e.g. 2026年第5期."),
    "full_text": _("The document's full text, as printed; clause references point into it."),
    "text_file": _("The file the full text was loaded from; leave as it is."),
    "keys": _(
        "The row's key values, one per key column of the table, separated by commas, written "
        "as the key questions' values (e.g. “severe”)."
    ),
    "extra": _("Further columns of the printed table, shown to residents; may be empty."),
    "unit": _("What the figures count: yuan, yuan a month, months…"),
    "parameter": _("The dated figure this value belongs to."),
    "effective_from": _(
        "The first day this value applies: residents screened from that day get it, those "
        "screened before keep the previous value."
    ),
    "when": _(
        "Use this amount rule only when this holds; empty: always. The first rule that holds "
        "applies. The line below reads it with the questions' names."
    ),
    "period": _("How often the amount is paid: once, every month or every year."),
    "rate": _("For a rate: the share of the base, between 0 and 1 (e.g. 0.5)."),
    "base": _("For a rate: the question or parameter whose figure the rate applies to."),
    "table": _("For a table lookup: the standard table that gives the amount."),
    "table_keys": _(
        "For a table lookup: the questions whose answers find the row, in the order of the "
        "table's key columns."
    ),
    "formula": _(
        "For a formula: how the amount is worked out from answers and parameters, e.g. "
        "di_bao_standard - per_capita_income. The line below reads it in words."
    ),
    "as_of": _("The screening date the persona case is checked on."),
    "answers": _("The persona's answers, by question key; the line below reads them in words."),
    "expected_status": _("The result the persona must get."),
    "check_amount": _("Tick to check the amount too."),
    "expected_amount": _("The amount the persona must get, in yuan (when it is checked)."),
    "choices": _("The allowed answers and their names."),
}

BY_MODEL_FIELD: Mapping[tuple[str, str], Any] = {
    ("condition", "value"): _(
        "The answer the condition tests for: picked from the question's answers, or a figure."
    ),
    ("tablerow", "value"): _("The figure (in yuan or the table's unit) or text in this cell."),
    ("tablerow", "no"): _("The row's number in the printed table."),
    ("parametervalue", "value"): _("The figure from that day, as a plain number (no 元)."),
    ("parametervalue", "clause"): CLAUSE,
    ("amount", "kind"): _(
        "Fixed: one figure; table: looked up in a standard table; rate: a share of a base, "
        "up to a cap; formula: worked out; none: the gazette sets no amount."
    ),
    ("amounttable", "keys"): _(
        "The questions whose answers find a row, in the order of the table's key columns."
    ),
    ("requirement", "kind"): _(
        "A requirement must be met; an exclusion rules the resident out when met."
    ),
    ("channel", "kind"): _("How residents apply: website, app, mini programme, window, phone…"),
    ("personacase", "clause"): CLAUSE,
    ("deadline", "clause"): CLAUSE,
}


def help_for(model_name: str, field_name: str) -> Any:
    """The help text for a field of a catalogue model, or None."""
    return BY_MODEL_FIELD.get((model_name, field_name)) or BY_NAME.get(field_name)
