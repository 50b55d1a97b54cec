#!/usr/bin/env bash
# Run the production configuration and ask it for pages: `collectstatic` with the production
# storage (the Dockerfile's step), then gunicorn with DEBUG=0 behind a pretend TLS proxy
# (X-Forwarded-Proto: https). The home page, the login page, a project page and the
# stylesheet they link must answer 200; plain http must be redirected to https.
#
# The database is CHECK_DATABASE_URL, dropped and recreated first when it is PostgreSQL
# (give it a database of its own), or a temporary SQLite file; it gets the migrations and the demo.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
HOST=portal.example.org
work=$(mktemp -d)
gunicorn_pid=
cleanup() {
  if [ -n "$gunicorn_pid" ]; then
    kill "$gunicorn_pid" 2>/dev/null || true
    wait "$gunicorn_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export DEBUG=0
export SECRET_KEY="production-check-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS=$HOST CSRF_TRUSTED_ORIGINS=https://$HOST SITE_URL=https://$HOST
export STATIC_ROOT=$work/static MEDIA_ROOT=$work/media
export PROXY_COUNT=1  # one proxy in front, as in docker-compose.yml
export DATABASE_URL=${CHECK_DATABASE_URL:-sqlite:///$work/db.sqlite3}
# Without a broker the demo's tasks run eagerly; pages need no Redis.
unset REDIS_URL CELERY_BROKER_URL CELERY_RESULT_BACKEND STATICFILES_STORAGE

step() { printf -- '-- %s\n' "$*"; }

if [[ $DATABASE_URL == postgres* ]]; then
  step "fresh database ${DATABASE_URL##*/}"
  "$PY" - <<'EOF'
import os

import environ
import psycopg2

db = environ.Env.db_url_config(os.environ["DATABASE_URL"])
conn = psycopg2.connect(
    dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"] or 5432
)
conn.autocommit = True
with conn.cursor() as cursor:
    cursor.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}"')
    cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
conn.close()
EOF
fi

step "migrate and load the demo"
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py demo >"$work/demo.log" || { cat "$work/demo.log"; exit 1; }

step "collectstatic with the production storage"
"$PY" manage.py collectstatic --noinput -v 0
test -f "$STATIC_ROOT/staticfiles.json"

port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
step "gunicorn on 127.0.0.1:$port"
"$(dirname "$PY")/gunicorn" apopms.wsgi:application --bind "127.0.0.1:$port" --workers 2 \
  2>"$work/gunicorn.log" &  # gunicorn.conf.py sends its log lines to stderr
gunicorn_pid=$!
for _ in $(seq 60); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break
  kill -0 "$gunicorn_pid" 2>/dev/null || { cat "$work/gunicorn.log"; exit 1; }
  sleep 0.5
done

failed=0
expect() { # expect STATUS PATH [curl options...]
  local want=$1 path=$2
  shift 2
  local got
  got=$(curl -s -o "$work/body" -w '%{http_code}' -H "Host: $HOST" "$@" "http://127.0.0.1:$port$path")
  if [ "$got" = "$want" ]; then
    echo "$got $path"
  else
    echo "$got $path (expected $want)" >&2
    head -c 2000 "$work/body" >&2
    echo >&2
    failed=1
  fi
}
https=(-H "X-Forwarded-Proto: https")
expect 200 / "${https[@]}"
stylesheet=$(grep -o '/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]*\.css' "$work/body" | head -1 || true)
expect 200 /accounts/login/ "${https[@]}"
expect 200 /projects/22-PSP-DMC/ "${https[@]}"
if [ -n "$stylesheet" ]; then
  expect 200 "$stylesheet" "${https[@]}"
else
  echo "the home page links no hashed Bootstrap stylesheet" >&2
  failed=1
fi
expect 301 / # plain http goes to https

if [ "$failed" -ne 0 ]; then
  echo "gunicorn's log:" >&2
  cat "$work/gunicorn.log" >&2
  exit 1
fi
echo "The production configuration serves pages."
