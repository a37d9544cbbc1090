"""What a publisher sees before publishing, and how a publication is undone.

- `catalogue_diff`: the draft against the current publication (or any two catalogues), per
  programme, document and shared question, field by field, old → new, with Chinese labels;
- `impact`: which stored example screenings (the persona cases' answers, on their own date, today
  and each day on which the draft's figures change) would get another status or amount;
- `shape_impact`: the same for recent residents' anonymous answer shapes (`benefits.shapes`),
  weighted by how many screenings had each shape;
- `publish` (with a reason, refused while a persona case fails) and `republish` (an earlier
  publication again, with a reason: a rollback, which also restores the draft to it).

Residents' answers themselves are never stored: only their coarsened, anonymous shapes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from benefits import models, shapes, snapshot, storage
from benefits.services import CaseOutcome, publish_catalogue, run_draft_cases
from benefits.validation import translate
from rules import catalogue as cat
from rules import engine, schema
from rules.facts import parse_answers
from rules.shapes import shape_answers
from rules.validation import catalogue_problems

LONG_TEXT = 160  # longer values are shown as the changed passage, with some context
CONTEXT = 30

# Labels for the catalogue schema's fields (rules.schema), as staff know them from the admin.
FIELD_LABELS: Mapping[str, Any] = {
    "zh": pgettext_lazy("catalogue field", "Chinese"),
    "en": pgettext_lazy("catalogue field", "English"),
    "name": pgettext_lazy("catalogue field", "name"),
    "title": pgettext_lazy("catalogue field", "title"),
    "summary": pgettext_lazy("catalogue field", "summary"),
    "plain": pgettext_lazy("catalogue field", "plain summary"),
    "category": pgettext_lazy("catalogue field", "category"),
    "audience": pgettext_lazy("catalogue field", "audience"),
    "document": pgettext_lazy("catalogue field", "source document"),
    "cites": pgettext_lazy("catalogue field", "also cites"),
    "period": pgettext_lazy("catalogue field", "period"),
    "start": pgettext_lazy("catalogue field", "start"),
    "end": pgettext_lazy("catalogue field", "end"),
    "period_clause": pgettext_lazy("catalogue field", "period clause"),
    "office": pgettext_lazy("catalogue field", "office"),
    "decisions": pgettext_lazy("catalogue field", "reading notes"),
    "order": pgettext_lazy("catalogue field", "order"),
    "facts": pgettext_lazy("catalogue field", "questions"),
    "requirements": pgettext_lazy("catalogue field", "requirements"),
    "exclusions": pgettext_lazy("catalogue field", "exclusions"),
    "conflicts": pgettext_lazy("catalogue field", "cannot be combined with"),
    "tables": pgettext_lazy("catalogue field", "standard tables"),
    "rows": pgettext_lazy("catalogue field", "rows"),
    "parameters": pgettext_lazy("catalogue field", "parameters"),
    "values": pgettext_lazy("catalogue field", "values"),
    "value": pgettext_lazy("catalogue field", "value"),
    "from": pgettext_lazy("catalogue field", "effective from"),
    "amounts": pgettext_lazy("catalogue field", "amount rules"),
    "apply": pgettext_lazy("catalogue field", "how to apply"),
    "cases": pgettext_lazy("catalogue field", "persona test cases"),
    "clause": pgettext_lazy("catalogue field", "clause"),
    "text": pgettext_lazy("catalogue field", "gazette text"),
    "description": pgettext_lazy("catalogue field", "description"),
    "note": pgettext_lazy("catalogue field", "note"),
    "alternatives": pgettext_lazy("catalogue field", "alternatives"),
    "question": pgettext_lazy("catalogue field", "question"),
    "help": pgettext_lazy("catalogue field", "help text"),
    "rate": pgettext_lazy("catalogue field", "rate"),
    "cap": pgettext_lazy("catalogue field", "cap"),
    "formula": pgettext_lazy("catalogue field", "formula"),
    "when": pgettext_lazy("catalogue field", "applies when"),
    "kind": pgettext_lazy("catalogue field", "kind"),
    "unit": pgettext_lazy("catalogue field", "unit"),
    "full_text": pgettext_lazy("catalogue field", "full text"),
    "issuers": pgettext_lazy("catalogue field", "issuers"),
    "issue_date": pgettext_lazy("catalogue field", "issue date"),
    "effective_date": pgettext_lazy("catalogue field", "effective date"),
    "end_date": pgettext_lazy("catalogue field", "end date"),
    "materials": pgettext_lazy("catalogue field", "materials"),
    "steps": pgettext_lazy("catalogue field", "steps"),
    "channels": pgettext_lazy("catalogue field", "channels"),
    "deadlines": pgettext_lazy("catalogue field", "deadlines"),
    "expect": pgettext_lazy("catalogue field", "expected result"),
    "answers": pgettext_lazy("catalogue field", "answers"),
    "as_of": pgettext_lazy("catalogue field", "as of"),
    "status": pgettext_lazy("catalogue field", "status"),
    "amount": pgettext_lazy("catalogue field", "amount"),
}
STATUS_LABELS: Mapping[str, Any] = {
    "eligible": gettext_lazy("eligible"),
    "ineligible": gettext_lazy("not eligible"),
    "unknown": gettext_lazy("may qualify"),
    "inactive": gettext_lazy("not in force"),
    "missing": gettext_lazy("programme missing"),
}
# Items of a list are named by their key, not their position, so a reordering is not a change.
IDENTITIES = ("key", "slug", "number", "no", "from", "programme", "fact")


@dataclass(frozen=True)
class FieldChange:
    where: str  # e.g. "parameters › di_bao_standard › values › 2027-07-01 › value"
    old: str
    new: str


@dataclass(frozen=True)
class SectionChange:
    """One programme, document or shared question that differs; `status` added/removed/changed."""

    kind: str
    key: str
    title: str
    status: str
    changes: list[FieldChange] = field(default_factory=list)


def catalogue_diff(old: schema.Catalogue | None, new: schema.Catalogue) -> list[SectionChange]:
    """Every difference from `old` (None: nothing published yet) to `new`, section by section."""
    before = _sections(old) if old is not None else {}
    after = _sections(new)
    sections = []
    for kind_key in sorted(before.keys() | after.keys()):
        kind, key = kind_key
        old_value, new_value = before.get(kind_key), after.get(kind_key)
        title = _title(new_value if new_value is not None else old_value, key)
        if old_value is None:
            sections.append(SectionChange(kind, key, title, "added"))
        elif new_value is None:
            sections.append(SectionChange(kind, key, title, "removed"))
        elif old_value != new_value:
            changes = list(_changes(_flatten(old_value), _flatten(new_value)))
            sections.append(SectionChange(kind, key, title, "changed", changes))
    return sections


def _sections(catalogue: schema.Catalogue) -> dict[tuple[str, str], Any]:
    dumped = catalogue.model_dump(mode="json", by_alias=True)
    sections = {("programme", p["slug"]): p for p in dumped["programmes"]}
    sections |= {("document", d["number"]): d for d in dumped["documents"]}
    sections |= {("fact", f["key"]): f for f in dumped["facts"]}
    return sections


def _title(section: Any, key: str) -> str:
    for name in ("name", "title", "question"):
        text = section.get(name)
        if isinstance(text, dict) and text.get("zh"):
            return f"{text['zh']}（{key}）"
    return key


def _flatten(value: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Leaves of a dumped model by readable path; list items by their key where they have one."""
    if isinstance(value, dict):
        flat: dict[tuple[str, ...], Any] = {}
        for name, item in value.items():
            flat |= _flatten(item, (*path, name))
        return flat
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        flat = {}
        for index, item in enumerate(value, 1):
            identity = next((str(item[k]) for k in IDENTITIES if item.get(k) is not None), None)
            flat |= _flatten(item, (*path, identity or f"#{index}"))
        return flat
    return {path: value}


