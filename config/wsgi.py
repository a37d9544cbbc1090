"""The WSGI application (`gunicorn config.wsgi`), and the warm-up each worker runs before it
takes its first request."""

import logging
import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

logger = logging.getLogger("eligibility")


def warm_up() -> None:
    """Load the URL patterns, compile the resident templates, build the catalogue snapshot and
    its screening plans (one screening with no answers), so the first residents after a deploy
    or a worker restart do not wait for them (~150 ms).
    With the database down the snapshot is left to the first request, which retries."""
    from django.conf import settings
    from django.db import DatabaseError, connections
    from django.template.loader import get_template
    from django.urls import get_resolver, reverse
    from django.utils import timezone

    from benefits.snapshot import get_catalogue
    from rules import engine

    get_resolver().resolve("/")
    reverse("eligibility:start")
    templates = Path(settings.BASE_DIR) / "templates"
    for path in sorted((templates / "eligibility").glob("*.html")):
        get_template(str(path.relative_to(templates)))
    try:
        engine.screen(get_catalogue(), {}, timezone.localdate())
    except DatabaseError:
        logger.warning("warm-up: database unavailable; the snapshot loads on first request")
    finally:
        connections.close_all()
