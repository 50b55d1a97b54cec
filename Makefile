# The two commands for a fresh machine are `make run` and `make test`.
# Django 6 needs Python 3.12+; pick the newest interpreter that really runs
# (pyenv shims on PATH may exist but refuse to run unless selected).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $$HOME/.pyenv)

ifndef PYTHON
PYTHON := $(shell for c in python3.14 python3.13 python3.12 \
	$$(ls -d $(PYENV_ROOT)/versions/3.1[2-9]*/bin/python3.1[2-9] 2>/dev/null | sort -rV) \
	/usr/bin/python3 python3; do \
	  if "$$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then \
	    command -v "$$c"; break; fi; done)
endif

.PHONY: run test lint fmt bench venv syspkgs demo worker beat clean prod-smoke backup restore

# System packages first, before the venv: WeasyPrint's libraries (and, for `make test`,
# Chromium and poppler-utils for the browser tests). Installed with apt-get as root or
# with `sudo -n`; otherwise the command to run is printed and make stops.
SYSPKGS_FLAGS ?=
syspkgs:
	@scripts/syspkgs.sh $(SYSPKGS_FLAGS)

$(PY): | syspkgs
	@if [ -z "$(PYTHON)" ]; then \
	  echo "No Python 3.12 or newer found. Install Python 3.12+ (e.g. apt-get install python3.12 python3.12-venv, or pyenv install 3.13) or run: make PYTHON=/path/to/python3.12 ..." >&2; exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	@echo "Upgrading pip..."
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	@echo "Installing Python packages (about 2 minutes on a fresh machine)..."
	$(PY) -m pip install -e '.[dev]'
	@touch $@

venv: $(VENV)/.installed

run: syspkgs venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo
	@echo "Serving on http://127.0.0.1:8000/ (Ctrl-C to stop)"
	$(PY) manage.py runserver 127.0.0.1:8000

demo: syspkgs venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo

# One file or one test: make test PYTEST_ARGS="tests/certificates/test_pdf.py::test_name"
test: SYSPKGS_FLAGS = --browser
test: syspkgs venv
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: venv
	$(PY) -m benchmarks

worker: venv
	$(VENV)/bin/celery -A apopms worker -l info

# One beat beside the workers: it queues the outbox's sweep every minute (needs REDIS_URL).
beat: venv
	$(VENV)/bin/celery -A apopms beat -l info -s $(or $(TMPDIR),/tmp)/apopms-celerybeat-schedule

# The production shape as processes (no Docker engine needed): nginx terminating TLS in front of
# gunicorn, two Celery workers and beat with docker-compose.yml's commands, DEBUG=0, PostgreSQL and
# Redis; a round over HTTP while workers are killed, then the backup and restore drill.
# Its own databases (SMOKE_DATABASE_URL, SMOKE_RESTORE_DATABASE_URL, dropped and created) and Redis
# database (SMOKE_REDIS_URL, emptied first): see scripts/prod_smoke/__main__.py.
prod-smoke: venv
	@scripts/syspkgs.sh --production
	$(PY) scripts/prod_smoke

# One dated archive (database + media) in BACKUP_DIR (./backups); DATABASE_URL, MEDIA_ROOT as the portal's.
backup:
	@scripts/syspkgs.sh --production
	scripts/backup.sh

# Into an empty database and media folder: make restore ARCHIVE=backups/apopms-....tar.gz
restore:
	@scripts/syspkgs.sh --production
	scripts/restore.sh "$(ARCHIVE)"

clean:
	rm -rf $(VENV) db.sqlite3 media
