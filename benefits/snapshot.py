"""The catalogue as an immutable snapshot for the engine: the draft, and the published one.

Staff edit the catalogue tables (the draft). Publishing freezes the draft, as the catalogue
schema's JSON with its version, into a `Publication`; residents and the API are screened against
the latest publication only. Both snapshots are compiled by `rules.compile` from the same schema,
so what staff test is exactly what residents get. Each process compiles the published snapshot
once and checks whether a newer publication exists at most every
`CATALOGUE_CHECK_SECONDS` (see `PublishedCatalogueMiddleware`): a publish reaches every worker
within those seconds (at once in the worker that published), and a request between two checks
makes no query at all. The policy library of the same publication
(`published_library`) is built alongside it: public pages and the API read documents from there,
never from the draft tables.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time

from django.conf import settings
from django.db import connection

from benefits import models, storage
from rules import catalogue as cat
from rules import schema
from rules.compile import compile_catalogue
from rules.library import Library, build_library
from rules.upgrade import upgrade

_lock = threading.Lock()
_published: cat.Catalogue | None = None
_published_id: tuple | None = None  # (id, published_at) of the publication in memory
_library: Library | None = None  # the same publication's documents
_checked_at = float("-inf")  # time.monotonic() of the last look for a newer publication
# Counts snapshot changes, so tests can tell whether one happened during a test.
generation = 0
NOTHING_PUBLISHED = schema.Catalogue(documents=[], facts=[], programmes=[])


def draft_catalogue() -> cat.Catalogue:
    """The catalogue as staff have edited it, not yet published (for persona tests)."""
    return compile_catalogue(storage.read_draft())


def publication_source(publication: models.Publication) -> schema.Catalogue:
    """A publication's catalogue in the current schema, whatever version it was stored under."""
    return upgrade(publication.catalogue, publication.schema_version)


def published_source() -> schema.Catalogue | None:
    """The latest publication's catalogue (None before the first publication)."""
    publication = models.Publication.objects.order_by("-id").first()
    return None if publication is None else publication_source(publication)


def publication_version(publication: models.Publication) -> str:
    """The version string of a publication's compiled catalogue: "<id>@<published_at iso>"."""
    return f"{publication.id}@{publication.published_at.isoformat()}"


def publication_catalogue(publication: models.Publication) -> cat.Catalogue:
    """Any publication's catalogue, compiled: what a saved result sheet was screened against.

    The latest is the snapshot in memory; a few earlier ones are kept compiled in each process.
    Only `id` and `published_at` of `publication` are read (the catalogue JSON may be deferred).
    """
    latest = get_catalogue()
    if latest.version == publication_version(publication):
        return latest
    return _compiled_publication(publication.id, publication.published_at)


@functools.lru_cache(maxsize=8)
def _compiled_publication(publication_id: int, published_at: dt.datetime) -> cat.Catalogue:
    """Keyed by the time as well as the id: a row never changes, but an id may be reused after
    a rolled-back transaction (tests, SQLite)."""
    publication = models.Publication.objects.get(id=publication_id)
    return compile_catalogue(
        publication_source(publication), version=publication_version(publication)
    )


def publication_id(catalogue: cat.Catalogue) -> int | None:
    """The id of the publication a snapshot was compiled from (None: nothing published)."""
    head, _, _rest = catalogue.version.partition("@")
    return int(head) if head.isdigit() else None


def latest_publication() -> models.Publication | None:
    """The newest publication's id and time (its catalogue JSON is not loaded)."""
    return models.Publication.objects.only("id", "published_at").order_by("-id").first()


def get_catalogue() -> cat.Catalogue:
    """The published snapshot residents are screened against (built once per publication)."""
    snapshot = _published
    if snapshot is None:
        with _lock:
            if _published is None:
                _load_latest()
            snapshot = _published
    assert snapshot is not None  # _load_latest always leaves a catalogue (maybe an empty one)
    return snapshot


def published_library() -> Library:
    """The policy library of the publication residents see (empty before the first one)."""
    library = _library
    if library is None:
        with _lock:
            if _library is None:
                _load_latest()
            library = _library
    assert library is not None  # _load_latest always leaves a library (maybe an empty one)
    return library


def refresh() -> None:
    """Drop the in-memory snapshot if a newer publication exists (one small query)."""
    global _checked_at
    _checked_at = time.monotonic()
    if _latest_publication() != _published_id:
        invalidate()


def refresh_if_due() -> None:
    """`refresh`, unless this process looked less than `CATALOGUE_CHECK_SECONDS` ago: the
    requests in between make no query for the publication."""
    if time.monotonic() - _checked_at >= settings.CATALOGUE_CHECK_SECONDS:
        refresh()


def _latest_publication() -> tuple | None:
    """(id, published_at) of the newest publication. This runs on every request, so it goes
    straight to the cursor: the ORM would spend longer compiling the query than running it."""
    table = connection.ops.quote_name(models.Publication._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, published_at FROM {table} ORDER BY id DESC LIMIT 1")
        return cursor.fetchone()


def invalidate() -> None:
    global _published, _published_id, _library, generation
    _published = None
    _published_id = None
    _library = None
    generation += 1


def _load_latest() -> None:
    global _published, _published_id, _library, _checked_at
    _checked_at = time.monotonic()
    latest = _latest_publication()
    if latest is None:  # nothing published yet: residents see no programme, never the draft
        source, version = NOTHING_PUBLISHED, "none"
    else:
        publication = models.Publication.objects.get(id=latest[0])
        source, version = publication_source(publication), publication_version(publication)
    _published, _published_id, _library = (
        compile_catalogue(source, version=version),
        latest,
        build_library(source),
    )
