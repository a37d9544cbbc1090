"""Staff logins (django-axes): two lockout limits and the client address they count.

Guessing is slowed per username *at an address* (5 failures) and per address across usernames
(20 failures), each lifted after `AXES_COOLOFF_TIME`. A lockout is never by username alone:
whoever mistypes a colleague's name from elsewhere must not lock that colleague out of the office.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.db.models import Sum
from django.http import HttpRequest

from eligibility.throttling import client_address

USER_AT_ADDRESS_LIMIT = 5
ADDRESS_LIMIT = 20


def login_address(request: HttpRequest) -> str:
    """The address axes records: the one the rate limits count, so nginx's X-Real-IP too."""
    return client_address("staff-login", request)


def user_failures_at_address(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """Failures of this username from this address within the cool-off period."""
    recent = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials),
        ip_address=getattr(request, "axes_ip_address", None) or login_address(request),
        attempt_time__gte=get_cool_off_threshold(request),
    )
    return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0


def login_failure_limit(request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
    """The limit axes compares with its count, which is the address's failures (the largest of
    its lockout parameters, `[["username", "ip_address"], "ip_address"]`).

    axes has one limit for both, so: 5 once this username failed 5 times here (the address has at
    least as many), otherwise 20 for the address across every username.
    """
    if user_failures_at_address(request, credentials) >= USER_AT_ADDRESS_LIMIT:
        return USER_AT_ADDRESS_LIMIT
    return ADDRESS_LIMIT


class StaffLoginHandler(AxesDatabaseHandler):
    """axes' database handler, except that a successful login forgives only its own username's
    failures at that address: one colleague logging in must not reset a guesser's count."""

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        deleted, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        ).delete()
        return deleted
