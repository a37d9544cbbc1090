"""`manage.py load_catalogue`: fill an empty database with the gazette catalogue."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from benefits.loader import CatalogueError, load_catalogue, read_catalogue, validate


class Command(BaseCommand):
    help = "Load the catalogue YAML into the database (only if it is empty, unless --replace)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--replace", action="store_true", help="Replace the catalogue already in the database."
        )
        parser.add_argument(
            "--check", action="store_true", help="Only validate the YAML files; write nothing."
        )

    def handle(
        self, *args, replace: bool = False, check: bool = False, verbosity: int = 1, **options
    ):
        directory = settings.CATALOGUE_DIR
        try:
            if check:
                errors = validate(read_catalogue(directory))
                if errors:
                    raise CatalogueError(errors)
                self.stdout.write(self.style.SUCCESS("The catalogue files are valid."))
                return
            loaded = load_catalogue(directory, replace=replace)
        except CatalogueError as exc:
            raise CommandError(
                "The catalogue was not loaded:\n- " + "\n- ".join(exc.errors)
            ) from exc
        if verbosity == 0:
            return
        if loaded:
            self.stdout.write(self.style.SUCCESS("Catalogue loaded."))
        else:
            self.stdout.write("A catalogue is already loaded; use --replace to reload it.")
