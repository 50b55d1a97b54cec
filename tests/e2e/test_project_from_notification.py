"""Journey: the Secretariat pastes a notification, reviews what was read from it, corrects one field
and saves the project."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from apopms.models import Project
from tests import factories

from .helpers import exactly

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The seed's notification as its 2027 edition would read (the portal refuses closing dates in the past).
SEED = Path(__file__).parent.parent / "apopms" / "notifications" / "seed_22_psp_dmc.txt"


def test_secretariat_creates_a_project_by_pasting_its_notification(journey):
    text = SEED.read_text(encoding="utf-8").replace("2022", "2027").replace("Public Sector", "Public Sectr")
    admin = factories.secretariat_user(email="aiko.tanaka@apo-tokyo.org", full_name="Aiko Tanaka")
    page = journey.new_page()
    journey.login(page, admin.email)

    page.get_by_role("link", name="Manage projects").first.click()
    page.get_by_role("link", name="New project from its notification").click()
    page.get_by_label("The notification's text").fill(text)
    journey.check(page, "paste-notification")
    page.get_by_role("button", name="Read the notification").click()

    expect(page.get_by_text("15 fields read from the notification.")).to_be_visible()
    expect(page.get_by_text("Not recognised, to fill in by hand: Project code.")).to_be_visible()
    expect(page.get_by_text("Read from line 5: “24-26 August 2027 (three days)”").first).to_be_visible()
    expect(page.get_by_label(exactly("Title"))).to_have_value("Productivity of the Public Sectr")
    expect(page.get_by_label(exactly("Host country"))).to_have_value(str(factories.country("LK").pk))
    journey.check(page, "paste-notification-review")

    page.get_by_label(exactly("Code")).fill("27-PS-01-GE-DMC-A")
    page.get_by_label(exactly("Title")).fill("Productivity of the Public Sector")  # the typo in the PDF, corrected
    page.get_by_role("button", name="Create draft").click()

    expect(page.get_by_text("27-PS-01-GE-DMC-A was created as a draft from its notification.")).to_be_visible()
    project = Project.objects.get(code="27-PS-01-GE-DMC-A")
    assert project.title == "Productivity of the Public Sector"
    assert str(project.start_date) == "2027-08-24" and str(project.closing_date) == "2027-08-03"
    assert (project.overseas_quota, project.local_quota) == (38, 12)
    assert len(project.topics_by_day) == 3
