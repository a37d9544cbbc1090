"""A saved screening: the answers and the outcomes a resident printed, under a reference code.

A sheet keeps the publication it was screened against and its results as the API gives them, so
it shows the same thing whatever is published later. Nothing identifying is kept (no name, phone
or ID number), and the record expires after 90 days.
"""

import datetime as dt
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RETENTION = dt.timedelta(days=90)
# No 0/O, 1/I/L: a code read aloud at a service window must not be mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# Three groups of five: 31**15 ≈ 2**74 codes (the API contract asks for at least 60 bits).
CODE_GROUPS = 3
CODE_GROUP_SIZE = 5


def new_reference_code() -> str:
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_SIZE))
        for _ in range(CODE_GROUPS)
    )
    return "-".join(["BJ", *groups])


def default_expiry() -> dt.datetime:
    return timezone.now() + RETENTION


class SavedResultQuerySet(models.QuerySet):
    def current(self):
        return self.filter(expires_at__gt=timezone.now())

    def expired(self):
        return self.filter(expires_at__lte=timezone.now())


class SavedResult(models.Model):
    code = models.CharField(
        _("reference code"), max_length=24, unique=True, default=new_reference_code
    )
    as_of = models.DateField(_("screened as of"))
    lang = models.CharField(_("language"), max_length=8, default="zh")
    # Publications are never deleted while a sheet still needs one (sheets expire after 90
    # days); empty only for sheets saved before publications were recorded.
    publication = models.ForeignKey(
        "benefits.Publication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screened against publication"),
    )
    answers = models.JSONField(_("answers"))
    # The results as `POST /api/v1/screen` gives them, in `lang` (eligibility.results_json).
    results = models.JSONField(_("results"))
    # A household's sheet: its members as sent (`[{id, relation, answers}]`, `answers` then being
    # the household's), and what the household adds to the results (eligibility.households).
    # Empty for one person's sheet.
    members = models.JSONField(_("household members"), default=list, blank=True)
    household = models.JSONField(_("household results"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=default_expiry, db_index=True)

    objects = SavedResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("saved result")
        verbose_name_plural = _("saved results")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.code


class ScreeningTally(models.Model):
    """Anonymous counts for the staff dashboard: screenings per day and outcomes per programme.

    Only counts are kept — no answers, no session, no address. The row with an empty
    `programme` and status "screenings" counts screenings themselves.
    """

    day = models.DateField(_("day"))
    programme = models.CharField(_("programme"), max_length=80, blank=True)
    status = models.CharField(_("outcome"), max_length=16)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("screening count")
        verbose_name_plural = _("screening counts")
        constraints = [
            models.UniqueConstraint(fields=["day", "programme", "status"], name="one_tally"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.programme or '*'} {self.status}: {self.count}"


class SheetPdf(models.Model):
    """A saved sheet's PDF, rendered once and then served as stored.

    The PDF is the sheet in the reader's language, with a note when newer rules have been
    published since it was saved; so one is kept per sheet, language, publication in force
    (`rules`) and appendix (reasons and clause texts, asked for with ?clauses=1). Until the
    task worker has rendered it, `content` is empty. Deleting the sheet (at expiry) deletes its
    PDFs.
    """

    sheet = models.ForeignKey(
        SavedResult, on_delete=models.CASCADE, related_name="pdfs", verbose_name=_("saved result")
    )
    lang = models.CharField(_("language"), max_length=8)
    # The latest publication's id when it was rendered ("" before any publication).
    rules = models.CharField(_("publication in force"), max_length=32, blank=True)
    # With the appendix of reasons and clause texts (asked for with ?clauses=1).
    appendix = models.BooleanField(_("with the clause appendix"), default=False)
    content = models.BinaryField(_("PDF"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)

    class Meta:
        verbose_name = _("result sheet PDF")
        verbose_name_plural = _("result sheet PDFs")
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "lang", "rules", "appendix"], name="one_pdf_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id} {self.lang} {self.rules}"
