"""Journey 2: a Secretariat admin runs a workshop in the browser.

Two halves, each set up through factories so it stays focused: the round (project,
invitations, nominations, selection, programme) and closing the workshop after its
sessions (attendance import and correction, certificates).
"""

import datetime
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apopms.models import Project
from certificates.models import Certificate
from sessions.models import Attendance
from sessions.services import mark_attendance
from tests import factories

from .helpers import exactly, wait_until

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
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
    from sessions.selectors import attendance_cell

    session.project = participant.project
    return attendance_cell(participant, session).dom_id


NOMINEES = [
    # country, name, e-mail (submitted by the country's NPO officer in this order of priority)
    ("IN", "Ananya Rao", "ananya.rao@dopt.gov.in"),
    ("IN", "Vikram Desai", "vikram.desai@mof.gov.in"),
    ("ID", "Siti Rahayu", "siti.rahayu@menpan.go.id"),
    ("ID", "Agus Salim", "agus.salim@lan.go.id"),
    ("TH", "Somchai Wongsawat", "somchai.wong@opdc.go.th"),
    ("PH", "Maria Clara Santos", "mc.santos@csc.gov.ph"),
    ("LK", "Kumari Perera", "kumari.perera@pubad.gov.lk"),
    ("LK", "Nimal Fernando", "nimal.fernando@pubad.gov.lk"),
]


def nominations_arrive(project, nominees=NOMINEES):
    """The NPOs nominate through the nominations service while the round is open."""
    from nominations import services as nominations

    officers = {}
    for iso2, name, email in nominees:
        if iso2 not in officers:
            officers[iso2] = factories.npo_officer(iso2, email=f"officer.{iso2.lower()}@npo.example")
        data = {
            "certificate_name": name,
            "native_name": "",
            "gender": "female",
            "date_of_birth": None,
            "email": email,
            "phone": "",
            "organization": "Ministry of Public Administration",
            "organization_type": "ministry",
            "position": "Director",
            "years_experience": 10,
            "statement": "",
            "english_proficiency": "good",
        }
        nomination = nominations.create_nomination(
            project=project, country=factories.country(iso2), actor=officers[iso2], data=data
        )
        nominations.submit_nomination(nomination=nomination, actor=officers[iso2], notify=False)
    return officers


def _told(journey, subject_part):
    """Who got an e-mail whose subject contains `subject_part` (sorted, repeats kept)."""
    from django.core import mail

    return sorted(a.lower() for m in mail.outbox if subject_part.lower() in m.subject.lower() for a in m.to)


def _wait_notified(project, number):
    from apopms.enums import OutboxStatus
    from apopms.models import OutboxMessage
    from sessions.models import ProgrammeVersion

    version = ProgrammeVersion.objects.get(project=project, number=number)
    notices = OutboxMessage.objects.filter(key__startswith=f"{ProgrammeVersion.NOTICE_KEY}{version.pk}:")
    wait_until(
        lambda: notices.exists() and not notices.exclude(status=OutboxStatus.SENT).exists(),
        message=f"the worker to send the e-mails of programme version {number}",
    )


