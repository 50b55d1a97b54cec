"""Certificates: the whole path on a real worker against the tuned limit and a plain call; cold and warm.

Side by side, in one run:

- `path_ms_per_certificate`: N participants queued on Redis as a batch queues them (`issue_chunk`
  tasks of `services.CHUNK`) and run by a real Celery worker (`celery worker -c 1`, a subprocess on
  the same database and media folder): eligibility, the serials under the project lock, snapshot,
  render, storage, rows, audit, e-mails queued; from the first task queued to the last row
  written, divided by N.
- `one_by_one_ms_per_certificate`: the path as it was before chunks, one `issue_one` task per
  participant (still the path of "Issue this one", a retry and a reissue), on BENCH_CERTIFICATES_ONE
  (100) participants, in the same worker and run.
- `tuned_ms_per_certificate`: the same certificate HTML rendered in this process by WeasyPrint
  with one FontConfiguration and the parsed stylesheets reused (the limit of the path's render).
  Goal: path <= 1.15x tuned.
- `plain_ms_per_certificate`: `weasyprint.HTML(string=html).write_pdf()` with the stylesheets
  linked in the page: every call parses the CSS and loads every vendored font again.
- cold and warm, each in a fresh Python process (as a new worker process is): the first
  certificate against the next ones, with and without the warm-up a worker process does as it
  starts (`certificates.tasks.warm_pdf_renderer`); for a Latin, a Thai and a Japanese name.
  Goal: cold <= 3x warm.
- 2 worker processes (`-c 2`) against 1 on M certificates of a fresh project each. The machine
  is shared: the load average is recorded before and after.

Needs PostgreSQL and REDIS_URL (the worker is a separate process). BENCH_CERTIFICATES_N (300)
and BENCH_CERTIFICATES_WORKER_DOCS (60) change the sizes.
"""

import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import weasyprint
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from weasyprint.text.fonts import FontConfiguration

from apopms import pdf as pipeline
from apopms.celery import app
from apopms.enums import Category
from apopms.models import MemberCountry, Project, User
from certificates import pdf, services, tasks
from certificates.models import Certificate, IssueBatch
from nominations.enums import Gender, NominationStatus, OrganizationType
from nominations.models import Nomination, Participant
from sessions.enums import AttendanceSource
from sessions.models import Attendance, Session

ROOT = Path(__file__).resolve().parent.parent
N = int(os.environ.get("BENCH_CERTIFICATES_N", "300"))
ONE_BY_ONE = int(os.environ.get("BENCH_CERTIFICATES_ONE", "100"))
PLAIN_RUNS = int(os.environ.get("BENCH_CERTIFICATES_PLAIN", "3"))
TUNED_RUNS = int(os.environ.get("BENCH_CERTIFICATES_TUNED", "40"))
WORKER_DOCS = int(os.environ.get("BENCH_CERTIFICATES_WORKER_DOCS", "60"))
TIMEOUT_S = 900

NAMES = {"latin": ("", ""), "thai": ("สมชาย ใจดี", "th"), "japanese": ("山田太郎 さとう", "ja")}

# Run in a fresh interpreter: the first certificate, then warm ones; optionally after the warm-up.
COLD_PROBE = """
import json, os, sys, time
import django
django.setup()
started = time.perf_counter()
from certificates import pdf
from apopms import pdf as pipeline
data, warm_up = json.loads(sys.argv[1]), sys.argv[2] == "1"
html = pdf.certificate_html(data)
warm_up_s = 0.0
if warm_up:
    began = time.perf_counter()
    pdf.warm_up()
    warm_up_s = time.perf_counter() - began
began = time.perf_counter()
pdf.render_pdf(html)
first = time.perf_counter() - began
warm = []
for _ in range(5):
    began = time.perf_counter()
    pdf.render_pdf(html)
    warm.append(time.perf_counter() - began)
print(json.dumps({"first_ms": first * 1000, "warm_ms": sorted(warm)[2] * 1000, "warm_up_s": warm_up_s}))
"""


def _load():
    return [round(value, 2) for value in os.getloadavg()]


