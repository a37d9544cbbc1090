"""Refusals in the visitor's language: staff see them in the admin's frame, residents in the
site's. Django's own 400 and 403 pages, and django-axes' lockout message, are bare English."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _


def in_admin(request: HttpRequest) -> bool:
    return request.path.startswith(reverse("admin:index"))


def refusal(request: HttpRequest, name: str, status: int, context: dict[str, Any]) -> HttpResponse:
    """`name`.html for residents, admin/`name`.html (with the admin's frame) for staff."""
    if in_admin(request) and hasattr(request, "user"):
        frame = admin.site.each_context(request)
        return render(request, f"admin/{name}.html", {**frame, **context}, status=status)
    return render(request, f"{name}.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400: a form too large, or a request that cannot be read (what was typed is still in the
    browser: going back keeps it)."""
    return refusal(request, "400", 400, {"title": _("The request could not be read")})


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return refusal(request, "403", 403, {"title": _("You do not have permission for this page")})


def staff_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' lockout (AXES_LOCKOUT_CALLABLE): too many wrong passwords for a username."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "title": _("Login temporarily locked"),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": minutes,
    }
    frame = admin.site.each_context(request)
    return render(request, "admin/locked_out.html", {**frame, **context}, status=429)
