"""Every admin page opens and saves unchanged: staff who open a record and press save must
never be refused, nor change anything they did not touch.

The form is submitted exactly as a browser submits it: every field parsed from the page's HTML
(inline formsets and their management forms included), text areas with CRLF line breaks, text
inputs without line breaks, only the ticked boxes and the selected options.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core import serializers
from django.urls import reverse

from tests.benefits.admin_forms import submitted

pytestmark = pytest.mark.django_db

REGISTERED = sorted(model._meta.label for model in admin.site._registry)
CATALOGUE_APP = "benefits"


def catalogue_rows() -> dict[str, dict]:
    """Every row of the catalogue's tables (many-to-many links included), history aside."""
    from django.apps import apps

    rows: dict[str, dict] = {}
    for model in apps.get_app_config(CATALOGUE_APP).get_models():
        if model._meta.label.split(".")[1].startswith("Historical"):
            continue
        for row in serializers.serialize("python", model.objects.order_by("pk")):
            rows[f"{row['model']}#{row['pk']}"] = row["fields"]
    return rows


def form_errors(html: str) -> str:
    """The error messages on a refused page, for the failure report."""
    import re

    found = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    return " | ".join(re.sub(r"<[^>]+>", " ", item).strip() for item in found)[:2000]


@pytest.fixture
def staff(client):
    user = User.objects.create_superuser("clerk", password="a-long-enough-passphrase")
    client.force_login(user)
    return user


@pytest.mark.parametrize("label", REGISTERED)
def test_every_object_saves_unchanged_from_its_change_form(client, staff, label):
    model = next(m for m in admin.site._registry if m._meta.label == label)
    model_admin = admin.site._registry[model]
    objects = list(model.objects.order_by("pk"))
    before = catalogue_rows()
    refused = []
    for obj in objects:
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk]
        )
        page = client.get(url)
        assert page.status_code == 200, url
        request = page.wsgi_request
        if not model_admin.has_change_permission(request, obj):
            continue  # read-only records (publications) show no form to save
        form_id = f"{model._meta.model_name}_form"
        data = urlencode(submitted(page.content.decode(), form_id))
        saved = client.post(url, data, content_type="application/x-www-form-urlencoded")
        if saved.status_code != 302:
            refused.append(f"{url} {saved.status_code}: {form_errors(saved.content.decode())}")
    assert not refused, "\n".join(refused)
    after = catalogue_rows()
    assert not changes(before, after), "\n".join(changes(before, after))


def changes(before: dict[str, dict], after: dict[str, dict]) -> list[str]:
    """`row field: before → after` for every field that differs (rows added or removed too)."""
    lines = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key, {}), after.get(key, {})
        for field in sorted(old.keys() | new.keys()):
            if old.get(field) != new.get(field):
                lines.append(f"{key} {field}: {old.get(field)!r:.200} → {new.get(field)!r:.200}")
    return lines


BIG_FORM = urlencode({"full_text": "条" * 30_000})  # 270 KB once encoded


def test_the_larger_limits_are_for_staff_in_the_admin_only(client, settings):
    assert len(BIG_FORM) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    form = "application/x-www-form-urlencoded"
    assert client.post("/check/", BIG_FORM, content_type=form).status_code == 400
    assert client.post("/admin/login/", BIG_FORM, content_type=form).status_code == 400
    many_fields = urlencode([("answer", "1")] * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    assert client.post("/check/", many_fields, content_type=form).status_code == 400


def test_a_staff_form_over_the_admin_limit_is_refused_not_crashed(client, staff, settings):
    settings.ADMIN_DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    document = reverse("admin:benefits_document_add")
    form = "application/x-www-form-urlencoded"
    assert client.post(document, BIG_FORM, content_type=form).status_code == 400
    settings.ADMIN_DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    many_fields = urlencode([("repeals", "1")] * 11)
    assert client.post(document, many_fields, content_type=form).status_code == 400
