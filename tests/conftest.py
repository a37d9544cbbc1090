"""Shared fixtures: the real gazette catalogue is loaded once per test database."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from benefits import snapshot
from eligibility import stats


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_catalogue", "--replace", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_snapshot_after_catalogue_changes():
    """A test that edits the catalogue is rolled back; drop the snapshot it left behind."""
    before = snapshot.generation
    yield
    if snapshot.generation != before:
        snapshot.invalidate()
    cache.clear()  # rendered results and rate-limit counters belong to one test
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
