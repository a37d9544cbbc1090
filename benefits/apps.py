from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "benefits"
    verbose_name = _("Benefit catalogue")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from benefits import staff_sessions

        staff_sessions.connect()
