"""Seats confirmed, dropouts replaced, in the browser: the selection is published with a date to
confirm by, participants confirm, one declines, the Secretariat reminds the others and opens a
replacement window for that country, whose NPO officer nominates from their landing page; the
Secretariat selects the replacement, who confirms their seat."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apopms.models import User
from nominations.enums import Decision, ParticipantStatus
from nominations.models import Participant
from tests import factories

from .helpers import exactly, link_in, wait_until
from .reach import Reached
from .test_participant import accept_invitation

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

SEATS = {
    "nominations:seat_date",
    "nominations:seat_remind",
    "nominations:replacement_open",
    "nominations:replacement_decide",
    "nominations:seat",
    "nominations:seat_decline",
}


def decided_project():
    """Nominations closed ten days ago, three overseas nominees selected (two of India, one of Japan)."""
    today = timezone.localdate()
    project = factories.ProjectFactory(
        code="26-AG-DHK",
        title="Sustainable Productivity Models in Agriculture",
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=33),
        nomination_deadline=timezone.now() - datetime.timedelta(days=10),
        overseas_quota=3,
        local_quota=0,
        per_country_cap=2,
    )
    people = [("IN", "Priya Nair"), ("IN", "Arjun Mehta"), ("JP", "Kenji Sato")]
    for rank, (iso2, name) in enumerate(people, start=1):
        email = name.lower().replace(" ", ".") + "@example.org"
        factories.NominationFactory(
            project=project,
            country=factories.country(iso2),
            certificate_name=name,
            email=email,
            submitted=True,
            priority=rank,
            decision=Decision.SELECTED,
        )
    return project


def click(page, name, *, scope=None, role="link"):
    (scope or page).get_by_role(role, name=name, exact=True).first.click()
    page.wait_for_load_state()


def test_dropout_is_replaced_through_a_window_for_its_country(journey):
    project = decided_project()
    factories.secretariat_user(email="admin@apo.example")
    officer = factories.npo_officer("IN", email="officer@npo.in.example")
    factories.npo_officer("JP", email="officer@npo.jp.example")
    page = journey.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    reached = Reached(page)
    main = page.locator("main")

    # The Secretariat sets the date to confirm by, then publishes the selection.
    journey.login(page, "admin@apo.example")
    click(page, "Selection", scope=page.get_by_role("navigation", name="Main"))
    click(page, project.title)
    due = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label(re.compile("^Confirm by")).fill(due.isoformat())
    click(page, "Set the date", role="button")
    expect(page.locator("#seat-confirmation")).to_contain_text(f"the end of {due.day} {due:%B %Y}")
    click(page, "Publish selection")
    click(page, "Publish the selection", role="button")
    journey.logout(page)

    # Priya confirms from her landing page; Arjun follows the selection e-mail's link and declines.
    accept_invitation(journey, page, "priya.nair@example.org")
    click(page, "Confirm or decline your seat", scope=main)
    expect(page.locator("#seat-state")).to_contain_text("You have not confirmed your seat yet.")
    journey.check(page, "seat")
    click(page, "Confirm my seat", role="button")
    expect(page.locator("#seat-state")).to_contain_text("You confirmed your seat on")
    journey.logout(page)
    accept_invitation(journey, page, "arjun.mehta@example.org")
    invitation = wait_until(lambda: journey.mail_to("arjun.mehta@example.org"), message="Arjun's e-mail")[0]
    assert f"by the end of {due.day} {due:%B %Y}" in invitation.body
    page.goto(link_in(invitation, f"/projects/{project.code}/my-seat/"))
    click(page, "Decline my seat")
    journey.check(page, "seat-decline")
    page.get_by_label("Reason (optional)").fill("My ministry needs me that week.")
    click(page, "Yes, decline my seat", role="button")
    expect(page.locator("#seat-state")).to_contain_text("You declined your seat on")
    journey.logout(page)

    # The Secretariat sees who has not confirmed, reminds them, and opens India's replacement window.
    journey.login(page, "admin@apo.example")
    click(page, "Selection", scope=page.get_by_role("navigation", name="Main"))
    click(page, project.title)
    click(page, "Participants")
    expect(page.locator("#seat-confirmation")).to_contain_text("1 confirmed · 1 not confirmed · 1 declined.")
    click(page, "Remind the 1 who have not confirmed", role="button")
    expect(main).to_contain_text("A reminder is on its way to 1 participant.")
    wait_until(lambda: journey.mail_to("kenji.sato@example.org")[-1:], message="Kenji's reminder")
    click(page, "Replacement window for India")
    journey.check(page, "replacement-open")
    closing = timezone.localdate() + datetime.timedelta(days=7)
    page.get_by_label("Replacements allowed").fill("1")
    page.get_by_label(re.compile("^Last day for replacements")).fill(closing.isoformat())
    click(page, "Open the window and tell India's NPO", role="button")
    expect(page.locator("#replacements")).to_contain_text("India: up to 1 replacement until the end of")
    journey.logout(page)

    # India's officer, told by e-mail, nominates a replacement from the landing page.
    notice = wait_until(
        lambda: [m for m in journey.mail_to(officer.email) if m.subject.startswith("Replacement nominations")],
        message="the window's e-mail",
    )[0]
    assert "India may nominate up to 1 replacement until" in notice.body
    journey.login(page, officer.email)
    expect(page.locator(f"#replacement-{project.code}")).to_contain_text("Replacement window open")
    journey.check(page, "landing-npo-replacement")
    click(page, "Nominate a replacement", scope=page.locator("#role-npo"))
    expect(page.locator("#replacement-window")).to_contain_text("Open")
    click(page, "Nominate a replacement", scope=main)
    page.get_by_label("Name for the certificate").fill("Meera Iyer")
    page.get_by_label("Gender").select_option(label="Female")
    page.get_by_label("E-mail").fill("meera.iyer@example.org")
    page.get_by_label(exactly("Organization")).fill("Indian Council of Agricultural Research")
    page.get_by_label("Organization type").select_option(index=1)
    page.get_by_label("Position/title").fill("Senior Scientist")
    page.get_by_label(re.compile("The candidate was told what is collected")).check()
    click(page, "Save and submit", role="button")
    expect(page.locator("#state")).to_have_text("Submitted")
    journey.logout(page)

    # The Secretariat selects her; she accepts the invitation and confirms her seat.
    journey.login(page, "admin@apo.example")
    click(page, "Selection", scope=page.get_by_role("navigation", name="Main"))
    click(page, project.title)
    click(page, "Select Meera Iyer", role="button")
    expect(main).to_contain_text("Meera Iyer (India): selected and invited.")
    journey.logout(page)
    accept_invitation(journey, page, "meera.iyer@example.org")
    click(page, "Confirm or decline your seat", scope=main)
    click(page, "Confirm my seat", role="button")
    expect(page.locator("#seat-state")).to_contain_text("You confirmed your seat on")

    meera = Participant.objects.get(project=project, user=User.objects.get(email="meera.iyer@example.org"))
    assert meera.confirmed_at is not None
    statuses = dict(Participant.objects.filter(project=project).values_list("certificate_name", "status"))
    assert statuses == {
        "Priya Nair": ParticipantStatus.ACTIVE,
        "Arjun Mehta": ParticipantStatus.WITHDRAWN,
        "Kenji Sato": ParticipantStatus.ACTIVE,
        "Meera Iyer": ParticipantStatus.ACTIVE,
    }
    assert sorted(SEATS - reached.names) == []
