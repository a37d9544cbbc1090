"""Benchmark: screen varied answer sets against the whole catalogue.

Prints the median and 95th-percentile time per screening (answer checking + engine) and the
number of database queries per screening, plus the same for a full POST /api/v1/screen.
Targets (issue 2): median ≤ 1 ms and 0 queries per screening on a 2-core machine.

    python3 -m uv run python bench/screening.py [--runs 2000]

Uses DATABASE_URL if set, else a throwaway SQLite file loaded with the catalogue.
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["RATELIMIT_ENABLE"] = "0"  # measure screening, not the rate limiter
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benefits.snapshot import get_catalogue  # noqa: E402
from rules.engine import screen  # noqa: E402
from rules.facts import parse_answers  # noqa: E402


def random_answers(rng: random.Random, facts) -> dict:
    """A plausible partial answer set: each asked fact answered with probability 0.6."""
    answers = {}
    for spec in sorted(facts.values(), key=lambda spec: spec.key):  # same sets whatever the order
        if spec.derived is not None or rng.random() > 0.6:
            continue
        if spec.type == "date":
            start = dt.date(1930, 1, 1) if spec.key == "birth_date" else dt.date(2020, 1, 1)
            answers[spec.key] = (
                start
                + dt.timedelta(days=rng.randrange(0, 9000 if spec.key == "birth_date" else 2500))
            ).isoformat()
        elif spec.type == "bool":
            answers[spec.key] = rng.random() < 0.5
        elif spec.type in ("enum", "int") and spec.values:
            answers[spec.key] = rng.choice(list(spec.values))
        elif spec.type in ("int", "number"):
            low = int(spec.min_value) if spec.min_value is not None else 0
            high = int(spec.max_value) if spec.max_value is not None else 12000
            high = min(high, 6 if spec.key == "household_size" else 12000)
            if spec.type == "int":
                answers[spec.key] = rng.randint(low, high)
            else:
                answers[spec.key] = round(rng.uniform(low, high), 2)
        elif spec.type == "list":
            answers[spec.key] = rng.sample(list(spec.values), rng.randrange(0, 3))
        elif spec.type == "string":
            answers[spec.key] = rng.choice(["4-10-01-05", "3-01-01-02", "老年人照护", "家庭清洁"])
    return answers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("load_catalogue", verbosity=0)
    catalogue = get_catalogue()  # built once, as in a running server
    rng = random.Random(args.seed)
    answer_sets = [random_answers(rng, catalogue.facts) for _ in range(args.runs)]
    as_of = dt.date(2026, 11, 22)

    times, queries, statuses = [], 0, {}
    with CaptureQueriesContext(connection) as captured:
        for raw in answer_sets:
            start = time.perf_counter()
            answers, _errors = parse_answers(get_catalogue().facts, raw, as_of=as_of)
            result = screen(get_catalogue(), answers, as_of)
            times.append(time.perf_counter() - start)
            for r in result.results:
                statuses[r.status] = statuses.get(r.status, 0) + 1
        queries = len(captured)

    client = Client()
    api_times = []
    with CaptureQueriesContext(connection) as api_captured:
        for raw in answer_sets[: min(500, args.runs)]:
            body = json.dumps({"answers": raw, "as_of": as_of.isoformat()})
            start = time.perf_counter()
            response = client.post("/api/v1/screen", body, content_type="application/json")
            api_times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.content[:300]

    def ms(values, q):
        return statistics.quantiles(values, n=100)[q - 1] * 1000

    print(f"catalogue: {len(catalogue.programmes)} programmes, {len(catalogue.facts)} facts")
    print(
        f"answer sets: {args.runs} (seed {args.seed}); outcomes: {dict(sorted(statuses.items()))}"
    )
    print(
        f"screening median: {statistics.median(times) * 1000:.3f} ms   p95: {ms(times, 95):.3f} ms"
    )
    print(f"screening DB queries: {queries / args.runs:.2f} per screening ({queries} total)")
    print(
        f"POST /api/v1/screen median: {statistics.median(api_times) * 1000:.3f} ms   "
        f"p95: {ms(api_times, 95):.3f} ms   "
        f"DB queries: {len(api_captured) / len(api_times):.2f} per request"
    )


if __name__ == "__main__":
    main()
