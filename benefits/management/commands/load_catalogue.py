"""`manage.py load_catalogue [DIR]`: load catalogue files into the draft and publish them."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from benefits.loader import CatalogueError, check_directory, load_catalogue


class Command(BaseCommand):
    help = (
        "Load a catalogue directory (default: the repository's) into the database and publish "
        "it. Only into an empty catalogue unless --replace; --replace refuses to overwrite staff "
        "edits made since the last load unless --force (export them first)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", nargs="?", type=Path, help="Catalogue directory (default: CATALOGUE_DIR)."
        )
        parser.add_argument(
            "--replace", action="store_true", help="Replace the catalogue already in the database."
        )
        parser.add_argument(
            "--force", action="store_true", help="With --replace: overwrite staff edits too."
        )
        parser.add_argument(
            "--check", action="store_true", help="Only validate the files; write nothing."
        )

    def handle(self, *args, directory=None, replace=False, force=False, check=False, **options):
        directory = Path(directory or settings.CATALOGUE_DIR)
        try:
            if check:
                check_directory(directory)
                self.stdout.write(self.style.SUCCESS("The catalogue files are valid."))
                return
            loaded = load_catalogue(directory, replace=replace, force=force)
        except CatalogueError as exc:
            raise CommandError(
                "The catalogue was not loaded:\n- " + "\n- ".join(exc.errors)
            ) from exc
        if options.get("verbosity", 1) == 0:
            return
        if loaded:
            self.stdout.write(self.style.SUCCESS(f"Catalogue loaded from {directory}."))
        else:
            self.stdout.write("A catalogue is already loaded; use --replace to reload it.")
