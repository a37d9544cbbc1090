"""The staff admin for the catalogue: every model, history with diffs, persona runs, publishing.

Everything staff edit here is the draft; residents keep the published catalogue until someone
with the publish permission publishes, which is refused while any persona case fails.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models as db
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin
from import_export.forms import SelectableFieldsExportForm
from import_export.results import Result
from simple_history.admin import SimpleHistoryAdmin

from benefits import models, publishing
from benefits.display import answers_text, condition_text, plain
from benefits.editing import (
    KEY_LISTS,
    ConditionForm,
    FactForm,
    KeyListField,
    expression_words,
    parameter_names,
    typed_value,
    value_text,
)
from benefits.field_help import help_for
from benefits.services import run_draft_cases
from benefits.table_import import (
    HEADING,
    CellError,
    SheetProblem,
    cell_text,
    problems_after_import,
    read_sheet,
    table_keys,
)
from benefits.validation import overlap_errors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

admin.site.site_header = _("Beijing Benefits Finder — catalogue administration")
admin.site.site_title = _("Catalogue administration")
admin.site.index_title = _("Draft catalogue")


class TextAreaField(forms.CharField):
    """Browsers send a text area's line breaks as CRLF; the catalogue (and its exported files)
    keeps LF, so a text saved untouched stays byte-identical."""

    def to_python(self, value: object) -> str | None:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n") if text else text


TEXT_AREAS: Mapping[type[db.Field[Any, Any]], Mapping[str, Any]] = {
    db.TextField: {"form_class": TextAreaField}
}


class FieldHelp:
    """Every field explained to the clerk (`benefits.field_help`) where the model says nothing."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if (db_field.model._meta.model_name, db_field.name) in KEY_LISTS:
            return KeyListField(
                label=db_field.verbose_name,
                required=not db_field.blank,
                help_text=help_for(db_field.model._meta.model_name, db_field.name),
            )
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if formfield is not None and not formfield.help_text:
            formfield.help_text = help_for(db_field.model._meta.model_name, db_field.name) or ""
        return formfield


class HistoryAdmin(FieldHelp, SimpleHistoryAdmin):
    """Every catalogue page keeps who changed what and when, with a diff and a revert."""

    history_list_display: list[str] = []
    formfield_overrides = TEXT_AREAS


class StackedInline(FieldHelp, admin.StackedInline):
    formfield_overrides = TEXT_AREAS


class TabularInline(FieldHelp, admin.TabularInline):
    formfield_overrides = TEXT_AREAS


