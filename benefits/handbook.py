"""The staff handbook (docs/staff-handbook.md), shown in the admin so staff need no other tool."""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

HANDBOOK = Path(settings.BASE_DIR) / "docs" / "staff-handbook.md"


@functools.cache
def handbook_html() -> SafeString:
    """The handbook as HTML; raw HTML in the file is escaped, not rendered."""
    renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
    return mark_safe(renderer.render(HANDBOOK.read_text(encoding="utf-8")))


def handbook(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "admin/handbook.html",
        {**admin.site.each_context(request), "title": _("Staff handbook"), "html": handbook_html()},
    )