def test_secretariat_runs_a_round(journey):
    from sessions import services as programme
    from sessions.models import Session
    from sessions.services import programme_notice_recipients

    admin = factories.secretariat_user(email="aiko.tanaka@apo-tokyo.org", full_name="Aiko Tanaka")
    page = journey.new_page()
    journey.login(page, admin.email)
    today = timezone.localdate()

    # A new project, created and issued in the portal.
    page.goto("/manage/projects/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("New project")
    page.get_by_label(exactly("Code")).fill("26-DMC-E2E")
    page.get_by_label(exactly("Title")).fill("Digital Transformation of Public Services")
    page.get_by_label(exactly("Host country")).select_option(label="Sri Lanka")
    page.get_by_label(exactly("Implementing organizations")).fill("National Productivity Secretariat, Sri Lanka")
    taking_part = {"India", "Indonesia", "Thailand", "Philippines", "Sri Lanka", "Japan"}
    for box in page.locator("#div_id_participating_countries").get_by_role("checkbox").all():
        label = box.evaluate("el => el.labels[0].textContent.trim()")
        box.set_checked(label in taking_part)
    page.get_by_label(exactly("Start date")).fill((today + datetime.timedelta(days=40)).isoformat())
    page.get_by_label(exactly("End date")).fill((today + datetime.timedelta(days=41)).isoformat())
    page.get_by_label(exactly("Time zone")).select_option("Asia/Colombo")
    page.get_by_label(exactly("Closing date for nominations")).fill((today + datetime.timedelta(days=20)).isoformat())
    page.get_by_label(exactly("Overseas quota")).fill("3")
    page.get_by_label(exactly("Local quota")).fill("1")
    page.get_by_label(exactly("Per country cap")).fill("1")
    journey.check(page, "project-form")
    page.get_by_role("button", name="Create draft").click()
    expect(page.locator("#phase")).to_have_text("Draft")
    page.get_by_role("button", name="Issue the notification").click()
    expect(page.locator("#phase")).to_have_text("Nominations open")
    journey.check(page, "project-manage")
    project = Project.objects.get(code="26-DMC-E2E")
    assert project.per_country_cap == 1 and project.participating_countries.count() == 6

    # An NPO officer of Thailand is invited; the invitation goes out once, through the worker.
    page.goto("/manage/people/")
    page.get_by_label(exactly("Full name")).fill("Chayanin Srisuk")
    page.get_by_label(exactly("E-mail address")).fill("chayanin.s@ftpi.or.th")
    page.get_by_label(exactly("Member country (NPO)")).select_option(label="Thailand")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("An invitation was sent to chayanin.s@ftpi.or.th (Thailand).")).to_be_visible()
    expect(page.locator("#country-TH").locator("..")).to_contain_text("chayanin.s@ftpi.or.th")
    journey.check(page, "people")
    wait_until(lambda: journey.mail_to("chayanin.s@ftpi.or.th"), message="the NPO officer's invitation")

    # Nominations arrive; the Secretariat reviews them, filtered by country.
    officers = nominations_arrive(project)
    page.goto(f"/projects/{project.code}/nominations/")
    expect(page.get_by_role("heading", name="Nominations (8)")).to_be_visible()
    page.get_by_label(exactly("Country")).select_option(label="India")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name="Nominations (2)")).to_be_visible()
    journey.check(page, "nominations-review")

    # The deadline passes. "Propose selection" fills the seats one country per round.
    Project.objects.filter(pk=project.pk).update(nomination_deadline=timezone.now() - datetime.timedelta(minutes=1))
    page.goto(f"/projects/{project.code}/selection/")
    journey.check(page, "selection-board")
    page.get_by_role("link", name="Propose selection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposed selection")
    journey.check(page, "selection-proposal")
    page.get_by_role("button", name=re.compile(r"^Confirm: select 4, reserve")).click()
    expect(page.get_by_text("Proposal confirmed: 4 selected")).to_be_visible()
    expect(page.locator("#counter-overseas")).to_have_text("3 / 3")
    expect(page.locator("#counter-local")).to_have_text("1 / 1")

    # Adjusted by hand: Kumari Perera (the host's first choice) gives her seat to Nimal Fernando.
    kumari = page.locator("#country-LK")
    expect(kumari.get_by_role("row", name=re.compile("Kumari Perera"))).to_contain_text("Selected")
    kumari.get_by_role("button", name="Undo decision on Kumari Perera").click()
    expect(page.locator("#counter-local")).to_have_text("0 / 1")
    page.locator("#country-LK").get_by_role("button", name="Select Nimal Fernando").click()
    expect(page.locator("#counter-local")).to_have_text("1 / 1")
    expect(page.locator("#country-LK").get_by_role("row", name=re.compile("Nimal Fernando"))).to_contain_text(
        "Selected"
    )
    journey.check(page, "selection-adjusted")

    # Published: participants are made and invited (once each).
    page.get_by_role("link", name="Publish selection").click()
    journey.check(page, "selection-publish")
    page.get_by_role("button", name=re.compile(r"^Publish the selection")).click()
    expect(page.get_by_text("The selection is published")).to_be_visible()
    selected = list(project.participants.values_list("user__email", flat=True))
    assert len(selected) == 4 and "nimal.fernando@pubad.gov.lk" in selected
    for email in selected:
        wait_until(lambda email=email: journey.mail_to(email), message=f"the invitation to {email}")
    # Each NPO that nominated gets one e-mail with its country's results, through the worker.
    for iso2, officer in officers.items():
        results = wait_until(
            lambda officer=officer: [m for m in journey.mail_to(officer.email) if "Selection results" in m.subject],
            message=f"the selection results for {iso2}",
        )
        assert len(results) == 1, (iso2, [m.subject for m in results])

    # The programme: two sessions drafted, then announced with the participants.
    for day in range(2):
        begins = datetime.datetime.combine(
            project.start_date + datetime.timedelta(days=day), datetime.time(10, 0), tzinfo=project.zone
        )
        programme.create_session(
            project=project,
            actor=admin,
            title=f"Day {day + 1}",
            start_at=begins,
            end_at=begins + datetime.timedelta(hours=3),
        )
    page.goto(f"/projects/{project.code}/programme/manage/")
    page.get_by_role("link", name="Announce the programme…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Announce the programme")
    journey.check(page, "programme-announce")
    page.get_by_role("button", name="Announce").click()
    expect(page.get_by_text("Programme announced with the selected participants")).to_be_visible()
    expect(page.locator("#participants-heading").locator("..")).to_contain_text("Nimal Fernando")
    journey.check(page, "programme-announced")
    # The worker tells the NPO officers and the participants, each once.
    recipients = sorted(email.lower() for email, _, _ in programme_notice_recipients(project))
    assert set(selected) <= set(recipients) and "chayanin.s@ftpi.or.th" in recipients
    _wait_notified(project, 1)
    assert _told(journey, "programme announced") == recipients
    for email in selected:  # each participant was invited exactly once
        assert len([m for m in journey.mail_to(email) if "/accounts/invitation/" in m.body]) == 1, email
    # The names are for the project's NPOs and participants: a visitor sees the programme without them.
    visitor = journey.context.browser.new_context(base_url=journey.base_url)
    try:
        public = visitor.new_page()
        public.goto(f"/projects/{project.code}/programme/")
        expect(public.get_by_role("heading", name="Day 1", exact=True)).to_be_visible()
        expect(public.locator("main")).not_to_contain_text("Nimal Fernando")
    finally:
        visitor.close()
    # Pressing "Publish" again with nothing changed sends nothing.
    page.goto(f"/projects/{project.code}/programme/publish/")
    expect(page.get_by_text("Nothing changed since version 1.")).to_be_visible()

    # After publication, day 1 moves by half an hour: a new version with its change note.
    day1 = Session.objects.get(project=project, title="Day 1")
    page.goto(f"/projects/{project.code}/programme/manage/")
    page.get_by_role("link", name="Change Day 1").click()
    page.get_by_label(re.compile(r"^\s*Starts at")).fill("10:30")
    page.get_by_label(re.compile(r"^\s*Ends at")).fill("13:30")
    journey.check(page, "session-edit")
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.get_by_role("link", name="Publish these changes…").click()
    journey.check(page, "programme-publish-update")
    page.get_by_label(exactly("What changed")).fill("Day 1 starts half an hour later, at 10:30 Colombo time.")
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.get_by_text("Updated on")).to_be_visible()
    changes = page.get_by_role("region", name="What changed in version 2")
    expect(changes).to_contain_text("Day 1 starts half an hour later")
    expect(page.locator(f"#session-{day1.pk} .time-project")).to_contain_text("10:30–13:30")
    journey.check(page, "programme-updated")
    _wait_notified(project, 2)
    assert _told(journey, "programme updated (version 2)") == recipients
    time.sleep(1)  # and nothing more arrives: each publication is told once
    assert _told(journey, "programme announced") == recipients
    assert _told(journey, "programme updated (version 2)") == recipients


