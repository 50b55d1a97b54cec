import pytest

from nominations.enums import ParticipantStatus
from sessions.selectors import attended_every_session, missed_sessions, participants_attended_every_session
from tests import factories

pytestmark = pytest.mark.django_db


def test_attended_every_session_needs_presence_at_each_session(project):
    sessions = [factories.SessionFactory(project=project) for _ in range(3)]
    full = factories.ParticipantFactory(nomination__project=project)
    partial = factories.ParticipantFactory(nomination__project=project)
    for session in sessions:
        factories.AttendanceFactory(participant=full, session=session)
    factories.AttendanceFactory(participant=partial, session=sessions[0])
    factories.AttendanceFactory(participant=partial, session=sessions[1])
    factories.AttendanceFactory(participant=partial, session=sessions[2], present=False, seconds=60)

    assert list(participants_attended_every_session(project)) == [full]
    assert attended_every_session(full) and not attended_every_session(partial)
    assert list(missed_sessions(partial)) == [sessions[2]]


def test_nobody_attended_every_session_of_a_project_without_sessions(project):
    factories.ParticipantFactory(nomination__project=project)
    assert not participants_attended_every_session(project).exists()


def test_withdrawn_participants_are_not_counted(project):
    session = factories.SessionFactory(project=project)
    participant = factories.ParticipantFactory(nomination__project=project, status=ParticipantStatus.WITHDRAWN)
    factories.AttendanceFactory(participant=participant, session=session)
    assert not participants_attended_every_session(project).exists()
