"""The image and the compose file as shipped (no Docker engine here: CI also runs `docker-compose config -q`,
and `make prod-smoke` runs the same commands as processes)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _service(name):
    """The text of one service of docker-compose.yml, up to the next service."""
    compose = (ROOT / "docker-compose.yml").read_text()
    services = compose.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    lines = [line for line in services.splitlines() if not line.lstrip().startswith("#")]
    blocks = re.split(r"\n(?=  [a-z]+:\n)", "\n" + "\n".join(lines) + "\n")
    return next(b for b in blocks if b.startswith(f"  {name}:\n"))


def test_the_image_leaves_out_the_virtualenv_history_local_data_and_secrets():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".venv", ".git", "db.sqlite3", ".env", "media", "backups"} <= ignored


def test_dependencies_are_installed_before_the_code_is_copied():
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    steps = [line for line in text.splitlines() if re.match(r"^(COPY|RUN|USER) ", line)]
    install = next(i for i, line in enumerate(steps) if "pip install" in line)
    assert steps[install - 1] == "COPY pyproject.toml ./"
    assert steps.index("COPY . .") > install


def test_the_media_folder_belongs_to_the_user_the_app_runs_as():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "chown -R apopms:apopms /data" in dockerfile
    assert dockerfile.index("chown -R apopms:apopms /data") < dockerfile.index("USER apopms")
    assert (
        "MEDIA_ROOT: /data/media" in _service("migrate")
        or "MEDIA_ROOT: /data/media" in (ROOT / "docker-compose.yml").read_text()
    )
    for lib in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fontconfig"):
        assert lib in dockerfile


def test_one_migrate_runs_before_web_workers_and_beat():
    assert 'command: ["python", "manage.py", "migrate", "--noinput"]' in _service("migrate")
    for name in ("web", "worker", "beat"):
        block = _service(name)
        assert "depends_on: *after-migrate" in block, name
        assert "migrate --noinput" not in block, name
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "condition: service_completed_successfully" in compose.split("x-after-migrate:", 1)[1].split("services:")[0]


def test_every_long_running_service_has_a_health_check():
    for name in ("db", "redis", "web", "worker", "beat", "proxy"):
        assert "healthcheck:" in _service(name), name


def test_web_is_reachable_only_through_the_proxy_which_sets_the_forwarded_headers():
    assert "\n    ports:" not in _service("web")
    assert '"443:443"' in _service("proxy")
    for name in ("db", "redis", "worker", "beat", "migrate"):
        assert "\n    ports:" not in _service(name), name
    template = (ROOT / "deploy/nginx/apopms.conf.template").read_text()
    assert "listen ${HTTPS_PORT} ssl;" in template
    assert "proxy_set_header X-Forwarded-Proto https;" in template
    # Overwritten, not appended to: PROXY_COUNT=1 reads the one entry the proxy wrote.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in template
