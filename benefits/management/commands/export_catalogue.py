"""`manage.py export_catalogue DIR [--draft]`: write the catalogue as files, to load elsewhere."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from benefits.loader import CatalogueError, export_catalogue


class Command(BaseCommand):
    help = (
        "Write the published catalogue (or the draft, with --draft) to DIR in the layout of "
        "benefits/catalogue/ (documents.yaml, facts.yaml, programmes/<slug>.yaml, texts/). "
        "Programme files and texts in DIR that are not in the catalogue are removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Where to write the catalogue.")
        parser.add_argument(
            "--draft", action="store_true", help="Export the draft staff are editing."
        )

    def handle(self, *args, directory: Path, draft: bool = False, **options):
        try:
            catalogue = export_catalogue(directory, draft=draft)
        except CatalogueError as exc:
            raise CommandError("\n".join(exc.errors)) from exc
        if options.get("verbosity", 1):
            which = "draft" if draft else "published catalogue"
            self.stdout.write(
                self.style.SUCCESS(
                    f"Exported the {which} ({len(catalogue.programmes)} programmes, "
                    f"{len(catalogue.documents)} documents) to {directory}."
                )
            )
