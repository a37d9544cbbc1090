"""Load catalogue files into the draft and publish them, all or nothing; export them back.

Every file is parsed with the catalogue schema and every reference checked before anything is
written, so a database never holds half a catalogue. A load remembers a fingerprint of the draft
it wrote: replacing the catalogue later is refused while staff edits since that load would be
lost, unless forced, so the files and the admin never silently overwrite each other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from benefits import models, storage
from benefits.files import CatalogueError, read_directory, write_directory
from benefits.snapshot import published_source
from benefits.validation import translate
from rules import schema
from rules.validation import catalogue_problems

__all__ = ["CatalogueError", "StaffEditsError", "check_directory", "export_catalogue"]


class StaffEditsError(CatalogueError):
    """The draft differs from what was last loaded: staff edited it since."""


def check_directory(directory: Path) -> schema.Catalogue:
    """The catalogue in `directory`, refused with every problem (in the active language)."""
    catalogue = read_directory(directory)
    problems = catalogue_problems(catalogue)
    if problems:
        raise CatalogueError([translate(problem) for problem in problems])
    return catalogue


def staff_edited() -> bool:
    """Whether the draft changed since the last load (or was never loaded but is not empty)."""
    last = models.CatalogueLoad.objects.first()
    if last is None:
        return models.Programme.objects.exists() or models.Document.objects.exists()
    return storage.fingerprint(storage.read_draft()) != last.fingerprint


def load_catalogue(
    directory: Path, *, replace: bool = False, force: bool = False, user: Any = None
) -> bool:
    """Load `directory` into the draft and publish it.

    Returns False (and writes nothing) when a catalogue is present and `replace` is not set.
    With `replace`, refuses (StaffEditsError) when staff edited the draft since the last load,
    unless `force`: export it first (`manage.py export_catalogue --draft DIR`).
    """
    catalogue = check_directory(directory)
    if models.Programme.objects.exists():
        if not replace:
            return False
        if staff_edited() and not force:
            raise StaffEditsError(
                [
                    "Staff have edited the catalogue since it was last loaded; loading would "
                    "overwrite their edits. Export the draft first (manage.py export_catalogue "
                    "--draft DIR), then load with --force."
                ]
            )
    with transaction.atomic():
        storage.write_draft(catalogue)
        models.CatalogueLoad.objects.create(
            source=str(directory), fingerprint=storage.fingerprint(storage.read_draft())
        )
        publish_draft(note=f"Loaded from {directory.name or directory}", user=user)
    return True


def publish_draft(note: str, user: Any = None) -> models.Publication:
    """Freeze the draft as a new publication (callers check persona cases first)."""
    return models.Publication.objects.create(
        catalogue=storage.read_draft().model_dump(mode="json", by_alias=True),
        schema_version=schema.SCHEMA_VERSION,
        note=note,
        published_by=user,
    )


def export_catalogue(directory: Path, *, draft: bool = False) -> schema.Catalogue:
    """Write the published catalogue (or the draft) to `directory` in the files' layout."""
    catalogue = storage.read_draft() if draft else published_source()
    if catalogue is None:
        raise CatalogueError(["Nothing has been published yet; export the draft with --draft."])
    write_directory(catalogue, directory)
    return catalogue
