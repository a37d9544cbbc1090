"""Throughput ratio, load and memory under gunicorn + PostgreSQL (run via bench/production.sh).

1. Throughput ratio: requests/s of the results page for a typical answer set divided by
   requests/s of a bare view returning "ok" (/livez), same gunicorn (2 workers), same wrk
   settings and headers, medians of alternating rounds. Target ≥ 0.5.
2. Load: 200 simulated residents (locust, headless) walk the questionnaire to the results page
   for 60 s through nginx in front of two app servers (2 workers each), reading each page for
   1–3 s as a quick reader would. Targets: 0 errors, p95 < 300 ms. Then the same walk with no
   reading time at all (a stress test: the servers are saturated), reported without a target.
3. Memory: peak RSS (VmHWM) per gunicorn worker after the load. Target < 150 MB.
4. PDF burst: fresh servers as in 2, with one task worker (`manage.py db_worker`). 50 PDF
   requests for 50 saved sheets not yet rendered arrive at once (each client reloads the
   waiting page as a browser would, until it gets its PDF) while 200 residents walk the
   questionnaire. Targets: residents' p95 < 300 ms over the burst, web worker peak RSS
   < 150 MB. Also printed: when the last PDF arrived, and the task worker's peak RSS.
"""

import argparse
import concurrent.futures
import csv
import datetime as dt
import json
import os
import re
import secrets
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TYPICAL = {  # the 82-year-old senior of the resident tests, mid-way through
    "birth_date": "1944-03-02",
    "sex": "female",
    "hukou": "beijing",
    "hukou_nature": "urban",
    "capability_level": "severe",
    "care_setting": "home",
    "receives": [],
    "employment_status": "retired",
    "medical_insurance": "resident",
}


def environment() -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "RATELIMIT_ENABLE": "0",
        }
    )
    return env


