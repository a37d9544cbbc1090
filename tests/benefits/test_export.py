"""Round trip between the repository's files and the admin: export, load, export again."""

import datetime as dt
import filecmp
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from benefits import models
from benefits.loader import StaffEditsError, load_catalogue

pytestmark = pytest.mark.django_db


def differences(left: Path, right: Path) -> list[str]:
    """Files that differ or exist on one side only, recursively."""
    comparison = filecmp.dircmp(left, right)
    found = [*comparison.left_only, *comparison.right_only]
    found += [
        name
        for name in comparison.common_files
        if (left / name).read_bytes() != (right / name).read_bytes()
    ]
    for sub in comparison.common_dirs:
        found += [f"{sub}/{name}" for name in differences(left / sub, right / sub)]
    return found


def empty_the_database() -> None:
    for model in (models.PersonaCase, models.Amount, models.Programme, models.AmountTable):
        model.objects.all().delete()
    for model in (models.Parameter, models.Fact, models.Document, models.CatalogueLoad):
        model.objects.all().delete()
    models.Publication.objects.all().delete()


def test_export_load_export_is_byte_identical(tmp_path):
    call_command("export_catalogue", tmp_path / "first", verbosity=0)
    empty_the_database()
    call_command("load_catalogue", tmp_path / "first", verbosity=0)
    call_command("export_catalogue", tmp_path / "second", verbosity=0)
    assert differences(tmp_path / "first", tmp_path / "second") == []
    programmes = sorted((tmp_path / "second" / "programmes").glob("*.yaml"))
    assert len(programmes) == models.Programme.objects.count() == 24
    assert len(list((tmp_path / "second" / "texts").glob("*.txt"))) > 40


def test_every_exported_programme_carries_the_schema_version(tmp_path):
    call_command("export_catalogue", tmp_path, verbosity=0)
    for path in (tmp_path / "programmes").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["schema_version"] == 2, path.name
        assert path.stem == data["slug"]


def test_a_staff_edit_travels_to_the_files_and_back(tmp_path):
    """An edit made in the admin is exported with --draft and survives a load elsewhere."""
    programme = models.Programme.objects.get(slug="minimum-living-allowance")
    programme.summary_en = "Edited by staff."
    programme.save()
    call_command("export_catalogue", tmp_path, "--draft", verbosity=0)
    exported = (tmp_path / "programmes" / "minimum-living-allowance.yaml").read_text("utf-8")
    assert "en: Edited by staff." in exported
    empty_the_database()
    call_command("load_catalogue", tmp_path, verbosity=0)
    assert models.Programme.objects.get(slug=programme.slug).summary_en == "Edited by staff."


def test_the_published_export_does_not_contain_unpublished_edits(tmp_path):
    models.Programme.objects.filter(slug="minimum-living-allowance").update(summary_en="Draft.")
    call_command("export_catalogue", tmp_path, verbosity=0)
    exported = (tmp_path / "programmes" / "minimum-living-allowance.yaml").read_text("utf-8")
    assert "Draft." not in exported


def test_replace_refuses_to_overwrite_staff_edits_unless_forced():
    models.Programme.objects.filter(slug="minimum-living-allowance").update(summary_en="Mine.")
    with pytest.raises(StaffEditsError, match="export_catalogue --draft"):
        load_catalogue(settings.CATALOGUE_DIR, replace=True)
    assert models.Programme.objects.get(slug="minimum-living-allowance").summary_en == "Mine."
    with pytest.raises(CommandError, match="Export the draft first"):
        call_command("load_catalogue", "--replace", verbosity=0)
    assert load_catalogue(settings.CATALOGUE_DIR, replace=True, force=True) is True
    assert models.Programme.objects.get(slug="minimum-living-allowance").summary_en != "Mine."


def test_replace_without_staff_edits_needs_no_force():
    assert load_catalogue(settings.CATALOGUE_DIR, replace=True) is True
    assert models.CatalogueLoad.objects.count() >= 2


def test_export_removes_programme_files_no_longer_in_the_catalogue(tmp_path):
    (tmp_path / "programmes").mkdir()
    (tmp_path / "programmes" / "withdrawn-programme.yaml").write_text("slug: old\n")
    call_command("export_catalogue", tmp_path, verbosity=0)
    assert not (tmp_path / "programmes" / "withdrawn-programme.yaml").exists()


def test_nothing_published_cannot_be_exported(tmp_path):
    models.Publication.objects.all().delete()
    with pytest.raises(CommandError, match="Nothing has been published"):
        call_command("export_catalogue", tmp_path, verbosity=0)


def test_dated_table_rows_travel_from_the_files_to_the_admin_and_back(tmp_path):
    """Next year's standard typed into the files loads into the admin with its dates and is
    exported to the same bytes."""
    call_command("export_catalogue", tmp_path / "first", verbosity=0)
    path = tmp_path / "first" / "programmes" / "key-group-skills-subsidy.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    table = next(t for t in data["tables"] if t["slug"] == "skills-level-standard")
    b5 = next(row for row in table["rows"] if row["keys"] == ["B", "5"])
    b5["valid_to"] = dt.date(2026, 12, 31)
    table["rows"].append({**b5, "no": 11, "value": 1100, "valid_from": dt.date(2027, 1, 1)})
    del table["rows"][-1]["valid_to"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    empty_the_database()
    call_command("load_catalogue", tmp_path / "first", verbosity=0)
    rows = models.TableRow.objects.filter(table__slug="skills-level-standard", keys=["B", "5"])
    assert [(r.no, r.value, r.valid_from, r.valid_to) for r in rows.order_by("no")] == [
        (1, 1000, None, dt.date(2026, 12, 31)),
        (11, 1100, dt.date(2027, 1, 1), None),
    ]
    call_command("export_catalogue", tmp_path / "second", "--draft", verbosity=0)
    call_command("load_catalogue", tmp_path / "second", "--replace", verbosity=0)
    call_command("export_catalogue", tmp_path / "third", "--draft", verbosity=0)
    assert differences(tmp_path / "second", tmp_path / "third") == []
    exported = (tmp_path / "third" / path.relative_to(tmp_path / "first")).read_text("utf-8")
    assert "valid_from: 2027-01-01" in exported and "valid_to: 2026-12-31" in exported
