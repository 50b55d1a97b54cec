"""A project's hub: its steps, its dashboard's numbers against the database, its navigation."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apopms.demo import SEED_CODE
from apopms.enums import Category, OutboxCause, OutboxStatus
from apopms.mail import queue_email
from apopms.models import OutboxMessage, Project
from certificates import selectors as certificate_selectors
from certificates import services as certificate_services
from certificates.models import IssueBatch, IssueFailure
from nominations import services as nominations
from nominations.enums import Decision, Gender, NominationStatus, OrganizationType, ParticipantStatus
from nominations.models import Nomination, Participant
from sessions.models import Attendance, Session
from tests import factories
from tests.nominations.seat_helpers import published
from tests.permissions import LOGIN, assert_matrix, role_users
from workspace.selectors import project_dashboard

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2030, 3, 10, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def hub_url(project):
    return reverse("workspace:hub", kwargs={"code": project.code})


def running_project(*, sessions=3, per_country=2):
    """A project in its second day: several countries, both categories, decisions of every kind,
    a withdrawn participant, attendance recorded for the first session, partly for the second."""
    start = datetime.date(2030, 3, 9)
    project = factories.ProjectFactory(
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
        nomination_deadline=datetime.datetime(2030, 2, 1, tzinfo=datetime.UTC),
        overseas_quota=5,
        local_quota=2,
        per_country_cap=2,
        selection_published_at=datetime.datetime(2030, 2, 10, tzinfo=datetime.UTC),
    )
    session_rows = [
        factories.SessionFactory(
            project=project,
            title=f"Day {day + 1}",
            start_at=datetime.datetime(2030, 3, 9 + day, 4, tzinfo=datetime.UTC),
            end_at=datetime.datetime(2030, 3, 9 + day, 7, tzinfo=datetime.UTC),
        )
        for day in range(sessions)
    ]
    participants = []
    genders = [Gender.FEMALE, Gender.MALE, Gender.OTHER]
    # Public-sector kinds beside a farm and a cooperative (an agriculture workshop's nominees).
    orgs = [OrganizationType.MINISTRY, OrganizationType.FARM, OrganizationType.COOPERATIVE]
    for i, iso2 in enumerate(["IN", "JP", "LK", "PH"]):
        for j in range(per_country):
            participants.append(
                factories.ParticipantFactory(
                    nomination__project=project,
                    nomination__country=factories.country(iso2),
                    nomination__gender=genders[(i + j) % 3],
                    nomination__organization_type=orgs[j % 3],
                )
            )
        factories.NominationFactory(
            project=project, country=factories.country(iso2), submitted=True, decision=Decision.RESERVE
        )
        factories.NominationFactory(project=project, country=factories.country(iso2), submitted=True)
        factories.NominationFactory(project=project, country=factories.country(iso2))  # a draft
    withdrawn = participants[0]
    withdrawn.status = ParticipantStatus.WITHDRAWN
    withdrawn.save()
    active = participants[1:]
    for index, participant in enumerate(active):
        factories.AttendanceFactory(participant=participant, session=session_rows[0], present=index % 4 != 0)
        if index % 2 == 0 and len(session_rows) > 1:
            factories.AttendanceFactory(participant=participant, session=session_rows[1], present=True)
    return project


def database_counts(project):
    """The dashboard's numbers counted directly in the database, one query each."""
    submitted = Nomination.objects.filter(project=project, status=NominationStatus.SUBMITTED)
    active = Participant.objects.filter(project=project, status=ParticipantStatus.ACTIVE)
    countries = {
        c.name: (
            submitted.filter(country=c).count(),
            None if c.pk == project.host_country_id else project.per_country_cap,
        )
        for c in project.participating_countries.all()
    }
    sessions = {}
    for s in Session.objects.filter(project=project):
        rows = Attendance.objects.filter(session=s, participant__status=ParticipantStatus.ACTIVE)
        present, absent = rows.filter(present=True).count(), rows.filter(present=False).count()
        sessions[s.title] = (present, absent, active.count() - present - absent)
    return {
        "countries": countries,
        "selected": {
            c: submitted.filter(category=c, decision=Decision.SELECTED)
            .exclude(participant__status=ParticipantStatus.WITHDRAWN)
            .count()
            for c in Category.values
        },
        "reserve": {c: submitted.filter(category=c, decision=Decision.RESERVE).count() for c in Category.values},
        "gender": {label: submitted.filter(gender=value).count() for value, label in Gender.choices},
        "orgs": {label: submitted.filter(organization_type=value).count() for value, label in OrganizationType.choices},
        "sessions": sessions,
        "issued": project.certificates.filter(revoked_at__isnull=True).count(),
        "revoked": project.certificates.filter(revoked_at__isnull=False).count(),
        "to_revoke": certificate_selectors.to_revoke(project).count(),
        # Failures of the latest batch only: a retried batch's old failures are not counted.
        "failed": IssueFailure.objects.filter(
            batch=IssueBatch.objects.filter(project=project).order_by("-started_at", "-pk").first()
        ).count(),
        "emails": {
            status: OutboxMessage.objects.filter(project=project, status=status).count()
            for status in OutboxStatus.values
        },
    }


