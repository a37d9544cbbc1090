"""Two server processes share one database: a publish reaches both on their next request."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.personas import B5_RESIDENT

ROOT = Path(__file__).resolve().parents[2]
PUBLISH_1100 = """
from benefits.models import PersonaCase, TableRow
from benefits.services import publish_catalogue
row = TableRow.objects.get(table__slug="skills-level-standard", keys=["B", "5"])
row.value = 1100
row.save()
PersonaCase.objects.filter(programme__slug="key-group-skills-subsidy",
                           expected_amount=1000).update(expected_amount=1100)
publication, failures = publish_catalogue(user=None, note="B5 1100")
assert publication is not None, [f.difference() for f in failures]
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


def b5_amount(port: int) -> int:
    body = json.dumps({"answers": B5_RESIDENT, "as_of": "2026-06-01"}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/screen",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        results = json.load(response)["results"]
    return next(r for r in results if r["programme"] == "key-group-skills-subsidy")["amount"][
        "value"
    ]


def wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/facts", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"server on port {port} did not start")


@pytest.fixture
def two_servers(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
    }
    manage(env, "migrate", "--noinput")
    manage(env, "load_catalogue")
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            wait_until_up(port)
        yield env, ports
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


def test_both_processes_serve_the_new_publication_at_once(two_servers):
    env, ports = two_servers
    assert [b5_amount(port) for port in ports] == [1000, 1000]
    manage(env, "shell", "-c", PUBLISH_1100)  # a third process edits and publishes
    assert [b5_amount(port) for port in ports] == [1100, 1100]
