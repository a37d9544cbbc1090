"""Admin forms a civil-affairs clerk can use without JSON or English keys.

- `FactForm`: a fact's allowed values and their names as lines ("beijing | 北京市户籍 | Beijing
  hukou"), not JSON; its key cannot be renamed while a published programme uses it;
- `ConditionForm`: a condition built from pickers: the fact by its question, the value from the
  fact's allowed values (by name); other values typed as plain words or figures;
- `expression_words`: a formula or condition with each fact and parameter by its Chinese name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benefits import models, snapshot
from benefits.display import fact_name
from rules import schema

NAME = re.compile(r'"[^"]*"|\'[^\']*\'|[A-Za-z_][A-Za-z0-9_]*')
SEPARATOR = "|"


def expression_words(
    text: str, facts: Mapping[str, Any], parameters: Mapping[str, str] | None = None
) -> str:
    """`household_monthly_income / household_size` as
    "「您家每月总收入大约是多少元」 / 「您家共同生活的家庭成员有几人」"."""
    parameters = parameters or {}

    def name(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in facts:
            return f"「{fact_name(word, facts[word])}」"
        if word in parameters:
            return f"「{parameters[word]}」"
        if word == "as_of":
            return f"「{_('the screening date')}」"
        return word

    return NAME.sub(name, text) if text else "—"


def parameter_names() -> dict[str, str]:
    return dict(models.Parameter.objects.values_list("key", "name_zh"))


class KeyListField(forms.CharField):
    """A list of keys typed as "hukou, district" rather than the JSON ["hukou", "district"]."""

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(str(item) for item in value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, list):
            return value
        text = super().to_python(value) or ""
        if text.startswith("["):  # a JSON list, as the field used to show it
            parsed = typed_value(text)
            if isinstance(parsed, list):
                return [str(item) for item in parsed]
        return [part.strip() for part in re.split(r"[,，、]", text) if part.strip()]


# Keys typed as a list: (model, field).
KEY_LISTS = {("amount", "table_keys"), ("amounttable", "keys")}


# Facts ----------------------------------------------------------------------------------------


def choices_text(values: Iterable[Any], labels: Mapping[str, Any]) -> str:
    """Allowed values with their names, one a line: `value | 中文名称 | English name`."""
    lines = []
    for value in values:
        label = labels.get(str(value)) or {}
        parts = [str(value), label.get("zh", ""), label.get("en", "")]
        while len(parts) > 1 and not parts[-1]:
            parts.pop()
        lines.append(f" {SEPARATOR} ".join(parts))
    return "\n".join(lines)


def parse_choices(text: str, whole_numbers: bool) -> tuple[list[Any], dict[str, dict[str, str]]]:
    """The lines of `choices_text` back as the fact's values and labels; raises ValueError with
    a message for a line that is not `value | 中文名称 | English name`."""
    values: list[Any] = []
    labels: dict[str, dict[str, str]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(SEPARATOR)]
        if len(parts) > 3 or not parts[0]:
            raise ValueError(
                _("Line %(n)d: write “value | Chinese name | English name”.") % {"n": number}
            )
        value: Any = parts[0]
        if whole_numbers:
            try:
                value = int(parts[0])
            except ValueError:
                raise ValueError(
                    _("Line %(n)d: the value of a whole-number question must be a whole number.")
                    % {"n": number}
                ) from None
        if value in values:
            raise ValueError(
                _("Line %(n)d: %(value)s is listed twice.") % {"n": number, "value": value}
            )
        values.append(value)
        names = [*parts, "", ""][1:3]
        if any(names):
            labels[str(value)] = {"zh": names[0], "en": names[1]} if names[1] else {"zh": names[0]}
    return values, labels


class FactForm(forms.ModelForm):
    choices = forms.CharField(
        label=gettext_lazy("allowed values and their names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        help_text=gettext_lazy(
            "For a question answered by choosing: one option a line, “value | Chinese name | "
            "English name”, e.g. “beijing | 北京市户籍 | Beijing hukou”. The value is what "
            "conditions and tables use; residents see the names. Empty for other questions."
        ),
    )

    class Meta:
        model = models.Fact
        fields = [
            "key",
            "type",
            "group",
            "order",
            "min_value",
            "max_value",
            "past",
            "question_zh",
            "question_en",
            "help_zh",
            "help_en",
            "ask_if",
            "derived",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choices"].initial = choices_text(self.instance.values, self.instance.labels)

    def clean_choices(self) -> str:
        text = (self.cleaned_data.get("choices") or "").replace("\r\n", "\n")
        whole = self.data.get(self.add_prefix("type")) == models.Fact.Type.INT
        try:
            self.instance.values, self.instance.labels = parse_choices(text, whole)
        except ValueError as problem:
            raise forms.ValidationError(str(problem)) from None
        return text

    def clean_key(self) -> str:
        key = self.cleaned_data["key"]
        old = self.instance.key if self.instance.pk else None
        if old and key != old:
            users = published_users(old)
            if users:
                raise forms.ValidationError(
                    _(
                        "The published programmes %(names)s use the key %(key)s: it cannot be "
                        "renamed. Add a new question, change the programmes to use it and "
                        "publish, then delete this one."
                    )
                    % {"names": "、".join(users), "key": old}
                )
        return key


def published_users(key: str) -> list[str]:
    """The published programmes (by Chinese name) that use fact `key`."""
    catalogue = snapshot.published_source()
    if catalogue is None:
        return []
    shared = {
        fact.key for fact in catalogue.facts if key in _expression_names(fact.ask_if, fact.derived)
    }
    return [
        programme.name.zh
        for programme in catalogue.programmes
        if (names := names_used(programme)) and (key in names or names & shared)
    ]


def names_used(programme: schema.Programme) -> set[str]:
    """Every fact or parameter name a programme's rules, questions and persona cases use."""
    names: set[str] = set()
    for requirement in programme.requirements:
        for alternative in requirement.alternatives:
            for condition in alternative:
                names.add(condition.fact)
                if isinstance(condition.value, dict):
                    names.add(str(condition.value.get("of", "")))
    if programme.exclusions:
        names.add("receives")
    for amount in programme.amounts:
        names |= set(amount.keys) | _expression_names(amount.when, amount.formula, amount.base)
    for fact in programme.facts:
        names |= _expression_names(fact.ask_if, fact.derived)
    for deadline in programme.apply.deadlines:
        names.add(deadline.relative_to or "")
    for case in programme.cases:
        names |= set(case.answers) | set(case.expect.missing or [])
    return names - {""}


