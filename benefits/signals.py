"""Drop the cached catalogue snapshot whenever any catalogue row changes."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from benefits import snapshot


def _invalidate(**kwargs) -> None:
    snapshot.invalidate()


def connect() -> None:
    for model in apps.get_app_config("benefits").get_models():
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"snapshot-save-{model.__name__}")
        post_delete.connect(
            _invalidate, sender=model, dispatch_uid=f"snapshot-delete-{model.__name__}"
        )
    m2m_changed.connect(_invalidate, dispatch_uid="snapshot-m2m")
