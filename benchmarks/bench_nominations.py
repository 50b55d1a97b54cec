"""Nominations import at scale, side by side in one run (run it on PostgreSQL):

- 1,000 rows through the whole path (upload, the worker's reading into the preview, the preview
  page, confirmation, the worker's import) against a bare `bulk_create` of the same rows. Goal <= 10x.
- 5,000 rows through the same path: it must complete (and the preview page stays quick).
- An NPO officer's "Save as draft" during a 5,000-row import (run in a separate process, as a
  worker would) against the same save with no import running. Goal <= 3x.
  While it runs, a third connection samples every ~2 ms whether any lock in the database is waited
  for (`pg_locks` not granted) and what the officer's backend waits on (`pg_stat_activity`): the
  slowest saves are explained by those figures (lock waits, WAL flushes, or none: waiting for a CPU).
- The exports of those rows and the query count of the Secretariat's list page.

The machine's CPU count and load average (before and after) are recorded with the figures: the
ratios are only comparable on an otherwise quiet machine.
"""

import collections
import csv
import datetime
import io
import multiprocessing
import os
import statistics
import threading
import time

import psycopg2
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apopms.celery import app
from apopms.enums import Role
from apopms.models import MemberCountry, Membership, Project, User
from nominations import resources, selectors, services, tasks
from nominations.enums import ImportStatus, NominationStatus
from nominations.models import Nomination, NominationImport

SMALL = 1_000
LARGE = 5_000
SAVES_ALONE = 30


def _project(code):
    lk = MemberCountry.objects.get(iso2="LK")
    project = Project.objects.create(
        code=code,
        title="Nominations benchmark",
        host_country=lk,
        implementing_organizations="APO",
        start_date=datetime.date(2031, 8, 24),
        end_date=datetime.date(2031, 8, 26),
        time_zone="Asia/Colombo",
        nomination_deadline=Project.deadline_for(datetime.date(2031, 8, 3), "Asia/Colombo"),
        notification_issued_at=timezone.now() - datetime.timedelta(days=1),
    )
    project.participating_countries.set(MemberCountry.objects.all())
    return project


def _users():
    admin = User.objects.create_user("bench.admin@apo.example", None)
    Membership.objects.create(user=admin, role=Role.SECRETARIAT)
    officer = User.objects.create_user("bench.officer@npo.example", None)
    Membership.objects.create(user=officer, role=Role.NPO_OFFICER, country=MemberCountry.objects.get(iso2="IN"))
    return admin, officer


def _csv(rows, prefix):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Name for the certificate", "Name in own script", "Gender", "Date of birth", "E-mail", "Phone",
                     "Organization", "Organization type", "Position/title", "Years of relevant experience",
                     "English proficiency", "Statement", "Country"])  # fmt: skip
    for i in range(rows):
        writer.writerow([f"Somchai Person{i}", "สมชาย", "Male", f"{1 + i % 28:02d}/0{1 + i % 9}/1980",
                         f"{prefix}{i}@example.org", "+66 2 123 4567",
                         "Office of the Public Sector Development Commission", "Government ministry/agency",
                         "Senior Officer", i % 30, "Good", "Works on KPIs and the service charter.",
                         "Thailand"])  # fmt: skip
    return buffer.getvalue().encode()


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def _whole_path(client, project, country, admin, content, name):
    """Upload -> worker reads -> preview page -> confirm -> worker imports; Celery runs eagerly here,
    so each step's task runs when its request's transaction commits. Returns the step timings."""
    timings = {}
    url = reverse("nominations:import", kwargs={"code": project.code})
    NominationImport.objects.filter(project=project).delete()
    upload = io.BytesIO(content)
    upload.name = name
    started = time.perf_counter()
    # The upload request stores the file; with eager Celery the reading runs after its commit,
    # inside this call, so the reading's own time is taken from the job row below.
    response = client.post(url, {"country": country.pk, "file": upload, "date_order": ""})
    timings["upload_and_read_s"] = time.perf_counter() - started
    assert response.status_code == 302, response.content[:500]
    job = NominationImport.objects.get(project=project)
    assert job.status == ImportStatus.PREVIEW, job.error
    assert job.summary["bad"] == 0, job.rows[:3]
    preview = response["Location"]
    _, timings["preview_page_s"] = _timed(lambda: client.get(preview))
    started = time.perf_counter()
    response = client.post(preview)
    timings["confirm_and_import_s"] = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.error
    timings["created"] = job.summary["created"]
    timings["total_s"] = timings["upload_and_read_s"] + timings["preview_page_s"] + timings["confirm_and_import_s"]
    return timings


