"""Import of a Zoom participant report: 10,000 connection rows for 2,000 participants.

Measures the whole import as the portal does it (parse + store the preview, match by e-mail and
name, merge intervals, save every participant's record set-based), and beside it a bare parse of
the same file plus one bulk INSERT of its rows into a scratch table: the floor any import pays.

The preview, side by side in the same run: the upload (parse and store the rows) plus building
the preview page's data, against reading the same file with `csv` and `strptime` alone
(goal: <= 3x); and reopening the preview (the stored rows, no parsing of the file).
"""

import csv
import datetime
import io
import os
import random
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apopms.enums import Category, Role
from apopms.models import MemberCountry, Membership, Project, User
from nominations.enums import Gender, NominationStatus, OrganizationType
from nominations.models import Nomination, Participant
from sessions import selectors, services, zoom
from sessions.models import Attendance, AttendanceImport, Session

PARTICIPANTS = 2_000
ROWS = 10_000
GUEST_ROWS = 200


def _setup():
    countries = list(MemberCountry.objects.order_by("iso2"))
    host = next(c for c in countries if c.iso2 == "LK")
    start_date = datetime.date(2022, 8, 24)
    with transaction.atomic():
        project = Project.objects.create(
            code="BENCH-ATT",
            title="Attendance benchmark",
            host_country=host,
            implementing_organizations="APO",
            start_date=start_date,
            end_date=start_date,
            time_zone="Asia/Colombo",
            nomination_deadline=Project.deadline_for(datetime.date(2022, 8, 1), "Asia/Colombo"),
        )
        zone = project.zone
        session = Session.objects.create(
            project=project,
            title="Day 1",
            start_at=datetime.datetime(2022, 8, 24, 10, 0, tzinfo=zone),
            end_at=datetime.datetime(2022, 8, 24, 13, 0, tzinfo=zone),
        )
        users = User.objects.bulk_create(
            [
                User(email=f"p{i}@bench.example", full_name=f"Person {i:04d}", password="!")  # noqa: S106 (unusable)
                for i in range(PARTICIPANTS)
            ]
        )
        users = list(User.objects.filter(email__endswith="@bench.example").order_by("pk"))
        nominations = []
        for i, user in enumerate(users):
            country = countries[i % len(countries)]
            nominations.append(
                Nomination(
                    project=project,
                    country=country,
                    category=Category.LOCAL if country == host else Category.OVERSEAS,
                    status=NominationStatus.SUBMITTED,
                    certificate_name=user.full_name,
                    gender=Gender.FEMALE,
                    email=user.email,
                    organization="Ministry",
                    organization_type=OrganizationType.MINISTRY,
                    position="Officer",
                )
            )
        Nomination.objects.bulk_create(nominations)
        nominations = list(Nomination.objects.filter(project=project).order_by("pk"))
        Participant.objects.bulk_create(
            [
                Participant(
                    nomination=n,
                    project=project,
                    country_id=n.country_id,
                    category=n.category,
                    user=u,
                    certificate_name=n.certificate_name,
                )
                for n, u in zip(nominations, users, strict=True)
            ]
        )
    return project, session


def _report(session):
    """10,000 rows: each participant drops and rejoins (some from two devices); a fifth sign in
    without e-mail and are matched by name; guests are mapped away."""
    rng = random.Random(7)
    local_start = datetime.datetime(2022, 8, 24, 10, 0)  # noqa: DTZ001 - report times are local, without zone
    rows = []
    per_person = (ROWS - GUEST_ROWS) // PARTICIPANTS
    for i in range(PARTICIPANTS):
        name, email = f"Person {i:04d}", f"p{i}@bench.example"
        if i % 5 == 0:
            name, email = f"Laptop ({name})", ""
        t = local_start - datetime.timedelta(minutes=rng.randint(0, 10))
        for _ in range(per_person):
            length = datetime.timedelta(seconds=rng.randint(2_400, 3_300))
            rows.append((name, email, t, t + length))
            t += length - datetime.timedelta(seconds=rng.randint(-120, 90))  # gaps and overlaps
    for g in range(ROWS - len(rows)):
        rows.append((f"Guest {g % 20}", "", local_start, local_start + datetime.timedelta(minutes=30)))
    rng.shuffle(rows)
    return zoom.write_meeting_report(rows)