def _setup(n, code):
    countries = list(MemberCountry.objects.order_by("iso2"))
    host = next(c for c in countries if c.iso2 == "LK")
    start = datetime.date(2022, 8, 24)
    with transaction.atomic():
        project = Project.objects.create(
            code=code,
            title="Productivity of the Public Sector",
            host_country=host,
            implementing_organizations="National Productivity Secretariat, Sri Lanka\nAPO Secretariat",
            start_date=start,
            end_date=start,
            time_zone="Asia/Colombo",
            nomination_deadline=Project.deadline_for(datetime.date(2022, 8, 1), "Asia/Colombo"),
        )
        begin = datetime.datetime.combine(start, datetime.time(10), tzinfo=project.zone)
        session = Session.objects.create(
            project=project, title="Day 1", start_at=begin, end_at=begin + datetime.timedelta(hours=3)
        )
        users = User.objects.bulk_create(
            [User(email=f"{code}.{i}@example.org", full_name=f"Bench {i}") for i in range(n)]
        )
        nominations = Nomination.objects.bulk_create(
            [
                Nomination(
                    project=project,
                    country=countries[i % len(countries)],
                    category=Category.OVERSEAS,
                    status=NominationStatus.SUBMITTED,
                    certificate_name=f"Nguyễn Thị Bench {i}",
                    gender=Gender.FEMALE,
                    email=f"{code}.{i}@example.org",
                    organization="Ministry",
                    organization_type=OrganizationType.MINISTRY,
                    position="Officer",
                    submitted_at=timezone.now(),
                )
                for i in range(n)
            ]
        )
        participants = Participant.objects.bulk_create(
            [
                Participant(
                    nomination=nom,
                    project=project,
                    country=nom.country,
                    category=nom.category,
                    user=user,
                    certificate_name=nom.certificate_name,
                    native_name="สมชาย ใจดี" if i % 3 == 0 else "",
                )
                for i, (nom, user) in enumerate(zip(nominations, users, strict=True))
            ]
        )
        Attendance.objects.bulk_create(
            [
                Attendance(participant=p, session=session, present=True, seconds=10800, source=AttendanceSource.MANUAL)
                for p in participants
            ]
        )
        batch = IssueBatch.objects.create(project=project, eligible_at_start=n)
    return project, batch, [p.pk for p in participants]


def _env():
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="apopms.settings",
        DATABASE_URL=os.environ["DATABASE_URL"],
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        PYTHONPATH=str(ROOT),
    )
    # The outbox row is written in the path; handing it to a mail server is not the certificate's
    # cost (the console mailer parses and prints every message): nothing is sent unless EMAIL_URL says.
    env.setdefault("EMAIL_URL", "dummymail://")
    return env


class Worker:
    """A real Celery worker in a subprocess: `celery -A apopms worker -c <processes>`."""

    def __init__(self, processes):
        self.processes = processes
        self.proc = None

    def __enter__(self):
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(app.conf.task_default_queue)
        command = [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "apopms",
            "worker",
            "-c",
            str(self.processes),
            "-l",
            "warning",
            "-n",
            f"bench-certificates-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ]
        # Its log (and the console e-mails it sends) would drown the figures: kept in a file.
        self.log = tempfile.NamedTemporaryFile(prefix="bench-worker-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(command, cwd=ROOT, env=_env(), stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        name = f"bench-certificates-{os.getpid()}@"
        while time.monotonic() < deadline:
            replies = app.control.ping(timeout=1.0) or []
            if any(next(iter(reply)).startswith(name) for reply in replies):
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(f"The Celery worker exited at start: see {self.log.name}.")
        raise RuntimeError("The Celery worker did not answer within 120 s.")

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def _queue(batch, ids, *, one_by_one=False):
    if one_by_one:
        for pk in ids:
            tasks.issue_one.apply_async(kwargs={"batch_id": batch.pk, "participant_id": pk})
    else:
        for chunk in services.chunks(ids):
            tasks.issue_chunk.apply_async(kwargs={"batch_id": batch.pk, "participant_ids": chunk})


def _issue_on_worker(project, batch, ids, *, one_by_one=False):
    """Seconds from queuing `ids` until the worker has written all their certificates."""
    started = time.perf_counter()
    _queue(batch, ids, one_by_one=one_by_one)
    deadline = time.monotonic() + TIMEOUT_S
    while Certificate.objects.filter(project=project).count() < len(ids):
        if time.monotonic() > deadline:
            raise RuntimeError("The worker did not finish in time.")
        time.sleep(0.02)
    return time.perf_counter() - started


def _tuned_ms(html, runs):
    """The same HTML, one FontConfiguration and parsed stylesheets reused: the render's limit."""
    font_config = FontConfiguration()
    fetcher = pipeline._renderer().fetcher
    sheets = [
        weasyprint.CSS(filename=pipeline.static_path(name), font_config=font_config, url_fetcher=fetcher)
        for name in pdf.STYLESHEETS
    ]
    for _ in range(3):
        weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=sheets, font_config=font_config)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=sheets, font_config=font_config)
        times.append(time.perf_counter() - began)
    return statistics.mean(times) * 1000


def _plain_ms(html, runs):
    links = "".join(f'<link rel="stylesheet" href="file://{pdf.static_path(n)}">' for n in pdf.STYLESHEETS)
    plain = html.replace("</head>", links + "</head>", 1)
    began = time.perf_counter()
    for _ in range(runs):
        weasyprint.HTML(string=plain).write_pdf()
    return (time.perf_counter() - began) / runs * 1000


