"""The printable result sheet as PDF (WeasyPrint, Noto Sans CJK) and its QR code (segno)."""

from __future__ import annotations

import segno
from django.contrib.staticfiles import finders


def qr_svg(url: str) -> str:
    """An inline SVG QR code that reopens the saved result online."""
    return segno.make(url, error="m").svg_inline(scale=3, dark="#000", light="#fff")


def html_to_pdf(html: str, base_url: str) -> bytes:
    from weasyprint import CSS, HTML  # imported here: loading Pango is slow at start-up

    stylesheets = [CSS(filename=finders.find("css/sheet.css"))]
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=stylesheets)
