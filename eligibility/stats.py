"""Anonymous screening counts for the staff dashboard (a service and its selector)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import DatabaseError, connection, transaction
from django.db.models import Sum

from eligibility.engine import Screening
from eligibility.models import ScreeningTally

logger = logging.getLogger(__name__)
TOTAL = "screenings"


def record_screening(screening: Screening, day: dt.date) -> None:
    """Add one screening and its outcome per programme to today's counts: one statement.

    A failure to count never stops a resident from getting their result.
    """
    rows = [(day, "", TOTAL)] + [(day, r.programme.slug, r.status) for r in screening.results]
    table = connection.ops.quote_name(ScreeningTally._meta.db_table)
    values = ", ".join(["(%s, %s, %s, 1)"] * len(rows))
    sql = (
        f"INSERT INTO {table} (day, programme, status, count) VALUES {values} "
        f"ON CONFLICT (day, programme, status) DO UPDATE SET count = {table}.count + 1"
    )
    params = [value for row in rows for value in row]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # A count may be lost in a crash; no resident should wait for its fsync.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.execute(sql, params)
    except DatabaseError:
        logger.warning("screening count not recorded", exc_info=True)


def daily_totals(days: int, today: dt.date) -> list[tuple[dt.date, int]]:
    since = today - dt.timedelta(days=days - 1)
    counts = dict(
        ScreeningTally.objects.filter(day__gte=since, programme="", status=TOTAL).values_list(
            "day", "count"
        )
    )
    return [
        (since + dt.timedelta(days=i), counts.get(since + dt.timedelta(days=i), 0))
        for i in range(days)
    ]


def outcomes_by_programme(days: int, today: dt.date) -> dict[str, dict[str, int]]:
    since = today - dt.timedelta(days=days - 1)
    table: dict[str, dict[str, int]] = {}
    rows = (
        ScreeningTally.objects.filter(day__gte=since)
        .exclude(programme="")
        .values("programme", "status")
        .annotate(total=Sum("count"))
    )
    for row in rows:
        table.setdefault(row["programme"], {})[row["status"]] = row["total"]
    return dict(sorted(table.items()))
