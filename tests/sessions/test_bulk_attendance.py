"""Attendance by hand for a room: a session all present, a participant present at every session, a
session's pasted absentees (all or nothing, a message per line); who and when on every cell."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from apopms.enums import Modality
from apopms.exceptions import DomainError
from apopms.models import AuditEntry
from sessions import services
from sessions.enums import AttendanceSource
from sessions.models import Attendance
from tests import factories
from tests.permissions import LOGIN, assert_matrix, role_users

pytestmark = pytest.mark.django_db
# Session, user, membership checks, the lock, participants, cells, inserts, audit, the eligibility receiver.
QUERIES_ALL_PRESENT = 14


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def room():
    """An in-person project of four sessions and three participants."""
    project = factories.ProjectFactory(modality=Modality.IN_PERSON, venue="Dhaka")
    first = factories.SessionFactory(project=project, title="Day 1")
    sessions = [first] + [
        factories.SessionFactory(
            project=project,
            title=f"Day {n + 1}",
            start_at=first.start_at + datetime.timedelta(days=n),
            end_at=first.end_at + datetime.timedelta(days=n),
        )
        for n in range(1, 4)
    ]
    people = [
        factories.ParticipantFactory(
            nomination__project=project, certificate_name=name, nomination__country=factories.country(iso2)
        )
        for name, iso2 in (("Anjali Sharma", "IN"), ("Kenji Sato", "JP"), ("Maria Santos", "PH"))
    ]
    return project, sessions, people


def grid(project):
    return {
        (a.participant.certificate_name, a.session.title): a.present
        for a in Attendance.objects.filter(session__project=project).select_related("participant", "session")
    }


def url(project):
    return reverse("agenda:attendance_bulk", kwargs={"code": project.code})


def test_a_whole_session_present_in_one_click_with_who_and_when(room, secretariat):
    _project, sessions, _people = room
    result = services.mark_session_present(session=sessions[0], actor=secretariat)
    assert (result.changed, result.summary) == (3, "3 marks changed.")
    rows = Attendance.objects.filter(session=sessions[0])
    assert {(a.present, a.source, a.changed_by_id) for a in rows} == {(True, AttendanceSource.MANUAL, secretariat.pk)}
    entry = AuditEntry.objects.get(action="agenda.attendance.marked_in_bulk")
    assert (entry.actor, entry.details["session"], len(entry.details["cells"])) == (secretariat, "Day 1", 3)
    again = services.mark_session_present(session=sessions[0], actor=secretariat)
    assert (again.changed, again.unchanged) == (0, 3)
    assert AuditEntry.objects.filter(action="agenda.attendance.marked_in_bulk").count() == 1


def test_a_participant_present_at_every_session(room, secretariat):
    project, sessions, people = room
    services.mark_participant_present(participant=people[1], actor=secretariat)
    assert grid(project) == {("Kenji Sato", s.title): True for s in sessions}


def test_pasted_absentees_are_absent_and_everyone_else_present(room, secretariat):
    project, sessions, people = room
    text = "1. anjali sharma\n\n - maria.santos@example.org"
    people[2].user.email = "Maria.Santos@example.org"
    people[2].user.save()
    result = services.mark_absentees(session=sessions[1], actor=secretariat, text=text)
    assert (result.changed, result.absent) == (3, 2)
    assert grid(project) == {
        ("Anjali Sharma", "Day 2"): False,
        ("Kenji Sato", "Day 2"): True,
        ("Maria Santos", "Day 2"): False,
    }


def test_a_wrong_line_refuses_the_whole_list_with_a_message_per_line(room, secretariat):
    project, sessions, _people = room
    text = "Anjali Sharma\nJon Doe\nanjali sharma"
    with pytest.raises(DomainError) as exc:
        services.mark_absentees(session=sessions[0], actor=secretariat, text=text)
    assert exc.value.errors["absentees"] == [
        "Line 2: “Jon Doe” is no participant of this project (give the name as on the certificate, or the e-mail).",
        "Line 3: Anjali Sharma is already listed on line 1.",
    ]
    assert not Attendance.objects.filter(session__project=project).exists()


def test_two_people_of_one_name_must_be_told_apart_by_e_mail(room, secretariat):
    project, sessions, _people = room
    factories.ParticipantFactory(nomination__project=project, certificate_name="Kenji Sato")
    with pytest.raises(DomainError) as exc:
        services.mark_absentees(session=sessions[0], actor=secretariat, text="Kenji Sato")
    assert exc.value.errors["absentees"] == ["Line 1: “Kenji Sato” names 2 participants; give the e-mail instead."]


def test_a_value_from_a_report_is_kept_by_bulk_marks(room, secretariat):
    project, sessions, people = room
    factories.AttendanceFactory(
        participant=people[0], session=sessions[0], present=False, seconds=60, source=AttendanceSource.REPORT
    )
    result = services.mark_session_present(session=sessions[0], actor=secretariat)
    assert (result.changed, result.kept_from_report) == (2, 1)
    assert grid(project)[("Anjali Sharma", "Day 1")] is False
    assert "1 kept as the imported report says" in result.summary


def test_the_grid_page_marks_by_clicking_and_shows_each_line_error(client, room, secretariat):
    project, sessions, people = room
    client.force_login(secretariat)
    response = client.post(url(project), {"action": "session", "session": sessions[0].pk}, follow=True)
    assert "Day 1: everyone present. 3 marks changed." in response.content.decode()
    response = client.post(url(project), {"action": "participant", "participant": people[0].pk}, follow=True)
    assert "Anjali Sharma: present at every session. 3 marks changed; 1 already so." in response.content.decode()
    response = client.post(
        url(project), {"action": "absentees", "session": sessions[3].pk, "absentees": "Kenji Sato\nNobody Here"}
    )
    assert response.status_code == 200
    assert "Line 2: “Nobody Here” is no participant of this project" in response.content.decode()
    assert ("Kenji Sato", "Day 4") not in grid(project)
    response = client.post(
        url(project), {"action": "absentees", "session": sessions[3].pk, "absentees": "Kenji Sato"}, follow=True
    )
    assert "Day 4: 1 absent, everyone else present." in response.content.decode()
    assert grid(project)[("Kenji Sato", "Day 4")] is False


def test_in_person_hand_marks_are_not_flagged_as_exceptions(client, room, secretariat):
    project, sessions, _people = room
    services.mark_session_present(session=sessions[0], actor=secretariat)
    client.force_login(secretariat)
    page = client.get(reverse("agenda:attendance_grid", kwargs={"code": project.code})).content.decode()
    assert "by hand" not in page
    assert "Zoom" not in page
    assert secretariat.get_full_name() in page


def test_who_may_mark_in_bulk(client, room):
    project, sessions, _ = room
    users = role_users(project)
    expected = {
        "anonymous": LOGIN,
        "own_npo": 403,
        "other_npo": 403,
        "host_npo": 403,
        "participant": 403,
        "implementer": 302,
        "secretariat": 302,
    }
    data = {"action": "session", "session": sessions[0].pk}
    assert_matrix(client, url(project), users, expected, method="post", data=data)


@pytest.mark.parametrize("size", [3, 30])
def test_marking_a_session_takes_the_same_queries_for_3_or_30_people(
    room, secretariat, size, django_assert_num_queries
):
    project, sessions, _ = room
    for _ in range(size - 3):
        factories.ParticipantFactory(nomination__project=project)
    ContentType.objects.clear_cache()  # the audit's content type is read once per process: count it
    with django_assert_num_queries(11):
        result = services.mark_absentees(session=sessions[0], actor=secretariat, text="Kenji Sato")
    assert result.changed == size


@pytest.mark.parametrize("size", [3, 30])
def test_the_all_present_button_takes_the_same_queries_for_3_or_30_people(
    client, room, secretariat, size, django_assert_num_queries
):
    project, sessions, _ = room
    for _ in range(size - 3):
        factories.ParticipantFactory(nomination__project=project)
    client.force_login(secretariat)
    ContentType.objects.clear_cache()  # the audit's content type is read once per process: count it
    with django_assert_num_queries(QUERIES_ALL_PRESENT):
        response = client.post(url(project), {"action": "session", "session": sessions[1].pk})
    assert response.status_code == 302
    assert Attendance.objects.filter(session=sessions[1], present=True).count() == size