def manage(env, *args):
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def start_gunicorn(env, port: int, workers: int = 2) -> subprocess.Popen:
    if not port_is_free(port):  # never measure some other server by mistake
        raise SystemExit(f"port {port} is already in use")
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env={**env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for(f"http://127.0.0.1:{port}/livez")
    if server.poll() is not None:
        raise SystemExit(f"gunicorn on port {port} exited")
    return server


def wait_for(url: str) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def session_cookies(env, answer_sets: list[dict]) -> list[str]:
    """Session keys whose sessions (in the bench's database) hold these answers, as the
    questionnaire leaves them."""
    states = [{"answers": answers, "skipped": [], "history": []} for answers in answer_sets]
    code = (
        "import django; django.setup();"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        f"for state in {states!r}:\n"
        "    s = SessionStore(); s['questionnaire'] = state; s.save(); print(s.session_key)"
    )
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.split()


def first_view_ms(url: str, headers: list[str], cookies: list[str]) -> float:
    """Median time of a results page for answer sets the server has not seen (no cache)."""
    times = []
    for cookie in cookies:
        request = urllib.request.Request(url, headers=dict(h.split(": ", 1) for h in headers))
        request.add_header("Cookie", cookie)
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def wrk(url: str, seconds: int, headers: list[str]) -> float:
    args = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run([*args, url], check=True, capture_output=True, text=True).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"{url}: {non2xx.group(1)} error responses\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def worker_peak_rss_mb(master: subprocess.Popen) -> list[float]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
    return peaks


def locust_command(prefix: Path, users: int, seconds: int) -> list[str]:
    return [
        PYTHON,
        "-m",
        "locust",
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "-u",
        str(users),
        "-r",
        "50",
        "-t",
        f"{seconds}s",
        "-H",
        "http://127.0.0.1:8080",
        "--csv",
        str(prefix),
        "--only-summary",
    ]


def locust(env, prefix: Path, users: int, seconds: int, reading: str) -> dict:
    """Run the resident walk headless; the aggregated row of locust's statistics."""
    subprocess.run(
        locust_command(prefix, users, seconds),
        cwd=ROOT,
        env={**env, "READING_SECONDS": reading},
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return locust_totals(prefix)


def locust_totals(prefix: Path) -> dict:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")


def summary(total: dict) -> str:
    return (
        f"{total['Request Count']} requests, {total['Failure Count']} errors, "
        f"median {total['50%']} ms, p95 {total['95%']} ms, "
        f"{float(total['Requests/s']):.0f} req/s"
    )


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def start_nginx() -> Path:
    if not port_is_free(8080):
        raise SystemExit("port 8080 is already in use")
    nginx_dir = Path(tempfile.mkdtemp())
    subprocess.run(
        ["nginx", "-c", str(ROOT / "deploy" / "nginx.conf"), "-p", str(nginx_dir)], check=True
    )
    wait_for("http://127.0.0.1:8080/livez")
    return nginx_dir


def stop_nginx(nginx_dir: Path) -> None:
    nginx = ["nginx", "-c", str(ROOT / "deploy" / "nginx.conf"), "-p", str(nginx_dir)]
    subprocess.run([*nginx, "-s", "stop"], check=False)


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def save_sheets(count: int) -> list[str]:
    """Saved sheets (through the API, so none is rendered yet), each for its own resident."""
    codes = []
    for n in range(count):
        answers = {
            **TYPICAL,
            "birth_date": (dt.date(1941, 1, 1) + dt.timedelta(days=n)).isoformat(),
        }
        request = urllib.request.Request(
            "http://127.0.0.1:8080/api/v1/sheets",
            data=json.dumps({"answers": answers}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            codes.append(json.load(response)["code"])
    return codes


def fetch_pdf(code: str) -> float:
    """Seconds until the PDF arrives, reloading the waiting page as a browser does."""
    start = time.perf_counter()
    while True:
        with urllib.request.urlopen(f"http://127.0.0.1:8080/r/{code}/sheet.pdf", timeout=60) as r:
            body = r.read()
            if r.status == 200 and body.startswith(b"%PDF"):
                return time.perf_counter() - start
            if r.status != 202:
                raise SystemExit(f"PDF request answered {r.status}")
            time.sleep(int(r.headers.get("Retry-After", "3")))


def pdf_burst(env, users: int, pdfs: int) -> None:
    """Phase 4: the burst of PDF requests while residents screen (see the module's docstring)."""
    servers = [start_gunicorn(env, 8001), start_gunicorn(env, 8002)]
    worker = subprocess.Popen(  # at a low CPU priority, as deploy/benefits-worker.service runs it
        ["nice", "-n", "19", PYTHON, "manage.py", "db_worker", "--no-reload", "--max-tasks", "200"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    nginx_dir = start_nginx()
    prefix = nginx_dir / "burst"
    try:
        codes = save_sheets(pdfs)
        # The same residents without the burst, on the same servers: the figure to compare with.
        quiet = locust(env, nginx_dir / "quiet", users, 30, "1-3")
        residents = subprocess.Popen(
            locust_command(prefix, users, 600),
            cwd=ROOT,
            env={**env, "READING_SECONDS": "1-3"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(6)  # every resident has arrived (50 a second)
        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=pdfs) as pool:
            waits = list(pool.map(fetch_pdf, codes))
        burst_seconds = time.perf_counter() - start
        time.sleep(2)
        residents.send_signal(signal.SIGTERM)  # locust writes its statistics and stops
        residents.wait(timeout=60)
        totals = locust_totals(prefix)
        web_peaks = [peak for server in servers for peak in worker_peak_rss_mb(server)]
        worker_peak = peak_rss_mb(worker.pid)
    finally:
        stop_nginx(nginx_dir)
        stop(worker)
        for server in servers:
            stop(server)
    p95, quiet_p95 = float(totals["95%"]), float(quiet["95%"])
    print(f"pdf burst baseline: the same {users} residents for 30 s, no PDFs: {summary(quiet)}")
    print(
        f"pdf burst: {pdfs} PDF requests for sheets not yet rendered, at once, while {users} "
        f"residents screen (nginx → 2 app servers × 2 workers, 1 task worker): residents' "
        f"p95 {p95:.0f} ms (target < 300 ms: {p95 / 300:.2f} of it; {p95 / quiet_p95:.1f} × "
        f"the baseline's), "
        f"{totals['Failure Count']} errors, {summary(totals)}; all {pdfs} PDFs delivered "
        f"within {burst_seconds:.1f} s (median wait {statistics.median(waits):.1f} s)"
    )
    print(
        f"pdf burst memory: web worker peak RSS {', '.join(f'{p:.0f}' for p in web_peaks)} MB "
        f"(max {max(web_peaks):.0f} MB, target < 150 MB: {max(web_peaks) / 150:.2f} of it); "
        f"task worker peak RSS {worker_peak:.0f} MB (recycled after 200 renders)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per endpoint")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument(
        "--throughput-only", action="store_true", help="measure the ratio, skip the load runs"
    )
    parser.add_argument("--pdfs", type=int, default=50, help="PDF requests in the burst")
    parser.add_argument(
        "--pdf-burst-only", action="store_true", help="only the PDF burst (phase 4)"
    )
    args = parser.parse_args()

    env = environment()
    manage(env, "migrate", "--noinput")
    manage(env, "load_catalogue")
    manage(env, "collectstatic", "--noinput")
    # The resident's browser holds the session and the CSRF cookie the questionnaire set.
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    typical, *unseen = session_cookies(
        env,
        [TYPICAL]
        + [  # 200 more residents, each born on a different day: 200 different answer sets
            {**TYPICAL, "birth_date": (dt.date(1940, 1, 1) + dt.timedelta(days=n)).isoformat()}
            for n in range(200)
        ],
    )
    cookie = f"Cookie: sessionid={typical}; csrftoken={csrf}"
    if args.pdf_burst_only:
        pdf_burst(env, args.users, args.pdfs)
        return

    server = start_gunicorn(env, 8001)
    try:
        headers = ["X-Forwarded-Proto: https", cookie]  # the same request headers for both
        wrk("http://127.0.0.1:8001/results/", 3, headers)
        # Alternate the two endpoints and take medians: the machine's speed drifts over a run.
        ok_runs, results_runs = [], []
        for _ in range(args.rounds):
            ok_runs.append(wrk("http://127.0.0.1:8001/livez", args.seconds, headers))
            results_runs.append(wrk("http://127.0.0.1:8001/results/", args.seconds, headers))
        ok_rps, results_rps = statistics.median(ok_runs), statistics.median(results_runs)
        unseen_ms = first_view_ms(
            "http://127.0.0.1:8001/results/",
            headers[:1],
            [f"sessionid={key}; csrftoken={csrf}" for key in unseen],
        )
    finally:
        stop(server)
    print(
        f"throughput: bare 'ok' view {ok_rps:.0f} req/s, results page {results_rps:.0f} "
        f"req/s (medians of {args.rounds} alternating {args.seconds} s rounds), "
        f"ratio {results_rps / ok_rps:.2f} (target >= 0.5)"
    )
    print(
        f"results page for an answer set not seen before (screened and rendered, not cached): "
        f"median {unseen_ms:.1f} ms over {len(unseen)} residents, one at a time"
    )
    if args.throughput_only:
        return

    servers = [start_gunicorn(env, 8001), start_gunicorn(env, 8002)]
    nginx_dir = start_nginx()
    try:
        load = locust(env, nginx_dir / "load", args.users, args.load_seconds, "1-3")
        stress = locust(env, nginx_dir / "stress", args.users, args.load_seconds, "0")
        peaks = [peak for server in servers for peak in worker_peak_rss_mb(server)]
    finally:
        stop_nginx(nginx_dir)
        for server in servers:
            stop(server)
    where = (
        f"{args.users} residents for {args.load_seconds} s "
        "through nginx → 2 app servers × 2 workers"
    )
    print(
        f"load: {where}, reading each page 1–3 s: {summary(load)} (targets: 0 errors, p95 < 300 ms)"
    )
    print(f"stress: {where}, no reading time (servers saturated): {summary(stress)}")
    print(
        f"memory: peak RSS per worker {', '.join(f'{p:.0f}' for p in peaks)} MB "
        f"(max {max(peaks):.0f} MB, target < 150 MB)"
    )
    pdf_burst(env, args.users, args.pdfs)


if __name__ == "__main__":
    main()
