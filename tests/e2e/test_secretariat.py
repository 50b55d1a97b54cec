"""Journey 2: a Secretariat admin runs a workshop in the browser.

Two halves, each set up through factories so it stays focused: the round (project,
invitations, nominations, selection, programme) and closing the workshop after its
sessions (attendance import and correction, certificates).
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apopms.models import Project
from certificates.models import Certificate
from sessions.attendance import mark_attendance
from sessions.models import Attendance
from tests import factories

from .helpers import exactly, wait_until

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def zoom_report(session, rows):
    """A Zoom meeting participants report with its metadata block (times in the project's zone).

    `rows`: (display name, e-mail, minutes after the start joined, minutes after the start left)."""
    zone = session.project.zone

    def at(minutes):
        return (
            (session.start_at + datetime.timedelta(minutes=minutes)).astimezone(zone).strftime("%m/%d/%Y %I:%M:%S %p")
        )

    lines = [
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants",
        f"812 3456 7890,{session.project.title} {session.title},{at(-10)},{at(185)},host@apo-tokyo.org,195,{len(rows)}",
        "",
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent",
    ]
    for name, email, joined, left in rows:
        lines.append(f"{name},{email},{at(joined)},{at(left)},{left - joined},{'No' if email else 'Yes'},Yes")
    return ("\n".join(lines) + "\n").encode()


def finished_workshop():
    """A digital workshop that ended last week: two sessions, four participants."""
    start = timezone.localdate() - datetime.timedelta(days=9)
    project = factories.ProjectFactory(
        code="26-PSP-E2E",
        title="Productivity of the Public Sector",
        start_date=start,
        end_date=start + datetime.timedelta(days=1),
        nomination_deadline=Project.deadline_for(start - datetime.timedelta(days=21), "Asia/Colombo"),
        selection_published_at=timezone.now() - datetime.timedelta(days=20),
        programme_published_at=timezone.now() - datetime.timedelta(days=20),
    )
    sessions = [
        factories.SessionFactory(
            project=project,
            title=f"Day {day + 1}",
            start_at=datetime.datetime.combine(
                start + datetime.timedelta(days=day), datetime.time(10, 0), tzinfo=project.zone
            ),
        )
        for day in range(2)
    ]
    people = {}
    for iso2, name, email in [
        ("IN", "Anjali Sharma", "anjali.sharma@dopt.gov.in"),
        ("ID", "Budi Santoso", "budi.santoso@menpan.go.id"),
        ("TH", "Chayanin Srisuk", "chayanin.s@opdc.go.th"),
        ("JP", "Daisuke Kimura", "d.kimura@soumu.go.jp"),
    ]:
        people[name] = factories.ParticipantFactory(
            nomination__project=project,
            nomination__country=factories.country(iso2),
            nomination__certificate_name=name,
            nomination__email=email,
        )
    return project, sessions, people


def test_secretariat_closes_the_workshop(journey, tmp_path):
    project, (day1, day2), people = finished_workshop()
    admin = factories.secretariat_user(email="aiko.tanaka@apo-tokyo.org", full_name="Aiko Tanaka")
    page = journey.new_page()
    journey.login(page, admin.email)

    # The attendance grid before anything is recorded.
    page.goto(f"/projects/{project.code}/attendance/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Attendance")
    expect(page.locator("table.attendance-grid tbody tr")).to_have_count(4)
    journey.check(page, "attendance-grid-empty")

    # Import the Zoom report of day 1: Anjali by e-mail (she dropped and rejoined), Budi by his
    # name, "Chai's iPad" matches nobody until the admin says who it is, a guest speaker is
    # ignored, and Daisuke is not in the report at all.
    report = tmp_path / "day1-participants.csv"
    report.write_bytes(
        zoom_report(
            day1,
            [
                ("Anjali Sharma", "anjali.sharma@dopt.gov.in", -5, 70),
                ("Anjali Sharma", "anjali.sharma@dopt.gov.in", 72, 181),
                ("Budi Santoso (Budi)", "", 0, 178),
                ("Chai's iPad", "", 2, 180),
                ("Prof. Guest Speaker", "", 30, 90),
            ],
        )
    )
    page.get_by_role("link", name="Import a Zoom report").click()
    page.get_by_label("Session").select_option(label=f"Day 1 ({day1.start_at.astimezone(project.zone):%d %b %Y %H:%M})")
    page.get_by_label("Zoom participant report (CSV)").set_input_files(str(report))
    journey.check(page, "attendance-import-upload")
    page.get_by_role("button", name="Read the report").click()

    expect(page.get_by_role("heading", name="Names to resolve (2)")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm and save")).to_be_disabled()
    journey.check(page, "attendance-import-preview-unmatched")
    page.get_by_label("Who is Chai's iPad").select_option(label="Chayanin Srisuk (Thailand)")
    page.get_by_label("Who is Prof. Guest Speaker").select_option(label="Ignore (guest, speaker or staff)")
    page.get_by_role("button", name="Save these choices").click()
    expect(page.get_by_text("2 name(s) resolved")).to_be_visible()
    expect(page.get_by_role("heading", name="Per participant (3 present of 4)")).to_be_visible()
    journey.check(page, "attendance-import-preview-resolved")

    page.get_by_role("button", name="Confirm and save").click()
    # Saved by the Celery worker; the progress page follows it until it is done.
    expect(page.get_by_text("Saved: 3 present of 4 participants")).to_be_visible(timeout=30_000)
    page.reload()  # the page as it stays once saved (no more refreshing)
    journey.check(page, "attendance-import-saved")
    page.get_by_role("link", name="Back to the grid").click()

    def cell(name, session):
        return page.locator(f"#{_cell_id(people[name], session)}")

    expect(cell("Anjali Sharma", day1)).to_contain_text("Present")
    expect(cell("Chayanin Srisuk", day1)).to_contain_text("Present")
    expect(cell("Daisuke Kimura", day1)).to_contain_text("Absent")

    # Budi's camera was off after the first minutes: the admin corrects the imported value,
    # which asks for a reason (htmx, in place).
    page.get_by_role("button", name=re.compile(r"^Mark absent\s*: Budi Santoso, Day 1$")).click()
    reason = cell("Budi Santoso", day1).get_by_label("Reason for marking absent")
    expect(reason).to_be_focused()
    reason.fill("Left after 15 minutes; the connection stayed open (host's note)")
    cell("Budi Santoso", day1).get_by_role("button", name="Save").click()
    expect(cell("Budi Santoso", day1)).to_contain_text("Absent")
    expect(cell("Budi Santoso", day1)).to_contain_text("by hand, Aiko Tanaka")
    expect(cell("Budi Santoso", day1)).to_contain_text("Left after 15 minutes")
    budi = Attendance.objects.get(participant=people["Budi Santoso"], session=day1)
    assert not budi.present and budi.changed_by == admin and budi.reason.startswith("Left after 15 minutes")
    journey.check(page, "attendance-grid-corrected")

    # Day 2 had no report: the host marked it by hand (Anjali here, the others by the service).
    page.get_by_role("button", name=re.compile(r"^Mark present\s*: Anjali Sharma, Day 2$")).click()
    expect(cell("Anjali Sharma", day2)).to_contain_text("Present")
    for name in ("Budi Santoso", "Chayanin Srisuk"):
        mark_attendance(participant=people[name], session=day2, present=True, actor=admin)

    # Certificates: Anjali and Chayanin attended every session. The worker renders them while
    # the counters refresh by themselves.
    page.goto(f"/projects/{project.code}/certificates/")
    expect(page.locator("#count-eligible")).to_have_text("2")
    expect(page.locator("#count-issued")).to_have_text("0")
    journey.check(page, "certificates-before")
    page.get_by_role("button", name="Issue certificates").click()
    expect(page.get_by_text("Issuing started")).to_be_visible()
    expect(page.locator("#count-issued")).to_have_text("2", timeout=90_000)
    expect(page.locator("#certificate-progress")).to_contain_text("Last batch finished", timeout=30_000)
    expect(page.locator("#count-failed")).to_have_text("0")
    journey.check(page, "certificates-progress-done")
    page.reload()  # the list below the counters is not refreshed by htmx
    issued = page.locator("#certificates tbody tr")
    expect(issued).to_have_count(2)
    for name in ("Anjali Sharma", "Chayanin Srisuk"):
        expect(page.locator("#certificates")).to_contain_text(name)
        wait_until(
            lambda name=name: journey.mail_to(people[name].user.email), message=f"the certificate e-mail to {name}"
        )
    assert not journey.mail_to(people["Budi Santoso"].user.email)
    journey.check(page, "certificates-issued")

    # One is revoked, with a reason; it stays listed as revoked.
    chayanin = Certificate.objects.get(participant=people["Chayanin Srisuk"])
    issued.filter(has_text="Chayanin Srisuk").get_by_role("link", name="Revoke", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Revoke certificate {chayanin.number}")
    page.get_by_label(exactly("Reason for revoking")).fill("Attendance of day 1 was recorded for the wrong person.")
    journey.check(page, "certificate-revoke")
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text(f"Certificate {chayanin.number} revoked.")).to_be_visible()
    expect(issued.filter(has_text="Chayanin Srisuk")).to_contain_text("Revoked")
    expect(issued.filter(has_text="Anjali Sharma")).to_contain_text("Valid")
    chayanin.refresh_from_db()
    assert chayanin.revoked_at is not None and chayanin.revoked_by == admin
    journey.check(page, "certificates-revoked")


def _cell_id(participant, session):
    from sessions.attendance import attendance_cell

    session.project = participant.project
    return attendance_cell(participant, session).dom_id
