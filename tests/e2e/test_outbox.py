"""Journey: the Secretariat writes to the participants who missed a session, previews the messages,
sends them, and sees them in the outbox as sent."""

import pytest
from playwright.sync_api import expect

from apopms.enums import OutboxCause, OutboxStatus
from apopms.models import OutboxMessage
from sessions.models import Attendance
from tests import factories

from .helpers import wait_until
from .test_secretariat import finished_workshop

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def test_secretariat_writes_to_the_participants_who_missed_a_session(journey):
    project, (day1, day2), people = finished_workshop()
    for person in people.values():
        for session in (day1, day2):
            missed = person.certificate_name in {"Budi Santoso", "Daisuke Kimura"} and session == day2
            factories.AttendanceFactory(participant=person, session=session, present=not missed)
    assert Attendance.objects.filter(present=False).count() == 2
    admin = factories.secretariat_user(email="aiko.tanaka@apo-tokyo.org", full_name="Aiko Tanaka")
    page = journey.new_page()
    journey.login(page, admin.email)

    page.get_by_role("link", name="Outbox").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outbox")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Manage projects").click()
    page.get_by_role("link", name=project.title).click()
    page.get_by_role("navigation", name=f"Project {project.code}").get_by_role("link", name="E-mails").click()
    page.get_by_role("link", name="Write to an audience").click()
    page.get_by_label("Audience").select_option(label="Participants who missed a session")
    page.get_by_label("Subject").fill("Your certificate for {project}")
    page.get_by_label("Message").fill("Dear {name},\n\nyou missed a session of {project}. See {link}")
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_role("heading", name="Preview: 2 recipients")).to_be_visible()
    preview = page.locator("article.outbox-preview")
    expect(preview).to_have_count(2)
    expect(preview.nth(0)).to_contain_text("Dear Budi Santoso,")
    expect(preview.nth(1)).to_contain_text("Dear Daisuke Kimura,")
    expect(page.get_by_text("Anjali Sharma")).to_have_count(0)
    journey.check(page, "outbox-write-preview")
    page.get_by_role("button", name="Send 2 messages").click()

    expect(page.get_by_text("2 messages are in the outbox")).to_be_visible()
    wait_until(
        lambda: OutboxMessage.objects.filter(cause=OutboxCause.MESSAGE, status=OutboxStatus.SENT).count() == 2,
        message="both messages sent by the worker",
    )
    page.reload()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.get_by_text("Sent", exact=True)).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Written by the Secretariat")
    journey.check(page, "outbox-sent")
    page.get_by_role("link", name=f"Your certificate for {project.title} ({project.code})").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your certificate for {project.title} ({project.code})")
    expect(page.locator("pre")).to_contain_text("you missed a session of")
    journey.check(page, "outbox-message")
    assert sorted(m.to[0] for m in journey.mail_to("budi.santoso@menpan.go.id")) == ["budi.santoso@menpan.go.id"]