def test_secretariat_is_stopped_from_saving_another_sessions_report(journey, tmp_path):
    """Day 1's report uploaded for Day 2, with a crowd of observers: the page stays small, the
    observers are ignored at once, a certificate at stake is named, and saving needs the box ticked."""
    from sessions.models import AttendanceImport
    from sessions.selectors import attendance_cell
    from sessions.services import confirm_attendance_import, upload_attendance_report
    from sessions.views.imports import UNMATCHED_SHOWN

    project, (day1, day2), people = finished_workshop()
    admin = factories.secretariat_user(email="aiko.tanaka@apo-tokyo.org", full_name="Aiko Tanaka")
    for participant in people.values():
        mark_attendance(participant=participant, session=day1, present=True, actor=admin)
    right = zoom_report(day2, [(name, p.nomination.email, 0, 180) for name, p in people.items()])
    imp, _ = upload_attendance_report(
        session=day2, data=right, file_name="d2.csv", time_zone="Asia/Colombo", actor=admin
    )
    confirm_attendance_import(attendance_import=imp, actor=admin)
    Certificate.objects.create(
        participant=people["Budi Santoso"],
        project=project,
        serial=1,
        number="E2E-1",
        verification_code="e2e1",
        snapshot={},
        pdf="x",
    )
    # Anjali stayed connected through the night, so hers is the one connection within Day 2.
    rows = [(name, p.nomination.email, 0, 180) for name, p in people.items()]
    rows[0] = (rows[0][0], rows[0][1], 0, 24 * 60 + 180)
    rows += [(f"Observer {n:02}", "", 0, 120) for n in range(40)]
    report = tmp_path / "day1-participants.csv"
    report.write_bytes(zoom_report(day1, rows))

    page = journey.new_page()
    journey.login(page, admin.email)
    page.goto(f"/projects/{project.code}/attendance/import/")
    page.get_by_label("Session").select_option(label=f"Day 2 ({day2.start_at.astimezone(project.zone):%d %b %Y %H:%M})")
    page.get_by_label("Zoom participant report (CSV)").set_input_files(str(report))
    page.get_by_role("button", name="Read the report").click()
    expect(page.get_by_role("heading", name="Names to resolve (40)")).to_be_visible()
    expect(page.locator("select[name^='map:']")).to_have_count(UNMATCHED_SHOWN)
    expect(page.get_by_text("The report's meeting started at")).to_be_visible()
    journey.check(page, "wrong-report-names")
    page.get_by_role("button", name="Ignore all remaining unmatched names (40)").click()
    expect(page.get_by_text("40 name(s) resolved")).to_be_visible()
    expect(page.locator("#certificate-losses")).to_contain_text("Budi Santoso")
    page.get_by_role("button", name="Confirm and save").click()  # the box is required: nothing is sent
    assert AttendanceImport.objects.filter(status="preview").count() == 1
    journey.check(page, "wrong-report-acknowledge")
    page.get_by_label(re.compile("3 participants now present will be marked absent")).check()
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.get_by_text("Saved: 1 present of 4 participants")).to_be_visible(timeout=30_000)
    assert attendance_cell(people["Anjali Sharma"], day2).present is True
    assert attendance_cell(people["Budi Santoso"], day2).present is False
