"""Anonymous screening counts for the staff dashboard (a service and its selectors).

Counts are gathered in each process's memory and written in one statement at most every few
seconds, so no resident waits for a database write; a crash loses at most those seconds of
counts, which a dashboard of trends can afford.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import threading
import time
from collections import Counter

from django.db import DatabaseError, connection, transaction
from django.db.models import Sum

from eligibility.models import ScreeningTally
from rules.engine import Screening

logger = logging.getLogger(__name__)
TOTAL = "screenings"
FLUSH_SECONDS = 5.0

_lock = threading.Lock()
_pending: Counter[tuple[dt.date, str, str]] = Counter()
_last_flush = time.monotonic()


def record_screening(screening: Screening, day: dt.date) -> None:
    """Count one screening and its outcome per programme (written within a few seconds)."""
    global _last_flush
    with _lock:
        _pending[(day, "", TOTAL)] += 1
        for result in screening.results:
            _pending[(day, result.programme.slug, result.status)] += 1
        due = time.monotonic() - _last_flush >= FLUSH_SECONDS
        if due:
            _last_flush = time.monotonic()
    if due:
        flush_counts()


def flush_counts() -> None:
    """Add the counts gathered in this process to the database: one upsert statement."""
    with _lock:
        rows = list(_pending.items())
        _pending.clear()
    if not rows:
        return
    table = connection.ops.quote_name(ScreeningTally._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    sql = (
        f"INSERT INTO {table} (day, programme, status, count) VALUES {values} "
        f"ON CONFLICT (day, programme, status) DO UPDATE SET count = {table}.count + "
        f"excluded.count"
    )
    params = [
        value
        for (day, programme, status), count in rows
        for value in (day, programme, status, count)
    ]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:  # counting never stops a resident's result; these counts are lost
        logger.warning("screening counts not recorded", exc_info=True)


atexit.register(lambda: flush_counts() if _pending else None)


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
