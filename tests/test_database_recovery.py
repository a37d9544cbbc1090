"""An app server started while its database is unreachable answers 503 (the health check and
the resident's page) and recovers by itself once the database is back: no restart."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until_listening(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read() if server.stderr else ""
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def test_a_server_started_with_the_database_down_recovers_when_it_returns(tmp_path):
    database = tmp_path / "later" / "db.sqlite3"  # its directory does not exist yet: unreachable
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "config.wsgi"]
    server = subprocess.Popen(
        gunicorn, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_listening(f"{base}/livez", server)
        status, body = get(f"{base}/healthz")
        assert (status, '"database": "down"' in body) == (503, True)
        status, body = get(f"{base}/")
        assert status == 503
        assert "服务暂时不可用" in body  # the resident's page, in Chinese

        database.parent.mkdir()  # the database comes back, with the catalogue loaded
        for command in (["migrate", "--noinput"], ["load_catalogue"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                timeout=120,
            )

        assert get(f"{base}/healthz")[0] == 200
        status, body = get(f"{base}/")
        assert status == 200 and "北京惠民政策查询" in body
        status, body = get(f"{base}/programmes/")
        assert status == 200 and "京人社" in body  # the catalogue, loaded after start-up
        assert server.poll() is None  # the same server, never restarted
    finally:
        server.terminate()
        server.wait(timeout=30)