def dashboard_counts(project):
    board = project_dashboard(project)
    return {
        "countries": {name: (n, cap) for name, n, _, cap in board.countries},
        "selected": {c: board.seats.get((c, Decision.SELECTED), 0) for c in Category.values},
        "reserve": {c: board.seats.get((c, Decision.RESERVE), 0) for c in Category.values},
        "gender": dict(board.gender),
        "orgs": dict(board.organization_types),
        "sessions": {s.title: (s.present, s.absent, s.not_recorded) for s in board.sessions},
        "issued": board.certificates["issued"],
        "revoked": board.certificates["revoked"],
        "to_revoke": board.certificates["to_revoke"],
        "failed": board.certificates["failed"],
        "emails": board.emails,
    }


def table_rows(html, title):
    """{label: [cells]} of the numbers table captioned `title` on the page."""
    match = re.search(
        r'<caption class="visually-hidden">' + re.escape(title) + r"</caption>.*?<tbody>(.*?)</tbody>", html, re.S
    )
    assert match, title
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", match.group(1), re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


@time_machine.travel(NOW, tick=False)
def test_dashboard_numbers_equal_database_counts_for_a_running_multicountry_project(client):
    project = running_project()
    # Two batches: the failures of the older one are not the dashboard's.
    older, latest = (
        IssueBatch.objects.create(project=project, started_at=NOW - datetime.timedelta(hours=h)) for h in (2, 1)
    )
    participants = list(Participant.objects.filter(project=project).order_by("pk")[:3])
    for participant in participants:
        certificate_services.record_failure(batch=older, participant=participant, reason="Storage unavailable")
    certificate_services.record_failure(batch=latest, participant=participants[1], reason="Storage unavailable")
    expected = database_counts(project)
    assert dashboard_counts(project) == expected
    assert expected["sessions"]["Day 1"] != (0, 0, 0) and expected["selected"][Category.LOCAL] == 2
    assert expected["failed"] == 1

    client.force_login(factories.secretariat_user())
    html = client.get(hub_url(project)).content.decode()
    per_session = table_rows(html, "Attendance per session")
    for title, (present, absent, missing) in expected["sessions"].items():
        assert per_session[title] == [str(present), str(absent), str(missing), str(present + absent + missing)]
    gender = table_rows(html, "Gender balance of submitted nominations")
    for label, n in expected["gender"].items():
        assert gender[label][0] == str(n)
    countries = table_rows(html, "Nominations per country against the cap of 2")
    assert countries["India"] == [str(expected["countries"]["India"][0]), "2"]
    assert countries["Sri Lanka"] == [str(expected["countries"]["Sri Lanka"][0]), "—"]
    assert table_rows(html, "Certificates")["Failed in the last run"] == [str(expected["failed"])]


def test_dashboard_numbers_equal_database_counts_for_the_seed_workshop():
    call_command("demo", stdout=io.StringIO())
    project = Project.objects.get(code=SEED_CODE)
    expected = database_counts(project)
    assert dashboard_counts(project) == expected
    assert expected["issued"] > 0 and sum(expected["selected"].values()) == 50


@time_machine.travel(NOW, tick=False)
def test_hub_steps_say_state_numbers_and_next_action(client):
    project = running_project()
    client.force_login(factories.secretariat_user())
    html = client.get(hub_url(project)).content.decode()
    assert "Record the attendance of 1 session (import" in html  # day 2 partly; day 1 whole, absentees too
    assert "Certificates are issued once the last session has ended." in html
    assert f'href="{reverse("agenda:attendance_import_upload", kwargs={"code": project.code})}"' in html
    assert "emails-failed" not in html  # nothing failed: no alarm


def test_hub_counts_the_projects_emails_and_links_the_failed_ones(client):
    project = running_project()
    for n in range(3):
        queue_email(
            project=project,
            cause=OutboxCause.MESSAGE,
            recipient=f"person{n}@npo.example",
            subject="Day 2",
            text="See you on Day 2.",
        )
    failed = OutboxMessage.objects.filter(project=project).order_by("pk")[:2]
    OutboxMessage.objects.filter(pk__in=[m.pk for m in failed]).update(status=OutboxStatus.FAILED)
    expected = database_counts(project)["emails"]
    assert expected[OutboxStatus.FAILED] == 2 and expected == dashboard_counts(project)["emails"]

    client.force_login(factories.secretariat_user())
    html = client.get(hub_url(project)).content.decode()
    assert "2 e-mails failed." in html
    assert f"{reverse('project_outbox', kwargs={'code': project.code})}?status=failed" in html
    rows = table_rows(html, "E-mails")
    assert rows["Failed"] == ["2"] and rows["Sent"] == [str(expected[OutboxStatus.SENT])]


