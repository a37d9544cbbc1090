"""Benchmark: the engine, the API, the results page, the PDF and a worker's memory (issue 18).

Prints every figure with its target and exits non-zero when one misses, so a regression shows
in one command:

    python3 -m uv run python bench/screening.py [--runs 2000] [--skip-memory]

All in one process through Django's test client (the same middleware stack a request meets),
with DEBUG off. Times are this process's CPU time (`time.process_time`), so whatever else
the machine runs does not count; the work measured is CPU-bound (SQLite or a local PostgreSQL
answers the few queries in microseconds). Each resident is new: a different answer set
and a different client address (so the rate limiter, which stays on, counts each once).

- Engine: answer checking + `rules.engine.screen` per answer set, median and p95; queries.
- API: `POST /api/v1/screen` against `GET /livez` (a bare view returning "ok" through the same
  middleware), medians of alternating rounds; queries per request apart from the look for a
  newer publication a worker makes every CATALOGUE_CHECK_SECONDS.
  Also printed, as context: the floor, the same POST to a view behind /api/ that answers at
  once after the same rate limit (`bare_post`): no screening API can cost less than that.
- API, households: the same for new households of four (`members`, docs/api.md).
- Results page, uncached: `GET /results/` for a session whose answers no one gave before
  against a bare template page (`base.html` with no content) for the same session cookie, in a
  worker that has served 500 other residents' results pages (as one in service has: the
  result cards and page frames residents share are kept, eligibility/cards.py; in a fresh
  worker the first hundred pages cost about twice as much, the next few hundred a quarter more).
  Cached: the same answers again against `/livez` (throughput ratio = inverse time ratio).
- PDF: rendering a new saved sheet's PDF as the task worker does
  (`eligibility.sheet_pdfs.render_sheet`), median of 9 after the process's first. Web workers
  never render: they queue the render and serve the stored bytes (issue 15).
- Memory: a fresh process (a web worker) screens 10,000 new residents through the API and
  answers 20 requests for new sheets' PDFs (queued for the task worker); its peak RSS (VmHWM).

Uses DATABASE_URL if set, else a throwaway SQLite file loaded with the catalogue.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from django_ratelimit.decorators import ratelimit  # noqa: E402

from benefits import shapes as shapes_buffer  # noqa: E402
from benefits.snapshot import get_catalogue  # noqa: E402
from eligibility import sheet_pdfs, stats  # noqa: E402
from eligibility.models import SavedResult  # noqa: E402
from eligibility.throttling import client_address, screening_rate  # noqa: E402
from rules.engine import screen  # noqa: E402
from rules.facts import parse_answers  # noqa: E402

AS_OF = dt.date(2026, 11, 22)
TARGETS = {  # name: (limit, "max" or "min")
    "engine median ms": (0.2, "max"),
    "engine p95 ms": (0.3, "max"),
    "engine queries per screening": (0, "max"),
    "API / bare request": (1.5, "max"),
    "API queries per request": (0, "max"),
    "API household of four / bare request": (2.5, "max"),
    "results page uncached / bare template page": (3.0, "max"),
    "results page cached throughput / livez": (0.9, "min"),
    "PDF render s": (0.5, "max"),
    "peak RSS MB after 10,000 screenings and 20 PDFs": (150, "max"),
}


def bare_page(request):
    """The cheapest page: the site's frame (base.html) with nothing in it."""
    return render(request, "base.html", {})


@csrf_exempt
@ratelimit(key=client_address, rate=screening_rate, method="POST", block=True)
def bare_post(request):
    """What any POST to the API costs before screening: the same middleware, the same rate
    limit, the body read, a short JSON answer (the floor under `POST /api/v1/screen`)."""
    return HttpResponse(b'{"results":[]}', content_type="application/json")


urlpatterns = [
    path("bench/bare-page/", bare_page),
    path("api/v1/bench-floor", bare_post),
    path("", include("config.urls")),
]


WRAPPING = ("BEGIN", "COMMIT")
WARM_PAGES = 500  # other residents' results pages a worker has served before the measurement


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


