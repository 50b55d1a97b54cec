"""Certificates: the whole issuing path against a plain WeasyPrint call, memory, and two workers.

- `path_ms_per_certificate`: the Celery task `issue_one` (run in-process) for each of N eligible
  participants: eligibility query, serial reservation under the project lock, snapshot, render
  with the per-process cached FontConfiguration/CSS/fetcher, storage, row, audit, e-mail queued.
- `plain_ms_per_certificate`: `weasyprint.HTML(string=html).write_pdf()` of the same certificate
  HTML with the same stylesheets linked in the page (what a per-call renderer pays: parsing the
  CSS and loading the vendored fonts every time), in the same run. Their ratio: aim <= 0.65.
- `plain_without_fonts_ms`: the same call with no stylesheet at all (system fonts, wrong glyphs
  for most scripts): the floor of WeasyPrint's layout and PDF writing, for context.
- memory: resident set size of this process before, during and after the N certificates.
- workers: M certificates in 1 and in 2 forked processes (each warms its renderer first), and
  the speed-up, twice: the pure render, and the whole issuing path (task, database, render,
  storage) on a fresh project each time. The machine has 2 cores shared with other work.

N defaults to 1,000 (BENCH_CERTIFICATES_N to change it).
"""

import datetime
import logging
import multiprocessing
import os
import time

import weasyprint
from django.db import connection, connections, transaction
from django.utils import timezone

from apopms.enums import Category
from apopms.models import MemberCountry, Project, User
from certificates import pdf, services, tasks
from certificates.models import Certificate, IssueBatch
from nominations.enums import Gender, NominationStatus, OrganizationType
from nominations.models import Nomination, Participant
from sessions.enums import AttendanceSource
from sessions.models import Attendance, Session

N = int(os.environ.get("BENCH_CERTIFICATES_N", "1000"))
PLAIN_RUNS = int(os.environ.get("BENCH_CERTIFICATES_PLAIN", "5"))
WORKER_DOCS = int(os.environ.get("BENCH_CERTIFICATES_WORKER_DOCS", "60"))


def _rss_mb():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def _setup(n, code="BENCH-CERT"):
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
    return project, batch, participants


def _plain_html(html):
    """The same certificate HTML with the stylesheets linked, as a plain call would be given it."""
    links = "".join(f'<link rel="stylesheet" href="file://{pdf.static_path(name)}">' for name in pdf.STYLESHEETS)
    return html.replace("</head>", links + "</head>", 1)


def _render_share(args):
    data, count = args

    pdf._renderer()
    start = time.perf_counter()
    for _ in range(count):
        pdf.render_certificate(data)
    return time.perf_counter() - start


def _warm(_):
    pdf._renderer()
    return os.getpid()


def _issue_share(args):
    batch_id, ids = args

    pdf._renderer()
    start = time.perf_counter()
    for pk in ids:
        tasks.issue_one.apply(kwargs={"batch_id": batch_id, "participant_id": pk})
    connections.close_all()
    return time.perf_counter() - start


def _path_workers(docs):
    """The whole issuing path for `docs` participants of a fresh project, in 1 and in 2 processes."""
    results = {}
    context = multiprocessing.get_context("fork")
    for processes in (1, 2):
        _project, batch, participants = _setup(docs, code=f"BENCH-W{processes}")
        ids = [p.pk for p in participants]
        connections.close_all()
        with context.Pool(processes) as pool:
            pool.map(_warm, range(processes * 2))
            start = time.perf_counter()
            pool.map(_issue_share, [(batch.pk, ids[i::processes]) for i in range(processes)])
            results[processes] = time.perf_counter() - start
    return results


def _workers(data, docs):
    connections.close_all()
    results = {}
    context = multiprocessing.get_context("fork")
    for processes in (1, 2):
        with context.Pool(processes) as pool:
            pool.map(_warm, range(processes * 2))  # build each worker's renderer outside the clock
            share = docs // processes
            start = time.perf_counter()
            pool.map(_render_share, [(data, share)] * processes)
            results[processes] = time.perf_counter() - start
    return results


def run():
    logging.getLogger("celery").setLevel(logging.WARNING)
    rss_start = _rss_mb()
    started = time.perf_counter()
    pdf._renderer()
    renderer_startup_s = time.perf_counter() - started
    project, batch, participants = _setup(N)

    rss_after_warmup = _rss_mb()
    samples = []
    started = time.perf_counter()
    for i, participant in enumerate(participants, 1):
        tasks.issue_one.apply(kwargs={"batch_id": batch.pk, "participant_id": participant.pk})
        if i % 100 == 0 or i == len(participants):
            samples.append((i, _rss_mb()))
    path_s = time.perf_counter() - started
    issued = Certificate.objects.filter(project=project).count()
    assert issued == N, f"issued {issued} of {N}"

    certificate = Certificate.objects.filter(project=project).order_by("serial").first()
    data = certificate.snapshot
    html = pdf.certificate_html(data)
    plain = _plain_html(html)
    started = time.perf_counter()
    for _ in range(PLAIN_RUNS):
        weasyprint.HTML(string=plain).write_pdf()
    plain_ms = (time.perf_counter() - started) / PLAIN_RUNS * 1000
    # System fonts lack most scripts: WeasyPrint warns of each missing glyph, which is expected here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    started = time.perf_counter()
    for _ in range(PLAIN_RUNS * 4):
        weasyprint.HTML(string=html).write_pdf()
    logging.getLogger("weasyprint").setLevel(logging.NOTSET)
    bare_ms = (time.perf_counter() - started) / (PLAIN_RUNS * 4) * 1000

    path_ms = path_s / N * 1000
    workers = _workers(data, WORKER_DOCS)

    # Two processes writing one SQLite file fail with "database is locked": PostgreSQL only.
    path_workers = _path_workers(WORKER_DOCS) if connection.vendor == "postgresql" else {1: 0.0, 2: None}
    services.remove_orphan_files(project)
    return {
        "certificates": N,
        "renderer_startup_s": round(renderer_startup_s, 2),
        "path_ms_per_certificate": round(path_ms, 1),
        "plain_ms_per_certificate": round(plain_ms, 1),
        "ratio_path_to_plain": round(path_ms / plain_ms, 3),
        "plain_without_fonts_ms": round(bare_ms, 1),
        "ratio_path_to_plain_without_fonts": round(path_ms / bare_ms, 3),
        "rss_mb_start": rss_start,
        "rss_mb_after_renderer": rss_after_warmup,
        "rss_mb_every_100": samples,
        "rss_mb_growth_over_run": round(samples[-1][1] - samples[0][1], 1) if samples else None,
        "workers_docs": WORKER_DOCS,
        "render_s_1_process": round(workers[1], 2),
        "render_s_2_processes": round(workers[2], 2),
        "speedup_1_to_2_processes": round(workers[1] / workers[2], 2),
        "path_s_1_process": round(path_workers[1], 2) if path_workers[2] else None,
        "path_s_2_processes": round(path_workers[2], 2) if path_workers[2] else None,
        "path_speedup_1_to_2_processes": round(path_workers[1] / path_workers[2], 2) if path_workers[2] else None,
        "load_average_at_end": os.getloadavg()[0],
    }
