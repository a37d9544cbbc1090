"""schemathesis drives the API from its own OpenAPI schema: whatever it sends, no 5xx.

CI uses a short budget; `bench/fuzz_api.py` runs the same check for thousands of requests.
"""

import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from config.wsgi import application

EXAMPLES_PER_OPERATION = 25


def fuzz_api(examples: int) -> int:
    """Send generated requests to every operation; returns how many were sent."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    sent = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            nonlocal sent
            sent += 1
            case.call_and_validate(checks=[not_a_server_error])

        check()
    return sent


def test_no_server_error_for_any_generated_request(db, settings):
    settings.RATELIMIT_ENABLE = False
    cache.clear()
    # Like Django's test client: the WSGI app must not close the test's database connection
    # at the end of each request (it would, inside the test's transaction, on PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        assert fuzz_api(EXAMPLES_PER_OPERATION) >= 4 * 10
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
