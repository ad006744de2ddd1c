#!/usr/bin/env bash
# Called by `make demo`: prepare the database and demo data, then run the site, the task worker
# (emails) and the periodic jobs (expiring holds and requests, completing lessons, reminders).
# DEBUG=1 (default) is the development mode; DEBUG=0 runs as in production (hashed static files,
# custom error pages) on plain HTTP with a throwaway secret key.
set -euo pipefail
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
export DEBUG=${DEBUG:-1}
export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}  # links in emails point at this demo
if [ "$DEBUG" = 0 ]; then
  export HTTPS=0
  export SECRET_KEY=${SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')}
  $PY manage.py collectstatic --noinput -v 0
fi
$PY manage.py migrate --noinput -v 1  # also makes the cache table (petittalk/core/apps.py)
$PY manage.py seed_demo
$PY manage.py db_worker --interval 1 &
worker=$!
$PY manage.py run_periodic_jobs --interval 60 &
clock=$!
trap 'kill $worker $clock 2>/dev/null || true' EXIT INT TERM
$PY manage.py demo_logins
echo "Petit Talk is running on http://127.0.0.1:$PORT  (Ctrl-C stops the site and the worker)"
$PY manage.py runserver "127.0.0.1:$PORT"