def address(n: int) -> str:
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def ms(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000


clock = time.process_time


def timed(call) -> float:
    start = clock()
    call()
    return clock() - start


def engine_figures(figures: dict, answer_sets: list[dict]) -> None:
    times, statuses = [], {}
    with CaptureQueriesContext(connection) as captured:
        for raw in answer_sets:
            start = clock()
            answers, _errors = parse_answers(get_catalogue().facts, raw, as_of=AS_OF)
            result = screen(get_catalogue(), answers, AS_OF)
            times.append(clock() - start)
            for r in result.results:
                statuses[r.status] = statuses.get(r.status, 0) + 1
    print(f"  outcomes: {dict(sorted(statuses.items()))}")
    figures["engine median ms"] = statistics.median(times) * 1000
    figures["engine p95 ms"] = ms(times, 95)
    figures["engine queries per screening"] = len(captured) / len(answer_sets)


def alternate(rounds: int, first, second) -> tuple[float, float]:
    """Medians of two measurements taken in alternating rounds (the machine's speed drifts)."""
    a, b = [], []
    for _ in range(rounds):
        a.append(first())
        b.append(second())
    return statistics.median(a), statistics.median(b)


def api_figures(figures: dict, answer_sets: list[dict], rounds: int) -> None:
    client = Client()
    bodies = iter(
        json.dumps({"answers": raw, "as_of": AS_OF.isoformat()}) for raw in answer_sets * 10
    )
    counter = iter(range(1, 10**9))
    per_round = max(20, len(answer_sets) // (2 * rounds))

    def posting(url: str):
        """A round of `per_round` new residents' POSTs of their answers to `url`."""

        def one_round() -> float:
            total = 0.0
            for _ in range(per_round):
                body, n = next(bodies), next(counter)
                total += timed(
                    lambda body=body, n=n: client.post(
                        url, body, content_type="application/json", REMOTE_ADDR=address(n)
                    )
                )
            return total / per_round

        return one_round

    screen_round, floor_round = posting("/api/v1/screen"), posting("/api/v1/bench-floor")

    def bare_round() -> float:
        return sum(timed(lambda: client.get("/livez")) for _ in range(per_round)) / per_round

    floor, bare_again = alternate(rounds, floor_round, bare_round)
    print(
        f"  floor: the same POST answered at once (rate limit included) {floor * 1000:.3f} ms "
        f"= {floor / bare_again:.2f}x GET /livez ({bare_again * 1000:.3f} ms): what any view "
        "behind /api/ costs before it screens"
    )
    screen_round()  # warm up
    with CaptureQueriesContext(connection) as captured:
        started = time.monotonic()
        api, bare = alternate(rounds, screen_round, bare_round)
        elapsed = time.monotonic() - started
    checks = sum(1 for q in captured if "benefits_publication" in q["sql"])
    tallies = sum(1 for q in captured if "eligibility_screeningtally" in q["sql"])
    shapes = sum(1 for q in captured if "benefits_answershape" in q["sql"])
    wrapping = sum(1 for q in captured if q["sql"] in WRAPPING)  # the upsert's BEGIN, COMMIT
    print(
        f"  POST /api/v1/screen {api * 1000:.3f} ms, GET /livez {bare * 1000:.3f} ms "
        f"(medians of {rounds} alternating rounds of {per_round}); in {elapsed:.0f} s "
        f"{len(captured)} queries: {checks} looks for a newer publication (at most one every "
        f"{settings.CATALOGUE_CHECK_SECONDS:g} s), {tallies} writes of the screening counts "
        f"(at most one every {stats.FLUSH_SECONDS:g} s), {shapes} writes of answer shapes (at most "
        f"one every {shapes_buffer.FLUSH_SECONDS:g} s) with {wrapping} BEGIN/COMMIT"
    )
    figures["API / bare request"] = api / bare
    others = len(captured) - checks - tallies - shapes - wrapping
    figures["API queries per request"] = others / (rounds * per_round)


HOUSEHOLD_OF_FOUR = ("self", "spouse", "child", "parent")


def household_body(rng: random.Random, facts) -> str:
    """A household of four as docs/api.md shows it: the household's facts once in `answers`,
    each member's own answers (random like `random_answers`) in `members`."""
    shared = {k: v for k, v in random_answers(rng, facts).items() if facts[k].scope == "household"}
    members = [
        {
            "id": f"m{n}",
            "relation": relation,
            "answers": {
                k: v for k, v in random_answers(rng, facts).items() if facts[k].scope != "household"
            },
        }
        for n, relation in enumerate(HOUSEHOLD_OF_FOUR)
    ]
    return json.dumps({"answers": shared, "members": members, "as_of": AS_OF.isoformat()})


def household_figures(figures: dict, facts, count: int, rounds: int, seed: int) -> None:
    """`POST /api/v1/screen` for new households of four against `GET /livez`."""
    client = Client()
    rng = random.Random(seed + 1)  # its own answers: the other figures' sets stay the same
    bodies = iter([household_body(rng, facts) for _ in range(count)])
    counter = iter(range(2_000_000, 3_000_000))
    per_round = max(10, count // (2 * rounds))

    def household_round() -> float:
        total = 0.0
        for _ in range(per_round):
            body, n = next(bodies), next(counter)
            response = None

            def post(body=body, n=n) -> None:
                nonlocal response
                response = client.post(
                    "/api/v1/screen", body, content_type="application/json", REMOTE_ADDR=address(n)
                )

            total += timed(post)
            assert response is not None and response.status_code == 200, response
        return total / per_round

    def bare_round() -> float:
        return sum(timed(lambda: client.get("/livez")) for _ in range(per_round)) / per_round

    household_round()  # warm up
    household, bare = alternate(rounds, household_round, bare_round)
    print(
        f"  POST /api/v1/screen, household of four: {household * 1000:.3f} ms, GET /livez "
        f"{bare * 1000:.3f} ms (medians of {rounds} alternating rounds of {per_round})"
    )
    figures["API household of four / bare request"] = household / bare


def session_cookie(answers: dict) -> str:
    store = SessionStore()
    store["questionnaire"] = {"answers": answers, "skipped": [], "history": []}
    store.save()
    return store.session_key or ""


def page_figures(figures: dict, answer_sets: list[dict], rounds: int) -> None:
    per_round = 20
    fresh = iter([session_cookie(raw) for raw in answer_sets[: rounds * per_round]])
    client = Client()
    # A worker that has served other residents: templates loaded, the result cards they share
    # kept (eligibility/cards.py). The residents measured below answered differently.
    for key in [session_cookie(raw) for raw in answer_sets[-WARM_PAGES:]]:
        client.cookies["sessionid"] = key
        client.get("/results/")

    def with_cookie(key: str, url: str) -> float:
        client.cookies["sessionid"] = key
        return timed(lambda: client.get(url))

    def uncached_round() -> float:
        return sum(with_cookie(next(fresh), "/results/") for _ in range(per_round)) / per_round

    keys = [session_cookie(raw) for raw in answer_sets[:per_round]]

    def bare_round() -> float:
        return sum(with_cookie(key, "/bench/bare-page/") for key in keys) / per_round

    uncached, bare = alternate(rounds, uncached_round, bare_round)
    typical = session_cookie(answer_sets[0])
    with_cookie(typical, "/results/")  # now cached

    def cached_round() -> float:
        return sum(with_cookie(typical, "/results/") for _ in range(per_round)) / per_round

    def livez_round() -> float:
        return sum(with_cookie(typical, "/livez") for _ in range(per_round)) / per_round

    cached, livez = alternate(rounds, cached_round, livez_round)
    print(
        f"  results page (after {WARM_PAGES} other residents' pages): new answers "
        f"{uncached * 1000:.2f} ms, bare template page "
        f"{bare * 1000:.2f} ms; same answers again (cached) {cached * 1000:.2f} ms, /livez "
        f"{livez * 1000:.2f} ms"
    )
    figures["results page uncached / bare template page"] = uncached / bare
    figures["results page cached throughput / livez"] = livez / cached


def new_sheet_codes(client: Client, answer_sets: list[dict], first_address: int) -> list[str]:
    codes = []
    for n, raw in enumerate(answer_sets):
        created = client.post(
            "/api/v1/sheets",
            json.dumps({"answers": raw, "as_of": AS_OF.isoformat()}),
            content_type="application/json",
            REMOTE_ADDR=address(first_address + n),
        )
        assert created.status_code in (200, 201), created.content[:300]
        codes.append(created.json()["code"])
    return codes


def pdf_figures(figures: dict, answer_sets: list[dict]) -> None:
    """The task worker's render of a new sheet's PDF (what a web worker never does): a worker
    that has rendered one already (a process's first render also loads fonts and styles)."""
    times = []
    for code in new_sheet_codes(Client(), answer_sets[:10], 900_000):
        saved = SavedResult.objects.get(code=code)
        times.append(timed(lambda saved=saved: sheet_pdfs.render_sheet(saved, "http://bench/")))
    shown = ", ".join(f"{t:.2f}" for t in times[1:])
    print(
        f"  PDF of a saved sheet, rendered by the task worker: {shown} s "
        f"(the process's first: {times[0]:.2f} s)"
    )
    figures["PDF render s"] = statistics.median(times[1:])


def pdf_requests(client: Client, answer_sets: list[dict], first_address: int) -> None:
    """A web worker asked for new sheets' PDFs: it queues each render (202, a waiting page)."""
    for code in new_sheet_codes(client, answer_sets, first_address):
        response = client.get(f"/r/{code}/sheet.pdf", REMOTE_ADDR=address(first_address))
        assert response.status_code in (200, 202), response.status_code


def memory_figures(figures: dict) -> None:
    """A fresh process (a worker) screens 10,000 new residents and renders 20 PDFs."""
    out = subprocess.run(
        [sys.executable, __file__, "--memory-worker"],
        cwd=ROOT,
        env=os.environ,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = re.search(r"peak RSS (\d+(?:\.\d+)?) MB", out)
    assert found, out
    print(f"  {out.strip().splitlines()[-1]}")
    figures["peak RSS MB after 10,000 screenings and 20 PDFs"] = float(found.group(1))


def memory_worker() -> None:
    catalogue = get_catalogue()
    rng = random.Random(11)
    client = Client()
    for n in range(10_000):
        body = json.dumps({"answers": random_answers(rng, catalogue.facts)})
        response = client.post(
            "/api/v1/screen", body, content_type="application/json", REMOTE_ADDR=address(n)
        )
        assert response.status_code == 200
    screened = rss_mb("VmHWM")
    for n in range(20):  # one address each: the render limit counts per address
        pdf_requests(client, [random_answers(rng, catalogue.facts)], 800_000 + n)
    print(
        f"web worker after 10,000 screenings and 20 PDF requests: peak RSS "
        f"{rss_mb('VmHWM'):.0f} MB (after the screenings, before the PDFs: {screened:.0f} MB)"
    )


def rss_mb(field: str) -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", status).group(1)) / 1024


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, load {load:.1f}"


def report(figures: dict) -> bool:
    ok = True
    for name, (limit, kind) in TARGETS.items():
        if name not in figures:
            print(f"{name:<52} skipped")
            continue
        value = figures[name]
        passed = value <= limit if kind == "max" else value >= limit
        ok = ok and passed
        sign = "≤" if kind == "max" else "≥"
        print(f"{name:<52} {value:8.3f}   target {sign} {limit:<6g} {'ok' if passed else 'MISSED'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--memory-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    logging.disable(logging.INFO)  # request logs would be measured too
    if not args.memory_worker:
        call_command("migrate", verbosity=0)
        call_command("load_catalogue", verbosity=0)
    with override_settings(
        ROOT_URLCONF=__name__, DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]
    ):
        if args.memory_worker:
            memory_worker()
            return
        catalogue = get_catalogue()  # built once, as in a warm worker
        rng = random.Random(args.seed)
        answer_sets = [random_answers(rng, catalogue.facts) for _ in range(args.runs)]
        print(f"machine: {machine()}")
        print(f"catalogue: {len(catalogue.programmes)} programmes, {len(catalogue.facts)} facts")
        print(f"answer sets: {args.runs} (seed {args.seed})")
        figures: dict[str, float] = {}
        engine_figures(figures, answer_sets)
        api_figures(figures, answer_sets, args.rounds)
        household_figures(figures, catalogue.facts, args.runs // 4, args.rounds, args.seed)
        page_figures(figures, answer_sets, args.rounds)
        pdf_figures(figures, answer_sets)
        if not args.skip_memory:
            memory_figures(figures)
    sys.exit(0 if report(figures) else 1)


if __name__ == "__main__":
    main()
