"""Database sessions that know when their row expires, so renewing them can be rare.

Residents' sessions end after `SESSION_COOKIE_AGE` idle: each request renews them. Writing the row
on every request (`SESSION_SAVE_EVERY_REQUEST`) costs an UPDATE and a commit per request, even
for pages that never read the session; instead the row's expiry is read with the session, and
`config.middleware.IdleSessionMiddleware` writes it only when a renewal would push it on by more
than `RENEW_AFTER`. The idle limit then holds to within those few minutes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sessions.backends import db

RENEW_AFTER = dt.timedelta(minutes=5)


class SessionStore(db.SessionStore):
    stored_expiry: dt.datetime | None = None

    def load(self) -> dict[str, Any]:
        """As Django's, keeping the row's expiry."""
        found = self._get_session_from_db()  # type: ignore[attr-defined]
        self.stored_expiry = found.expire_date if found else None
        return self.decode(found.session_data) if found else {}

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
