"""Everyday use: the audit trail's filters, a search, a confirmation with and without JavaScript, and
verifying a certificate from the home page by its number and name (issue 19). Every page changed for
it is checked with axe-core at 1280 and 390 px (`journey.check`)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from apopms import services as core
from apopms.models import AuditEntry, Membership
from certificates.models import Certificate
from tests import factories

from .helpers import PASSWORD
from .test_workspace import certificate_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def _login(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url


def _trail(project):
    aiko = factories.secretariat_user(email="aiko.tanaka@apo-tokyo.org", full_name="Aiko Tanaka")
    budi = factories.secretariat_user(email="budi@apo-tokyo.org", full_name="Budi Santoso")
    core.set_nominations_open(actor=budi, project=project, is_open=False)
    core.set_nominations_open(actor=budi, project=project, is_open=True)
    AuditEntry.objects.create(
        action="certificates.certificate.issued",
        actor=aiko,
        project=project,
        object_repr="22-PSP-DMC-0007 Ravi Kumar",
        details={"number": "22-PSP-DMC-0007"},
        created_at=datetime.datetime(2022, 8, 30, 4, 0, tzinfo=datetime.UTC),
    )
    return aiko


def test_secretariat_filters_the_audit_trail_searches_and_confirms_with_javascript(journey):
    project = factories.ProjectFactory(code="22-PSP-DMC", title="Digital Manufacturing Course")
    factories.ProjectFactory(code="23-AG-GP", title="Green Productivity")
    aiko = _trail(project)
    officer = factories.npo_officer("LK", email="officer@npo.lk.example", full_name="Nimal Perera")
    page = journey.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    journey.login(page, aiko.email)

    # A search on the project list, kept in the URL.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Manage projects").click()
    page.get_by_label("Search the projects").fill("digital manufacturing")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table")).to_contain_text("22-PSP-DMC")
    assert "q=digital+manufacturing" in page.url
    journey.check(page, "project-search")

    # The audit trail, as sentences, filtered by person, by kind and by days.
    page.get_by_role("link", name="Digital Manufacturing Course").click()
    page.get_by_role("link", name="Audit trail").first.click()
    trail = page.locator("#audit-trail tbody")
    expect(trail.locator("tr")).to_have_count(3)
    expect(trail).to_contain_text("Aiko Tanaka issued certificate 22-PSP-DMC-0007 to Ravi Kumar.")
    expect(trail.locator("time").last).to_have_attribute("title", "30 Aug 2022, 04:00:00 UTC")
    expect(trail.locator("time").last).to_have_text("30 Aug 2022, 09:30")  # Colombo
    journey.check(page, "audit-trail")
    page.get_by_label("Person").select_option(label="Budi Santoso (budi@apo-tokyo.org)")
    page.get_by_role("button", name="Filter").click()
    expect(trail.locator("tr")).to_have_count(2)
    expect(trail).to_contain_text("Budi Santoso closed nominations for 22-PSP-DMC.")
    page.get_by_label("Kind of action").select_option(label="Nominations closed")
    page.get_by_role("button", name="Filter").click()
    expect(trail.locator("tr")).to_have_count(1)
    page.get_by_role("link", name="Clear").click()
    page.get_by_label("From", exact=True).fill("2022-08-30")
    page.get_by_label("To", exact=True).fill("2022-08-30")
    page.get_by_role("button", name="Filter").click()
    expect(trail.locator("tr")).to_have_count(1)
    expect(trail).to_contain_text("22-PSP-DMC-0007")
    journey.check(page, "audit-trail-filtered")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export these 1 entries as CSV").click()
    assert "Ravi Kumar" in download.value.path().read_text(encoding="utf-8")
    exported = AuditEntry.objects.get(action="apopms.audit.exported")
    assert exported.actor == aiko and exported.details["filters"] == "from 2022-08-30, to 2022-08-30"

    # A search on a participant list, the filter kept in the page's URL.
    done = certificate_for()
    participant = done.participant
    page.goto(f"/projects/{done.project.code}/participants/")
    page.get_by_label("Search the participants").fill(participant.nomination.email)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main section table tbody tr")).to_have_count(1)
    expect(page.locator("main section table tbody")).to_contain_text(participant.certificate_name)
    journey.check(page, "participants-search")

    # With JavaScript the dialog asks, and agreeing acts at once.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="NPO officers").click()
    page.get_by_role("button", name=f"Deactivate {officer.email}").click()
    expect(page.get_by_role("button", name=f"Reactivate {officer.email}")).to_be_visible()
    assert not Membership.objects.get(user=officer).active

    # Closing nominations asks on a page of its own, stating the consequence.
    page.goto(f"/manage/projects/{project.code}/")
    page.get_by_role("button", name="Close nominations").click()
    expect(page.locator("#consequence")).to_contain_text("NPO officers can no longer create, submit")
    journey.check(page, "confirm-close")
    project.refresh_from_db()
    assert project.nominations_open
    page.get_by_role("button", name="Close nominations now").click()
    expect(page.locator("#phase")).not_to_have_text("Nominations open")
    project.refresh_from_db()
    assert not project.nominations_open


def test_confirmations_work_without_javascript(browser, live_server, settings):
    """With JavaScript off the same buttons lead to the confirmation page; only its button acts."""
    settings.SITE_URL = live_server.url
    project = factories.ProjectFactory(code="22-PSP-DMC", title="Digital Manufacturing Course")
    aiko = factories.secretariat_user(email="aiko.tanaka@apo-tokyo.org", full_name="Aiko Tanaka")
    officer = factories.npo_officer("LK", email="officer@npo.lk.example", full_name="Nimal Perera")
    certificate = certificate_for()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="en-GB")
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        _login(page, aiko.email)

        page.goto("/manage/people/")
        page.get_by_role("button", name=f"Deactivate {officer.email}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Deactivate Nimal Perera")
        expect(page.locator("#consequence")).to_contain_text("logged out at once")
        assert Membership.objects.get(user=officer).active
        page.get_by_role("link", name="Cancel, go back").click()
        assert Membership.objects.get(user=officer).active
        page.get_by_role("button", name=f"Deactivate {officer.email}").click()
        page.get_by_role("button", name="Deactivate", exact=True).click()
        expect(page.get_by_role("button", name=f"Reactivate {officer.email}")).to_be_visible()
        assert not Membership.objects.get(user=officer).active

        page.goto(f"/manage/projects/{project.code}/")
        page.get_by_role("button", name="Close nominations").click()
        expect(page.locator("#consequence")).to_be_visible()
        project.refresh_from_db()
        assert project.nominations_open
        page.get_by_role("button", name="Close nominations now").click()
        project.refresh_from_db()
        assert not project.nominations_open

        page.goto(f"/certificates/{certificate.number}/revoke/")
        expect(page.locator("#consequence")).to_contain_text("Revoking cannot be undone")
        page.get_by_label(re.compile("Reason for revoking")).fill("Attendance corrected")
        page.get_by_role("button", name="Revoke").click()
        certificate.refresh_from_db()
        assert certificate.revoked_at is not None
    finally:
        context.close()


def test_visitor_verifies_a_certificate_from_the_home_page(journey):
    certificate = certificate_for()
    name = certificate.snapshot["certificate_name"]
    page = journey.new_page()
    page.goto("/")
    expect(page.get_by_role("heading", name="Verify a certificate")).to_be_visible()
    journey.check(page, "home")

    # By number and name, typed carelessly.
    page.get_by_role("textbox", name="Certificate number").fill(certificate.number.lower().replace("-", " "))
    page.get_by_role("textbox", name="Full name as printed").fill(f"  {name.upper()} ")
    page.get_by_role("button", name="Verify the number and name").click()
    expect(page.locator("#verdict")).to_contain_text("Valid.")
    expect(page.locator("main")).to_contain_text(certificate.number)
    journey.check(page, "verified-by-name")

    # A wrong name says what an unknown number says.
    page.goto("/")
    page.get_by_role("textbox", name="Certificate number").fill(certificate.number)
    page.get_by_role("textbox", name="Full name as printed").fill(name.split()[0])
    page.get_by_role("button", name="Verify the number and name").click()
    expect(page.locator("#verdict")).to_have_text("No certificate has this number with this name.")
    journey.check(page, "not-verified-by-name")

    # By the code, with its groups and in lower case, on the verification page.
    page.get_by_role("link", name="Try again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificate verification")
    journey.check(page, "verify-lookup")
    code = certificate.verification_code
    page.get_by_role("textbox", name="Verification code").fill(
        "-".join(code[i : i + 4] for i in range(0, len(code), 4)).lower()
    )
    page.get_by_role("button", name="Verify the code").click()
    expect(page.locator("#verdict")).to_contain_text("Valid.")
    assert Certificate.objects.count() == 1
