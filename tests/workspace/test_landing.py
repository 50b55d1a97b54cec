"""The landing page after login: one section per role held, most urgent first."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from apopms.enums import Role
from apopms.models import Membership
from certificates.models import Certificate
from nominations.enums import Decision
from nominations.models import Participant
from sessions.selectors import participants_attended_every_session
from tests import factories
from tests.workspace.test_hub import NOW, running_project

pytestmark = pytest.mark.django_db

LANDING = reverse("workspace:landing")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_login_lands_on_the_landing_page(client):
    factories.npo_officer("IN", email="officer@npo.example", password="a long enough passphrase")
    response = client.post(
        reverse("login"), {"username": "officer@npo.example", "password": "a long enough passphrase"}
    )
    assert response.status_code == 302
    assert response["Location"] == LANDING


def section_order(html):
    return [part.split('"')[0] for part in html.split('class="mb-4 landing-section" id="role-')[1:]]


@time_machine.travel(NOW, tick=False)
def test_one_section_per_role_most_urgent_first(client):
    running = running_project()
    open_project = factories.ProjectFactory(
        start_date=datetime.date(2030, 5, 1),
        end_date=datetime.date(2030, 5, 3),
        nomination_deadline=datetime.datetime(2030, 3, 14, tzinfo=datetime.UTC),
    )
    person = factories.npo_officer("IN")
    Membership.objects.create(user=person, role=Role.IMPLEMENTER, project=running, country=running.host_country)
    factories.ParticipantFactory(nomination__project=open_project, user=person)
    client.force_login(person)
    html = client.get(LANDING).content.decode()
    assert section_order(html) == ["npo", "implementer", "participant"]
    assert "Nominations close at 05:30 on 14 March 2030, Colombo time." in html
    assert reverse("workspace:hub", kwargs={"code": running.code}) in html
    assert open_project.title in html.split('id="role-participant"')[1]


@time_machine.travel(NOW, tick=False)
def test_npo_officer_sees_each_nominees_outcome_after_publication(client):
    project = running_project()
    reserve = project.nominations.get(country__iso2="IN", decision=Decision.RESERVE)
    client.force_login(factories.npo_officer("IN"))
    html = client.get(LANDING).content.decode()
    section = html.split('id="role-npo"')[1]
    assert reserve.certificate_name in section
    assert "Reserve" in section and "Selected" in section


@time_machine.travel(NOW, tick=False)
def test_secretariat_sees_the_projects_needing_action(client):
    running = running_project()
    closing = factories.ProjectFactory(
        start_date=datetime.date(2030, 5, 1),
        end_date=datetime.date(2030, 5, 3),
        nomination_deadline=datetime.datetime(2030, 3, 14, tzinfo=datetime.UTC),
    )
    to_select = factories.ProjectFactory(
        start_date=datetime.date(2030, 3, 20),
        end_date=datetime.date(2030, 3, 21),
        nomination_deadline=datetime.datetime(2030, 3, 1, tzinfo=datetime.UTC),
    )
    quiet = factories.ProjectFactory(start_date=datetime.date(2030, 9, 1), end_date=datetime.date(2030, 9, 2))
    # Over without a published programme: publishing it now helps nobody.
    over = factories.ProjectFactory(
        start_date=datetime.date(2030, 3, 1),
        end_date=datetime.date(2030, 3, 2),
        nomination_deadline=datetime.datetime(2030, 2, 1, tzinfo=datetime.UTC),
        selection_published_at=datetime.datetime(2030, 2, 10, tzinfo=datetime.UTC),
    )
    client.force_login(factories.secretariat_user())
    html = client.get(LANDING).content.decode()
    section = html.split('id="role-secretariat"')[1]
    assert "Nominations close at 05:30 on 14 March 2030, Colombo time." in section
    assert reverse("nominations:selection_board", kwargs={"code": to_select.code}) in section
    assert "The programme is to be published before 20 March 2030." in section
    assert "The workshop began on 9 March 2030 and its programme is not published yet." in section
    assert reverse("agenda:manage", kwargs={"code": over.code}) not in section
    assert reverse("agenda:attendance_grid", kwargs={"code": running.code}) in section
    assert "Attendance is not recorded yet for" in section
    assert closing.code in section and quiet.code not in section


def _certificate(participant, serial):
    return Certificate.objects.create(
        participant=participant,
        project=participant.project,
        serial=serial,
        number=f"{participant.project.code}-{serial}",
        verification_code=f"{participant.project.code}-code-{serial}",
        snapshot={},
        pdf="certificate.pdf",
    )


def test_secretariat_sees_certificates_to_issue_and_to_revoke(client):
    with time_machine.travel(NOW, tick=False):
        project = running_project(sessions=1)
    eligible = participants_attended_every_session(project)
    holder = eligible.first()
    not_eligible = Participant.objects.active().filter(project=project).exclude(pk__in=eligible).first()
    _certificate(holder, 1)
    _certificate(not_eligible, 2)
    waiting = eligible.count() - 1
    with time_machine.travel(NOW + datetime.timedelta(days=5), tick=False):
        client.force_login(factories.secretariat_user())
        html = client.get(LANDING).content.decode()
    assert f"{waiting} certificates to issue and 1 to revoke." in html
    assert reverse("certificates:project", kwargs={"code": project.code}) in html


@pytest.mark.parametrize("size", [1, 3])
def test_secretariat_landing_query_count(client, django_assert_num_queries, size):
    with time_machine.travel(NOW, tick=False):
        for _ in range(size):
            running_project()
            running_project(sessions=1)  # over by now: its certificates are checked
        client.force_login(factories.secretariat_user())
        with django_assert_num_queries(10):
            assert client.get(LANDING).status_code == 200


def test_the_portals_name_leads_a_logged_in_person_to_their_landing_page(client):
    assert f'class="navbar-brand" href="{reverse("home")}"' in client.get(reverse("home")).content.decode()
    client.force_login(factories.npo_officer("IN"))
    assert f'class="navbar-brand" href="{LANDING}"' in client.get(reverse("home")).content.decode()


def test_an_implementers_project_list_leads_to_the_hub(client, project):
    client.force_login(factories.implementer(project))
    html = client.get(reverse("project_list")).content.decode()
    assert f'href="{reverse("workspace:hub", kwargs={"code": project.code})}"' in html