class ActiveFilter(admin.SimpleListFilter):
    title = _("in force today")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("active", _("in force")), ("ended", _("ended")), ("future", _("not yet"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "ended":
            return queryset.filter(period_end__lt=today)
        if self.value() == "future":
            return queryset.filter(period_start__gt=today)
        if self.value() == "active":
            return queryset.exclude(period_end__lt=today).exclude(period_start__gt=today)
        return queryset


class RequirementInline(StackedInline):
    model = models.Requirement
    extra = 0
    show_change_link = True  # conditions are edited on the requirement's own page
    fields = [
        ("order", "kind", "clause", "open_list"),
        "text",
        ("description_zh", "description_en"),
        ("note_zh", "note_en"),
    ]


class AmountWords:
    """An amount's condition and formula with the facts and parameters by their Chinese names."""

    @admin.display(description=_("applies when, in words"))
    def when_words(self, amount: models.Amount) -> str:
        return expression_words(amount.when, facts_by_key(), parameter_names())

    @admin.display(description=_("formula, in words"))
    def formula_words(self, amount: models.Amount) -> str:
        return expression_words(amount.formula, facts_by_key(), parameter_names())


AMOUNT_FIELDS: list[Any] = [
    ("order", "kind", "period", "clause"),
    "when",
    "when_words",
    ("value", "rate", "base", "cap"),
    ("table", "table_keys"),
    "formula",
    "formula_words",
    ("note_zh", "note_en"),
]


class AmountInline(AmountWords, StackedInline):
    model = models.Amount
    extra = 0
    fields = AMOUNT_FIELDS
    readonly_fields = ["when_words", "formula_words"]


@admin.register(models.Amount)
class AmountAdmin(AmountWords, HistoryAdmin):
    fields = ["programme", *AMOUNT_FIELDS]
    readonly_fields = ["when_words", "formula_words"]


class ConflictInline(TabularInline):
    model = models.Conflict
    fk_name = "programme"
    extra = 0


class ChannelInline(TabularInline):
    model = models.Channel
    extra = 0


class MaterialInline(TabularInline):
    model = models.Material
    extra = 0


class StepInline(TabularInline):
    model = models.Step
    extra = 0


class DeadlineInline(TabularInline):
    model = models.Deadline
    extra = 0


class PersonaCaseInline(StackedInline):
    model = models.PersonaCase
    extra = 0
    fields = [
        ("name_zh", "name_en"),
        ("clause", "as_of"),
        "answers",
        ("expected_status", "check_amount", "expected_amount"),
        ("expected_reasons", "expected_missing"),
    ]


@admin.action(description=_("Run the persona tests of the selected programmes against the draft"))
def run_persona_tests(modeladmin, request: HttpRequest, queryset) -> HttpResponse:
    cases = models.PersonaCase.objects.filter(programme__in=queryset).select_related("programme")
    return _persona_report(request, run_draft_cases(cases))


def _persona_report(request: HttpRequest, outcomes) -> TemplateResponse:
    return TemplateResponse(
        request,
        "admin/benefits/persona_report.html",
        {
            **admin.site.each_context(request),
            "title": _("Persona tests against the draft"),
            "groups": publishing.grouped(outcomes),
            "outcomes": outcomes,
            "failures": [o for o in outcomes if not o.passed],
        },
    )


@admin.register(models.Programme)
class ProgrammeAdmin(HistoryAdmin):
    list_display = [
        "slug",
        "name_zh",
        "name_en",
        "category",
        "audience",
        "document",
        "period_start",
        "period_end",
    ]
    list_filter = ["category", "audience", ActiveFilter, "document"]
    search_fields = ["slug", "name_zh", "name_en", "document__number"]
    autocomplete_fields = ["document"]
    filter_horizontal = ["cites"]
    actions = [run_persona_tests]
    inlines = [
        RequirementInline,
        AmountInline,
        ConflictInline,
        ChannelInline,
        MaterialInline,
        StepInline,
        DeadlineInline,
        PersonaCaseInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    ("name_zh", "name_en"),
                    ("plain_zh", "plain_en"),
                    ("summary_zh", "summary_en"),
                    ("category", "audience", "order"),
                ]
            },
        ),
        (
            _("Source and period"),
            {
                "fields": [
                    "document",
                    "cites",
                    ("period_start", "period_end", "period_clause"),
                    ("office_zh", "office_en"),
                    "decisions",
                ]
            },
        ),
        (
            _("How to apply"),
            {
                "fields": [
                    "apply_clause",
                    ("agent_zh", "agent_en"),
                    ("processing_zh", "processing_en"),
                    ("payment_zh", "payment_en"),
                ]
            },
        ),
    ]


class ConditionInline(TabularInline):
    model = models.Condition
    form = ConditionForm
    extra = 0
    fields = ["alternative", "fact", "operator", "value", "in_words"]
    readonly_fields = ["in_words"]

    @admin.display(description=_("condition, in words"))
    def in_words(self, condition: models.Condition) -> str:
        return condition_text(condition, facts_by_key()) if condition.pk else "—"


def facts_by_key() -> dict[str, models.Fact]:
    return {fact.key: fact for fact in models.Fact.objects.all()}


def column(description: StrOrPromise, show: Callable[[Any], str]) -> Callable[[Any], str]:
    """A list column computed for each row (facts loaded once per page, not once per row)."""
    show.short_description = description  # type: ignore[attr-defined]
    return show


