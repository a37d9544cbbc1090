"""The benefit catalogue as data: documents, facts, programmes and everything a rule needs.

Staff edit these rows; the screening engine never reads them directly but works on an immutable
snapshot (`benefits.snapshot`). Every figure carries the gazette clause it comes from.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from benefits.display import condition_text, english
from benefits.validation import (
    amount_errors,
    clause_errors,
    condition_errors,
    expression_errors,
    table_row_errors,
)
from rules.catalogue import Text
from rules.figures import format_figure


class Status(models.TextChoices):
    """A screening's outcome for one programme, as staff read it (persona cases, dashboard)."""

    ELIGIBLE = "eligible", _("eligible")
    UNKNOWN = "unknown", _("may qualify: answers missing")
    INELIGIBLE = "ineligible", _("not eligible")
    INACTIVE = "inactive", _("not in force on the day")


class Document(models.Model):
    """One gazette document (notice, measure, plan) with its full text for the policy library."""

    number = models.CharField(_("document number"), max_length=64, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=400)
    issuers = models.CharField(_("issuers"), max_length=300, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    repeals = models.JSONField(_("repeals"), default=list, blank=True)
    gazette = models.CharField(_("gazette issue"), max_length=64, blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    full_text = models.TextField(_("full text"), blank=True)
    text_file = models.CharField(_("text file"), max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gazette document")
        verbose_name_plural = _("gazette documents")
        ordering = ["-issue_date", "number"]

    def __str__(self) -> str:
        return self.number

    @property
    def title(self) -> Text:
        return Text(self.title_zh, self.title_en)

    @property
    def summary(self) -> Text:
        return Text(self.summary_zh, self.summary_en)

    def clean(self) -> None:
        if self.effective_date and self.end_date and self.end_date < self.effective_date:
            raise ValidationError({"end_date": _("The end date is before the effective date.")})


class Fact(models.Model):
    """A fact about the resident: asked as a question, or derived from other facts."""

    class Type(models.TextChoices):
        DATE = "date", _("date")
        ENUM = "enum", _("one of a list")
        BOOL = "bool", _("yes / no")
        INT = "int", _("whole number")
        NUMBER = "number", _("number")
        STRING = "string", _("text")
        LIST = "list", _("several of a list")

    key = models.SlugField(_("key"), max_length=64, unique=True)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices)
    values = models.JSONField(_("allowed values"), default=list, blank=True)
    labels = models.JSONField(_("value labels"), default=dict, blank=True)
    min_value = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    past = models.BooleanField(
        _("a past event"),
        default=False,
        help_text=_(
            "Tick for a date of something that has already happened (a birth, a certificate "
            "issued, a retirement): an answer after the screening date is refused. Leave it empty "
            "for a date that may lie ahead (an expected graduation, a planned hire)."
        ),
    )

    class Scope(models.TextChoices):
        PERSON = "person", _("each person")
        HOUSEHOLD = "household", _("the whole household")

    scope = models.CharField(
        _("asked of"),
        max_length=10,
        choices=Scope.choices,
        default=Scope.PERSON,
        help_text=_(
            "In a household screening, a household fact (registration, size, income, district) "
            "is asked once for everyone; a person's fact is asked of each member."
        ),
    )
    question_zh = models.CharField(_("question (Chinese)"), max_length=300)
    question_en = models.CharField(_("question (English)"), max_length=300)
    help_zh = models.TextField(_("help (Chinese)"), blank=True)
    help_en = models.TextField(_("help (English)"), blank=True)
    ask_if = models.CharField(_("ask only if"), max_length=500, blank=True)
    derived = models.CharField(_("derived from"), max_length=500, blank=True)
    group = models.CharField(_("page group"), max_length=64, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    programme = models.ForeignKey(
        "Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facts",
        verbose_name=_("defined with programme"),
        help_text=_("Empty for the shared facts; else the programme file that defines it."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fact (question)")
        verbose_name_plural = _("facts (questions)")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.key

    def clean(self) -> None:
        known = known_names() | {self.key}
        for field in ("ask_if", "derived"):
            errors = expression_errors(getattr(self, field), known)
            if errors:
                raise ValidationError({field: errors})
        if self.type in (self.Type.ENUM, self.Type.LIST) and not self.values and not self.derived:
            raise ValidationError({"values": _("List the allowed values.")})
        if self.past and (self.type != self.Type.DATE or self.derived):
            raise ValidationError(
                {"past": _("Only a date the resident answers can be a past event.")}
            )


class Programme(models.Model):
    """A subsidy or service a resident (or employer) may claim, from one source document."""

    class Audience(models.TextChoices):
        RESIDENT = "resident", _("resident")
        EMPLOYER = "employer", _("employer")
        HOUSEHOLD = "household", _("household (screened once per household)")

    class Category(models.TextChoices):
        ELDERLY_CARE = "elderly_care", _("elderly care")
        EMPLOYMENT = "employment", _("employment")
        TRAINING = "training", _("skills and training")
        HEALTH = "health", _("health")
        MEDICAL_INSURANCE = "medical_insurance", _("medical insurance")
        SOCIAL_ASSISTANCE = "social_assistance", _("social assistance")
        CHILDREN = "children", _("children")
        EDUCATION = "education", _("education")
        PENSION = "pension", _("pension")
        HOUSING = "housing", _("housing")
        WORK_INJURY = "work_injury", _("work injury")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    plain_zh = models.TextField(_("plain summary (Chinese)"), blank=True)
    plain_en = models.TextField(_("plain summary (English)"), blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"))
    summary_en = models.TextField(_("summary (English)"))
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.RESIDENT
    )
    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("source document"),
    )
    cites = models.ManyToManyField(
        Document, blank=True, related_name="cited_by", verbose_name=_("also cites")
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    period_clause = models.CharField(_("period clause"), max_length=64, blank=True)
    office_zh = models.CharField(_("deciding office (Chinese)"), max_length=300, blank=True)
    office_en = models.CharField(_("deciding office (English)"), max_length=300, blank=True)
    decisions = models.JSONField(_("reading decisions"), default=list, blank=True)
    apply_clause = models.CharField(_("how-to-apply clause"), max_length=64, blank=True)
    agent_zh = models.TextField(_("who may apply for someone (Chinese)"), blank=True)
    agent_en = models.TextField(_("who may apply for someone (English)"), blank=True)
    processing_zh = models.TextField(_("processing (Chinese)"), blank=True)
    processing_en = models.TextField(_("processing (English)"), blank=True)
    payment_zh = models.TextField(_("payment (Chinese)"), blank=True)
    payment_en = models.TextField(_("payment (English)"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        name = self.name_en if english() else self.name_zh
        return f"{name}（{self.slug}）" if name else self.slug

    @property
    def name(self) -> Text:
        return Text(self.name_zh, self.name_en)

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})
        document = related(self, "document")
        raise_clause_errors(
            {"period_clause": self.period_clause, "apply_clause": self.apply_clause}, document
        )


class Requirement(models.Model):
    """A numbered clause a person must meet; met when any of its alternatives is met.

    An exclusion ("those already receiving X are not covered") is a requirement of kind
    `exclusion` whose condition is `receives excludes [...]`, so it is reported with its clause
    like any other reason.
    """

    class Kind(models.TextChoices):
        REQUIREMENT = "requirement", _("requirement")
        EXCLUSION = "exclusion", _("exclusion")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="requirements",
        verbose_name=_("programme"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.REQUIREMENT
    )
    clause = models.CharField(_("clause"), max_length=64)
    text = models.TextField(_("gazette text"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"))
    description_en = models.TextField(_("description (English)"))
    note_zh = models.TextField(_("reading note (Chinese)"), blank=True)
    note_en = models.TextField(_("reading note (English)"), blank=True)
    open_list = models.BooleanField(
        _("examples, not a closed list"),
        default=False,
        help_text=_(
            "Tick when the clause only names examples (主要针对…等): a resident who matches "
            "none of them is told to ask, never that they do not qualify."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["programme", "order", "id"]

    def __str__(self) -> str:
        return f"{self.programme.name_en if english() else self.programme.name_zh} {self.clause}"

    def clean(self) -> None:
        raise_clause_errors({"clause": self.clause}, programme_document(self))


class Condition(models.Model):
    """A test of one fact. Conditions sharing an `alternative` number must all hold."""

    class Operator(models.TextChoices):
        EQ = "eq", _("equals")
        NE = "ne", _("differs from")
        IN = "in", _("is one of")
        NOT_IN = "not_in", _("is none of")
        GTE = "gte", _("at least")
        LTE = "lte", _("at most")
        BETWEEN = "between", _("between")
        WITHIN = "within", _("date within")
        CONTAINS = "contains", _("contains")
        EXCLUDES = "excludes", _("contains none of")

    requirement = models.ForeignKey(
        Requirement,
        on_delete=models.CASCADE,
        related_name="conditions",
        verbose_name=_("requirement"),
    )
    alternative = models.PositiveIntegerField(_("alternative"), default=1)
    fact = models.CharField(_("fact"), max_length=64)
    operator = models.CharField(_("operator"), max_length=10, choices=Operator.choices)
    value = models.JSONField(_("value"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        ordering = ["requirement", "alternative", "id"]

    def __str__(self) -> str:
        return condition_text(self, {self.fact: Fact.objects.filter(key=self.fact).first()})

    def clean(self) -> None:
        facts = {f.key: f for f in Fact.objects.all()}
        errors = condition_errors(self.fact, self.operator, self.value, facts)
        if errors:
            raise ValidationError({"value": errors})


class Conflict(models.Model):
    """Two programmes that cannot both be received: the resident must choose one."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="conflicts",
        verbose_name=_("programme"),
    )
    other = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("cannot be combined with"),
    )
    clause = models.CharField(_("clause"), max_length=64)
    note_zh = models.TextField(_("note (Chinese)"))
    note_en = models.TextField(_("note (English)"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conflict")
        verbose_name_plural = _("conflicts")

    def __str__(self) -> str:
        return f"{self.programme.slug} × {self.other.slug}"

    def clean(self) -> None:
        raise_clause_errors({"clause": self.clause}, programme_document(self))


class AmountTable(models.Model):
    """A lookup table printed in the gazette (keys → value), e.g. the occupation catalogue."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="tables",
        null=True,
        blank=True,
        verbose_name=_("programme"),
    )
    clause = models.CharField(_("clause"), max_length=64)
    keys = models.JSONField(_("key columns"), default=list)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("standard table")
        verbose_name_plural = _("standard tables")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug

    def clean(self) -> None:
        raise_clause_errors({"clause": self.clause}, programme_document(self))


class TableRow(models.Model):
    """A printed row; dated rows let next year's standard be entered before it applies."""

    table = models.ForeignKey(
        AmountTable, on_delete=models.CASCADE, related_name="rows", verbose_name=_("standard table")
    )
    no = models.PositiveIntegerField(_("row number"))
    keys = models.JSONField(_("keys"))
    value = models.JSONField(_("value"), null=True, blank=True)
    label_zh = models.CharField(_("label (Chinese)"), max_length=300, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    extra = models.JSONField(_("other columns"), default=dict, blank=True)
    valid_from = models.DateField(
        _("valid from"),
        null=True,
        blank=True,
        help_text=_("The first day the row applies; empty: it has always applied."),
    )
    valid_to = models.DateField(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("The last day the row applies; empty: no end."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("table row")
        verbose_name_plural = _("table rows")
        ordering = ["table", "no"]
        constraints = [
            models.UniqueConstraint(fields=["table", "no"], name="unique_row_number"),
        ]

    def __str__(self) -> str:
        return f"{self.table.slug} #{self.no}"

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The row ends before it starts.")})
        amounts = list(Amount.objects.filter(table_id=self.table_id, kind=Amount.Kind.TABLE))
        facts = {fact.key: fact for fact in Fact.objects.all()} if amounts else {}
        errors = table_row_errors(self, amounts, facts)
        if errors:
            raise ValidationError(errors)


class Parameter(models.Model):
    """A dated figure (e.g. the 低保 standard); values are added, never overwritten."""

    class Unit(models.TextChoices):
        """What the figures count (`rules.schema.Unit`)."""

        YUAN = "yuan", _("yuan")
        YUAN_PER_MONTH = "yuan_per_month", _("yuan a month")
        YUAN_PER_YEAR = "yuan_per_year", _("yuan a year")
        YUAN_PER_PERSON = "yuan_per_person", _("yuan a person")
        YUAN_PER_CLASS_HOUR = "yuan_per_class_hour", _("yuan a class hour")
        CLASS_HOURS = "class_hours", _("class hours")
        YEARS = "years", _("years")
        MONTHS = "months", _("months")
        DAYS = "days", _("days")
        RATIO = "ratio", _("share (0 to 1)")

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    unit = models.CharField(_("unit"), max_length=32, blank=True, choices=Unit.choices)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parameters",
        verbose_name=_("programme"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("parameter")
        verbose_name_plural = _("parameters")

    def __str__(self) -> str:
        return self.key


class ParameterValue(models.Model):
    parameter = models.ForeignKey(
        Parameter, on_delete=models.CASCADE, related_name="values", verbose_name=_("parameter")
    )
    effective_from = models.DateField(_("effective from"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    clause = models.CharField(_("source clause"), max_length=120)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("parameter value")
        verbose_name_plural = _("parameter values")
        ordering = ["parameter", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["parameter", "effective_from"], name="one_value_per_date"
            ),
        ]

    def __str__(self) -> str:
        return _("%(key)s: %(value)s from %(day)s") % {
            "key": self.parameter.key,
            "value": format_figure(Decimal(self.value), "zh"),
            "day": self.effective_from,
        }

    def clean(self) -> None:
        parameter = related(self, "parameter")
        document = programme_document(parameter) if parameter is not None else None
        raise_clause_errors({"clause": self.clause}, document)


class Amount(models.Model):
    """How much a programme pays. The first amount whose `when` holds applies."""

    class Kind(models.TextChoices):
        FIXED = "fixed", _("fixed")
        TABLE = "table", _("table lookup")
        RATE = "rate", _("rate with cap")
        FORMULA = "formula", _("formula")
        NONE = "none", _("not set by the gazette")

    class Period(models.TextChoices):
        ONCE = "once", _("once")
        MONTH = "month", _("per month")
        YEAR = "year", _("per year")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="amounts",
        verbose_name=_("programme"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    when = models.CharField(_("applies when"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period = models.CharField(
        _("period"), max_length=8, choices=Period.choices, default=Period.ONCE
    )
    # A figure, or the key of a dated parameter: "1000" or "job_expansion_subsidy_per_hire"
    value = models.CharField(
        _("fixed value"),
        max_length=80,
        blank=True,
        help_text=_(
            "A figure in yuan, or the key of a parameter (its value on the screening date)."
        ),
    )
    rate = models.DecimalField(_("rate"), max_digits=6, decimal_places=4, null=True, blank=True)
    base = models.CharField(_("rate of fact"), max_length=64, blank=True)
    cap = models.CharField(
        _("cap"),
        max_length=80,
        blank=True,
        help_text=_(
            "A figure in yuan, or the key of a parameter (its value on the screening date)."
        ),
    )
    table = models.ForeignKey(
        AmountTable,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("standard table"),
    )
    table_keys = models.JSONField(_("table key facts"), default=list, blank=True)
    formula = models.TextField(_("formula"), blank=True)
    clause = models.CharField(_("clause"), max_length=64)
    note_zh = models.TextField(_("note (Chinese)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("amount rule")
        verbose_name_plural = _("amount rules")
        ordering = ["programme", "order", "id"]

    def __str__(self) -> str:
        name = self.programme.name_en if english() else self.programme.name_zh
        return f"{name} {self.get_kind_display()}"

    def clean(self) -> None:
        parameters = set(Parameter.objects.values_list("key", flat=True))
        facts = {fact.key: fact for fact in Fact.objects.all()}
        errors = amount_errors(self, known_names(), parameters, facts)
        if errors:
            raise ValidationError(errors)
        raise_clause_errors({"clause": self.clause}, programme_document(self))


class Channel(models.Model):
    class Kind(models.TextChoices):
        WEBSITE = "website", _("website")
        APP = "app", _("app")
        MINIPROGRAM = "miniprogram", _("mini-program")
        WINDOW = "window", _("service window")
        PHONE = "phone", _("telephone")
        POST = "post", _("post")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="channels",
        verbose_name=_("programme"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    url = models.URLField(_("address"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["programme", "order", "id"]

    def __str__(self) -> str:
        return self.name_zh


class ApplicationText(models.Model):
    """One bilingual line of a programme's how-to-apply list, kept in order."""

    order = models.PositiveIntegerField(_("order"), default=0)
    text_zh = models.TextField(_("text (Chinese)"))
    text_en = models.TextField(_("text (English)"))

    class Meta:
        abstract = True
        ordering = ["programme", "order", "id"]

    def __str__(self) -> str:
        return self.text_zh[:60]


class Material(ApplicationText):
    """Something to bring (shown with a tick box on the result sheet)."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="materials",
        verbose_name=_("programme"),
    )

    history = HistoricalRecords()

    class Meta(ApplicationText.Meta):
        verbose_name = _("material")
        verbose_name_plural = _("materials")


class Step(ApplicationText):
    """One numbered step of applying."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("programme"),
    )

    history = HistoricalRecords()

    class Meta(ApplicationText.Meta):
        verbose_name = _("step")
        verbose_name_plural = _("steps")


class Deadline(models.Model):
    """A fixed date, or a personal one: `months` after the date in fact `relative_to`."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="deadlines",
        verbose_name=_("programme"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    description_zh = models.TextField(_("description (Chinese)"))
    description_en = models.TextField(_("description (English)"))
    clause = models.CharField(_("clause"), max_length=64)
    relative_to = models.CharField(_("relative to fact"), max_length=64, blank=True)
    months = models.IntegerField(_("months after"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["programme", "order", "id"]

    def __str__(self) -> str:
        return self.description_zh[:60]

    def clean(self) -> None:
        if bool(self.relative_to) != (self.months is not None):
            raise ValidationError(
                _("A personal deadline needs both a fact and a number of months.")
            )
        raise_clause_errors({"clause": self.clause}, programme_document(self))


class PersonaCase(models.Model):
    """A test case: these answers on this date must give this status and amount."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="cases",
        verbose_name=_("programme"),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    clause = models.CharField(_("clause checked"), max_length=64, blank=True)
    as_of = models.DateField(_("as of"))
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    expected_status = models.CharField(_("expected status"), max_length=16, choices=Status.choices)
    check_amount = models.BooleanField(_("check the amount"), default=True)
    expected_amount = models.DecimalField(
        _("expected amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    expected_reasons = models.JSONField(
        _("expected reasons"),
        null=True,
        blank=True,
        help_text=_(
            "Optional: the outcome of each requirement in order (met, not_met or unknown), "
            "exclusions last."
        ),
    )
    expected_missing = models.JSONField(
        _("expected missing answers"),
        null=True,
        blank=True,
        help_text=_("Optional: the question keys the result still needs, in question order."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("persona test case")
        verbose_name_plural = _("persona test cases")
        ordering = ["programme", "id"]

    def __str__(self) -> str:
        return f"{self.programme.slug}: {self.name_en if english() else self.name_zh}"

    def clean(self) -> None:
        raise_clause_errors({"clause": self.clause}, programme_document(self))


class Publication(models.Model):
    """A published catalogue: the draft frozen as the catalogue schema's JSON, with its version.

    Residents are screened on the latest one. Publishing never changes earlier publications, so
    every result a resident saw can be traced to the catalogue of its day; one stored under an
    older `schema_version` is lifted to the current schema when read (`rules.upgrade`).
    """

    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    note = models.CharField(_("reason"), max_length=300, blank=True)
    schema_version = models.PositiveSmallIntegerField(_("schema version"))
    republished_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("republishes"),
        help_text=_("Set when this publication rolled back to an earlier one."),
    )
    catalogue = models.JSONField(_("catalogue"))

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-id"]
        permissions = [("publish_catalogue", _("Can publish the catalogue to residents"))]

    def __str__(self) -> str:
        return f"#{self.pk} {self.published_at:%Y-%m-%d %H:%M}"


class CatalogueLoad(models.Model):
    """A load of the catalogue files, with a fingerprint of the draft it wrote.

    `load_catalogue --replace` compares the draft with the fingerprint of the last load: a
    difference means staff edited the catalogue since, and their work must be exported first.
    """

    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    source = models.CharField(_("loaded from"), max_length=500)
    fingerprint = models.CharField(_("fingerprint of the draft"), max_length=64)

    class Meta:
        verbose_name = _("catalogue load")
        verbose_name_plural = _("catalogue loads")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.loaded_at:%Y-%m-%d %H:%M} {self.source}"


class AnswerShape(models.Model):
    """An anonymous answer shape (`rules.shapes`): residents' answers coarsened until they identify
    no one, counted by day of last sight, for the impact a publisher sees before publishing.

    No birth date, income, typed text, reference code, session or address is kept; shapes not
    seen for `benefits.shapes.WINDOW` days are deleted.
    """

    digest = models.CharField(_("digest"), max_length=64, unique=True)
    answers = models.JSONField(_("answer shape"))
    count = models.PositiveIntegerField(_("screenings"), default=0)
    last_seen = models.DateField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("anonymous answer shape")
        verbose_name_plural = _("anonymous answer shapes")

    def __str__(self) -> str:
        return f"{self.digest[:8]} ×{self.count} {self.last_seen}"


def related(row: models.Model, name: str) -> Any:
    """The object a foreign key points to, or None while the form has not set it."""
    try:
        return getattr(row, name)
    except ObjectDoesNotExist:
        return None


def programme_document(row: models.Model) -> Document | None:
    """The source document of the programme `row` belongs to (as the form holds it)."""
    programme = related(row, "programme")
    return related(programme, "document") if programme is not None else None


def document_text(number: str, document: Document | None) -> str | None:
    """The full text of document `number` (None when the catalogue has no such document)."""
    if document is not None and number == document.number:
        return document.full_text
    return Document.objects.filter(number=number).values_list("full_text", flat=True).first()


def raise_clause_errors(clauses: dict[str, str], document: Document | None) -> None:
    """Refuse clauses (field name → clause) that are not in their document's text: a citation
    must lead the resident to the sentence it stands for (`rules.clauses`)."""
    number = document.number if document is not None else ""
    errors = {
        field: found
        for field, clause in clauses.items()
        if (found := clause_errors(clause, number, lambda n: document_text(n, document)))
    }
    if errors:
        raise ValidationError(errors)


def known_names() -> set[str]:
    """Every name a formula may use: fact keys and parameter keys (and `as_of`)."""
    names = set(Fact.objects.values_list("key", flat=True))
    return names | set(Parameter.objects.values_list("key", flat=True))
