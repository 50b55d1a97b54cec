"""Who may change the programme and attendance: the services refuse anyone else with PermissionDenied."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from nominations.enums import ParticipantStatus
from sessions import permissions, selectors, services, zoom
from sessions.models import Attendance, Session
from tests import factories

pytestmark = pytest.mark.django_db


def _session(project):
    return factories.SessionFactory(project=project)


def test_only_the_secretariat_and_the_projects_implementers_manage_its_programme(project, secretariat, npo_in):
    other_project = factories.ProjectFactory()
    assert permissions.can_manage_programme(secretariat, project)
    assert permissions.can_manage_programme(factories.implementer(project), project)
    assert not permissions.can_manage_programme(factories.implementer(other_project), project)
    assert not permissions.can_manage_programme(npo_in, project)


def test_an_npo_officer_cannot_add_a_session(project, npo_in):
    start = datetime.datetime.combine(project.start_date, datetime.time(10), tzinfo=project.zone)
    with pytest.raises(PermissionDenied, match="Only the Secretariat and the project's implementers"):
        services.create_session(
            project=project, actor=npo_in, title="Day 1", start_at=start, end_at=start + datetime.timedelta(hours=3)
        )
    assert not Session.objects.exists()


def test_an_implementer_of_another_project_cannot_change_this_programme(project):
    session = _session(project)
    outsider = factories.implementer(factories.ProjectFactory())
    with pytest.raises(PermissionDenied):
        services.update_session(session=session, actor=outsider, title="Renamed")
    with pytest.raises(PermissionDenied):
        services.create_resource_person(project=project, actor=outsider, name="Dr. A. Speaker")
    with pytest.raises(PermissionDenied):
        services.announce_programme(project=project, actor=outsider, without_participants=True, notify=False)
    session.refresh_from_db()
    assert session.title != "Renamed"


def test_a_participant_cannot_mark_attendance(project):
    session = _session(project)
    participant = factories.ParticipantFactory(nomination__project=project)
    with pytest.raises(PermissionDenied):
        services.mark_attendance(participant=participant, session=session, present=True, actor=participant.user)
    assert not Attendance.objects.exists()


def test_an_npo_officer_cannot_upload_an_attendance_report(project, npo_in):
    session = _session(project)
    start = session.start_at.astimezone(project.zone).replace(tzinfo=None)
    data = zoom.write_meeting_report([("Guest", "", start, start + datetime.timedelta(hours=1))])
    with pytest.raises(PermissionDenied):
        services.upload_attendance_report(
            session=session, data=data, file_name="r.csv", time_zone=project.time_zone, actor=npo_in
        )
    assert not session.attendance_imports.exists()


def test_the_implementer_marks_attendance_of_their_project(project):
    session = _session(project)
    participant = factories.ParticipantFactory(nomination__project=project)
    services.mark_attendance(
        participant=participant, session=session, present=True, actor=factories.implementer(project)
    )
    assert Attendance.objects.get().present


def test_the_grid_reads_who_attended_every_session_from_the_certificates_rule(project):
    first = _session(project)
    second = factories.SessionFactory(
        project=project,
        start_at=first.start_at + datetime.timedelta(days=1),
        end_at=first.end_at + datetime.timedelta(days=1),
    )
    full, partial = (factories.ParticipantFactory(nomination__project=project) for _ in range(2))
    withdrawn = factories.ParticipantFactory(nomination__project=project, status=ParticipantStatus.WITHDRAWN)
    for session in (first, second):
        factories.AttendanceFactory(participant=full, session=session)
        factories.AttendanceFactory(participant=withdrawn, session=session)
    factories.AttendanceFactory(participant=partial, session=first)

    grid = selectors.attendance_grid(project)
    assert grid.attended_every_session == list(selectors.participants_attended_every_session(project)) == [full]
    # Present at every session but no longer a participant: no certificate, and the grid agrees.
    row = selectors.participant_attendance(withdrawn)
    assert row.present_count == 2
    assert row.attended_every_session is False
    assert selectors.participant_attendance(full).attended_every_session is True
