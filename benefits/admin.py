"""The staff admin for the catalogue: every model, history with diffs, persona runs, publishing.

Everything staff edit here is the draft; residents keep the published catalogue until someone
with the publish permission publishes, which is refused while any persona case fails.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models as db
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from benefits import models
from benefits.display import answers_text, condition_text, plain
from benefits.services import publish_catalogue, run_draft_cases

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


class HistoryAdmin(SimpleHistoryAdmin):
    """Every catalogue page keeps who changed what and when, with a diff and a revert."""

    history_list_display: list[str] = []
    formfield_overrides = TEXT_AREAS


class StackedInline(admin.StackedInline):
    formfield_overrides = TEXT_AREAS


class TabularInline(admin.TabularInline):
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


class AmountInline(StackedInline):
    model = models.Amount
    extra = 0
    fields = [
        ("order", "kind", "period", "clause"),
        "when",
        ("value", "rate", "base", "cap"),
        ("table", "table_keys"),
        "formula",
        ("note_zh", "note_en"),
    ]


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
    failures = [o for o in outcomes if not o.passed]
    return TemplateResponse(
        request,
        "admin/benefits/persona_report.html",
        {
            **admin.site.each_context(request),
            "title": _("Persona tests against the draft"),
            "outcomes": outcomes,
            "failures": failures,
            "can_publish": request.user.has_perm("benefits.publish_catalogue"),
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
    extra = 0


def facts_by_key() -> dict[str, models.Fact]:
    return {fact.key: fact for fact in models.Fact.objects.all()}


def column(description: StrOrPromise, show: Callable[[Any], str]) -> Callable[[Any], str]:
    """A list column computed for each row (facts loaded once per page, not once per row)."""
    show.short_description = description  # type: ignore[attr-defined]
    return show


@admin.register(models.Condition)
class ConditionAdmin(HistoryAdmin):
    list_filter = ["operator", "requirement__programme"]
    search_fields = ["fact", "requirement__clause", "requirement__programme__slug"]
    list_select_related = ["requirement__programme"]

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        facts = facts_by_key()
        reads = column(_("condition"), lambda row: condition_text(row, facts))
        return ["requirement", "alternative", reads]

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
    list_display = ["key", "type", "question_zh", "group", "order", "ask_if", "derived"]
    list_filter = ["type", "group"]
    search_fields = ["key", "question_zh", "question_en"]
    fields = [
        ("key", "type", "group", "order"),
        "values",
        "labels",
        ("min_value", "max_value", "past"),
        ("question_zh", "question_en"),
        ("help_zh", "help_en"),
        "ask_if",
        "derived",
    ]


class TableRowResource(resources.ModelResource):
    """CSV/XLSX rows of one lookup table: `table` by slug, keys and labels as printed."""

    class Meta:
        model = models.TableRow
        fields = ["id", "table", "no", "keys", "value", "label_zh", "label_en", "extra"]
        import_id_fields = ["id"]
        skip_unchanged = True
        report_skipped = False
        clean_model_instances = True

    def dehydrate_table(self, row: models.TableRow) -> str:
        return row.table.slug

    def before_import_row(self, row, **kwargs) -> None:
        slug = row.get("table")
        table = models.AmountTable.objects.filter(slug=slug).first()
        if table is None:
            raise ValueError(f"Unknown table {slug!r}.")
        row["table"] = table.pk


class TableRowInline(TabularInline):
    model = models.TableRow
    extra = 0
    fields = ["no", "keys", "value", "label_zh", "label_en", "extra"]


@admin.register(models.AmountTable)
class AmountTableAdmin(HistoryAdmin):
    list_display = ["slug", "name_zh", "programme", "clause"]
    list_filter = ["programme"]
    search_fields = ["slug", "name_zh", "name_en"]
    inlines = [TableRowInline]


@admin.register(models.TableRow)
class TableRowAdmin(ImportExportModelAdmin, HistoryAdmin):
    resource_classes = [TableRowResource]
    list_display = ["table", "no", "keys_text", "value_text", "label_zh", "label_en", "extra_text"]
    list_filter = ["table"]
    list_select_related = ["table"]
    search_fields = ["label_zh", "label_en", "keys"]

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
    models.Amount,
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
    """Publications are read-only records; a new one is made by "Publish the draft"."""

    list_display = ["id", "published_at", "published_by", "note"]
    readonly_fields = fields = ("published_at", "published_by", "note")

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
            *super().get_urls(),
        ]

    def check_view(self, request: HttpRequest) -> HttpResponse:
        """Run every persona case against the draft (editors and publishers)."""
        if not request.user.has_perm("benefits.view_personacase"):
            raise PermissionDenied
        return _persona_report(request, run_draft_cases())

    def publish_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return redirect("admin:benefits_publication_check")
        if not request.user.has_perm("benefits.publish_catalogue"):
            raise PermissionDenied
        publication, failures = publish_catalogue(request.user, request.POST.get("note", ""))
        if publication is None:
            messages.error(
                request,
                _("Not published: %(count)d persona test(s) fail.") % {"count": len(failures)},
            )
            response = _persona_report(request, failures)
            return response
        messages.success(request, _("Published: residents now see this catalogue."))
        return redirect(reverse("admin:benefits_publication_changelist"))