@admin.register(models.Condition)
class ConditionAdmin(HistoryAdmin):
    form = ConditionForm
    fields = ["requirement", "alternative", "fact", "operator", "value", "in_words"]
    readonly_fields = ["in_words"]
    list_filter = ["operator", "requirement__programme"]
    search_fields = ["fact", "requirement__clause", "requirement__programme__slug"]
    list_select_related = ["requirement__programme"]

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        facts = facts_by_key()
        reads = column(_("condition"), lambda row: condition_text(row, facts))
        return ["requirement", "alternative", reads]

    @admin.display(description=_("condition, in words"))
    def in_words(self, condition: models.Condition) -> str:
        return condition_text(condition, facts_by_key()) if condition.pk else "—"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "requirement":  # each choice names its programme: one query
            kwargs["queryset"] = models.Requirement.objects.select_related("programme")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(models.Requirement)
class RequirementAdmin(HistoryAdmin):
    list_display = ["programme", "clause", "kind", "description_zh"]
    list_filter = ["kind", "programme"]
    search_fields = ["clause", "description_zh", "description_en", "programme__slug"]
    inlines = [ConditionInline]
    fields = [
        "programme",
        ("order", "kind", "clause"),
        "text",
        ("description_zh", "description_en"),
        ("note_zh", "note_en"),
    ]


@admin.register(models.Document)
class DocumentAdmin(HistoryAdmin):
    list_display = ["number", "title_zh", "issue_date", "effective_date", "end_date", "gazette"]
    list_filter = ["gazette"]
    search_fields = ["number", "title_zh", "title_en", "issuers"]
    fields = [
        "number",
        ("title_zh", "title_en"),
        "issuers",
        ("issue_date", "effective_date", "end_date"),
        "repeals",
        "gazette",
        ("summary_zh", "summary_en"),
        "full_text",
    ]


@admin.register(models.Fact)
class FactAdmin(HistoryAdmin):
    form = FactForm
    list_display = ["key", "type", "question_zh", "group", "order", "ask_if", "derived"]
    list_filter = ["type", "group", "scope"]
    search_fields = ["key", "question_zh", "question_en"]
    fields = [
        ("key", "type", "group", "order"),
        "choices",
        ("min_value", "max_value", "past", "scope"),
        ("question_zh", "question_en"),
        ("help_zh", "help_en"),
        "ask_if",
        "ask_if_words",
        "derived",
        "derived_words",
    ]
    readonly_fields = ["ask_if_words", "derived_words"]

    @admin.display(description=_("ask only if, in words"))
    def ask_if_words(self, fact: models.Fact) -> str:
        return expression_words(fact.ask_if, facts_by_key(), parameter_names())

    @admin.display(description=_("derived from, in words"))
    def derived_words(self, fact: models.Fact) -> str:
        return expression_words(fact.derived, facts_by_key(), parameter_names())


class _Cell(widgets.Widget):
    """A spreadsheet cell. Import: the value `read_sheet` has already read and checked. Export:
    numbers and dates typed (in .xlsx; as text in .csv), other values as staff write them."""

    def __init__(self, text: Callable[[Any], str] = cell_text) -> None:
        super().__init__(coerce_to_string=False)
        self.text = text

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        return value

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        typed = isinstance(value, int | float | dt.date) and not isinstance(value, bool)
        if kwargs.get("force_native_type") and typed:
            return value
        return "" if value is None else self.text(value)


def _column(name: str, text: Callable[[Any], str] = cell_text) -> fields.Field:
    return fields.Field(attribute=name, column_name=HEADING[name], widget=_Cell(text))


