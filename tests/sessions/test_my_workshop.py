"""'My workshop' after the workshop: the certificate comes first, and no session that has ended
offers a link to join it (time pinned at each moment)."""

import pytest
import time_machine
from django.urls import reverse

from certificates import services as certificates
from sessions import services
from tests import factories

from .programme_helpers import at, build_programme, publish_selection

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced(project, secretariat):
    build_programme(project, secretariat, days=2, items_per_session=1, speakers=1)
    (participant,) = publish_selection(project)
    services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    return participant


def _page(client, participant):
    client.force_login(participant.user)
    response = client.get(reverse("agenda:my_workshop"))
    assert response.status_code == 200
    return response.content.decode()


def test_before_the_workshop_every_session_can_be_joined(client, project, announced):
    with time_machine.travel(at(project, 1, "09:00"), tick=False):
        html = _page(client, announced)
    assert "https://zoom.example/j/1" in html and "https://zoom.example/j/2" in html
    assert "This session has ended" not in html
    assert html.index("Day 1") < html.index("Certificate of attendance")


def test_a_session_that_has_ended_offers_no_join(client, project, announced):
    with time_machine.travel(at(project, 1, "13:30"), tick=False):
        html = _page(client, announced)
    assert "https://zoom.example/j/1" not in html
    assert "Join “Day 1”" not in html
    assert "Join “Day 2”" in html
    assert html.count("This session has ended.") == 1


def test_after_the_workshop_the_certificate_comes_first_and_nothing_to_join(client, project, announced, secretariat):
    for session in project.sessions.all():
        factories.AttendanceFactory(participant=announced, session=session)
    with time_machine.travel(at(project, 3, "09:00"), tick=False):
        certificate = certificates.issue_certificate(participant=announced, actor=secretariat)
        html = _page(client, announced)
    assert "Join" not in html and "zoom.example" not in html
    download = html.index("Download your certificate (PDF)")
    assert certificate.number in html
    assert download < html.index("Day 1") and download < html.index("Programme (version 1")
    # The programme is still there, folded away.
    assert "<details" in html[download:]


@pytest.mark.parametrize("days", [1, 3])
def test_my_workshop_runs_the_same_queries_for_any_programme(
    client, project, secretariat, days, django_assert_num_queries
):
    build_programme(project, secretariat, days=days, items_per_session=1, speakers=1)
    (participant,) = publish_selection(project)
    services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    for session in project.sessions.all():
        factories.AttendanceFactory(participant=participant, session=session)
    with time_machine.travel(at(project, days + 1, "09:00"), tick=False):
        client.force_login(participant.user)
        # session, user (with "taking part" for the navigation), participations, programme versions,
        # the last session's end (once for the page and its certificate), memberships, the
        # certificate, the evaluation's questions and sessions, then sessions, attendance and who
        # attended every session for the attendance table
        with django_assert_num_queries(12):
            html = client.get(reverse("agenda:my_workshop")).content.decode()
    assert "The workshop has ended." in html and "You attended every session." in html
