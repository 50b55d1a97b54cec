"""Confirming an import through a real Celery worker on the Redis broker (PostgreSQL)."""

import datetime
import time

import pytest

from sessions import services, zoom
from sessions.enums import ImportStatus
from sessions.models import Attendance, AttendanceImport
from tests import factories


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_saves_the_import_and_reports_progress(celery_worker, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    project = factories.ProjectFactory()
    session = factories.SessionFactory(project=project)
    people = [factories.ParticipantFactory(nomination__project=project) for _ in range(5)]
    secretariat = factories.secretariat_user()
    day = session.start_at.astimezone(project.zone).replace(tzinfo=None)
    rows = [(p.certificate_name, p.user.email, day, day + datetime.timedelta(hours=3)) for p in people[:4]]
    imp, _ = services.upload_attendance_report(
        session=session,
        data=zoom.write_meeting_report(rows),
        file_name="r.csv",
        time_zone=project.time_zone,
        actor=secretariat,
    )
    services.request_import_confirmation(attendance_import=imp, actor=secretariat)  # queued on commit, to Redis

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        imp.refresh_from_db()
        if imp.status == ImportStatus.CONFIRMED:
            break
        time.sleep(0.3)
    assert AttendanceImport.objects.get().status == ImportStatus.CONFIRMED
    assert Attendance.objects.filter(present=True).count() == 4 and Attendance.objects.count() == 5
    assert services.get_progress(imp.pk) == {"stage": "done", "done": 5, "total": 5}
