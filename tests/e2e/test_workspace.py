"""Journeys of the workspace: each role starts at its landing page and reaches its pages by clicking.

axe-core and the phone width are checked on the new pages (landing pages, hub and dashboard,
error page); screenshots go to tests/e2e/screenshots/<test name>/.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apopms.enums import Role
from apopms.models import Membership
from nominations.enums import Decision, Gender, OrganizationType
from sessions.services import announce_programme
from tests import factories

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def running_workshop():
    """A workshop in its second day: four countries, both categories, attendance partly recorded."""
    now = timezone.now()
    start = timezone.localdate() - datetime.timedelta(days=1)
    project = factories.ProjectFactory(
        code="26-WS-E2E",
        title="Digital Transformation of Public Services",
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
        nomination_deadline=now - datetime.timedelta(days=30),
        overseas_quota=6,
        local_quota=2,
        per_country_cap=2,
        selection_published_at=now - datetime.timedelta(days=20),
    )
    sessions = [
        factories.SessionFactory(
            project=project,
            title=f"Day {day + 1}",
            start_at=now + datetime.timedelta(days=day - 1, hours=-3),
            end_at=now + datetime.timedelta(days=day - 1),
        )
        for day in range(3)
    ]
    participants = []
    genders = [Gender.FEMALE, Gender.MALE, Gender.FEMALE]
    orgs = [OrganizationType.MINISTRY, OrganizationType.ACADEMIC, OrganizationType.LOCAL_GOVERNMENT]
    for i, iso2 in enumerate(["IN", "JP", "LK", "PH"]):
        for j in range(2):
            participants.append(
                factories.ParticipantFactory(
                    nomination__project=project,
                    nomination__country=factories.country(iso2),
                    nomination__gender=genders[(i + j) % 3],
                    nomination__organization_type=orgs[(i + j) % 3],
                )
            )
        factories.NominationFactory(
            project=project, country=factories.country(iso2), submitted=True, decision=Decision.RESERVE
        )
    for index, participant in enumerate(participants):
        factories.AttendanceFactory(participant=participant, session=sessions[0], present=index != 3)
        if index % 2 == 0:
            factories.AttendanceFactory(participant=participant, session=sessions[1], present=True)
    return project, participants


ERROR_HEADINGS = ("This page does not exist", "You may not open this page", "Something went wrong")


def click(page, name, *, scope=None, role="link"):
    """Click a link by its accessible name (in `scope`, a locator) and check the page is no error page."""
    (scope or page).get_by_role(role, name=name, exact=True).first.click()
    page.wait_for_load_state()
    heading = page.locator("main h1").first.inner_text()
    assert heading not in ERROR_HEADINGS, f"{name} -> {page.url}: {heading}"
    return page.url


def open_tab(page, label):
    page.get_by_role("navigation", name="Project 26-WS-E2E").get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()
    assert page.locator("main h1").count() >= 1, page.url


def test_secretariat_runs_the_workshop_from_the_landing_page(journey):
    project, _ = running_workshop()
    factories.ProjectFactory(code="27-WS-OPEN", title="Green Productivity")
    factories.secretariat_user(email="admin@apo.example")
    page = journey.new_page()
    journey.login(page, "admin@apo.example")
    assert page.url.endswith("/start/")
    expect(page.get_by_role("heading", name="Secretariat: projects needing action")).to_be_visible()
    journey.check(page, "landing-secretariat")

    page.get_by_role("link", name=project.code).first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Steps")).to_be_visible()
    journey.check(page, "hub")
    for summary in page.locator("details summary").all():
        summary.click()
    page.get_by_role("heading", name="Dashboard").scroll_into_view_if_needed()
    journey.check(page, "dashboard")

    for label in ("Notification", "Nominations", "Selection", "Participants", "Programme", "Certificates"):
        open_tab(page, label)
    open_tab(page, "Attendance")
    page.get_by_role("link", name="Import a Zoom report").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import")
    open_tab(page, "Audit trail")
    open_tab(page, "Overview")
    expect(page.locator("#step-attendance")).to_contain_text("Record the attendance of 1 session")

    # Every step's pages, by clicking: the notification's actions, the programme editor's forms.
    open_tab(page, "Notification")
    for name in ("Edit", "New edition (clone)", "Implementers"):
        click(page, name)
        open_tab(page, "Notification")
    click(page, "Public page")
    page.go_back()
    open_tab(page, "Programme")
    click(page, "Add a session")
    open_tab(page, "Programme")
    click(page, "View the programme page")
    open_tab(page, "Nominations")
    click(page, "Import from a spreadsheet")
    open_tab(page, "Nominations")
    page.locator("main table tbody a").first.click()  # a nomination
    page.wait_for_load_state()
    assert "/nominations/" in page.url
    # The menu's indexes, and the open project's deadline from its manage page.
    main = page.get_by_role("navigation", name="Main")
    for name in ("Nominations", "Selection", "Attendance", "Certificates", "NPO officers", "Manage projects"):
        click(page, name, scope=main)
    click(page, "New project")
    page.go_back()
    click(page, "Green Productivity")
    click(page, "Extend the deadline")
    click(page, "APO workshop portal")
    assert page.url.endswith("/start/")


def test_implementer_reaches_attendance_by_clicking(journey):
    project, _ = running_workshop()
    implementer = factories.implementer(project, email="host@npo.lk.example")
    page = journey.new_page()
    journey.login(page, implementer.email)
    expect(page.get_by_role("heading", name="Implementer: your projects")).to_be_visible()
    journey.check(page, "landing-implementer")
    page.get_by_role("link", name=project.title).click()
    page.wait_for_load_state()
    journey.check(page, "hub-implementer")
    open_tab(page, "Attendance")
    page.get_by_role("link", name="Import a Zoom report").click()
    page.wait_for_load_state()
    open_tab(page, "Programme")
    for name in ("Add a session", "Add a resource person", "View the programme page"):
        click(page, name)
        open_tab(page, "Programme")
    page.locator("main").get_by_role("link", name="Change Day 1").click()
    page.wait_for_load_state()
    open_tab(page, "Nominations")
    main = page.get_by_role("navigation", name="Main")
    for name in ("My projects", "Nominations", "Attendance"):
        click(page, name, scope=main)
    click(page, f"{project.title} ({project.code})")  # the grid, from the attendance index
    page.goto(f"/projects/{project.code}/hub/")
    nav = page.get_by_role("navigation", name="Project 26-WS-E2E")
    expect(nav.get_by_role("link", name="Certificates")).to_have_count(0)


def test_npo_officer_lands_on_their_countrys_projects(journey):
    project, _ = running_workshop()
    factories.ProjectFactory(code="27-WS-OPEN", title="Green Productivity")
    officer = factories.npo_officer("IN", email="officer@npo.in.example")
    other = factories.ProjectFactory(code="26-WS-OTHER", title="Lean Management")
    Membership.objects.create(user=officer, role=Role.IMPLEMENTER, project=other, country=other.host_country)
    page = journey.new_page()
    journey.login(page, officer.email)
    expect(page.get_by_role("heading", name="NPO officer of India")).to_be_visible()
    expect(page.locator("#role-npo")).to_contain_text("Green Productivity")
    journey.check(page, "landing-npo-officer")
    click(page, "Green Productivity")
    click(page, "Nominate a candidate")
    click(page, "APO workshop portal")
    click(page, "Participants", scope=page.locator("#role-npo"))
    main = page.get_by_role("navigation", name="Main")
    for name in ("Projects", "My projects", "Colleagues", "Nominations", "Attendance"):
        click(page, name, scope=main)
    click(page, f"{project.title} ({project.code})")  # India's attendance in the running workshop
    # The hub is not the officer's page: the portal's 403 says why.
    page.goto(f"/projects/{project.code}/hub/")
    expect(page.get_by_role("heading", name="You may not open this page")).to_be_visible()
    journey.check(page, "forbidden")
    # An unknown address answers the portal's own 404 page, with a way back.
    page.goto("/projects/NO-SUCH/hub/")
    expect(page.get_by_role("heading", name="This page does not exist")).to_be_visible()
    journey.check(page, "not-found")
    page.get_by_role("link", name="Back to the portal").click()
    page.wait_for_load_state()


def test_participant_lands_on_their_workshops(journey):
    project, participants = running_workshop()
    announce_programme(project=project, actor=factories.secretariat_user(), notify=False)
    participant = participants[0]
    page = journey.new_page()
    journey.login(page, participant.user.email)
    expect(page.get_by_role("heading", name="Participant: your workshops")).to_be_visible()
    journey.check(page, "landing-participant")
    click(page, "Programme", scope=page.locator("#role-participant"))
    click(page, "APO workshop portal")
    click(page, "My workshop", scope=page.locator("#role-participant"))
    click(page, "full programme")
    click(page, "My workshop", scope=page.get_by_role("navigation", name="Main"))
    click(page, project.title)  # the public page of the workshop
