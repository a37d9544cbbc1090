"""The printable result sheet as PDF (WeasyPrint, Noto Sans CJK) and its QR code (segno)."""

from __future__ import annotations

import segno
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string


def qr_svg(url: str) -> str:
    """An inline SVG QR code that reopens the saved result online."""
    return segno.make(url, error="m").svg_inline(scale=3, dark="#000", light="#fff")


def render_pdf(template: str, context: dict, request: HttpRequest) -> bytes:
    from weasyprint import CSS, HTML  # imported here: loading Pango is slow at start-up

    html = render_to_string(template, context, request=request)
    stylesheets = [CSS(filename=finders.find("css/sheet.css"))]
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=stylesheets
    )
