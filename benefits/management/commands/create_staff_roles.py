"""`manage.py create_staff_roles`: the editor and publisher groups with their permissions."""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand

EDITORS = "catalogue editors"
PUBLISHERS = "catalogue publishers"
EDITABLE = [
    "document",
    "fact",
    "programme",
    "requirement",
    "condition",
    "conflict",
    "amounttable",
    "tablerow",
    "parameter",
    "parametervalue",
    "amount",
    "channel",
    "material",
    "step",
    "deadline",
    "personacase",
]


def editor_permissions() -> list[Permission]:
    codenames = [
        f"{action}_{model}" for model in EDITABLE for action in ("add", "change", "delete", "view")
    ]
    codenames += ["view_publication"]
    codenames += [f"view_historical{model}" for model in EDITABLE]
    return list(
        Permission.objects.filter(content_type__app_label="benefits", codename__in=codenames)
    )


class Command(BaseCommand):
    help = "Create (or update) the catalogue editor and publisher groups."

    def handle(self, *args, **options):
        editors, _ = Group.objects.get_or_create(name=EDITORS)
        editors.permissions.set(editor_permissions())
        publishers, _ = Group.objects.get_or_create(name=PUBLISHERS)
        publishers.permissions.set(
            [
                *editor_permissions(),
                Permission.objects.get(
                    content_type__app_label="benefits", codename="publish_catalogue"
                ),
            ]
        )
        if options["verbosity"]:
            self.stdout.write(
                f"Groups ready: {EDITORS!r} (edit drafts, run persona tests), "
                f"{PUBLISHERS!r} (also publish)."
            )