class _Rollback(Exception):
    pass


def _web_request_work(client, project, country, content):
    """The upload request alone: it stores the file and queues the reading. Run inside a transaction
    rolled back afterwards, so the queued reading never runs."""
    url = reverse("nominations:import", kwargs={"code": project.code})
    upload = io.BytesIO(content)
    upload.name = "only-upload.csv"
    try:
        with transaction.atomic():
            started = time.perf_counter()
            response = client.post(url, {"country": country.pk, "file": upload, "date_order": ""})
            elapsed = time.perf_counter() - started
            assert response.status_code == 302
            raise _Rollback
    except _Rollback:
        pass
    return elapsed


def _bare_bulk_create(project, country, admin, content):
    """The floor: the same rows, already parsed, as Nomination objects in one bulk_create."""
    rows = resources.parse_rows(resources.read_dataset(content, "n.csv"), project=project, country=country)
    data = [r.data for r in rows]
    at = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        Nomination.objects.bulk_create(
            [
                Nomination(
                    project=project,
                    country=country,
                    category=project.category_for(country),
                    created_by=admin,
                    created_at=at,
                    status=NominationStatus.SUBMITTED,
                    submitted_at=at,
                    priority=i,
                    **d,
                )
                for i, d in enumerate(data, 1)
            ]
        )
    return time.perf_counter() - started


def _save(project, officer, india, i):
    started = time.perf_counter()
    services.create_nomination(
        project=project,
        country=india,
        actor=officer,
        data={
            "certificate_name": f"Anjali Sharma {i}",
            "gender": "female",
            "email": f"anjali{i}-{time.monotonic_ns()}@example.org",
            "organization": "Ministry of Personnel",
            "position": "Deputy Secretary",
        },
    )
    return time.perf_counter() - started


def _import_in_child(job_id):
    connections.close_all()
    tasks.run_nomination_import(job_id=job_id)
    connections.close_all()


class WaitSampler:
    """A thread on its own connection sampling, every ~2 ms, the locks waited for in the whole database
    and the wait event of the backend `pid` while it runs a statement (PostgreSQL only)."""

    def __init__(self, pid):
        self.pid, self.samples, self.lock_waits, self.events = pid, 0, 0, collections.Counter()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        if self.pid is None:  # not PostgreSQL: nothing to sample
            return
        conn = psycopg2.connect(**connection.get_connection_params())
        conn.autocommit = True
        with conn.cursor() as cursor:
            while not self.stop.is_set():
                cursor.execute(
                    "SELECT (SELECT count(*) FROM pg_locks WHERE NOT granted),"
                    " (SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU (no wait event)')"
                    "  FROM pg_stat_activity WHERE pid = %s AND state = 'active')",
                    [self.pid],
                )
                waiting, event = cursor.fetchone()
                self.samples += 1
                self.lock_waits += bool(waiting)
                if event:
                    self.events[event] += 1
                time.sleep(0.002)
        conn.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    def figures(self):
        return {
            "samples": self.samples,
            "samples_with_a_lock_waited_for": self.lock_waits,
            "officer_backend_running_a_statement_by_wait_event": dict(self.events.most_common()),
        }


def _saves_during_import(project, admin, officer, india, content):
    """Read a 5,000-row file into a job, run its import in a child process (as a worker would), and
    save drafts in this process while the job is RUNNING."""
    client = Client()
    client.force_login(admin)
    url = reverse("nominations:import", kwargs={"code": project.code})
    upload = io.BytesIO(content)
    upload.name = "during.csv"
    thailand = MemberCountry.objects.get(iso2="TH")
    NominationImport.objects.filter(project=project).delete()
    client.post(url, {"country": thailand.pk, "file": upload, "date_order": ""})
    job = NominationImport.objects.get(project=project)
    assert job.status == ImportStatus.PREVIEW, job.error
    NominationImport.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    connections.close_all()
    child = multiprocessing.get_context("fork").Process(target=_import_in_child, args=(str(job.pk),))
    started = time.perf_counter()
    child.start()
    connection.ensure_connection()  # after the fork: the child closes the connections it inherited
    sampler = WaitSampler(connection.connection.get_backend_pid() if connection.vendor == "postgresql" else None)
    during = []
    i = 0
    status = ImportStatus.QUEUED
    with sampler:
        while status in (ImportStatus.QUEUED, ImportStatus.RUNNING):
            status = NominationImport.objects.values_list("status", flat=True).get(pk=job.pk)
            if status != ImportStatus.RUNNING:
                time.sleep(0.005)
                continue
            i += 1
            elapsed = _save(project, officer, india, 10_000 + i)
            if NominationImport.objects.values_list("status", flat=True).get(pk=job.pk) == ImportStatus.RUNNING:
                during.append(elapsed)
    child.join()
    import_s = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.error
    return during, import_s, job.summary["created"], sampler.figures()


