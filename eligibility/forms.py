"""A questionnaire page as a Django form, built from the fact registry.

Each answer is checked by `rules.facts.parse_value`, the same check the API uses, so the
resident sees the same rule in their own language; whatever they typed is kept on error. Unlike
the API, the fields accept dates and amounts as people write them (`1950年3月2日`, `3,500元`,
full-width digits): they are normalised first, and stored in the session as the API's values.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

from crispy_forms.bootstrap import AppendedText
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _

from rules.catalogue import Catalogue, FactSpec
from rules.facts import (
    AnswerInvalid,
    message,
    normalise_date_text,
    normalise_number_text,
    parse_value,
)

MONEY_FACTS = ("income", "pension", "spending", "fee")
OCCUPATION_FACT = "certificate_occupation"


def is_money(spec: FactSpec) -> bool:
    return spec.type == "number" and any(word in spec.key for word in MONEY_FACTS)


def value_label(spec: FactSpec, value: Any, lang: str) -> str:
    label = spec.labels.get(str(value))
    if label is not None:
        return label.get(lang)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def _choices(spec: FactSpec, lang: str) -> list[tuple[str, str]]:
    if spec.type == "bool":
        return [("true", _("Yes")), ("false", _("No"))]
    return [(str(value), value_label(spec, value, lang)) for value in spec.values]


def occupation_choices(catalogue: Catalogue, lang: str) -> list[tuple[str, Any]]:
    """The 91 occupations (by code) and 7 special-ability items, for a searchable select."""
    groups = []
    for slug, title in (
        ("skills-occupation-tier", _("Skill level certificate: occupation")),
        ("skills-special-ability-tier", _("Special vocational ability certificate: item")),
    ):
        labels = catalogue.table_labels.get(slug, {})
        options = [
            (keys[0], f"{label.get(lang)} ({keys[0]})" if "-" in keys[0] else label.get(lang))
            for keys, label in labels.items()
        ]
        if options:
            groups.append((title, options))
    return [("", _("Choose…")), *groups]


def _field(spec: FactSpec, catalogue: Catalogue, lang: str) -> forms.Field:
    common: dict[str, Any] = {
        "label": spec.question.get(lang),
        "help_text": spec.help.get(lang),
        "required": False,
    }
    if spec.type == "list":
        return forms.MultipleChoiceField(
            choices=_choices(spec, lang), widget=forms.CheckboxSelectMultiple, **common
        )
    if spec.type in ("enum", "bool") or (spec.type == "int" and spec.values):
        return forms.ChoiceField(choices=_choices(spec, lang), widget=forms.RadioSelect, **common)
    if spec.type == "date":
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if spec.type in ("int", "number"):
        attrs = {"inputmode": "numeric" if spec.type == "int" else "decimal"}
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)
    if spec.key == OCCUPATION_FACT:
        widget = forms.Select(attrs={"data-filter-label": _("Type to search the list")})
        return forms.ChoiceField(
            choices=occupation_choices(catalogue, lang), widget=widget, **common
        )
    return forms.CharField(max_length=200, **common)


INTEGER = re.compile(r"[+-]?[0-9]+")
DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def _json_value(spec: FactSpec, text: Any) -> Any:
    """Form text → the JSON value the API would receive, or AnswerInvalid."""
    if spec.type == "list":
        return list(text or [])
    if spec.type == "bool":
        return {"true": True, "false": False}.get(text, text)
    if not isinstance(text, str):
        return text
    if spec.type == "date":
        return normalise_date_text(text)
    if spec.type == "int":
        number = normalise_number_text(text)
        if not INTEGER.fullmatch(number):
            raise AnswerInvalid("int")
        return int(number)
    if spec.type == "number":
        number = normalise_number_text(text)
        if not DECIMAL.fullmatch(number):
            raise AnswerInvalid("number")
        return float(number)
    return text.strip()


class QuestionPageForm(forms.Form):
    """The questions of one page; `answers` holds the valid JSON values after `is_valid()`."""

    skip = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)

    def __init__(
        self,
        specs: list[FactSpec],
        catalogue: Catalogue,
        lang: str,
        *args: Any,
        as_of: dt.date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.specs = specs
        self.lang = lang
        self.as_of = as_of or timezone.localdate()  # the screening date: past events precede it
        self.answers: dict[str, Any] = {}
        self.skipped: set[str] = set()
        cast(forms.MultipleChoiceField, self.fields["skip"]).choices = [
            (spec.key, spec.key) for spec in specs
        ]
        for spec in specs:
            self.fields[spec.key] = _field(spec, catalogue, lang)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *[
                AppendedText(spec.key, _("yuan")) if is_money(spec) else Field(spec.key)
                for spec in specs
            ]
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.skipped = set(self.data.getlist("skip")) if hasattr(self.data, "getlist") else set()
        for spec in self.specs:
            if spec.key in self.skipped:
                continue
            raw = cleaned.get(spec.key)
            if spec.type != "list" and raw in (None, ""):
                self.add_error(spec.key, _("Answer this question, or choose “Skip”."))
                continue
            try:
                value = _json_value(spec, raw)
                parse_value(spec, value, self.as_of)
            except AnswerInvalid as exc:
                self.add_error(spec.key, message(exc.code, self.lang, **exc.values))
                continue
            self.answers[spec.key] = value
        return cleaned

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, question, message) for each field in error, in page order: the summary
        names the question and links to its first control."""
        summary = []
        for spec in self.specs:
            for error in self.errors.get(spec.key, []):
                widget = self.fields[spec.key].widget
                multiple = isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
                anchor = f"id_{spec.key}_0" if multiple else f"id_{spec.key}"
                summary.append((anchor, spec.question.get(self.lang), str(error)))
        first = f"id_{self.specs[0].key}" if self.specs else "main"
        return summary + [(first, "", str(error)) for error in self.non_field_errors()]


def initial_values(specs: list[FactSpec], raw: dict[str, Any]) -> dict[str, Any]:
    """A saved answer shown again in its field (Back and Change never lose answers)."""
    initial: dict[str, Any] = {}
    for spec in specs:
        if spec.key not in raw:
            continue
        value = raw[spec.key]
        if spec.type == "bool":
            initial[spec.key] = "true" if value else "false"
        elif spec.type == "list":
            initial[spec.key] = list(value)
        else:
            initial[spec.key] = str(value)
    return initial
