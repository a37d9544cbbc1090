"""Staff sessions end 8 hours after login, however active.

Residents and staff share one session engine, whose settings suit residents (2 idle hours,
renewed on every request); a staff login replaces that with a fixed end.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from django.utils import timezone

STAFF_SESSION = dt.timedelta(hours=8)


def end_staff_session_in_eight_hours(
    sender: Any, request: HttpRequest, user: Any, **_: Any
) -> None:
    if request is not None:
        request.session.set_expiry(timezone.now() + STAFF_SESSION)


def connect() -> None:
    user_logged_in.connect(end_staff_session_in_eight_hours, dispatch_uid="staff-session-8h")
