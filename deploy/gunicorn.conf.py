"""Gunicorn settings for one app server (`gunicorn -c deploy/gunicorn.conf.py config.wsgi`)."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
max_requests = 5000  # recycle workers now and then: memory stays flat under long load
max_requests_jitter = 500
accesslog = None  # the app writes its own JSON request log without personal data
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"


def post_worker_init(worker) -> None:
    """Warm each worker before it accepts requests (see config.wsgi.warm_up)."""
    from config.wsgi import warm_up

    warm_up()
