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

from .helpers import PASSWORD, exactly
from .reach import MAY_USE, Reached

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


# Patterns a role may use that its journey does not reach by clicking yet: the journeys still
# lack the data or the steps for them (a certificate to verify or download, an attendance import
# to preview and map, a programme to edit, a selection to decide). The list only shrinks: a
# pattern reached by a journey must come off it (see assert_reached_all).
NOT_YET_SECRETARIAT = {
    "agenda:attendance_export",
    "agenda:attendance_import_confirm",
    "agenda:attendance_import_discard",
    "agenda:attendance_import_map",
    "agenda:attendance_import_preview",
    "agenda:attendance_import_zone",
    "agenda:attendance_mark",
    "agenda:attendance_share",
    "agenda:item_create",
    "agenda:item_delete",
    "agenda:item_edit",
    "agenda:programme_ics",
    "agenda:programme_pdf",
    "agenda:publish",
    "agenda:session_delete",
    "agenda:session_edit",
    "agenda:set_zone",
    "agenda:speaker_create",
    "agenda:speaker_delete",
    "agenda:speaker_edit",
    "certificates:correct_name",
    "certificates:download",
    "certificates:issue_one",
    "certificates:retry",
    "certificates:revoke",
    "certificates:start",
    "certificates:verify",
    "certificates:zip",
    "home",
    "invitation_resend",
    "membership_deactivate",
    "membership_reactivate",
    "nominations:cv",
    "nominations:export",
    "nominations:import_preview",
    "nominations:participant_export",
    "nominations:participant_withdraw",
    "nominations:selection_decide",
    "nominations:selection_promote",
    "nominations:selection_propose",
    "nominations:selection_publish",
    "nominations:selection_reserve_move",
    "project_issue",
    "project_nominations",
}
NOT_YET_IMPLEMENTER = {
    "agenda:attendance_export",
    "agenda:attendance_import_confirm",
    "agenda:attendance_import_discard",
    "agenda:attendance_import_map",
    "agenda:attendance_import_preview",
    "agenda:attendance_import_zone",
    "agenda:attendance_mark",
    "agenda:attendance_share",
    "agenda:item_create",
    "agenda:item_delete",
    "agenda:item_edit",
    "agenda:programme_ics",
    "agenda:programme_pdf",
    "agenda:session_delete",
    "agenda:set_zone",
    "agenda:speaker_delete",
    "agenda:speaker_edit",
    "certificates:verify",
    "home",
    "nominations:detail",
    "nominations:participant_export",
    "nominations:participant_list",
    "project_detail",
}
NOT_YET_NPO_OFFICER = {
    "agenda:programme",
    "agenda:programme_ics",
    "agenda:programme_pdf",
    "agenda:set_zone",
    "certificates:verify",
    "nominations:cv",
    "nominations:detail",
    "nominations:edit",
    "nominations:move",
    "nominations:submit",
    "nominations:withdraw",
    "project_detail",
}
NOT_YET_PARTICIPANT = {
    "certificates:download",
    "certificates:verify",
    "home",
}

ERROR_HEADINGS = ("This page does not exist", "You may not open this page", "Something went wrong")


def click(page, name, *, scope=None, role="link"):
    """Click a link by its accessible name (in `scope`, a locator) and check the page is no error page."""
    (scope or page).get_by_role(role, name=name, exact=True).first.click()
    page.wait_for_load_state()
    heading = page.locator("main h1").first.inner_text()
    assert heading not in ERROR_HEADINGS, f"{name} -> {page.url}: {heading}"
    return page.url


def assert_reached_all(reached, role, not_yet=()):
    """Every pattern `role` may use was reached by this journey (those in `not_yet` left aside)."""
    missing = reached.missing(role, not_yet=not_yet)
    may_use = MAY_USE[role]
    print(f"{role}: reached {len(may_use & reached.names)} of the {len(may_use)} patterns it may use")
    assert missing == [], f"{role} never reached: {missing}"
    stale = sorted(set(not_yet) & reached.names)
    assert stale == [], f"{role} now reaches {stale}: take them off its not-yet list"


def account_pages(page):
    """The footer's pages: changing one's password (the form sent by its button), verifying a certificate."""
    footer = page.locator("footer")
    click(page, "Change your password", scope=footer)
    page.get_by_label(exactly("Old password")).fill(PASSWORD)
    page.get_by_label(exactly("New password")).fill(PASSWORD + " again")
    page.get_by_label(exactly("New password confirmation")).fill(PASSWORD + " again")
    click(page, "Change password", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password was changed")
    click(page, "Verify a certificate", scope=footer)


def programme_pages(page):
    """On a programme page: the zone form (sent by its button) and the two downloads."""
    click(page, "Show", role="button")
    with page.expect_download():
        page.get_by_role("link", name="Add to calendar (.ics)", exact=True).first.click()
    with page.expect_response(lambda response: response.url.endswith(".pdf")) as pdf:
        page.get_by_role("link", name="Printable programme (PDF)", exact=True).first.click()
    assert pdf.value.status == 200
    if page.url.endswith(".pdf"):
        page.go_back()


def open_tab(page, label):
    page.get_by_role("navigation", name="Project 26-WS-E2E").get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()
    assert page.locator("main h1").count() >= 1, page.url


def test_secretariat_runs_the_workshop_from_the_landing_page(journey):
    project, _ = running_workshop()
    factories.ProjectFactory(code="27-WS-OPEN", title="Green Productivity")
    factories.secretariat_user(email="admin@apo.example")
    page = journey.new_page()
    reached = Reached(page)
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
    account_pages(page)
    assert_reached_all(reached, "secretariat", NOT_YET_SECRETARIAT)


def test_implementer_reaches_attendance_by_clicking(journey):
    project, _ = running_workshop()
    implementer = factories.implementer(project, email="host@npo.lk.example")
    page = journey.new_page()
    reached = Reached(page)
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
    account_pages(page)
    assert_reached_all(reached, "implementer", NOT_YET_IMPLEMENTER)


def test_npo_officer_lands_on_their_countrys_projects(journey):
    project, _ = running_workshop()
    factories.ProjectFactory(code="27-WS-OPEN", title="Green Productivity")
    officer = factories.npo_officer("IN", email="officer@npo.in.example")
    other = factories.ProjectFactory(code="26-WS-OTHER", title="Lean Management")
    Membership.objects.create(user=officer, role=Role.IMPLEMENTER, project=other, country=other.host_country)
    page = journey.new_page()
    reached = Reached(page)
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
    account_pages(page)
    assert_reached_all(reached, "npo_officer", NOT_YET_NPO_OFFICER)


def test_participant_lands_on_their_workshops(journey):
    project, participants = running_workshop()
    announce_programme(project=project, actor=factories.secretariat_user(), notify=False)
    participant = participants[0]
    page = journey.new_page()
    reached = Reached(page)
    journey.login(page, participant.user.email)
    expect(page.get_by_role("heading", name="Participant: your workshops")).to_be_visible()
    journey.check(page, "landing-participant")
    click(page, "Programme", scope=page.locator("#role-participant"))
    click(page, "APO workshop portal")
    click(page, "My workshop", scope=page.locator("#role-participant"))
    click(page, "Your attendance on a page of its own")
    click(page, "My workshop", scope=page.get_by_role("navigation", name="Main"))
    click(page, "full programme")
    programme_pages(page)
    account_pages(page)
    click(page, "My workshop", scope=page.get_by_role("navigation", name="Main"))
    click(page, project.title)  # the public page of the workshop
    assert_reached_all(reached, "participant", NOT_YET_PARTICIPANT)
