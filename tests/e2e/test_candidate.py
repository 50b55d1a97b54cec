"""A candidate fills in their own nomination on a phone; the NPO asks for a change, then endorses it.

The officer works on a desktop, the candidate in their own browser at 390 px: the invitation link
from the e-mail, the biodata with a name in Sinhala and a CV, a change asked and made, the
endorsement, and after the selection is published, "Selected" on the candidate's page.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apopms.models import Project
from nominations import services
from nominations.enums import Decision, NominationStatus
from nominations.models import Nomination
from tests import factories

from .helpers import PASSWORD, PHONE, exactly, link_in, tiny_pdf, wait_until
from .reach import Reached
from .test_workspace import assert_reached_all

pytestmark = [pytest.mark.e2e, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

OFFICER = "nimal.perera@npo.gov.lk"
CANDIDATE = "ravi.kumara@example.lk"


def open_project():
    return factories.ProjectFactory(
        code="27-CAND-E2E",
        title="Green Productivity for Local Governments",
        overseas_quota=4,
        local_quota=2,
    )


def test_candidate_fills_in_their_nomination_on_a_phone_and_the_npo_endorses_it(
    journey, browser, live_server, tmp_path
):
    project = open_project()
    factories.npo_officer("LK", email=OFFICER, full_name="Nimal Perera")
    secretariat = factories.secretariat_user(email="aiko.tanaka@apo-tokyo.org", full_name="Aiko Tanaka")

    # The officer invites the candidate from the project's nominations page.
    desk = journey.new_page()
    journey.login(desk, OFFICER)
    desk.goto(f"/projects/{project.code}/nominations/")
    desk.get_by_role("link", name="Invite a candidate to fill in their nomination").click()
    journey.check(desk, "invite")
    desk.get_by_label("Candidate's name").fill("Ravi Kumara")
    desk.get_by_label("Candidate's e-mail address").fill(CANDIDATE)
    desk.get_by_role("button", name="Send the invitation").click()
    expect(desk.get_by_text("Ravi Kumara is invited")).to_be_visible()
    expect(desk.locator("#candidate-note")).to_contain_text("has not sent it to you yet")
    nomination = Nomination.objects.get(project=project, email=CANDIDATE)
    assert nomination.status == NominationStatus.DRAFT

    # The candidate, on their phone, opens the link from the e-mail and sets a password.
    phone_context = browser.new_context(
        bypass_csp=True,  # for axe-core, as the journey's own context
        base_url=live_server.url,
        viewport=PHONE,
        locale="en-GB",
        timezone_id="Asia/Colombo",
        accept_downloads=True,
        reduced_motion="reduce",
    )
    phone_context.set_default_timeout(15_000)
    try:
        phone = phone_context.new_page()
        reached = Reached(phone)
        invitation = wait_until(lambda: journey.mail_to(CANDIDATE), message="the invitation e-mail")[0]
        phone.goto(link_in(invitation, "/accounts/invitation/"))
        expect(phone.get_by_role("heading", level=1)).to_have_text("Welcome to the APO workshop portal")
        phone.get_by_label(exactly("New password")).fill(PASSWORD)
        phone.get_by_label("New password again").fill(PASSWORD)
        phone.get_by_role("button", name="Set password and log in").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Your nomination")
        expect(phone.locator("#candidate-state")).to_have_text("Draft")
        expect(phone.locator("#deadline")).to_contain_text(project.closing_date.strftime("%-d %B %Y"))
        expect(phone.locator("#privacy-notice")).to_contain_text("what happens to what you fill in")

        # Part of it first, saved; then the rest with the CV, sent to the NPO.
        phone.get_by_label("Name in own script").fill("රවී කුමාර")
        phone.get_by_label("Gender").select_option(label="Male")
        phone.get_by_role("button", name="Save and come back later").click()
        expect(phone.get_by_text("Your biodata is saved")).to_be_visible()
        preview = phone.locator("#name-preview")
        expect(preview.locator('[lang="si"]')).to_have_text("රවී කුමාර")
        expect(preview).to_contain_text("Ravi Kumara")
        # The Sinhala name is drawn with the Sinhala web font (the system has none here).
        font_loaded = phone.evaluate(
            "async () => { await document.fonts.ready; return document.fonts.check('16px \"Noto Sans Sinhala Web\"', 'රවී'); }"
        )
        assert font_loaded
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        phone.screenshot(path=str(journey.folder / "candidate-draft-390.png"), full_page=True)
        cv = tmp_path / "Ravi Kumara CV.pdf"
        cv.write_bytes(tiny_pdf("Ravi Kumara, Curriculum vitae"))
        phone.get_by_label("Organization", exact=True).fill("Kandy Municipal Council")
        phone.get_by_label("Organization type").select_option(label="Local government unit")
        phone.get_by_label("Position/title").fill("Productivity Officer")
        phone.get_by_label("CV or biodata form").set_input_files(str(cv))
        phone.get_by_role("button", name="Send to my NPO").click()
        expect(phone.get_by_text("Your nomination is sent to your NPO")).to_be_visible()
        expect(phone.locator("#candidate-state")).to_have_text("With the NPO")
        with phone.expect_download() as download:
            phone.locator("#cv-link").click()
        assert download.value.suggested_filename == "Ravi Kumara CV.pdf"
        assert Nomination.objects.get(pk=nomination.pk).status == NominationStatus.WITH_NPO
        assert not Nomination.objects.filter(project=project, status=NominationStatus.SUBMITTED).exists()

        # The officer is told, reviews it and asks for a change.
        ready = wait_until(
            lambda: [m for m in journey.mail_to(OFFICER) if m.subject.startswith("For your review")],
            message="the officer's e-mail",
        )[0]
        desk.goto(link_in(ready, f"/nominations/{nomination.pk}/"))
        expect(desk.locator("#state")).to_have_text("With the NPO")
        expect(desk.locator("h1")).to_contain_text("රවී කුමාර")
        desk.get_by_role("link", name="Ask for a change").click()
        desk.get_by_label("What should the candidate change?").fill("Please give your full position title.")
        desk.get_by_role("button", name="Send the request").click()
        expect(desk.get_by_text("is asked for the change")).to_be_visible()

        # The candidate corrects it, from the e-mail's link.
        change = wait_until(
            lambda: [m for m in journey.mail_to(CANDIDATE) if m.subject.startswith("Please change")],
            message="the change request",
        )[0]
        phone.goto(link_in(change, f"/my-nomination/{nomination.pk}/"))
        expect(phone.locator("#candidate-state")).to_have_text("Draft")
        expect(phone.locator("#change-request")).to_contain_text("Please give your full position title.")
        journey.check(phone, "candidate-change-asked")
        phone.set_viewport_size(PHONE)
        phone.get_by_label("Position/title").fill("Senior Productivity Officer, Planning Division")
        phone.get_by_role("button", name="Send to my NPO").click()
        expect(phone.locator("#candidate-state")).to_have_text("With the NPO")

        # The officer endorses it: only now is it submitted by Sri Lanka.
        desk.reload()
        expect(desk.locator("#state")).to_have_text("With the NPO")
        desk.get_by_role("button", name="Endorse and submit").click()
        expect(desk.locator("#state")).to_have_text("Submitted")
        expect(desk.locator("#priority")).to_have_text("1")
        phone.reload()
        expect(phone.locator("#candidate-state")).to_have_text("Submitted by the NPO")
        expect(phone.get_by_role("link", name="Change my biodata")).to_be_visible()

        # Nominations close; the Secretariat selects and publishes.
        Project.objects.filter(pk=project.pk).update(nomination_deadline=timezone.now() - datetime.timedelta(minutes=1))
        endorsed = Nomination.objects.get(pk=nomination.pk)
        services.decide_nomination(nomination=endorsed, actor=secretariat, decision=Decision.SELECTED)
        phone.reload()
        expect(phone.locator("#candidate-state")).to_have_text("Submitted by the NPO")  # not before publication
        services.publish_selection(project=Project.objects.get(pk=project.pk), actor=secretariat)
        phone.reload()
        expect(phone.locator("#candidate-state")).to_have_text("Selected")
        expect(phone.get_by_role("link", name="Change my biodata")).to_have_count(0)
        journey.check(phone, "candidate-selected")
        # The same account is the participant's.
        assert Nomination.objects.get(pk=nomination.pk).participant.user.email == CANDIDATE

        # Their landing page lists their nomination, and nothing else.
        phone.get_by_role("link", name="APO workshop portal").click()
        expect(phone.locator("#role-candidate")).to_contain_text(project.title)
        phone.get_by_role("link", name=re.compile("Your nomination for")).click()
        expect(phone.locator("#candidate-state")).to_have_text("Selected")
        assert_reached_all(reached, "candidate")
    finally:
        phone_context.close()