def test_hub_before_anything_says_what_does_not_apply_yet(client, project):
    client.force_login(factories.secretariat_user())
    html = client.get(hub_url(project)).content.decode()
    assert "The selection starts when nominations close." in html
    assert "Attendance is recorded once the first session has started." in html
    assert reverse("agenda:attendance_grid", kwargs={"code": project.code}) not in html.split("steps-heading")[1]


def test_hub_is_for_the_secretariat_and_the_projects_implementers(client, project):
    users = role_users(project)
    assert_matrix(
        client,
        hub_url(project),
        users,
        {
            "anonymous": LOGIN,
            "own_npo": 403,
            "other_npo": 403,
            "host_npo": 403,
            "participant": 404,
            "implementer": 200,
            "secretariat": 200,
        },
    )


def test_403_on_the_hub_says_why(client, project):
    client.force_login(factories.npo_officer("IN"))
    html = client.get(hub_url(project)).content.decode()
    assert "A project&#x27;s hub is for the APO Secretariat and the project&#x27;s implementers." in html


@pytest.mark.parametrize("size", [1, 3])
def test_hub_query_count_is_constant(client, django_assert_num_queries, size):
    with time_machine.travel(NOW, tick=False):
        project = running_project(per_country=size)
        client.force_login(factories.secretariat_user())
        with django_assert_num_queries(21):  # 18, and the evaluation: questions, answers, submissions
            assert client.get(hub_url(project)).status_code == 200


def test_project_nav_is_on_every_page_of_the_project_with_only_pages_the_user_opens(client, project):
    implementer = factories.implementer(project)
    code = {"code": project.code}
    client.force_login(implementer)
    html = client.get(reverse("agenda:attendance_grid", kwargs=code)).content.decode()
    nav = html.split('class="project-nav')[1].split("</nav>")[0]
    assert reverse("workspace:hub", kwargs=code) in nav
    assert reverse("agenda:manage", kwargs=code) in nav
    assert reverse("certificates:project", kwargs=code) not in nav
    assert reverse("audit_log", kwargs=code) not in nav
    for name in ("workspace:hub", "agenda:manage", "agenda:attendance_grid", "nominations:project"):
        page = client.get(reverse(name, kwargs=code))
        assert page.status_code == 200, name
        assert 'class="project-nav' in page.content.decode(), name

    client.force_login(factories.secretariat_user())
    for name in (
        "project_manage",
        "project_edit",
        "nominations:project",
        "nominations:selection_board",
        "nominations:participant_list",
        "agenda:manage",
        "agenda:attendance_grid",
        "agenda:attendance_import_upload",
        "certificates:project",
        "audit_log",
        "workspace:hub",
    ):
        page = client.get(reverse(name, kwargs=code))
        assert page.status_code == 200, name
        assert 'aria-current="page"' in page.content.decode().split('class="project-nav')[1], name


def test_npo_officers_see_no_project_nav(client, project):
    client.force_login(factories.npo_officer("IN"))
    html = client.get(reverse("nominations:project", kwargs={"code": project.code})).content.decode()
    assert 'class="project-nav' not in html


def test_manage_page_of_a_finished_project_offers_no_deadline_extension(client):
    start = timezone.localdate() - datetime.timedelta(days=30)
    project = factories.ProjectFactory(
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
        nomination_deadline=timezone.now() - datetime.timedelta(days=60),
        selection_published_at=timezone.now() - datetime.timedelta(days=50),
    )
    client.force_login(factories.secretariat_user())
    html = client.get(reverse("project_manage", kwargs={"code": project.code})).content.decode()
    assert "Extend the deadline" not in html
    assert reverse("workspace:hub", kwargs={"code": project.code}) in html
    open_project = factories.ProjectFactory()
    html = client.get(reverse("project_manage", kwargs={"code": open_project.code})).content.decode()
    assert "Extend the deadline" in html


def test_certificates_page_links_to_the_attendance_to_correct(client):
    with time_machine.travel(NOW, tick=False):
        project = running_project()
    with time_machine.travel(NOW + datetime.timedelta(days=5), tick=False):
        client.force_login(factories.secretariat_user())
        html = client.get(reverse("certificates:project", kwargs={"code": project.code})).content.decode()
    section = html.split('id="not-eligible"')[1]
    grid = reverse("agenda:attendance_grid", kwargs={"code": project.code})
    assert f'<a href="{grid}">Correct their attendance first</a>' in section


def test_hub_counts_the_seats_confirmed(client, secretariat):
    project, (p, q, _) = published(secretariat)
    nominations.confirm_seat(participant=p, actor=p.user)
    nominations.decline_seat(participant=q, actor=q.user)
    client.force_login(secretariat)
    html = client.get(hub_url(project)).content.decode()
    selection = re.search(r'id="step-selection".*?</li>', html, re.S).group(0)
    facts = dict(
        re.findall(
            r'<dt class="col-7 fw-normal">([^<]+)</dt><dd class="col-5 mb-0 fw-semibold">([^<]+)</dd>', selection
        )
    )
    assert (facts["Seats confirmed"], facts["Not confirmed yet"]) == ("1 of 2", "1")
