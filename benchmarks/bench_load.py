"""Pages under load: gunicorn as deployed, 20 concurrent clients, next to the smallest Django view.

gunicorn runs on 127.0.0.1 only, with the worker count and CONN_MAX_AGE of docker-compose.yml, on the benchmark's
PostgreSQL database and Redis, with DEBUG off. For each page in turn, CLIENTS threads (plain
`http.client`, a new connection per request as gunicorn's sync workers close it) ask for it
again and again for an equal share of BENCH_LOAD_SECONDS (60 s in all), at most
BENCH_LOAD_MAX_REQUESTS per page. Reported per page: requests/s, p50 and p95 latency, errors;
and the ratio of its throughput to the status view's (`/status/`: "ok" through the whole
middleware stack), measured first and last in the same run. Goal: the public project page, the
public programme and the NPO officer's nominations list at >= 1/3 of the status view's.

Pages: the public project page and programme (anonymous), an NPO officer's nominations list,
the selection board of 1,000 nominations (Secretariat) and "My workshop" (a participant),
each signed in with a session cookie made for the server's settings. Beside them, the floor of
any signed-in page: the privacy notice as the NPO officer sees it (the session, the user, their
roles and `base.html`, with next to no content of its own); the NPO list is also reported as a
share of it.
"""

import http.client
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from apopms.enums import Role
from apopms.models import MemberCountry, Membership, Project, User
from nominations.models import Nomination, Participant
from sessions import services as agenda
from tests.sessions.programme_helpers import build_programme

from .bench_selection_board import _setup as selection_setup

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # never anything else
CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", "20"))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
MAX_REQUESTS = int(os.environ.get("BENCH_LOAD_MAX_REQUESTS", "20000"))
GOAL_SHARE = 1 / 3
WARM_UP_SECONDS = 3.0

LOGIN_PROBE = """
import sys
import django
django.setup()
from django.test import Client
from apopms.models import User
for email in sys.argv[1:]:
    client = Client()
    client.force_login(User.objects.get(email=email))
    print(client.cookies["sessionid"].value)
"""


def _compose_workers():
    text = (ROOT / "docker-compose.yml").read_text()
    return int(re.search(r'"?--workers"?,? "?(\d+)', text)[1])


def _compose_conn_max_age():
    match = re.search(r'CONN_MAX_AGE: "?(\d+)', (ROOT / "docker-compose.yml").read_text())
    return match[1] if match else "0"


def _free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _server_env():
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="apopms.settings",
        PYTHONPATH=str(ROOT),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        LOG_LEVEL="WARNING",
        CONN_MAX_AGE=_compose_conn_max_age(),
    )
    return env


def _setup():
    project, admin = selection_setup()  # 1,000 submitted nominations, notification issued
    india = MemberCountry.objects.get(iso2="IN")
    with transaction.atomic():
        officer = User.objects.create_user("bench.npo@apo.example", None, full_name="Bench Officer")
        Membership.objects.create(user=officer, role=Role.NPO_OFFICER, country=india)
        nomination = Nomination.objects.filter(project=project, country=india).order_by("pk").first()
        person = User.objects.create_user(nomination.email, None, full_name=nomination.certificate_name)
        Participant.objects.create(
            nomination=nomination,
            project=project,
            country=india,
            category=nomination.category,
            user=person,
            certificate_name=nomination.certificate_name,
        )
        Project.objects.filter(pk=project.pk).update(selection_published_at=timezone.now())
    project.refresh_from_db()
    build_programme(project, admin, days=3)
    agenda.announce_programme(project=project, actor=admin, notify=False)
    return project, {"secretariat": admin.email, "npo": officer.email, "participant": person.email}