class SheetResult(Result):
    """An import's result with its problems as the staff member's sheet numbers them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheet_problems: list[SheetProblem] = []

    def has_validation_errors(self) -> bool:
        return bool(self.sheet_problems) or super().has_validation_errors()


class TableRowResource(resources.ModelResource):
    """The rows of the lookup tables as a spreadsheet (`benefits.table_import`): Chinese
    headings, a table by its slug, keys separated by commas; rows found by table and number.
    A file with any wrong row imports nothing."""

    table = _column("table", lambda table: table.slug)
    no = _column("no")
    keys = _column("keys", lambda keys: ", ".join(str(key) for key in keys))
    value = _column("value")
    label_zh = _column("label_zh")
    label_en = _column("label_en")
    extra = _column("extra", lambda extra: json.dumps(extra, ensure_ascii=False) if extra else "")
    valid_from = _column("valid_from")
    valid_to = _column("valid_to")

    class Meta:
        model = models.TableRow
        fields = list(HEADING)
        import_order = export_order = list(HEADING)
        import_id_fields = ["table", "no"]
        skip_unchanged = True
        report_skipped = False
        clean_model_instances = True

    def get_result_class(self) -> type[SheetResult]:
        return SheetResult

    def get_queryset(self) -> QuerySet[models.TableRow]:
        return super().get_queryset().select_related("table")

    def import_data(self, dataset: Any, dry_run: bool = False, **kwargs: Any) -> SheetResult:
        """Read and check the whole sheet first; import only a sheet without problems, in one
        transaction that is rolled back if the database refuses any row."""
        sheet = read_sheet(dataset)
        if sheet.problems:
            result = self.get_result_class()()
            result.diff_headers = self.get_diff_headers()
            result.total_rows = len(dataset)
            result.sheet_problems = sheet.problems
            return result
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        result = super().import_data(sheet.dataset, dry_run=dry_run, **kwargs)
        result.sheet_problems = problems_after_import(result, sheet)
        return result


class ChineseExportForm(SelectableFieldsExportForm):
    """The export page lists the columns by their Chinese headings, not "Label Zh (…)"."""

    def _get_field_label(self, resource: Any, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return str(field.column_name) if field is not None else field_name


class TableRowCells(forms.ModelForm):
    """A row's keys typed as in the spreadsheet ("severe, 1", read by the import's reader) and
    its value as a figure (1500) or words ("A"), not JSON. Unlike a spreadsheet cell, "1500元"
    stays text here, for the checks to refuse: the clerk sees the typing slip."""

    keys = forms.CharField(label=_("keys"), help_text=help_for("tablerow", "keys"))
    value = forms.CharField(
        label=_("value"), required=False, help_text=help_for("tablerow", "value")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["keys"] = ", ".join(self.instance.keys)
            value = self.instance.value
            self.initial["value"] = "" if value is None else value_text(value)

    def clean_keys(self) -> list[str]:
        return self._read(table_keys, "keys")

    def clean_value(self) -> Any:
        text = (self.cleaned_data.get("value") or "").strip()
        return typed_value(text) if text else None

    def _read(self, reader: Callable[[Any], Any], name: str) -> Any:
        try:
            return reader(self.cleaned_data.get(name))
        except CellError as problem:
            raise forms.ValidationError(str(problem)) from None


class TableRowForm(TableRowCells):
    """A row edited on its own page: refused while another row of its table with the same
    keys is in force on a same day."""

    class Meta:
        model = models.TableRow
        fields = list(HEADING)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        table = data.get("table")
        if table is not None and data.get("keys") is not None:
            row = _dated_row(data)
            others = list(table.rows.exclude(pk=self.instance.pk))
            for later, message in overlap_errors([*others, row]):
                if later is row:
                    self.add_error(None, message)
        return data


class TableRowFormSet(forms.BaseInlineFormSet):
    """A table's rows edited together: two rows with the same keys in force on a same day are
    refused, on the later of the two."""

    def clean(self) -> None:
        super().clean()
        rows, forms_by_row = [], {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or form.errors or data.get("DELETE") or data.get("keys") is None:
                continue
            row = _dated_row(data)
            rows.append(row)
            forms_by_row[id(row)] = form
        for later, message in overlap_errors(rows):
            forms_by_row[id(later)].add_error(None, message)


def _dated_row(data: dict[str, Any]) -> models.TableRow:
    return models.TableRow(
        no=data.get("no") or 0,
        keys=data.get("keys"),
        valid_from=data.get("valid_from"),
        valid_to=data.get("valid_to"),
    )


class TableRowInline(TabularInline):
    model = models.TableRow
    form = TableRowCells
    formset = TableRowFormSet
    extra = 0
    fields = ["no", "keys", "value", "label_zh", "label_en", "extra", "valid_from", "valid_to"]


@admin.register(models.AmountTable)
class AmountTableAdmin(HistoryAdmin):
    list_display = ["slug", "name_zh", "programme", "clause"]
    list_filter = ["programme"]
    search_fields = ["slug", "name_zh", "name_en"]
    inlines = [TableRowInline]


@admin.register(models.TableRow)
class TableRowAdmin(ImportExportModelAdmin, HistoryAdmin):
    resource_classes = [TableRowResource]
    export_form_class = ChineseExportForm
    import_template_name = "admin/benefits/tablerow/import.html"
    form = TableRowForm
    list_display = [
        "table",
        "no",
        "keys",
        "value",
        "label_zh",
        "label_en",
        "valid_from",
        "valid_to",
    ]
    list_display = ["table", "no", "keys_text", "value_text", "label_zh", "label_en", "extra_text"]
    list_filter = ["table"]
    list_select_related = ["table"]
    search_fields = ["label_zh", "label_en", "keys"]

    def has_import_permission(self, request: HttpRequest) -> bool:
        """An import adds and changes rows: a staff member who may only view them may not."""
        return request.user.has_perms(["benefits.add_tablerow", "benefits.change_tablerow"])

    def add_data_read_fail_error_to_form(self, form: forms.Form, error: Exception) -> None:
        message = _(
            "The file cannot be read: check that the format chosen is the file's (xlsx for an "
            "Excel workbook, csv for comma-separated text)."
        )
        form.add_error("import_file", message)

    def process_result(self, result: SheetResult, request: HttpRequest) -> HttpResponse:
        """After "Confirm import": if the rows no longer pass (the table changed since the
        preview), the import was rolled back; show why instead of reporting success."""
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        form_class = self.get_import_form_class(request)
        form = form_class(self.get_import_formats(), self.get_import_resource_classes(request))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "form": form,
            "opts": self.model._meta,
            "result": result,
            "import_error_display": self.import_error_display,
        }
        return TemplateResponse(request, [self.import_template_name], context)

    @admin.display(description=_("keys"))
    def keys_text(self, row: models.TableRow) -> str:
        return plain(row.keys)

    @admin.display(description=_("value"))
    def value_text(self, row: models.TableRow) -> str:
        return plain(row.value)

    @admin.display(description=_("other columns"))
    def extra_text(self, row: models.TableRow) -> str:
        return plain(row.extra)


class ParameterValueInline(TabularInline):
    model = models.ParameterValue
    extra = 1


@admin.register(models.Parameter)
class ParameterAdmin(HistoryAdmin):
    list_display = ["key", "name_zh", "unit", "programme"]
    search_fields = ["key", "name_zh", "name_en"]
    inlines = [ParameterValueInline]


@admin.register(models.PersonaCase)
class PersonaCaseAdmin(HistoryAdmin):
    list_filter = ["programme", "expected_status"]
    list_select_related = ["programme"]
    search_fields = ["name_zh", "name_en", "clause", "programme__slug"]
    actions = ["run_selected"]
    readonly_fields = ["answers_read"]
    fields = [
        "programme",
        ("name_zh", "name_en"),
        ("clause", "as_of"),
        "answers",
        "answers_read",
        ("expected_status", "check_amount", "expected_amount"),
        ("expected_reasons", "expected_missing"),
    ]

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        facts = facts_by_key()
        answers = column(_("answers"), lambda case: answers_text(case.answers, facts))
        outcome = ["expected_status", "expected_amount"]
        return ["programme", "name_zh", "clause", "as_of", answers, *outcome]

    @admin.display(description=_("answers, as read"))
    def answers_read(self, case: models.PersonaCase) -> str:
        return answers_text(case.answers, facts_by_key())

    @admin.action(description=_("Run the selected persona tests against the draft"))
    def run_selected(self, request: HttpRequest, queryset) -> HttpResponse:
        return _persona_report(request, run_draft_cases(queryset.select_related("programme")))


for model in (
    models.Conflict,
    models.Channel,
    models.Material,
    models.Step,
    models.Deadline,
    models.ParameterValue,
):
    admin.site.register(model, HistoryAdmin)


@admin.register(models.Publication)
class PublicationAdmin(admin.ModelAdmin):
    """The change log: every publication with who, when, why and what it changed. A new one is
    made by "Check the draft and publish"; an earlier one can be published again (a rollback)."""

    list_display = ["id", "published_at", "published_by", "note", "republished_from"]
    readonly_fields = fields = ("published_at", "published_by", "note", "republished_from")
    change_form_template = "admin/benefits/publication/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        return [
            path(
                "publish/",
                self.admin_site.admin_view(self.publish_view),
                name="benefits_publication_publish",
            ),
            path(
                "check/",
                self.admin_site.admin_view(self.check_view),
                name="benefits_publication_check",
            ),
            path(
                "<int:pk>/republish/",
                self.admin_site.admin_view(self.republish_view),
                name="benefits_publication_republish",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        publication = self.get_object(request, object_id)
        extra = {**(extra_context or {})}
        if publication is not None:
            extra["diff"] = publishing.publication_diff(publication)
            extra["can_publish"] = request.user.has_perm("benefits.publish_catalogue")
            extra["is_latest"] = not models.Publication.objects.filter(
                id__gt=publication.id
            ).exists()
        return super().change_view(request, object_id, form_url, extra)

    def check_view(self, request: HttpRequest) -> HttpResponse:
        """The draft against what residents see: diff, persona tests, impact; then publish."""
        if not request.user.has_perm("benefits.view_personacase"):
            raise PermissionDenied
        return self._review(request)

    def _review(self, request: HttpRequest, reason: str = "", status: int = 200) -> HttpResponse:
        return TemplateResponse(
            request,
            "admin/benefits/publish_review.html",
            {
                **self.admin_site.each_context(request),
                **publishing.draft_review(timezone.localdate()),
                "title": _("Check the draft and publish"),
                "can_publish": request.user.has_perm("benefits.publish_catalogue"),
                "reason": reason,
            },
            status=status,
        )

    def publish_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return redirect("admin:benefits_publication_check")
        if not request.user.has_perm("benefits.publish_catalogue"):
            raise PermissionDenied
        reason = request.POST.get("note", "")
        try:
            publication, failures = publishing.publish(request.user, reason)
        except publishing.ReasonRequired as refused:
            messages.error(request, str(refused))
            return self._review(request, reason, status=400)
        except publishing.CatalogueInvalid as invalid:
            messages.error(request, _("Not published: the draft has these problems."))
            for problem in invalid.problems[:20]:
                messages.error(request, problem)
            return self._review(request, reason, status=409)
        if publication is None:
            messages.error(
                request,
                _("Not published: %(count)d persona test(s) fail.") % {"count": len(failures)},
            )
            return self._review(request, reason, status=409)
        messages.success(request, _("Published: residents now see this catalogue."))
        return redirect(reverse("admin:benefits_publication_changelist"))

    def republish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Publish an earlier publication again, with a reason: how a mistake is undone."""
        if request.method != "POST":
            return redirect("admin:benefits_publication_change", pk)
        if not request.user.has_perm("benefits.publish_catalogue"):
            raise PermissionDenied
        earlier = models.Publication.objects.filter(pk=pk).first()
        if earlier is None:
            raise Http404
        try:
            publishing.republish(earlier, request.user, request.POST.get("note", ""))
        except publishing.ReasonRequired as refused:
            messages.error(request, str(refused))
            return redirect("admin:benefits_publication_change", pk)
        messages.success(
            request,
            _("Publication #%(id)s is published again: residents see it, and the draft is it.")
            % {"id": earlier.pk},
        )
        return redirect(reverse("admin:benefits_publication_changelist"))
