"""The embedded defaults versus production values from the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
    "'broker': s.CELERY_BROKER_URL, 'email': s.MAILERS['default']['BACKEND'], 'debug': s.DEBUG, 'cache': s.CACHES['default']['BACKEND'], "
    "'hsts': getattr(s, 'SECURE_HSTS_SECONDS', 0)}))"
)
KEYS = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "EMAIL_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "PROXY_COUNT",
)


def _settings_with(**env):
    clean = {k: v for k, v in os.environ.items() if k not in KEYS}
    clean.update(env, DJANGO_SETTINGS_MODULE="apopms.settings")
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _check_deploy(**env):
    clean = {k: v for k, v in os.environ.items() if k not in KEYS}
    clean.update(env, DJANGO_SETTINGS_MODULE="apopms.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


PRODUCTION = {
    "DATABASE_URL": "postgres://apopms:secret@db:5432/apopms",
    "REDIS_URL": "redis://redis:6379/0",
    "SECRET_KEY": "k3J9vQ2mZ8pL5wR7tY4uN6xB1cD0eF2gH3iA9sT5oP7lK4jM8nX",
    "ALLOWED_HOSTS": "portal.apo.example",
    "DEBUG": "0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.apo.example:587",
    "PROXY_COUNT": "1",
}


def test_defaults_are_embedded():
    s = _settings_with()
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["eager"] is True
    assert s["email"] == "apopms.console_mail.EmailBackend"
    assert s["debug"] is True
    assert s["cache"].endswith("LocMemCache")


def test_environment_gives_postgres_redis_smtp():
    s = _settings_with(**PRODUCTION)
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["eager"] is False
    assert s["broker"] == "redis://redis:6379/0"
    assert s["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert s["debug"] is False
    assert s["cache"].endswith("RedisCache")
    assert s["hsts"] >= 31_536_000


def test_check_deploy_is_clean_with_production_values():
    result = _check_deploy(**PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_start_up_warns_when_production_runs_without_proxy_count():
    """Behind the TLS proxy every visitor would share its address (login throttling, rate limits)."""
    result = _check_deploy(**dict(PRODUCTION, PROXY_COUNT="0"))
    assert result.returncode != 0
    assert "apopms.W001" in result.stderr and "PROXY_COUNT" in result.stderr


def test_docker_compose_sets_proxy_count_and_readme_documents_it():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert 'PROXY_COUNT: "1"' in compose  # its one proxy: tests/test_production_files.py
    readme = (ROOT / "README.md").read_text()
    assert "| `PROXY_COUNT` |" in readme