def _expression_names(*texts: str | None) -> set[str]:
    return {
        word
        for text in texts
        if text
        for word in NAME.findall(text)
        if not word.startswith(("'", '"'))
    }


# Conditions -----------------------------------------------------------------------------------

ONE_OF = ("eq", "ne", "contains")
SEVERAL_OF = ("in", "not_in", "excludes")


def value_text(value: Any) -> str:
    """A condition's value as typed: words as they are, anything else as JSON."""
    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            return value
    return json.dumps(value, ensure_ascii=False)


def typed_value(text: str) -> Any:
    """`value_text` back: JSON where it is JSON (60, true, [60, 65]), else the words."""
    try:
        return json.loads(text)
    except ValueError:
        return text.strip()


class ConditionForm(forms.ModelForm):
    """The fact picked by its question; the value picked from its allowed values by name (for a
    fact whose value is a choice), else typed. Change the fact, save and continue: the value
    picker then lists the new fact's values."""

    value = forms.CharField(
        label=gettext_lazy("value"),
        required=False,
        help_text=gettext_lazy(
            "A figure (60), a period as two figures ([16, 24]), or words as the question's "
            "values are written; for a date within some months see the help of the operator."
        ),
    )

    class Meta:
        model = models.Condition
        fields = ["requirement", "alternative", "fact", "operator", "value"]

    class Media:
        css = {"all": ["css/admin.css"]}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        facts = {fact.key: fact for fact in models.Fact.objects.all()}
        current = self.instance.fact if self.instance.pk else ""
        choices = [(key, f"{fact_name(key, fact)}（{key}）") for key, fact in facts.items()]
        if current and current not in facts:
            choices.append((current, current))
        self.fields["fact"] = forms.ChoiceField(
            label=self.fields["fact"].label,
            choices=[("", "---------"), *choices],
            widget=forms.Select(attrs={"class": "fact-picker"}),  # long questions: narrower
            help_text=gettext_lazy("The question whose answer is tested."),
        )
        fact = facts.get(self.data.get(self.add_prefix("fact"), current) or "")
        operator = self.data.get(self.add_prefix("operator"), self.instance.operator or "")
        self._picker(fact, operator)

    def _picker(self, fact: models.Fact | None, operator: str) -> None:
        value = self.instance.value if self.instance.pk else None
        options = _options(fact, value)
        if options and operator in ONE_OF and not isinstance(value, list | dict):
            self.fields["value"] = forms.ChoiceField(
                label=self.fields["value"].label,
                choices=[("", "---------"), *options],
                required=True,
                help_text=gettext_lazy("Pick the answer the condition tests for."),
            )
            self.initial["value"] = json.dumps(value) if value is not None else ""
        elif options and operator in SEVERAL_OF and (value is None or isinstance(value, list)):
            self.fields["value"] = forms.MultipleChoiceField(
                label=self.fields["value"].label,
                choices=options,
                widget=forms.CheckboxSelectMultiple,
                help_text=gettext_lazy("Tick the answers the condition tests for."),
            )
            self.initial["value"] = [json.dumps(item) for item in value or []]
        else:
            self.initial["value"] = value_text(value) if value is not None else ""

    def clean_value(self) -> Any:
        picked = self.cleaned_data.get("value")
        if isinstance(self.fields["value"], forms.MultipleChoiceField):
            return [json.loads(item) for item in picked or []]
        if isinstance(self.fields["value"], forms.ChoiceField):
            return json.loads(picked) if picked else None
        if not picked:
            raise forms.ValidationError(_("Give the value the condition tests for."))
        return typed_value(picked)


def _options(fact: models.Fact | None, current: Any) -> list[tuple[str, str]]:
    """A fact's possible answers as (JSON value, name) pairs, the condition's current value
    among them even if the fact no longer allows it; empty when answers are typed."""
    if fact is None:
        return []
    if fact.type == models.Fact.Type.BOOL:
        return [("true", _("yes")), ("false", _("no"))]
    options = [
        (json.dumps(value), (fact.labels.get(str(value)) or {}).get("zh") or str(value))
        for value in fact.values
    ]
    known = {option for option, _name in options}
    for value in current if isinstance(current, list) else [current]:
        if value is not None and not isinstance(value, dict) and json.dumps(value) not in known:
            options.append((json.dumps(value), str(value)))
    return options if fact.values else []
