"""Nominations at scale: a 1,000-row spreadsheet import (preview parse, then the all-or-nothing
import through the services), the CSV and XLSX exports of those rows, and the query count of the
Secretariat's list page (which must not grow with the rows)."""

import csv
import datetime
import io
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apopms.enums import Role
from apopms.models import MemberCountry, Membership, Project, User
from nominations import resources, selectors, services
from nominations.models import Nomination

ROWS = 1_000


def _project():
    lk = MemberCountry.objects.get(iso2="LK")
    project = Project.objects.create(
        code="BENCH-NOM",
        title="Nominations benchmark",
        host_country=lk,
        implementing_organizations="APO",
        start_date=datetime.date(2031, 8, 24),
        end_date=datetime.date(2031, 8, 26),
        time_zone="Asia/Colombo",
        nomination_deadline=Project.deadline_for(datetime.date(2031, 8, 3), "Asia/Colombo"),
        notification_issued_at=datetime.datetime(2031, 1, 1, tzinfo=datetime.UTC),
    )
    project.participating_countries.set(MemberCountry.objects.all())
    admin = User.objects.create_user("bench.admin@apo.example", None)

    Membership.objects.create(user=admin, role=Role.SECRETARIAT)
    return project, admin


def _csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Name for the certificate", "Name in own script", "Gender", "E-mail", "Phone", "Organization",
                     "Organization type", "Position/title", "Years of relevant experience"])  # fmt: skip
    for i in range(rows):
        writer.writerow([f"Somchai Person{i}", "สมชาย", "Male", f"p{i}@example.org", "+66 2 123 4567",
                         "Office of the Public Sector Development Commission", "Government ministry/agency",
                         "Senior Officer", i % 30])  # fmt: skip
    return buffer.getvalue().encode()


def run():
    project, admin = _project()
    th = MemberCountry.objects.get(iso2="TH")
    content = _csv(ROWS)

    started = time.perf_counter()
    rows = resources.parse_rows(resources.read_dataset(content, "n.csv"), project=project, country=th)
    preview_s = time.perf_counter() - started
    assert not any(r.errors for r in rows)

    progress_calls = []
    started = time.perf_counter()
    result = services.import_nominations(
        project=project,
        country=th,
        actor=admin,
        rows=[r.data for r in rows],
        progress=lambda done, total: progress_calls.append(done),
    )
    import_s = time.perf_counter() - started
    assert len(result["created"]) == ROWS

    started = time.perf_counter()
    again = services.import_nominations(project=project, country=th, actor=admin, rows=[r.data for r in rows])
    reimport_s = time.perf_counter() - started
    assert again["created"] == []

    qs = selectors.project_nominations(project)
    timings = {}
    for fmt in ("csv", "xlsx"):
        started = time.perf_counter()
        resources.export_nominations(qs, fmt)
        timings[fmt] = time.perf_counter() - started

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        list(selectors.project_nominations(project))
        selectors.nomination_counts(selectors.project_nominations(project))
    return {
        "rows": ROWS,
        "preview_parse_seconds": round(preview_s, 2),
        "import_seconds": round(import_s, 2),
        "import_rows_per_second": round(ROWS / import_s),
        "progress_updates": len(progress_calls),
        "reimport_seconds_creating_nothing": round(reimport_s, 2),
        "export_csv_seconds": round(timings["csv"], 2),
        "export_xlsx_seconds": round(timings["xlsx"], 2),
        "list_and_counts_queries": len(ctx.captured_queries),
        "nominations_stored": Nomination.objects.filter(project=project).count(),
    }
