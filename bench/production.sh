#!/usr/bin/env bash
# Production-shaped benchmarks on this machine: PostgreSQL (throwaway cluster), gunicorn with
# 2 workers, nginx in front of two app servers for the load test. Prints the figures.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install postgresql postgresql-common wrk nginx
pg_version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
exec pg_virtualenv -v "$pg_version" bash -c \
  'DATABASE_URL="postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE" python3 -m uv run python bench/production.py "$@"' \
  production-bench "$@"
