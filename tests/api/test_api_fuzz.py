"""Schemathesis drives the API from its own OpenAPI document, as `st run --checks all` does:
the examples, coverage, fuzzing and stateful phases, with every check it has (no server error;
every status, content type, header and body as documented; invalid input refused and valid
input accepted; wrong methods answered 405 with Allow; …).

It runs Schemathesis' own engine (the one behind the CLI) in this process against the WSGI
application, in the test's database. CI keeps the budget small and the run deterministic;
`bench/fuzz_api.py` and the CLI run in docs/api.md are the thorough ones.
"""

import threading
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from schemathesis.engine import Status, events, from_schema

from config.wsgi import application
from eligibility.households import household_parts
from eligibility.models import SavedResult
from eligibility.results_json import screening_json

PHASES = ["examples", "coverage", "fuzzing", "stateful"]
SETTINGS = Path(__file__).resolve().parents[2] / "schemathesis.toml"
EXAMPLES_PER_OPERATION = 5  # fuzzing and stateful; examples and coverage are what they are


@dataclass
class Run:
    cases: dict[str, int] = field(default_factory=dict)  # per phase
    failures: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.cases.values())

    def record(self, event: events.EngineEvent) -> None:
        if isinstance(event, events.ScenarioFinished):
            phase = event.phase.value
            self.cases[phase] = self.cases.get(phase, 0) + len(event.recorder.cases)
            for checks in event.recorder.checks.values():
                self.failures += [_describe(check) for check in checks if _failed(check)]
        elif isinstance(event, events.NonFatalError | events.FatalError):
            self.failures.append(f"{type(event.value).__name__}: {event.value}")


def _failed(check) -> bool:
    return check.status == Status.FAILURE and check.failure_info is not None


def _describe(check) -> str:
    info = check.failure_info
    return f"{check.name}: {info.failure.title}\n{info.failure.message}\n{info.code_sample}"


def run_schemathesis(max_examples: int, *, seed: int | None = 1) -> Run:
    """Every phase and check against the API; what ran and what failed."""
    config = schemathesis.Config.from_path(str(SETTINGS))  # as `st run` reads it
    config.update(seed=seed, max_failures=None)
    project = config.projects.override
    project.update(workers=1)
    project.phases.update(phases=PHASES)
    project.generation.update(max_examples=max_examples, deterministic=seed is not None)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=config)
    run = Run()
    for event in from_schema(schema).execute():
        run.record(event)
    return run


def fuzz_api(examples: int) -> int:
    """For bench/fuzz_api.py: a random run of `examples` per operation; how many were sent."""
    run = run_schemathesis(examples, seed=None)
    assert run.failures == [], "\n\n".join(run.failures[:5])
    return run.total


def unsaved_sheet(catalogue, screening, answers, lang):
    """A sheet as `save_sheet` makes it, not written to the database."""
    results = screening_json(screening, lang)["results"]
    return SavedResult(as_of=screening.as_of, lang=lang, answers=answers, results=results)


def unsaved_household_sheet(catalogue, screened, answers, members, lang):
    """A household's sheet as `save_household_sheet` makes it, not written to the database."""
    results = screening_json(screened.screening, lang)["results"]
    return SavedResult(
        as_of=screened.as_of,
        lang=lang,
        answers=answers,
        results=results,
        members=members,
        household=household_parts(screened, lang),
    )


@pytest.fixture
def wsgi_app(db, settings):
    """The WSGI application as servers run it. Schemathesis sends its requests from worker
    threads, each with its own database connection outside the test's transaction: they only
    read the catalogue, write nothing (screening counts and answer shapes are not kept, sheets
    and households' sheets are made but not stored) and close their connection after each
    request."""
    settings.RATELIMIT_ENABLE = False
    cache.clear()
    main_thread = threading.get_ident()

    def close_worker_connections(**kwargs):
        if threading.get_ident() != main_thread:
            connections.close_all()

    # Like Django's test client: the WSGI app must not close the test's own database connection
    # at the end of a request (it would, inside the test's transaction, on PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_finished.connect(close_worker_connections)
    try:
        with (
            mock.patch("eligibility.api.record_screening"),
            mock.patch("eligibility.api_sheets.record_screening"),
            mock.patch("eligibility.api.record_shape"),
            mock.patch("eligibility.api_sheets.record_shape"),
            mock.patch("eligibility.sheets.save_sheet", unsaved_sheet),
            mock.patch("eligibility.sheets.save_household_sheet", unsaved_household_sheet),
        ):
            yield application
    finally:
        request_finished.disconnect(close_worker_connections)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_phase_and_check_of_schemathesis_passes(wsgi_app):
    run = run_schemathesis(EXAMPLES_PER_OPERATION)
    assert run.failures == [], "\n\n".join(run.failures[:5])
    assert set(run.cases) == set(PHASES), run.cases  # each phase ran (stateful: the links)
    assert run.total >= 500, run.cases
    assert not SavedResult.objects.exists()  # its threads commit: nothing may be left behind
