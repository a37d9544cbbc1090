"""schemathesis drives the API from its own OpenAPI schema: whatever it sends, no 5xx.

CI uses a short budget; `bench/fuzz_api.py` runs the same check for thousands of requests.
"""

import schemathesis
from django.core.cache import cache
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
    assert fuzz_api(EXAMPLES_PER_OPERATION) >= 4 * 10
