"""Log lines (one per event: time, level, process, logger) and Sentry, on only with SENTRY_DSN."""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sentry_sdk
from django.conf import settings

from apopms import logs

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ERROR worker certificates\.tasks: Certificate failed")


def test_without_a_dsn_no_error_tracker_is_started():
    assert "SENTRY_DSN" not in os.environ
    assert settings.SENTRY_ENABLED is False
    assert not sentry_sdk.get_client().is_active()


def test_with_a_dsn_errors_go_to_sentry_from_django_and_celery():
    probe = (
        "import json, django, sentry_sdk; django.setup(); from django.conf import settings; "
        "client = sentry_sdk.get_client(); "
        "print(json.dumps({'enabled': settings.SENTRY_ENABLED, 'active': client.is_active(), "
        "'integrations': sorted(client.integrations), 'pii': client.options['send_default_pii']}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    # A DSN pointing at a closed local port: the client starts, nothing is sent anywhere.
    env.update(SENTRY_DSN="http://public@127.0.0.1:9/1", DJANGO_SETTINGS_MODULE="apopms.settings")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    report = json.loads(out.stdout)
    assert report["enabled"] and report["active"]
    assert {"django", "celery"} <= set(report["integrations"])
    assert report["pii"] is False


def test_an_event_with_its_traceback_is_one_line():
    formatter = logs.OneLineFormatter()
    try:
        raise ValueError("bad\nfont")
    except ValueError:
        record = logging.getLogger("certificates.tasks").makeRecord(
            "certificates.tasks", logging.ERROR, __file__, 1, "Certificate failed", (), sys.exc_info()
        )
    logs.OneLineFormatter.kind = "worker"
    try:
        line = formatter.format(record)
    finally:
        logs.OneLineFormatter.kind = None
    assert "\n" not in line
    assert LINE.match(line), line
    assert "ValueError: bad\\nfont" in line


@pytest.mark.parametrize(
    ("argv", "kind"),
    [
        (["/app/.venv/bin/gunicorn", "apopms.wsgi:application", "--workers", "3"], "web"),
        (["/usr/local/bin/celery", "-A", "apopms", "worker", "-l", "info"], "worker"),
        (["celery", "-A", "apopms", "beat", "-s", "/data/celerybeat-schedule"], "beat"),
        (["manage.py", "migrate", "--noinput"], "migrate"),
        (["manage.py", "runserver"], "web"),
    ],
)
def test_each_process_names_itself(argv, kind):
    assert logs.process_kind(argv) == kind