class Server:
    """gunicorn on 127.0.0.1 with the compose file's worker count; stopped on exit."""

    def __init__(self, workers):
        self.workers = workers
        self.port = _free_port()
        self.env = _server_env()

    def __enter__(self):
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "apopms.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--log-level",
            "warning",
        ]
        self.proc = subprocess.Popen(command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if _get(self.port, "/status/", {})[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s.")

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def cookies(self, emails):
        out = subprocess.run(
            [sys.executable, "-c", LOGIN_PROBE, *emails],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return dict(zip(emails, out.stdout.split(), strict=True))


def _get(port, path, headers):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, body
    finally:
        conn.close()


def _hammer(port, path, headers, seconds):
    """CLIENTS threads asking for `path` for `seconds` (at most MAX_REQUESTS in all)."""
    latencies, errors = [], []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client():
        while time.monotonic() < stop_at:
            with lock:
                if len(latencies) + len(errors) >= MAX_REQUESTS:
                    return
            began = time.perf_counter()
            try:
                status, _body = _get(port, path, headers)
            except OSError as exc:
                with lock:
                    errors.append(type(exc).__name__)
                continue
            elapsed = time.perf_counter() - began
            with lock:
                (latencies if status == 200 else errors).append(elapsed if status == 200 else status)

    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted({str(e) for e in errors})[:5],
        "requests_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1) if latencies else None,
    }


def run():
    project, emails = _setup()
    workers = _compose_workers()
    with Server(workers) as server:
        cookies = server.cookies(list(emails.values()))

        def signed_in(role):
            return {"Cookie": f"sessionid={cookies[emails[role]]}"}

        pages = [
            ("status_view", "/status/", {}),
            ("public_project_page", f"/projects/{project.code}/", {}),
            ("public_programme", f"/projects/{project.code}/programme/", {}),
            ("npo_nominations_list", f"/projects/{project.code}/nominations/", signed_in("npo")),
            ("signed_in_minimal_page", "/personal-data/", signed_in("npo")),
            ("selection_board_1000", f"/projects/{project.code}/selection/", signed_in("secretariat")),
            ("my_workshop", "/my-workshop/", signed_in("participant")),
            ("status_view_again", "/status/", {}),
        ]
        for name, path, headers in pages:  # each answers (and is warm) before the clock starts
            status, body = _get(server.port, path, headers)
            if status != 200:
                raise RuntimeError(f"{name} ({path}) answered {status}: {body[:200]!r}")
            for _ in range(workers * 2):
                _get(server.port, path, headers)
        # Full concurrency for a while before the clock starts: a first measurement of a cold server
        # (its processes, PostgreSQL's, the machine's clock speed) read up to a quarter lower.
        _hammer(server.port, "/status/", {}, WARM_UP_SECONDS)
        share = SECONDS / len(pages)
        load_start = [round(v, 2) for v in os.getloadavg()]
        results = {name: _hammer(server.port, path, headers, share) for name, path, headers in pages}
    baseline = statistics.mean(
        [results["status_view"]["requests_per_s"], results["status_view_again"]["requests_per_s"]]
    )
    for figures in results.values():
        figures["share_of_status_view"] = round(figures["requests_per_s"] / baseline, 2) if baseline else None
    goals = {
        name: results[name]["share_of_status_view"] >= GOAL_SHARE
        for name in ("public_project_page", "public_programme", "npo_nominations_list")
    }
    floor = results["signed_in_minimal_page"]["requests_per_s"]
    return {
        "gunicorn_workers": workers,
        "clients": CLIENTS,
        "seconds_per_page": round(share, 1),
        "max_requests_per_page": MAX_REQUESTS,
        "nominations_on_board": Nomination.objects.filter(project=project).count(),
        "status_view_requests_per_s": round(baseline, 1),
        "pages": results,
        "goal_share_of_status_view": round(GOAL_SHARE, 3),
        "goal_met": goals,
        "npo_list_share_of_signed_in_minimal_page": round(results["npo_nominations_list"]["requests_per_s"] / floor, 2)
        if floor
        else None,
        "cpus": os.cpu_count(),
        "load_average_start": load_start,
        "load_average_end": [round(v, 2) for v in os.getloadavg()],
    }
