"""Journey 1: an NPO officer of India accepts an invitation, nominates, ranks and withdraws;
after the deadline the same pages refuse changes; Japan's nominations stay out of sight."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apopms.enums import InvitationPurpose
from apopms.models import Project
from apopms.services import invite_user
from nominations import services as nominations
from nominations.enums import NominationStatus
from nominations.models import Nomination
from tests import factories

from .helpers import PASSWORD, exactly, link_in, tiny_pdf, wait_until

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

OFFICER = "priya.nair@npcindia.gov.in"


def candidate(**overrides):
    data = {
        "certificate_name": "Vikram Desai",
        "native_name": "",
        "gender": "male",
        "date_of_birth": datetime.date(1984, 2, 11),
        "email": "vikram.desai@mof.gov.in",
        "phone": "+91 11 2309 2000",
        "organization": "Ministry of Finance",
        "organization_type": "ministry",
        "position": "Under Secretary",
        "years_experience": 12,
        "statement": "Leads the performance dashboard of the department.",
        "english_proficiency": "fluent",
    }
    data.update(overrides)
    return data


def existing_round():
    """An open project with two submitted Indian nominations (by a colleague) and one Japanese."""
    project = factories.ProjectFactory(code="26-PSP-NPO", title="Productivity of the Public Sector")
    colleague = factories.npo_officer("IN", email="rahul.verma@npcindia.gov.in", full_name="Rahul Verma")
    japan = factories.npo_officer("JP", email="kenji.sato@jpc-net.jp", full_name="Kenji Sato")
    mine = []
    for data in (
        candidate(),
        candidate(certificate_name="Meera Pillai", email="meera.pillai@kerala.gov.in", gender="female"),
    ):
        n = nominations.create_nomination(project=project, country=factories.country("IN"), actor=colleague, data=data)
        mine.append(nominations.submit_nomination(nomination=n, actor=colleague, notify=False))
    theirs = nominations.create_nomination(
        project=project,
        country=factories.country("JP"),
        actor=japan,
        data=candidate(certificate_name="Haruto Suzuki", email="h.suzuki@soumu.go.jp"),
    )
    return project, mine, theirs


def test_npo_officer_nominates_until_the_deadline(journey, tmp_path):
    project, (vikram, meera), japanese = existing_round()
    admin = factories.secretariat_user(email="aiko.tanaka@apo-tokyo.org", full_name="Aiko Tanaka")

    # The Secretariat invites Priya; the e-mail goes out through the Celery worker.
    invite_user(
        actor=admin,
        email=OFFICER,
        full_name="Priya Nair",
        purpose=InvitationPurpose.NPO_OFFICER,
        country=factories.country("IN"),
    )
    message = wait_until(lambda: journey.mail_to(OFFICER), message="the invitation e-mail")[0]
    page = journey.new_page()
    page.goto(link_in(message, "/accounts/invitation/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to the APO workshop portal")
    journey.check(page, "invitation")
    page.get_by_label(exactly("New password")).fill(PASSWORD)
    page.get_by_label("New password again").fill(PASSWORD)
    page.get_by_role("button", name="Set password and log in").click()
    expect(page.get_by_text("Your password is set and you are logged in")).to_be_visible()

    # Her country's projects, with the deadline in the project's zone and her own.
    page.get_by_role("link", name="Nominations", exact=True).first.click()
    expect(page.get_by_role("cell", name=re.compile(project.title))).to_be_visible()
    expect(page.get_by_text(re.compile(r"Open: closes in \d+ days"))).to_be_visible()
    expect(page.get_by_text("Your time:")).to_contain_text("Kolkata time")
    journey.check(page, "nominations-index")
    page.get_by_role("link", name=project.title).click()
    rows = page.locator("#nomination-table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#nomination-table")).not_to_contain_text("Haruto Suzuki")
    journey.check(page, "country-nominations")

    # A new nomination, saved as a draft with a CV.
    page.get_by_role("link", name="Nominate a candidate").click()
    cv = tmp_path / "Ananya Rao CV.pdf"
    cv.write_bytes(tiny_pdf("Ananya Rao, Curriculum vitae"))
    page.get_by_label("Name for the certificate").fill("Ananya Rao")
    page.get_by_label("Name in own script").fill("अनन्या राव")
    page.get_by_label("Gender").select_option(label="Female")
    page.get_by_label("Date of birth").fill("1988-06-30")
    page.get_by_label("E-mail").fill("ananya.rao@dopt.gov.in")
    page.get_by_label("Phone").fill("+91 11 2309 4848")
    page.get_by_label(exactly("Organization")).fill("Department of Personnel and Training")
    page.get_by_label("Organization type").select_option(label="Government ministry/agency")
    page.get_by_label("Position/title").fill("Deputy Secretary")
    page.get_by_label("Years of relevant experience").fill("9")
    page.get_by_label("Statement").fill("Runs the e-office performance indicators; will lead the roll-out plan.")
    page.get_by_label("English proficiency").select_option(label="Fluent")
    page.get_by_label("CV or biodata form").set_input_files(str(cv))
    expect(page.locator("#privacy-notice")).to_contain_text("How long it is kept")
    page.get_by_label(re.compile("The candidate was told what is collected")).check()
    journey.check(page, "nomination-form")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator("#state")).to_have_text("Draft")
    expect(page.locator("#cv-link")).to_have_text("Ananya Rao CV.pdf")
    ananya = Nomination.objects.get(email="ananya.rao@dopt.gov.in")
    with ananya.cv.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    with page.expect_download() as download:  # the file comes back to her NPO (and the download is audited)
        page.locator("#cv-link").click()
    assert download.value.path().read_bytes() == cv.read_bytes()

    # Submitted: priority 3, and the acknowledgement e-mail (sent by the worker).
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#state")).to_have_text("Submitted")
    expect(page.locator("#priority")).to_have_text("3")
    expect(page.locator("#history")).to_contain_text("Priya Nair")
    journey.check(page, "nomination-submitted")
    wait_until(lambda: len(journey.mail_to(OFFICER)) == 2, message="the acknowledgement e-mail")

    # Re-ranking: Ananya moves up twice and becomes the first choice.
    page.get_by_role("link", name=re.compile(r"^Nominations · ")).click()
    for place in (1, 0):  # htmx swaps the table in place after each move
        page.get_by_role("button", name="Move Ananya Rao up (higher priority)").click()
        expect(rows.nth(place)).to_contain_text("Ananya Rao")
    expect(rows.nth(0).locator("td").first).to_have_text("1")
    journey.check(page, "country-nominations-reranked")
    assert [
        n.certificate_name for n in Nomination.objects.filter(project=project, country__iso2="IN").order_by("priority")
    ] == ["Ananya Rao", "Vikram Desai", "Meera Pillai"]

    # Withdrawing Vikram: Meera moves up to 2.
    page.get_by_role("link", name="Vikram Desai").click()
    page.get_by_role("link", name="Withdraw").click()
    page.get_by_label("Reason (optional)").fill("Transferred to another ministry.")
    journey.check(page, "withdraw")
    page.get_by_role("button", name="Withdraw").click()
    expect(page.locator("#state")).to_have_text("Withdrawn")
    vikram.refresh_from_db()
    meera.refresh_from_db()
    assert vikram.status == NominationStatus.WITHDRAWN
    assert meera.priority == 2

    # Japan's nomination and its file are not there for her (404, nothing leaks).
    for url in (
        f"/nominations/{japanese.pk}/",
        f"/nominations/{japanese.pk}/cv/",
        f"/nominations/{japanese.pk}/edit/",
        f"/projects/{project.code}/attendance/country/JP/",
    ):
        assert page.goto(url).status == 404, url

    # The deadline passes: the same pages refuse every change.
    Project.objects.filter(pk=project.pk).update(nomination_deadline=timezone.now() - datetime.timedelta(minutes=1))
    page.goto(f"/projects/{project.code}/nominations/")
    expect(page.locator("#deadline")).to_contain_text("closed")
    expect(page.get_by_text("Nominations are closed: nothing can be added, changed or re-ranked")).to_be_visible()
    expect(page.get_by_role("link", name="Nominate a candidate")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Move .* (up|down)"))).to_have_count(0)
    journey.check(page, "country-nominations-closed")
    page.goto(f"/nominations/{meera.pk}/")
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    expect(page.get_by_role("link", name="Withdraw")).to_have_count(0)
    page.goto(f"/nominations/{meera.pk}/edit/")
    expect(page.get_by_text("Nominations are closed. Nothing can be added or changed")).to_be_visible()
    expect(page.locator("form[enctype]")).to_have_count(0)
    journey.check(page, "edit-closed")

    # A request forged past the pages changes nothing either.
    csrf = next(c["value"] for c in journey.context.cookies() if c["name"] == "csrftoken")
    before = list(Nomination.objects.filter(project=project).order_by("pk").values_list("status", "priority"))
    for action, form in (("move", {"direction": "up"}), ("withdraw", {"reason": "late"})):
        response = journey.context.request.post(
            f"/nominations/{meera.pk}/{action}/", form=form, headers={"X-CSRFToken": csrf}, max_redirects=0
        )
        assert response.status == 302, (action, response.status)
    page.goto(f"/nominations/{meera.pk}/")
    expect(page.locator(".alert-danger").first).to_contain_text("closed")
    after = list(Nomination.objects.filter(project=project).order_by("pk").values_list("status", "priority"))
    assert after == before
    assert Nomination.objects.get(pk=meera.pk).status == NominationStatus.SUBMITTED
