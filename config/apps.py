"""django-axes under a name staff understand (its own is "Axes", untranslated)."""

from axes.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AppConfig):
    verbose_name = _("Staff login lockouts")
