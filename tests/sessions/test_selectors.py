import datetime

import pytest
import time_machine

from nominations.enums import ParticipantStatus
from sessions import selectors
from sessions.selectors import (
    attended_every_session,
    last_session_end,
    missed_sessions,
    participants_attended_every_session,
    programme_over,
)
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


def test_programme_over_only_once_the_last_session_has_ended(project):
    first = factories.SessionFactory(project=project)
    last = factories.SessionFactory(
        project=project,
        start_at=first.start_at + datetime.timedelta(days=1),
        end_at=first.end_at + datetime.timedelta(days=1),
    )
    assert last_session_end(project) == last.end_at
    assert not programme_over(project, at=last.end_at - datetime.timedelta(seconds=1))
    assert programme_over(project, at=last.end_at)
    with time_machine.travel(last.end_at + datetime.timedelta(minutes=1), tick=False):
        assert programme_over(project)


def test_a_project_without_sessions_is_never_over(project):
    assert last_session_end(project) is None
    assert not programme_over(project, at=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC))


def test_eligibility_of_many_projects_agrees_with_one_project_at_a_time():
    projects = [factories.ProjectFactory() for _ in range(3)]
    for index, project in enumerate(projects):
        sessions = [factories.SessionFactory(project=project) for _ in range(index)]  # the first has none
        for n in range(4):
            participant = factories.ParticipantFactory(nomination__project=project)
            for s, session in enumerate(sessions):
                factories.AttendanceFactory(participant=participant, session=session, present=(n + s) % 3 != 0)
    one_by_one = {
        pk for p in projects for pk in selectors.participants_attended_every_session(p).values_list("pk", flat=True)
    }
    at_once = set(
        selectors.participants_attended_every_session_of([p.pk for p in projects]).values_list("pk", flat=True)
    )
    assert at_once == one_by_one and one_by_one