def run():
    # The reading and the import run in this process (the saves-during-import child apart): eager
    # Celery, also when REDIS_URL is set for the other benchmarks' real workers.
    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    try:
        return _run()
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def _run():
    load_before = os.getloadavg()
    admin, officer = _users()
    india = MemberCountry.objects.get(iso2="IN")
    thailand = MemberCountry.objects.get(iso2="TH")
    client = Client()
    client.force_login(admin)
    figures = {"cpus": os.cpu_count(), "load_average_before": [round(x, 2) for x in load_before]}

    # 1,000 rows: the whole path against a bare bulk_create of the same rows (another project).
    small = _csv(SMALL, "small")
    bare_project = _project("BENCH-BARE")
    bare_s = _bare_bulk_create(bare_project, thailand, admin, small)
    project = _project("BENCH-NOM")
    path = _whole_path(client, project, thailand, admin, small, "n1000.csv")
    assert path["created"] == SMALL
    figures.update(
        {
            "rows_1000_bare_bulk_create_s": round(bare_s, 3),
            "rows_1000_upload_and_read_s": round(path["upload_and_read_s"], 3),
            "rows_1000_preview_page_s": round(path["preview_page_s"], 3),
            "rows_1000_confirm_and_import_s": round(path["confirm_and_import_s"], 3),
            "rows_1000_path_s": round(path["total_s"], 3),
            "rows_1000_path_over_bare": round(path["total_s"] / bare_s, 1),
            "rows_1000_goal": "path <= 10x bare bulk_create",
        }
    )
    figures["upload_request_alone_1000_rows_s"] = round(_web_request_work(client, project, thailand, small), 3)

    # 5,000 rows: the whole path completes.
    large_project = _project("BENCH-NOM-5K")
    path = _whole_path(client, large_project, thailand, admin, _csv(LARGE, "large"), "n5000.csv")
    figures.update(
        {
            "rows_5000_created": path["created"],
            "rows_5000_upload_and_read_s": round(path["upload_and_read_s"], 3),
            "rows_5000_preview_page_s": round(path["preview_page_s"], 3),
            "rows_5000_confirm_and_import_s": round(path["confirm_and_import_s"], 3),
            "rows_5000_path_s": round(path["total_s"], 3),
        }
    )

    # An officer's save, alone and during a 5,000-row import of the same project.
    save_project = _project("BENCH-SAVE")
    alone = [_save(save_project, officer, india, i) for i in range(SAVES_ALONE)]
    during, import_s, created, waits = _saves_during_import(save_project, admin, officer, india, _csv(LARGE, "during"))
    assert created == LARGE
    alone_median = statistics.median(alone)
    figures.update(
        {
            "save_alone_median_ms": round(alone_median * 1000, 1),
            "save_alone_max_ms": round(max(alone) * 1000, 1),
            "import_5000_in_worker_process_s": round(import_s, 2),
            "saves_during_import": len(during),
            "save_during_import_median_ms": round(statistics.median(during) * 1000, 1) if during else None,
            "save_during_import_max_ms": round(max(during) * 1000, 1) if during else None,
            "save_during_over_alone_median": round(statistics.median(during) / alone_median, 2) if during else None,
            "save_during_max_over_alone_median": round(max(during) / alone_median, 2) if during else None,
            "save_goal": "save during an import <= 3x the same save alone",
            "during_import_waits": waits,
        }
    )

    qs = selectors.project_nominations(project)
    for fmt in ("csv", "xlsx"):
        _, seconds = _timed(lambda fmt=fmt: resources.export_nominations(qs, fmt))
        figures[f"export_1000_{fmt}_s"] = round(seconds, 2)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        list(selectors.project_nominations(project))
        selectors.nomination_counts(selectors.project_nominations(project))
    figures["list_and_counts_queries"] = len(ctx.captured_queries)
    figures["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return figures
