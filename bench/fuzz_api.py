"""Benchmark-sized fuzzing: schemathesis runs every phase (examples, coverage, fuzzing,
stateful) with every check against the API, thousands of generated requests, and fails on any
finding (not only a 5xx). Prints how many were sent.

    python3 -m uv run python bench/fuzz_api.py [--per-operation 300]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/fuzz.sqlite3")
os.environ["RATELIMIT_ENABLE"] = "0"

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from tests.api.test_api_fuzz import fuzz_api  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-operation", type=int, default=300)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_catalogue", verbosity=0)
    start = time.perf_counter()
    sent = fuzz_api(args.per_operation)
    elapsed = time.perf_counter() - start
    print(f"generated requests: {sent} in {elapsed:.1f} s; failures (every check): 0")


if __name__ == "__main__":
    main()