def _cold(data):
    """{name: {without/with warm-up: first, warm, ratio}}, each probe in a fresh interpreter."""
    results = {}
    for label, (native, lang) in NAMES.items():
        sample = dict(data, native_name=native, native_lang=lang)
        for warm_up in ("0", "1"):
            out = subprocess.run(
                [sys.executable, "-c", COLD_PROBE, json.dumps(sample), warm_up],
                cwd=ROOT,
                env=_env(),
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(out.stdout.strip().splitlines()[-1])
            key = f"{label}_{'after_warm_up' if warm_up == '1' else 'no_warm_up'}"
            results[key] = {
                "first_ms": round(figures["first_ms"], 1),
                "warm_ms": round(figures["warm_ms"], 1),
                "ratio_first_to_warm": round(figures["first_ms"] / figures["warm_ms"], 2),
                "warm_up_s": round(figures["warm_up_s"], 2),
            }
    return results


def run():
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        return {"skipped": "needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) for a real worker"}
    load_start = _load()
    project, batch, ids = _setup(N, "BENCH-CERT")
    with Worker(1):
        # The first certificate of the fresh worker process, then the timed run of the others.
        first_ms = _issue_on_worker(project, batch, ids[:1]) * 1000
        certificate = Certificate.objects.get(project=project)
        html = pdf.certificate_html(certificate.snapshot)
        tuned_before = _tuned_ms(html, TUNED_RUNS)
        rest = ids[1:]
        started_count = 1
        began = time.perf_counter()
        _queue(batch, rest)
        deadline = time.monotonic() + TIMEOUT_S
        while Certificate.objects.filter(project=project).count() < started_count + len(rest):
            if time.monotonic() > deadline:
                raise RuntimeError("The worker did not finish in time.")
            time.sleep(0.02)
        path_s = time.perf_counter() - began
        one_project, one_batch, one_ids = _setup(ONE_BY_ONE, "BENCH-ONE")
        one_by_one_s = _issue_on_worker(one_project, one_batch, one_ids, one_by_one=True)
    tuned_after = _tuned_ms(html, TUNED_RUNS)
    tuned_ms = (tuned_before + tuned_after) / 2
    path_ms = path_s / len(rest) * 1000
    plain_ms = _plain_ms(html, PLAIN_RUNS)
    load_after_path = _load()

    workers = {}
    for processes in (1, 2):
        w_project, w_batch, w_ids = _setup(WORKER_DOCS, f"BENCH-W{processes}")
        with Worker(processes):
            _issue_on_worker(w_project, w_batch, w_ids[:processes])  # each process's first, outside the clock
            began = time.perf_counter()
            _queue(w_batch, w_ids[processes:])
            while Certificate.objects.filter(project=w_project).count() < len(w_ids):
                time.sleep(0.02)
            workers[processes] = time.perf_counter() - began
        services.remove_orphan_files(w_project)

    cold = _cold(certificate.snapshot)
    services.remove_orphan_files(project)
    latin = cold["latin_after_warm_up"]
    return {
        "certificates": len(rest),
        "worker_email_url": _env()["EMAIL_URL"].split("://", 1)[0] + "://",
        "path_ms_per_certificate": round(path_ms, 1),
        "tuned_ms_per_certificate": round(tuned_ms, 1),
        "tuned_ms_before_and_after_path": [round(tuned_before, 1), round(tuned_after, 1)],
        "plain_ms_per_certificate": round(plain_ms, 1),
        "ratio_path_to_tuned": round(path_ms / tuned_ms, 3),
        "goal_ratio_path_to_tuned": 1.15,
        "chunk": services.CHUNK,
        "one_by_one_certificates": ONE_BY_ONE,
        "one_by_one_ms_per_certificate": round(one_by_one_s / ONE_BY_ONE * 1000, 1),
        "ratio_one_by_one_to_tuned": round(one_by_one_s / ONE_BY_ONE * 1000 / tuned_ms, 3),
        "ratio_path_to_plain": round(path_ms / plain_ms, 3),
        "first_certificate_of_fresh_worker_ms": round(first_ms, 1),
        "cold_and_warm_in_fresh_process": cold,
        "goal_ratio_cold_to_warm": 3,
        "ratio_cold_to_warm_latin_worker": latin["ratio_first_to_warm"],
        "workers_docs": WORKER_DOCS,
        "path_s_1_process": round(workers[1], 2),
        "path_s_2_processes": round(workers[2], 2),
        "speedup_1_to_2_processes": round(workers[1] / workers[2], 2),
        "cpus": os.cpu_count(),
        "load_average_start": load_start,
        "load_average_after_path": load_after_path,
        "load_average_end": _load(),
    }
