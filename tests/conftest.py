"""Shared fixtures: the real gazette catalogue is loaded once per test database."""

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.management import call_command
from django.utils import translation

from benefits import snapshot
from eligibility import pagecache, stats

# Tasks (a sheet's PDF) run where they are queued, at once: no worker process in tests.
IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Tests hash passwords with MD5, as Django's docs advise for test speed: production's PBKDF2
# (1.5 million rounds) takes 0.8 s per hash here, and the lockout tests alone fail twenty logins
# each. No test runs a server process that checks these passwords.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    from django.tasks import task_backends
    from django.test.utils import override_settings

    override_settings(TASKS=IMMEDIATE_TASKS, PASSWORD_HASHERS=FAST_HASHERS).enable()
    # Django has no setting_changed hook for TASKS: forget any backend made from the settings.
    task_backends.__dict__.pop("settings", None)
    for alias in ("default",):
        if hasattr(task_backends._connections, alias):
            delattr(task_backends._connections, alias)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Under pytest-xdist each worker has its own test database (test_…_gw0, …): load it there."""
    with django_db_blocker.unblock():
        call_command("load_catalogue", "--replace", verbosity=0)


@pytest.fixture(autouse=True)
def _publications_checked_on_every_request(settings):
    """A test's publish is rolled back, not committed, so it may not drop the snapshot as a
    real publish does: the next request looks for it instead (not after a few seconds)."""
    settings.CATALOGUE_CHECK_SECONDS = 0


@pytest.fixture(autouse=True)
def _fresh_snapshot_after_catalogue_changes():
    """A test that edits the catalogue is rolled back; drop the snapshot it left behind."""
    before = snapshot.generation
    yield
    translation.activate(settings.LANGUAGE_CODE)  # a request in English leaves no trace
    if snapshot.generation != before:
        snapshot.invalidate()
    pagecache.clear()  # rendered results belong to one test
    cache.clear()
    caches["ratelimit"].clear()  # so do rate-limit counters
    stats._pending.clear()  # so do screening counts not yet written


@pytest.fixture
def catalogue(db):
    """The published catalogue snapshot, as the engine sees it."""
    return snapshot.get_catalogue()


@pytest.fixture
def screen_programme(catalogue):
    """Screen raw answers (as an integrator would send them) and return one programme's result."""
    import datetime as dt

    from rules import engine
    from rules.facts import parse_answers

    def run(slug: str, answers: dict, as_of: str) -> engine.Result:
        day = dt.date.fromisoformat(as_of)
        typed, errors = parse_answers(catalogue.facts, answers, as_of=day)
        assert errors == [], errors
        return engine.screen(catalogue, typed, day).result(slug)

    return run


@pytest.fixture
def publish_b5(db, django_capture_on_commit_callbacks):
    """Staff change the skills subsidy for tier B level 5 (京人社能发〔2026〕2号 二) from 1000
    yuan and publish it, after adjusting the persona cases that expected 1000 (publishing is
    refused until then). Returns the new publication."""
    from benefits.models import PersonaCase, TableRow
    from benefits.services import publish_catalogue

    def publish(value: int):
        row = TableRow.objects.get(table__slug="skills-level-standard", keys=["B", "5"])
        row.value = value
        row.save()
        with django_capture_on_commit_callbacks(execute=True):
            publication, failures = publish_catalogue(user=None, note=f"B5 to {value}")
        assert publication is None
        assert {f.difference() for f in failures} == {f"amount: expected 1000, got {value}"}
        cases = PersonaCase.objects.filter(pk__in=[f.case.pk for f in failures])
        cases.update(expected_amount=value)
        with django_capture_on_commit_callbacks(execute=True):
            publication, failures = publish_catalogue(user=None, note=f"B5 to {value}")
        assert failures == [] and publication is not None
        snapshot.refresh()
        return publication

    return publish


@pytest.fixture
def publish_dated_b5(db, django_capture_on_commit_callbacks):
    """Staff enter next year's standard ahead: the tier-B level-5 skills subsidy (京人社能发
    〔2026〕2号 二, 1000 yuan) ends the day before `start`, and a new row of 1100 yuan applies
    from `start`. Publishing is refused until the persona cases screened from `start` on
    expect 1100; staff adjust them and publish. Returns the new publication."""
    import datetime as dt

    from benefits.models import PersonaCase, TableRow
    from benefits.services import publish_catalogue

    def publish(start: dt.date):
        old = TableRow.objects.get(table__slug="skills-level-standard", keys=["B", "5"])
        old.valid_to = start - dt.timedelta(days=1)
        old.save()
        TableRow.objects.create(
            table=old.table,
            no=11,
            keys=["B", "5"],
            value=1100,
            label_zh=old.label_zh,
            label_en=old.label_en,
            valid_from=start,
        )
        with django_capture_on_commit_callbacks(execute=True):
            publication, failures = publish_catalogue(user=None, note=f"B5 1100 from {start}")
        assert {f.difference() for f in failures} <= {"amount: expected 1000, got 1100"}
        assert all(f.case.as_of >= start for f in failures)
        cases = PersonaCase.objects.filter(pk__in=[f.case.pk for f in failures])
        cases.update(expected_amount=1100)
        with django_capture_on_commit_callbacks(execute=True):
            publication, failures = publish_catalogue(user=None, note=f"B5 1100 from {start}")
        assert failures == [] and publication is not None
        snapshot.refresh()
        return publication

    return publish


@pytest.fixture(autouse=True, scope="session")
def _no_buffered_counts_written_after_the_test_databases_are_gone():
    """Screening counts and answer shapes are written a few seconds late (and at exit); what a
    test run leaves pending is dropped, as its test databases are."""
    yield
    from benefits import shapes
    from eligibility import stats

    shapes._pending.clear()
    stats._pending.clear()