def _changes(
    old: dict[tuple[str, ...], Any], new: dict[tuple[str, ...], Any]
) -> Iterator[FieldChange]:
    for path in sorted(old.keys() | new.keys(), key=lambda p: [str(part) for part in p]):
        before, after = old.get(path), new.get(path)
        if before != after and not (_empty(before) and _empty(after)):
            old_text, new_text = _passage(_shown(before), _shown(after))
            yield FieldChange(" › ".join(_label(part) for part in path), old_text, new_text)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _label(part: str) -> str:
    label = FIELD_LABELS.get(part)
    return str(label) if label is not None else part


def _shown(value: Any) -> str:
    if _empty(value):
        return "—"
    if isinstance(value, list):
        return "、".join(_shown(item) for item in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _passage(old: str, new: str) -> tuple[str, str]:
    """Long texts cut to the passage that changed, with a little context either side."""
    if len(old) <= LONG_TEXT and len(new) <= LONG_TEXT:
        return old, new
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    begin = max(0, start - CONTEXT)

    def cut(text: str) -> str:
        stop = len(text) - max(0, end - CONTEXT)
        return ("…" if begin else "") + text[begin:stop] + ("…" if stop < len(text) else "")

    return cut(old), cut(new)


@dataclass(frozen=True)
class ImpactRow:
    """An example screening whose result for one programme changes."""

    example: str
    day: dt.date
    programme: str
    before: str
    after: str


@dataclass(frozen=True)
class Impact:
    examples: int  # example screenings (answers × day) re-screened
    changed: int  # of which at least one result changes
    rows: list[ImpactRow]


def impact(
    before: cat.Catalogue,
    after: cat.Catalogue,
    cases: Iterable[models.PersonaCase],
    today: dt.date,
) -> Impact:
    """Screen each persona case's answers with both catalogues, on the case's own date, today,
    and each later day on which `after` changes a figure; list every result that changes."""
    future = [day for day, _ in after.eras if day > today]
    rows: list[ImpactRow] = []
    examples = changed = 0
    for case in cases:
        for day in sorted({case.as_of, today, *future}):
            examples += 1
            found = _changed_results(before, after, case.answers, day)
            changed += bool(found)
            rows += [ImpactRow(case.name_zh, day, *row) for row in found]
    return Impact(examples, changed, rows)


@dataclass(frozen=True)
class ShapeImpact:
    """Recent anonymous screenings (each shape weighted by its count) whose result changes."""

    shapes: int  # distinct shapes re-screened
    screenings: int  # the screenings they stand for
    changed: int  # screenings of which at least one result changes
    by_programme: list[tuple[str, int]]  # programme name, screenings whose result changes
    rows: list[ImpactRow]  # examples in words, the most frequent shapes first


EXAMPLE_ROWS = 30


def shape_impact(
    before: cat.Catalogue,
    after: cat.Catalogue,
    shapes: Iterable[models.AnswerShape],
    today: dt.date,
) -> ShapeImpact:
    """Screen each recent shape, as a resident screening today and on each later day on which
    `after` changes a figure, with both catalogues; count the screenings whose result changes."""
    days = sorted({today, *(day for day, _ in after.eras if day > today)})
    count = screenings = changed = 0
    programmes: dict[str, int] = {}
    rows: list[ImpactRow] = []
    for shape in shapes:
        count += 1
        screenings += shape.count
        names: set[str] = set()
        for day in days:
            found = _changed_results(before, after, shape_answers(shape.answers, day), day)
            names |= {row[0] for row in found}
            if len(rows) < EXAMPLE_ROWS:
                example = _("%(answers)s (%(count)d screenings)") % {
                    "answers": shape_words(shape.answers, after.facts),
                    "count": shape.count,
                }
                rows += [ImpactRow(example, day, *row) for row in found]
        changed += shape.count if names else 0
        for name in names:
            programmes[name] = programmes.get(name, 0) + shape.count
    by_programme = sorted(programmes.items(), key=lambda item: (-item[1], item[0]))
    return ShapeImpact(count, screenings, changed, by_programme, rows[:EXAMPLE_ROWS])


def shape_words(shape: Mapping[str, Any], facts: Mapping[str, cat.FactSpec]) -> str:
    """A shape as staff read it: "您的出生日期是：67 岁；您的户籍在哪里：北京市户籍；…"."""
    return "；".join(
        f"{_fact_words(key, facts.get(key))}：{_shape_value(value, facts.get(key))}"
        for key, value in shape.items()
    )


def _fact_words(key: str, spec: cat.FactSpec | None) -> str:
    return spec.question.zh.rstrip("？?") if spec is not None and spec.question.zh else key


def _shape_value(value: Any, spec: cat.FactSpec | None) -> str:
    if isinstance(value, dict) and "years" in value:
        return _("%(years)d years old") % {"years": value["years"]}
    if isinstance(value, dict) and "months" in value:
        months = value["months"]
        if months < 0:
            return _("in %(months)d months") % {"months": -months}
        return _("%(months)d months ago") % {"months": months}
    if isinstance(value, list):
        return "、".join(_shape_value(item, spec) for item in value) or "—"
    label = spec.labels.get(str(value)) if spec is not None else None
    if label is not None:
        return label.zh
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 100:
        return _("about %(figure)s") % {"figure": f"{value:,}"}  # rounded down (rules.shapes)
    return _shown(value)


def _changed_results(
    before: cat.Catalogue, after: cat.Catalogue, raw: dict[str, Any], day: dt.date
) -> list[tuple[str, str, str]]:
    old = dict(_outcomes(before, raw, day))
    new = dict(_outcomes(after, raw, day))
    names = {p.slug: p.name.zh for p in (*before.programmes, *after.programmes)}
    return [
        (names[slug], old.get(slug, "—"), new.get(slug, "—"))
        for slug in sorted(old.keys() | new.keys())
        if old.get(slug) != new.get(slug)
    ]


def _outcomes(catalogue: cat.Catalogue, raw: dict[str, Any], day: dt.date) -> Iterator[tuple]:
    answers, _errors = parse_answers(catalogue.facts, raw, "zh", as_of=day)
    for result in engine.screen(catalogue, answers, day).results:
        yield result.programme.slug, describe(result.status, result.amount)


def describe(status: str, amount: engine.Entitlement | Decimal | None) -> str:
    """ "eligible, 1,395 yuan a month" in the staff member's language."""
    words = str(STATUS_LABELS.get(status, status))
    value = amount.value if isinstance(amount, engine.Entitlement) else amount
    if value is None:
        return words
    figure = f"{value.normalize():,f}" if value != value.to_integral_value() else f"{value:,.0f}"
    return _("%(status)s, %(amount)s yuan") % {"status": words, "amount": figure}


OUTCOME_LABELS: Mapping[str, Any] = {
    "met": gettext_lazy("met"),
    "not_met": gettext_lazy("not met"),
    "unknown": gettext_lazy("not known yet"),
}


@dataclass(frozen=True)
class CaseRow:
    """One persona case in words: what it expects, what the draft gives, and how they differ."""

    outcome: CaseOutcome
    expected: str
    got: str
    differences: list[str]


def case_row(outcome: CaseOutcome, questions: Mapping[str, str]) -> CaseRow:
    case = outcome.case
    expected_amount = case.expected_amount if case.check_amount else None
    differences = list(outcome.errors)
    for index, (want, got) in enumerate(
        zip(case.expected_reasons or [], outcome.reasons, strict=False), 1
    ):
        if want != got:
            differences.append(
                _("requirement %(n)d: expected “%(want)s”, got “%(got)s”")
                % {"n": index, "want": _word(want), "got": _word(got)}
            )
    if case.expected_reasons is not None and len(case.expected_reasons) != len(outcome.reasons):
        differences.append(
            _("%(want)d requirement outcomes expected, %(got)d given")
            % {"want": len(case.expected_reasons), "got": len(outcome.reasons)}
        )
    if not outcome.missing_ok:
        differences.append(
            _("still to answer: expected %(want)s, got %(got)s")
            % {
                "want": _questions(case.expected_missing or [], questions),
                "got": _questions(outcome.missing, questions),
            }
        )
    return CaseRow(
        outcome,
        describe(case.expected_status, expected_amount),
        describe(outcome.status, outcome.amount if case.check_amount else None),
        differences,
    )


def _word(outcome: str) -> str:
    return str(OUTCOME_LABELS.get(outcome, outcome))


def _questions(keys: Iterable[str], questions: Mapping[str, str]) -> str:
    return "、".join(questions.get(key, key) for key in keys) or "—"


@dataclass(frozen=True)
class CaseGroup:
    """A programme's persona cases, failures first."""

    programme: str
    rows: list[CaseRow]

    @property
    def failures(self) -> int:
        return sum(not row.outcome.passed for row in self.rows)


def grouped(
    outcomes: Iterable[CaseOutcome], questions: Mapping[str, str] | None = None
) -> list[CaseGroup]:
    """Persona results by programme; programmes with failures first, then by name."""
    groups: dict[str, list[CaseRow]] = {}
    for outcome in outcomes:
        programme = outcome.case.programme
        name = f"{programme.name_zh}（{programme.slug}）"
        groups.setdefault(name, []).append(case_row(outcome, questions or {}))
    built = [
        CaseGroup(name, sorted(rows, key=lambda row: row.outcome.passed))
        for name, rows in groups.items()
    ]
    return sorted(built, key=lambda group: (group.failures == 0, group.programme))


class ReasonRequired(ValueError):
    """Publishing or rolling back without saying why."""


def _reason(text: str) -> str:
    reason = " ".join(text.split())
    if len(reason) < 4:
        raise ReasonRequired(_("Say why (at least 4 characters): it is kept in the change log."))
    return reason[:300]


class CatalogueInvalid(ValueError):
    """The draft has problems the checks at save should have caught (e.g. rows changed by a
    direct database edit, or a fact's allowed values changed under rows that use them)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def publish(user: Any, reason: str) -> tuple[models.Publication | None, list[CaseOutcome]]:
    """Publish the draft with `reason` unless the catalogue checks find a problem (raises
    CatalogueInvalid) or a persona case fails (then the failures)."""
    note = _reason(reason)
    problems = catalogue_problems(storage.read_draft())
    if problems:
        raise CatalogueInvalid([translate(problem) for problem in problems])
    return publish_catalogue(user, note)


@transaction.atomic
def republish(earlier: models.Publication, user: Any, reason: str) -> models.Publication:
    """Publish `earlier` again (a rollback) and make the draft that catalogue too, so the next
    publication starts from what residents see rather than bringing the mistake back."""
    note = _reason(reason)
    storage.write_draft(snapshot.publication_source(earlier))
    publication = models.Publication.objects.create(
        catalogue=earlier.catalogue,
        schema_version=earlier.schema_version,
        note=note,
        published_by=user,
        republished_from=earlier,
    )
    transaction.on_commit(snapshot.invalidate)
    return publication


def previous(publication: models.Publication) -> models.Publication | None:
    return models.Publication.objects.filter(id__lt=publication.id).order_by("-id").first()


def publication_diff(publication: models.Publication) -> list[SectionChange]:
    """What `publication` changed from the one before it (everything, for the first)."""
    earlier = previous(publication)
    old = snapshot.publication_source(earlier) if earlier is not None else None
    return catalogue_diff(old, snapshot.publication_source(publication))


def draft_review(today: dt.date | None = None) -> dict[str, Any]:
    """Everything the publish page shows: the diff, the persona results and the impact."""
    today = today or timezone.localdate()
    draft_source = storage.read_draft()
    published = snapshot.published_source()
    outcomes = run_draft_cases()
    draft = snapshot.draft_catalogue()
    cases = models.PersonaCase.objects.select_related("programme")
    questions = {key: spec.question.zh for key, spec in draft.facts.items()}
    current = snapshot.get_catalogue()
    return {
        "diff": catalogue_diff(published, draft_source),
        "groups": grouped(outcomes, questions),
        "outcomes": outcomes,
        "failures": [outcome for outcome in outcomes if not outcome.passed],
        "impact": impact(current, draft, cases, today),
        "anonymous": shape_impact(current, draft, shapes.recent_shapes(today), today),
    }
