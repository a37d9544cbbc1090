"""The catalogue loader refuses a bad file whole, saying what is wrong and where."""

import datetime as dt
import shutil

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError

from benefits.loader import CatalogueError, check_directory, load_catalogue
from benefits.models import Amount, Condition, Programme

SLUG = "key-group-skills-subsidy"


@pytest.fixture
def catalogue_copy(tmp_path):
    shutil.copytree(settings.CATALOGUE_DIR, tmp_path / "catalogue")
    return tmp_path / "catalogue"


def edit_programme(directory, change):
    path = directory / "programmes" / f"{SLUG}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def errors_after(directory, change):
    edit_programme(directory, change)
    with pytest.raises(CatalogueError) as refused:
        check_directory(directory)
    return refused.value.errors


def test_the_shipped_catalogue_is_valid():
    assert len(check_directory(settings.CATALOGUE_DIR).programmes) == 24


def test_condition_on_an_unknown_fact(catalogue_copy):
    def change(data):
        data["requirements"][0]["alternatives"][0][0]["fact"] = "hukuo"

    assert any("未知的事实（问题）'hukuo'" in e for e in errors_after(catalogue_copy, change))


def test_value_outside_the_facts_allowed_values(catalogue_copy):
    def change(data):
        data["requirements"][0]["alternatives"][0][0]["value"] = "shanghai"

    assert any(
        "'shanghai' 不是 'hukou' 的可选值" in e for e in errors_after(catalogue_copy, change)
    )


def test_formula_that_does_not_parse_or_names_an_unknown_fact(catalogue_copy):
    def change(data):
        data["amounts"][0]["when"] = 'certificate_kind == "skill_level" and'
        data["amounts"][1]["when"] = "certificate_kinds == 1"

    errors = errors_after(catalogue_copy, change)
    assert any("应为一个值" in e for e in errors)
    assert any("名称 'certificate_kinds' 不是已知的事实或参数" in e for e in errors)


def test_period_that_ends_before_it_starts(catalogue_copy):
    def change(data):
        data["period"]["end"] = dt.date(2020, 1, 1)

    assert any("ends before it starts" in e for e in errors_after(catalogue_copy, change))


@pytest.mark.django_db
def test_a_bad_file_changes_nothing(catalogue_copy):
    before = Programme.objects.count()

    def change(data):
        data["category"] = "no-such-category"

    edit_programme(catalogue_copy, change)
    with pytest.raises(CatalogueError, match=f"{SLUG}.yaml category: Input should be"):
        load_catalogue(catalogue_copy, replace=True)
    assert Programme.objects.count() == before


@pytest.mark.django_db
def test_model_validation_for_staff_edits():
    condition = Condition.objects.filter(requirement__programme__slug=SLUG).first()
    condition.fact = "no_such_fact"
    with pytest.raises(ValidationError, match="未知的事实（问题）'no_such_fact'"):
        condition.full_clean()
    amount = Amount.objects.filter(programme__slug=SLUG).first()
    amount.when = "certificate_kind =="
    with pytest.raises(ValidationError, match="适用条件"):
        amount.full_clean()
    programme = Programme.objects.get(slug=SLUG)
    programme.period_end = dt.date(2020, 1, 1)
    with pytest.raises(ValidationError, match="实施结束日期早于开始日期"):
        programme.full_clean()


@pytest.mark.django_db
def test_reloading_replaces_the_catalogue_without_duplicates():
    count = Programme.objects.count()
    assert load_catalogue(settings.CATALOGUE_DIR, replace=True) is True
    assert Programme.objects.count() == count
    assert load_catalogue(settings.CATALOGUE_DIR) is False  # already loaded: left alone


PAST_EVENTS = {
    "birth_date",
    "certificate_issue_date",
    "retirement_date",
    "business_registered_date",
    "capability_assessment_date",
}


def test_past_events_are_marked_and_a_date_that_may_lie_ahead_is_not():
    catalogue = check_directory(settings.CATALOGUE_DIR)
    dates = {fact.key: fact.past for fact in catalogue.all_facts() if fact.type == "date"}
    assert {key for key, past in dates.items() if past} == PAST_EVENTS
    assert dates["youth_hire_date"] is False  # an employer may screen a hire still planned
    assert dates["graduation_date"] is False  # a student in the graduation year: expected date


def test_past_on_a_fact_that_is_not_an_answered_date(catalogue_copy):
    def change(data):
        question = {"zh": "几级？", "en": "Level?"}
        extra = {"key": "x_level", "type": "int", "past": True, "question": question}
        data["facts"] = [*data.get("facts", []), extra]

    errors = errors_after(catalogue_copy, change)
    assert len(errors) == 1 and "只有由居民回答的日期问题才能标记为已发生的事件" in errors[0]


@pytest.mark.django_db
def test_past_travels_between_the_files_the_database_and_the_engine():
    from benefits import storage
    from benefits.models import Fact
    from benefits.snapshot import get_catalogue

    assert set(Fact.objects.filter(past=True).values_list("key", flat=True)) == PAST_EVENTS
    draft = storage.read_draft()
    assert {fact.key for fact in draft.all_facts() if fact.past} == PAST_EVENTS
    assert storage.read_draft() == draft
    engine_facts = get_catalogue().facts
    assert {key for key, spec in engine_facts.items() if spec.past} == PAST_EVENTS
    fact = Fact.objects.get(key="household_size")
    fact.past = True
    with pytest.raises(ValidationError, match="只有由居民回答的日期问题才能标记为已发生的事件"):
        fact.full_clean()