def _csv_and_strptime(data):
    """Seconds to read the report with `csv` and parse every join and leave time with `strptime`."""
    started = time.perf_counter()
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    header = None
    for row in reader:
        if header is None:
            if row and row[0].startswith("Name"):
                header = row
                join_at, leave_at = header.index("Join Time"), header.index("Leave Time")
            continue
        if len(row) > leave_at:
            datetime.datetime.strptime(row[join_at], "%m/%d/%Y %I:%M:%S %p")  # noqa: DTZ007 - local report times
            datetime.datetime.strptime(row[leave_at], "%m/%d/%Y %I:%M:%S %p")  # noqa: DTZ007 - local report times
    assert header is not None
    return time.perf_counter() - started


def run():
    project, session = _setup()
    data = _report(session)
    actor = User.objects.create_user("bench-admin@apo.example", None)
    Membership.objects.create(user=actor, role=Role.SECRETARIAT)
    guest_keys = {f"name:guest {g}": None for g in range(20)}
    services.map_report_rows(project=project, decisions=guest_keys, actor=actor)

    csv_seconds = _csv_and_strptime(data)
    queries = CaptureQueriesContext(connection)
    started = time.perf_counter()
    imp, _ = services.upload_attendance_report(
        session=session, data=data, file_name="bench.csv", time_zone="Asia/Colombo", actor=actor
    )
    uploaded = time.perf_counter()
    selectors.build_preview(imp)
    previewed = time.perf_counter()
    # Reopening the page: the import read again from the database, its stored rows, no file.
    selectors.build_preview(AttendanceImport.objects.select_related("session__project").get(pk=imp.pk))
    reopen_seconds = time.perf_counter() - previewed
    csv_seconds = (csv_seconds + _csv_and_strptime(data)) / 2
    preview_seconds = previewed - started
    confirm_started = time.perf_counter()
    with queries:
        services.confirm_attendance_import(attendance_import=imp, actor=actor)
    finished = time.perf_counter()
    import_seconds = (uploaded - started) + (finished - confirm_started)
    saved = Attendance.objects.filter(session=session).count()
    present = Attendance.objects.filter(session=session, present=True).count()

    bare_started = time.perf_counter()
    parsed = zoom.parse_report(data)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_rows (name varchar(200), email varchar(254), joined varchar(32), left_at varchar(32))"
        )
        values = [(r.name, r.email, r.join.isoformat(), r.leave.isoformat()) for r in parsed.rows]
        for start in range(0, len(values), 1_000):
            chunk = values[start : start + 1_000]
            placeholders = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO bench_rows (name, email, joined, left_at) VALUES {placeholders}",  # noqa: S608
                [v for row in chunk for v in row],
            )
        cursor.execute("DROP TABLE bench_rows")
    bare_seconds = time.perf_counter() - bare_started

    return {
        "rows": len(parsed.rows),
        "participants": PARTICIPANTS,
        "preview_seconds": round(preview_seconds, 3),
        "preview_reopen_seconds": round(reopen_seconds, 3),
        "csv_and_strptime_seconds": round(csv_seconds, 3),
        "ratio_preview_to_csv_and_strptime": round(preview_seconds / csv_seconds, 2),
        "goal_ratio_preview_to_csv_and_strptime": 3,
        "cpus": os.cpu_count(),
        "load_average": [round(v, 2) for v in os.getloadavg()],
        "file_bytes": len(data),
        "import_seconds": round(import_seconds, 3),
        "import_parse_and_store_preview_seconds": round(uploaded - started, 3),
        "import_match_merge_save_seconds": round(finished - confirm_started, 3),
        "import_rows_per_second": round(len(parsed.rows) / import_seconds),
        "bare_parse_and_bulk_insert_seconds": round(bare_seconds, 3),
        "bare_rows_per_second": round(len(parsed.rows) / bare_seconds),
        "confirm_queries": len(queries.captured_queries),
        "records_saved": saved,
        "present": present,
    }
