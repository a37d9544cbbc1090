"""Recent anonymous answer shapes (`rules.shapes`): recorded as residents screen, read back for
the impact a publisher sees before publishing.

Like the screening counts (`eligibility.stats`), shapes are gathered in each process's memory and
written in one batch at most every few seconds, so no resident waits for a database write.
Only the last `WINDOW` days count; older shapes are deleted when shapes are written.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import threading
import time
from collections.abc import Mapping
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from benefits.models import AnswerShape
from rules.catalogue import Catalogue
from rules.shapes import Shape, shape_of

logger = logging.getLogger(__name__)
WINDOW = dt.timedelta(days=90)
MOST = 500  # the most frequent shapes re-screened before publishing: the review stays quick
FLUSH_SECONDS = 5.0

_lock = threading.Lock()
# digest → (shape, screenings, last day seen)
_pending: dict[str, tuple[dict[str, Any], int, dt.date]] = {}
_last_flush = time.monotonic()


def record_shape(
    catalogue: Catalogue, answers: Mapping[str, Any], as_of: dt.date, day: dt.date | None = None
) -> None:
    """Count the anonymous shape of one screening's typed answers, screened as of `as_of`, seen
    on `day` (today by default); written within a few seconds."""
    record_known_shape(shape_of(catalogue, answers, as_of), day)


def record_known_shape(known: Shape, day: dt.date | None = None) -> None:
    """Count a shape worked out by `shape_of`, seen on `day` (today by default)."""
    global _last_flush
    if known is None:
        return
    shape, digest = known
    day = day or timezone.localdate()
    with _lock:
        _shape, count, _day = _pending.get(digest, (shape, 0, day))
        _pending[digest] = (shape, count + 1, max(day, _day))
        due = time.monotonic() - _last_flush >= FLUSH_SECONDS
        if due:
            _last_flush = time.monotonic()
    if due:
        flush_shapes()


def flush_shapes() -> None:
    """Add the shapes gathered in this process (one upsert per shape, in one batch and one
    transaction) and forget the old ones.

    The statement's text is the same whatever the number of shapes: one statement of all of them
    (thousands in a busy worker) was compiled anew for each number of shapes, and those compiled
    statements (SQLite keeps the last 128 per connection) grew a web worker by ~20 MB (issue 18)."""
    with _lock:
        rows = list(_pending.items())
        _pending.clear()
    if not rows:
        return
    table = connection.ops.quote_name(AnswerShape._meta.db_table)
    sql = (
        f"INSERT INTO {table} (digest, answers, count, last_seen) VALUES (%s, %s, %s, %s) "
        f"ON CONFLICT (digest) DO UPDATE SET count = {table}.count + excluded.count, "
        f"last_seen = CASE WHEN excluded.last_seen > {table}.last_seen "
        f"THEN excluded.last_seen ELSE {table}.last_seen END"
    )
    field = AnswerShape._meta.get_field("answers")
    params = [
        (digest, field.get_db_prep_value(shape, connection), count, day)
        for digest, (shape, count, day) in rows
    ]
    newest = max(day for _digest, (_shape, _count, day) in rows)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, params)
            AnswerShape.objects.filter(last_seen__lt=newest - WINDOW).delete()
    except DatabaseError:  # keeping shapes never stops a resident's result; these are lost
        logger.warning("answer shapes not recorded", exc_info=True)


atexit.register(lambda: flush_shapes() if _pending else None)


def recent_shapes(today: dt.date) -> list[AnswerShape]:
    """Shapes seen in the last `WINDOW` days, the most frequent first (at most `MOST`)."""
    flush_shapes()  # this process's latest shapes first
    return list(
        AnswerShape.objects.filter(last_seen__gt=today - WINDOW).order_by(
            "-count", "-last_seen", "digest"
        )[:MOST]
    )
