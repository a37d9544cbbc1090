"""Database sessions that know when their row expires, so renewing them can be rare.

Residents' sessions end after `SESSION_COOKIE_AGE` idle: each request renews them. Writing the row
on every request (`SESSION_SAVE_EVERY_REQUEST`) costs an UPDATE and a commit per request, even
for pages that never read the session; instead the row's expiry is read with the session, and
`config.middleware.IdleSessionMiddleware` writes it only when a renewal would push it on by more
than `RENEW_AFTER`. The idle limit then holds to within those few minutes.

Every resident's page reads the session, so the read is one prepared SELECT rather than a
queryset: the ORM spent about 0.2 ms building the same query each time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone
from django.utils.dateparse import parse_datetime

RENEW_AFTER = dt.timedelta(minutes=5)


class SessionStore(db.SessionStore):
    stored_expiry: dt.datetime | None = None

    def load(self) -> dict[str, Any]:
        """As Django's, keeping the row's expiry."""
        found = self._stored_row()
        if found is None:
            self._session_key = None  # as Django's: a new key if the session is saved
            self.stored_expiry = None
            return {}
        data, self.stored_expiry = found
        return self.decode(data)

    def _stored_row(self) -> tuple[str, dt.datetime] | None:
        """The row's data and expiry if it exists and has not expired (Django's query for
        `_get_session_from_db`, sent without building a queryset)."""
        if not self.session_key:
            return None
        connection = connections[router.db_for_read(self.model)]
        quote, table = connection.ops.quote_name, self.model._meta.db_table
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data, expire_date FROM {quote(table)} "  # no input in the text
                "WHERE session_key = %s AND expire_date > %s",
                [self.session_key, now],
            )
            row = cursor.fetchone()
        return None if row is None else (row[0], _aware(row[1]))

    def renewal_due(self) -> bool:
        """Whether saving now would move the stored expiry on by more than `RENEW_AFTER` (never
        for a staff session's fixed end, which saving leaves where it is)."""
        if self.is_empty():
            return False
        accessed = self.accessed  # reading it here is no access by the page: no `Vary: Cookie`
        renewed = self.get_expiry_date()  # reads the session, and so its row's expiry
        self.accessed = accessed
        if self.stored_expiry is None:  # no such row, or a session this request created
            return False
        return renewed - self.stored_expiry > RENEW_AFTER


def _aware(value: dt.datetime | str) -> dt.datetime:
    """A stored expiry as the ORM gives it (SQLite keeps naive UTC). Text the database could not
    read as a date counts as long past: renewing the session rewrites it."""
    if isinstance(value, str):
        value = parse_datetime(value) or dt.datetime.min
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)
