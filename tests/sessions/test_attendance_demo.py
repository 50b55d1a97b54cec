"""The demo attendance of the seed workshop, on a small project made with the factories."""

import datetime
import io

import pytest

from sessions import selectors
from sessions.demo.attendance import load_attendance
from sessions.enums import ImportStatus
from sessions.models import Attendance, AttendanceImport, ReportMapping
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_demo_attendance_imports_reports_with_rejoins_and_guests(project):
    first = factories.SessionFactory(project=project)
    for day in (1, 2):
        factories.SessionFactory(
            project=project,
            start_at=first.start_at + datetime.timedelta(days=day),
            end_at=first.end_at + datetime.timedelta(days=day),
        )
    for _ in range(24):
        factories.ParticipantFactory(nomination__project=project)
    out = io.StringIO()
    load_attendance(out, project=project)

    assert AttendanceImport.objects.filter(status=ImportStatus.CONFIRMED).count() == 3
    assert Attendance.objects.count() == 3 * 24
    grid = selectors.attendance_grid(project)
    every = len(grid.attended_every_session)
    assert 12 <= every < 24  # most attend all
    missed_one = [r for r in grid.rows if r.present_count == 2]
    assert missed_one
    below = Attendance.objects.filter(present=False, seconds__gte=8_400, seconds__lt=8_640)  # a few minutes short
    assert below.exists()
    assert ReportMapping.objects.filter(ignored=True).count() == 3  # the host, a speaker, the tech desk
    assert ReportMapping.objects.filter(ignored=False).count() == 1  # a device mapped by hand
    assert Attendance.objects.filter(manual_override=True).count() == 1
    assert "participants attended every session" in out.getvalue()

    load_attendance(out, project=project)
    assert AttendanceImport.objects.count() == 3 and "already recorded" in out.getvalue()
