"""`manage.py purge_expired_results`: delete saved results past their 90 days (run daily)."""

from django.core.management.base import BaseCommand

from eligibility.models import SavedResult


class Command(BaseCommand):
    help = "Delete saved result sheets whose 90-day retention has passed."

    def handle(self, *args, **options):
        deleted, _ = SavedResult.objects.expired().delete()
        if options["verbosity"]:
            self.stdout.write(f"Deleted {deleted} expired saved result(s).")
