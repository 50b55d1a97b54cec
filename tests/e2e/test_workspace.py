"""Journeys of the workspace: each role starts at its landing page and reaches its pages by clicking.

axe-core and the phone width are checked on the new pages (landing pages, hub and dashboard,
error page); screenshots go to tests/e2e/screenshots/<test name>/.
"""

import csv
import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from apopms.enums import InvitationPurpose, OutboxCause, OutboxStatus, Role
from apopms.models import Membership, OutboxMessage
from apopms.services import invite_user
from certificates.models import Certificate
from certificates.services import issue_certificate
from evaluations.services import set_up_questionnaire
from nominations import services as nomination_services
from nominations.enums import Decision, Gender, OrganizationType
from nominations.models import Nomination, ReplacementWindow
from sessions.models import AgendaItem, ResourcePerson
from sessions.services import announce_programme
from tests import factories

from .evaluation_steps import participant_answers_the_evaluation, secretariat_runs_the_evaluation
from .helpers import PASSWORD, exactly, tiny_pdf, wait_until
from .reach import MAY_USE, Reached
from .test_secretariat import _cell_id, finished_workshop, zoom_report

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


# Patterns a role may use that its journey does not reach by clicking yet, each with what is
# missing. The list only shrinks: a pattern a journey reaches must come off it (see assert_reached_all).
NOT_YET_SECRETARIAT = set()
NOT_YET_IMPLEMENTER = set()
NOT_YET_NPO_OFFICER = set()
NOT_YET_PARTICIPANT = set()

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
    assert set(not_yet) <= may_use, f"not {role}'s patterns: {sorted(set(not_yet) - may_use)}"
    stale = sorted(set(not_yet) & reached.names)
    assert stale == [], f"{role} now reaches {stale}: take them off its not-yet list"


def certificate_for(user=None):
    """A one-session workshop that ended three weeks ago and the certificate of one participant
    (`user`, or a new one) who attended it."""
    now = timezone.now()
    start = timezone.localdate() - datetime.timedelta(days=21)
    project = factories.ProjectFactory(
        code="26-WS-DONE",
        title="Lean Basics",
        start_date=start,
        end_date=start,
        nomination_deadline=now - datetime.timedelta(days=50),
        selection_published_at=now - datetime.timedelta(days=40),
    )
    session = factories.SessionFactory(
        project=project,
        title="Day 1",
        start_at=now - datetime.timedelta(days=21),
        end_at=now - datetime.timedelta(days=21, hours=-3),
    )
    kwargs = {"user": user, "nomination__email": user.email} if user else {}
    participant = factories.ParticipantFactory(nomination__project=project, **kwargs)
    factories.AttendanceFactory(participant=participant, session=session, present=True)
    return issue_certificate(participant=participant, actor=factories.secretariat_user())


def account_pages(page, certificate=None):
    """The footer's pages: changing one's password (the form sent by its button), verifying a
    certificate (with the code printed on `certificate`, if given)."""
    footer = page.locator("footer")
    click(page, "Change your password", scope=footer)
    page.get_by_label(exactly("Old password")).fill(PASSWORD)
    page.get_by_label(exactly("New password")).fill(PASSWORD + " again")
    page.get_by_label(exactly("New password confirmation")).fill(PASSWORD + " again")
    click(page, "Change password", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password was changed")
    click(page, "All workshops", scope=footer)
    click(page, "Personal data", scope=footer)
    expect(page.get_by_role("heading", level=1)).to_have_text("Personal data")
    click(page, "Verify a certificate", scope=footer)
    if certificate is not None:
        page.get_by_label(exactly("Verification code")).fill(certificate.verification_code)
        click(page, "Verify the code", role="button")
        expect(page.locator("main")).to_contain_text(certificate.number)


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


def secretariat_closes_a_workshop(page, journey, reached, tmp_path, closing):
    """From the project list to a finished workshop's attendance and certificates, by clicking."""
    project, (day1, day2), people = closing
    click(page, "Manage projects", scope=page.get_by_role("navigation", name="Main"))
    click(page, project.title)
    nav = page.get_by_role("navigation", name=f"Project {project.code}")
    click(page, "Attendance", scope=nav)
    for name in ("Export XLSX", "Export CSV"):
        with page.expect_download():
            page.get_by_role("link", name=name, exact=True).click()
    click(page, "Set minimum", role="button")

    report = tmp_path / "day1.csv"
    report.write_bytes(
        zoom_report(
            day1,
            [
                ("Anjali Sharma", "anjali.sharma@dopt.gov.in", -5, 181),
                ("Budi Santoso (Budi)", "", 0, 178),
                ("Chai's iPad", "", 2, 180),
            ],
        )
    )
    label = f"Day 1 ({day1.start_at.astimezone(project.zone):%d %b %Y %H:%M})"
    for attempt in ("discarded", "kept"):
        click(page, "Import a Zoom report")
        page.get_by_label("Session").select_option(label=label)
        page.get_by_label("Zoom participant report (CSV)").set_input_files(str(report))
        click(page, "Read the report", role="button")
        if attempt == "discarded":
            click(page, "Read in this zone", role="button")
            click(page, "Discard", role="button")
    page.get_by_label("Who is Chai's iPad").select_option(label="Chayanin Srisuk (Thailand)")
    click(page, "Save these choices", role="button")
    click(page, "Confirm and save", role="button")
    expect(page.get_by_text("Saved: 3 present of 4 participants")).to_be_visible(timeout=30_000)
    click(page, "Back to the grid")
    # A participant present at every session in one click (Day 1 stays as the report says), one cell by hand.
    page.get_by_role("button", name=re.compile(r"^Present at every session\s*: Anjali Sharma$")).click()
    expect(page.get_by_text("Anjali Sharma: present at every session.")).to_be_visible()
    expect(page.locator(f"#{_cell_id(people['Anjali Sharma'], day2)}")).to_contain_text("Present")
    page.get_by_role("button", name=re.compile(r"^Mark present\s*: Chayanin Srisuk, Day 2$")).click()
    expect(page.locator(f"#{_cell_id(people['Chayanin Srisuk'], day2)}")).to_contain_text("Present")

    click(page, "Certificates", scope=nav)
    # The volume the PDFs are stored on is not mounted: the worker cannot store either certificate,
    # records both failures, and the page lists them with the reason and offers to retry.
    folder = Path(settings.MEDIA_ROOT) / "private" / "certificates" / str(project.pk)
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.symlink_to(folder.parent / "volume-not-mounted")
    click(page, "Issue certificates", role="button")
    click(page, "Issue the certificates", role="button")  # the confirmation page
    expect(page.locator("#count-failed")).to_have_text("2", timeout=90_000)
    failures = page.locator("#failures tbody tr")
    expect(failures).to_have_count(2)
    for name in ("Anjali Sharma", "Chayanin Srisuk"):
        expect(failures.filter(has_text=name)).to_contain_text("exists and is not a directory")
    assert not Certificate.objects.filter(project=project).exists()
    folder.unlink()  # mounted again
    click(page, "Retry the failed ones", role="button")
    expect(page.locator("#certificate-progress")).to_contain_text("Last batch finished", timeout=90_000)
    expect(page.locator("#count-failed")).to_have_text("0")
    expect(page.locator("#failures")).to_have_count(0)
    click(page, "Attendance", scope=nav)
    page.get_by_role("button", name=re.compile(r"^Mark present\s*: Budi Santoso, Day 2$")).click()
    expect(page.locator(f"#{_cell_id(people['Budi Santoso'], day2)}")).to_contain_text("Present")
    click(page, "Certificates", scope=nav)
    click(page, "Correct name", scope=page.locator("#waiting-table"))
    page.get_by_label(exactly("Name for the certificate (Latin script)")).fill("Budi Santoso Wibowo")
    page.get_by_label(exactly("Reason for the correction")).fill("Full name as in the passport")
    click(page, "Save the name", role="button")
    click(page, "Issue this one", role="button")
    # The worker makes it (no PDF is rendered in a web request); the list shows it once made.
    issued = page.locator("#certificates tbody tr")
    for _ in range(90):
        if issued.count() == 3:
            break
        page.wait_for_timeout(1000)
        page.reload()
    expect(issued).to_have_count(3)
    with page.expect_download():
        page.get_by_role("link", name=re.compile(r"^Download all \(3\) as ZIP$")).click()
    with page.expect_response(lambda response: "/pdf/" in response.url) as pdf:
        issued.filter(has_text="Anjali Sharma").get_by_role("link", name="PDF", exact=True).click()
    assert pdf.value.status == 200
    if page.url.endswith("/pdf/"):
        page.go_back()
    issued.filter(has_text="Chayanin Srisuk").get_by_role("link", name="Revoke", exact=True).click()
    page.get_by_label(exactly("Reason for revoking")).fill("Attendance of day 1 was recorded for the wrong person.")
    click(page, "Revoke", role="button")
    expect(issued.filter(has_text="Chayanin Srisuk")).to_contain_text("Revoked")
    # The end-of-project report: generated by the worker while the page shows its progress, then downloaded.
    click(page, "Report", scope=nav)
    click(page, "Generate the report", role="button")
    pdf_link = page.get_by_role("link", name="PDF of version 1")
    expect(pdf_link).to_be_visible(timeout=120_000)
    with page.expect_download() as report:
        pdf_link.click()
    assert report.value.path().read_bytes().startswith(b"%PDF")
    # Anyone can check a certificate from the footer with the code printed on it.
    code = Certificate.objects.get(participant=people["Anjali Sharma"]).verification_code
    click(page, "Verify a certificate", scope=page.locator("footer"))
    page.get_by_label(exactly("Verification code")).fill(code)
    click(page, "Verify the code", role="button")
    expect(page.locator("main")).to_contain_text("Anjali Sharma")


def secretariat_uses_the_outbox(page, project):
    """The outbox from the menu, then the finished workshop's e-mails from its navigation: a message
    written to those who attended every session (previewed, its audience downloaded, sent), one
    opened as its recipient sees it, and resent."""
    main_nav = page.get_by_role("navigation", name="Main")
    click(page, "Outbox", scope=main_nav)
    expect(page.get_by_role("heading", level=1)).to_have_text("Outbox")
    click(page, "Manage projects", scope=main_nav)
    click(page, project.title)
    # The workshop is over: its page offers no deadline to extend.
    expect(page.get_by_role("link", name="Extend the deadline")).to_have_count(0)
    click(page, "E-mails", scope=page.get_by_role("navigation", name=f"Project {project.code}"))
    expect(page.locator("main tbody")).to_contain_text("Certificate ready")  # written when they were issued
    click(page, "Write to an audience")
    page.get_by_label(exactly("Audience")).select_option(label="Participants who attended every session")
    page.get_by_label(exactly("Subject")).fill("The report of {project}")
    page.get_by_label(exactly("Message")).fill("Dear {name},\n\nthe report of {project} is ready. See {link}")
    click(page, "Preview", role="button")
    expect(page.get_by_role("heading", name="Preview: 3 recipients")).to_be_visible()
    expect(page.locator("article.outbox-preview").first).to_contain_text("Dear Anjali Sharma,")
    with page.expect_download() as audience:
        page.get_by_role("link", name="Download this audience as CSV").click()
    lines = Path(audience.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "email,name,country" and len(lines) == 4, lines
    click(page, "Send 3 messages", role="button")
    expect(page.get_by_text("3 messages are in the outbox")).to_be_visible()
    wait_until(
        lambda: (
            OutboxMessage.objects.filter(project=project, cause=OutboxCause.MESSAGE, status=OutboxStatus.SENT).count()
            == 3
        ),
        message="the three messages sent by the worker",
    )
    page.reload()
    subject = f"The report of {project.title} ({project.code})"
    click(page, subject, scope=page.locator("main tbody"))
    expect(page.get_by_role("heading", level=1)).to_have_text(subject)
    expect(page.frame_locator("iframe.outbox-frame").locator("body")).to_contain_text("the report of")
    click(page, "Resend", role="button")
    expect(page.get_by_text(re.compile(r"^A new message to \S+ is on its way\.$"))).to_be_visible()


# The columns of the nominations export, as an NPO's spreadsheet has them.
IMPORT_HEADER = [
    "Name for the certificate",
    "Name in own script",
    "Gender",
    "Date of birth",
    "E-mail",
    "Phone",
    "Organization",
    "Organization type",
    "Position/title",
    "Years of relevant experience",
    "English proficiency",
    "Statement",
]


def secretariat_imports_nominations(page, project, tmp_path):
    """An NPO's nominations sent as a spreadsheet, imported into the open project from its
    navigation: uploaded, read by the worker, previewed, imported."""
    click(page, "Nominations", scope=page.get_by_role("navigation", name=f"Project {project.code}"))
    click(page, "Import from a spreadsheet")
    sheet = tmp_path / "nominations-sri-lanka.csv"
    with sheet.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(IMPORT_HEADER)
        for name, email, gender in (
            ("Kasun Perera", "kasun.perera@npc.gov.lk", "Male"),
            ("Dilani Fernando", "dilani.fernando@npc.gov.lk", "Female"),
        ):
            writer.writerow(
                [
                    name,
                    "",
                    gender,
                    "1984-03-08",
                    email,
                    "+94 11 2345678",
                    "National Productivity Secretariat",
                    "Government ministry/agency",
                    "Productivity Development Officer",
                    "8",
                    "Good",
                    "Leads 5S audits.",
                ]
            )
    page.get_by_label(exactly("Country (NPO)")).select_option(label="Sri Lanka")
    page.get_by_label(exactly("Spreadsheet")).set_input_files(str(sheet))
    click(page, "Preview", role="button")
    # The worker reads the file; the progress page then moves on to the preview by itself.
    expect(page.get_by_role("heading", level=1)).to_have_text("Import preview: Sri Lanka", timeout=90_000)
    expect(page.locator("#count-new")).to_have_text("2")
    expect(page.locator("#count-bad")).to_have_text("0")
    click(page, "Import 2 nominations", role="button")
    expect(page.get_by_text("Done: 2 nominations created, 0 already present.")).to_be_visible(timeout=90_000)
    click(page, "Back to the nominations")
    for name in ("Kasun Perera", "Dilani Fernando"):
        expect(page.locator("main")).to_contain_text(name)


def programme_to_edit(project):
    """An agenda item and a resource person in the draft programme, so their pages exist."""
    first = project.sessions.order_by("start_at").first()
    speaker = ResourcePerson.objects.create(project=project, name="Mei Lin", organization="Digital Government Lab")
    item = AgendaItem.objects.create(
        session=first,
        position=1,
        start_at=first.start_at,
        end_at=first.start_at + datetime.timedelta(minutes=30),
        title="Opening remarks",
    )
    item.speakers.add(speaker)


def programme_editor_pages(page, project):
    """Every page of the programme editor, from the project navigation; then the programme is
    announced and its page's zone form and downloads used."""
    sessions = list(project.sessions.order_by("start_at"))
    main = page.locator("main")
    for name in (
        f"Change {sessions[0].title}",
        f"Add agenda item to {sessions[0].title}",
        f"Remove {sessions[-1].title}",
        "Change Opening remarks",
        "Remove Opening remarks",
        "Add a resource person",
        "Change Mei Lin",
        "Remove Mei Lin",
    ):
        open_tab(page, "Programme")
        click(page, name, scope=main)
    open_tab(page, "Programme")
    click(page, "Announce the programme…")
    click(page, "Announce", role="button")
    programme_pages(page)


def implementer_records_attendance(page, project, participants, tmp_path):
    """The attendance grid's exports, a Zoom report imported (one name matched by hand, one
    upload discarded first) and a cell marked by hand, all from the project navigation."""
    open_tab(page, "Attendance")
    for name in ("Export XLSX", "Export CSV"):
        with page.expect_download():
            page.get_by_role("link", name=name, exact=True).click()
    day2 = project.sessions.order_by("start_at")[1]
    report = tmp_path / "day2.csv"
    report.write_bytes(
        zoom_report(
            day2,
            [(participants[1].certificate_name, participants[1].nomination.email, 0, 178), ("Guest iPad", "", 2, 180)],
        )
    )
    label = f"Day 2 ({day2.start_at.astimezone(project.zone):%d %b %Y %H:%M})"
    for attempt in ("discarded", "kept"):
        click(page, "Import a Zoom report")
        page.get_by_label("Session").select_option(label=label)
        page.get_by_label("Zoom participant report (CSV)").set_input_files(str(report))
        click(page, "Read the report", role="button")
        if attempt == "discarded":
            click(page, "Read in this zone", role="button")
            click(page, "Discard", role="button")
    third = participants[3]
    page.get_by_label("Who is Guest iPad").select_option(label=f"{third.certificate_name} ({third.country.name})")
    click(page, "Save these choices", role="button")
    acknowledge = page.locator("#id_acknowledge")
    if acknowledge.count():
        acknowledge.check()
    click(page, "Confirm and save", role="button")
    expect(page.get_by_text(re.compile(r"^Saved: "))).to_be_visible(timeout=30_000)
    click(page, "Back to the grid")
    fifth = participants[5]
    page.get_by_role(
        "button", name=re.compile(rf"^Mark present\s*: {re.escape(fifth.certificate_name)}, Day 2$")
    ).click()
    cell = page.locator(f"#{_cell_id(fifth, day2)}")
    reason = cell.get_by_label(re.compile("^Reason for marking"))
    reason.fill("Joined by telephone (host's note)")
    cell.get_by_role("button", name="Save").click()
    expect(cell).to_contain_text("Present")
    # A room's list of absentees for the first day: everyone else present.
    day1 = project.sessions.order_by("start_at")[0]
    page.get_by_label(exactly("Session")).select_option(value=str(day1.pk))
    page.get_by_label("Absentees, one per line").fill(participants[0].certificate_name)
    click(page, "Mark the absentees, everyone else present", role="button")
    expect(page.get_by_text(f"{day1.title}: 1 absent, everyone else present.")).to_be_visible()


def secretariat_setup_for_selection(project):
    """A project waiting for its selection, one not issued yet, an NPO officer to deactivate and one invited, and in
    the running workshop ranked reserves (a freed seat is offered to them) and a CV."""
    now = timezone.now()
    selecting = factories.ProjectFactory(
        code="27-WS-SEL", title="Smart Manufacturing", nomination_deadline=now - datetime.timedelta(days=2)
    )
    for iso2, names in (("IN", ("Ravi Kumar", "Sunita Das")), ("JP", ("Kenji Sato",))):
        for rank, name in enumerate(names, start=1):
            factories.NominationFactory(
                project=selecting, country=factories.country(iso2), certificate_name=name, submitted=True, priority=rank
            )
    factories.ProjectFactory(code="27-WS-NEW", title="Quality Circles", notification_issued_at=None)
    factories.npo_officer("LK", email="officer@npo.lk.example")
    invite_user(
        actor=None,
        email="new.officer@npo.lk.example",
        full_name="Nimal Perera",
        purpose=InvitationPurpose.NPO_OFFICER,
        country=factories.country("LK"),
    )
    ranks = {}
    for reserve in Nomination.objects.filter(project=project, decision=Decision.RESERVE).order_by("pk"):
        ranks[reserve.category] = ranks.get(reserve.category, 0) + 1
        reserve.reserve_rank = ranks[reserve.category]
        reserve.save(update_fields=["reserve_rank"])
    reserve.cv.save("cv.pdf", ContentFile(tiny_pdf()))
    reserve.cv_original_name = "cv.pdf"
    reserve.save()


def secretariat_selects(page, project):
    """Issuing a notification, closing nominations, deciding a selection, withdrawing a participant
    and promoting a reserve, the exports and a CV, and the NPO officers' accounts."""
    page.on("dialog", lambda dialog: dialog.accept())
    main_nav = page.get_by_role("navigation", name="Main")
    main = page.locator("main")
    click(page, "Manage projects", scope=main_nav)
    # A new project begins from its notification's text (tests/e2e/test_project_from_notification.py saves one).
    click(page, "New project from its notification")
    page.get_by_label("The notification's text").fill("Title: Workshop on Quality Circles\nVenue: Colombo, Sri Lanka")
    click(page, "Read the notification", role="button")
    expect(page.get_by_text("Read from line 2: “Venue: Colombo, Sri Lanka”").first).to_be_visible()
    click(page, "Manage projects", scope=main_nav)
    click(page, "Quality Circles")
    click(page, "Issue the notification", role="button")
    click(page, "Issue the notification", role="button")  # the confirmation page says what it does
    click(page, "Manage projects", scope=main_nav)
    click(page, "Green Productivity")
    click(page, "Close nominations", role="button")
    click(page, "Close nominations now", role="button")

    click(page, "Selection", scope=main_nav)
    click(page, "Smart Manufacturing")
    # Each decision is sent by htmx and redraws its country: the next is clicked once it shows.
    for action, name, shown in (
        ("Select", "Ravi Kumar", "Selected"),
        ("Reserve", "Sunita Das", "Reserve no. 1"),
        ("Reserve", "Kenji Sato", "Reserve no. 2"),
    ):
        page.get_by_role("button", name=f"{action} {name}").click()
        expect(page.locator("tbody tr").filter(has_text=name)).to_contain_text(shown)
    page.get_by_role("button", name=re.compile(r"^down\s*: move .* down$")).first.click()
    page.wait_for_load_state()
    page.get_by_label(re.compile("^Confirm by")).fill((timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    click(page, "Set the date", role="button")
    click(page, "Propose selection")
    page.go_back()
    click(page, "Publish selection")

    click(page, "Manage projects", scope=main_nav)
    click(page, project.title)
    open_tab(page, "Participants")
    for name in ("Export CSV", "Export XLSX"):
        with page.expect_download():
            page.get_by_role("link", name=name, exact=True).click()
    main.get_by_role("link", name=re.compile("^Withdraw")).first.click()
    page.wait_for_load_state()
    page.get_by_label("Reason").fill("Cannot attend: transferred to another ministry")
    click(page, "Withdraw the participant", role="button")
    open_tab(page, "Selection")
    main.get_by_role("button", name=re.compile("^Promote ")).first.click()
    page.wait_for_load_state()
    secretariat_replaces_a_dropout(page, project)
    open_tab(page, "Nominations")
    with page.expect_download():
        page.get_by_role("link", name="Export CSV", exact=True).click()
    with page.expect_download():
        main.get_by_role("link", name=re.compile("^Download the CV of")).first.click()

    click(page, "NPO officers", scope=main_nav)
    click(page, "Deactivate officer@npo.lk.example", role="button")
    click(page, "Reactivate officer@npo.lk.example", role="button")
    click(page, "Resend invitation to new.officer@npo.lk.example", role="button")


def secretariat_replaces_a_dropout(page, project):
    """Reminding those who have not confirmed their seat, a replacement window for the withdrawn
    participant's country, and a decision on the replacement its NPO sends."""
    open_tab(page, "Participants")
    page.get_by_role("button", name=re.compile("^Remind the .* who have not confirmed$")).click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("A reminder is on its way to")
    click(page, page.get_by_role("link", name=re.compile("^Replacement window for ")).first.inner_text())
    page.get_by_label("Replacements allowed").fill("1")
    page.get_by_label(re.compile("^Last day for replacements")).fill(project.end_date.isoformat())
    page.get_by_role("button", name=re.compile("^Open the window and tell")).click()
    page.wait_for_load_state()
    expect(page.locator("#replacements")).to_contain_text("up to 1 replacement until the end of")
    # The country's NPO sends its replacement (its own journey does this by clicking).
    country = ReplacementWindow.objects.get(project=project).country
    officer = factories.npo_officer(country.iso2, email=f"replacing@npo.{country.iso2.lower()}.example")
    nomination = nomination_services.create_nomination(
        project=project,
        country=country,
        actor=officer,
        data={**REPLACEMENT, "email": f"replacement@{country.iso2.lower()}.example"},
    )
    nomination_services.submit_nomination(nomination=nomination, actor=officer, notify=False)
    open_tab(page, "Selection")
    page.get_by_label("Reason for not selecting Lin Wei").fill("The freed seat went to the first reserve.")
    click(page, "Not selected", scope=page.locator("#replacements"), role="button")
    expect(page.locator("#replacements")).to_contain_text("Not selected")


def wait_for_pdf(page):
    """On the waiting page of a person's data as PDF (it refreshes itself): download the PDF once made."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Personal data as PDF")
    ready = page.get_by_role("link", name="Download the PDF", exact=True)
    expect(ready).to_be_visible(timeout=90_000)
    assert "@" not in page.url
    with page.expect_download() as pdf:
        ready.click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")


def secretariat_answers_a_person(page):
    """A person's data from the landing page: looked up by e-mail (sent by POST, in no address), as JSON and as
    a PDF the worker makes; then another person's data erased on request, after the confirmation page."""
    click(page, "APO workshop portal", scope=page.get_by_role("navigation", name="Main"))
    click(page, "A person's data", scope=page.locator("#role-secretariat"))
    lookup = page.locator("#person-lookup")
    lookup.get_by_label(exactly("E-mail address")).fill("kasun.perera@npc.gov.lk")
    with page.expect_download() as answer:
        lookup.get_by_role("button", name="Download the person's data (JSON)").click()
    assert "Kasun Perera" in Path(answer.value.path()).read_text(encoding="utf-8")
    click(page, "Prepare a readable PDF", scope=lookup, role="button")
    wait_for_pdf(page)
    click(page, "APO workshop portal", scope=page.get_by_role("navigation", name="Main"))
    click(page, "A person's data", scope=page.locator("#role-secretariat"))
    erase = page.locator("#person-erase")
    erase.get_by_label(exactly("E-mail address of the person to erase")).fill("dilani.fernando@npc.gov.lk")
    click(page, "Erase…", scope=erase, role="button")
    expect(page.locator("#consequence")).to_contain_text("This cannot be undone")
    click(page, "Erase", role="button")
    expect(page.get_by_text(re.compile(r"^Erased: 1 nomination\(s\)"))).to_be_visible()
    assert not Nomination.objects.filter(email="dilani.fernando@npc.gov.lk").exists()


REPLACEMENT = {
    "certificate_name": "Lin Wei",
    "native_name": "",
    "gender": "female",
    "date_of_birth": None,
    "phone": "",
    "organization": "Ministry of Public Administration",
    "organization_type": "ministry",
    "position": "Director",
    "years_experience": 8,
    "statement": "",
    "english_proficiency": "good",
}


def open_tab(page, label):
    page.get_by_role("navigation", name="Project 26-WS-E2E").get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()
    assert page.locator("main h1").count() >= 1, page.url


def test_secretariat_runs_the_workshop_from_the_landing_page(journey, tmp_path):
    project, _ = running_workshop()
    closing = finished_workshop()
    programme_to_edit(project)
    open_project = factories.ProjectFactory(code="27-WS-OPEN", title="Green Productivity")
    secretariat_setup_for_selection(project)
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
    # The retention of the project's personal data: a shorter CV limit, and a hold with its reason.
    retention = page.locator("#retention")
    retention.get_by_label(exactly("CVs kept (days after the selection is published)")).fill("30")
    retention.get_by_label(exactly("Hold purging, because")).fill("An audit of the 2026 selection is under way")
    click(page, "Save retention", role="button")
    expect(page.get_by_text("The retention of personal data is saved.")).to_be_visible()
    expect(page.locator("#retention")).to_contain_text("On hold: An audit of the 2026 selection is under way")

    for label in ("Notification", "Nominations", "Selection", "Participants", "Programme", "Certificates"):
        open_tab(page, label)
    open_tab(page, "Attendance")
    page.get_by_role("link", name="Import a Zoom report").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import")
    open_tab(page, "Audit trail")
    with page.expect_download():
        page.get_by_role("link", name=re.compile("^Export these")).click()
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
    programme_editor_pages(page, project)
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
    secretariat_imports_nominations(page, open_project, tmp_path)
    click(page, "APO workshop portal")
    assert page.url.endswith("/start/")
    account_pages(page)
    secretariat_closes_a_workshop(page, journey, reached, tmp_path, closing)
    secretariat_uses_the_outbox(page, closing[0])
    secretariat_runs_the_evaluation(page, journey, closing[0], closing[2])
    secretariat_selects(page, project)
    secretariat_answers_a_person(page)
    assert_reached_all(reached, "secretariat", NOT_YET_SECRETARIAT)


def test_implementer_reaches_attendance_by_clicking(journey, tmp_path):
    project, participants = running_workshop()
    implementer = factories.implementer(project, email="host@npo.lk.example")
    certificate = certificate_for()
    programme_to_edit(project)
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
    programme_editor_pages(page, project)
    implementer_records_attendance(page, project, participants, tmp_path)
    open_tab(page, "Programme")
    click(page, project.title, scope=page.locator("main"))  # the public page, from the editor's heading
    open_tab(page, "Nominations")
    page.locator("main table tbody a").first.click()  # a nomination
    page.wait_for_load_state()
    main = page.get_by_role("navigation", name="Main")
    for name in ("My projects", "Nominations", "Attendance"):
        click(page, name, scope=main)
    click(page, f"{project.title} ({project.code})")  # the grid, from the attendance index
    page.goto(f"/projects/{project.code}/hub/")
    nav = page.get_by_role("navigation", name="Project 26-WS-E2E")
    expect(nav.get_by_role("link", name="Certificates")).to_have_count(0)
    account_pages(page, certificate)
    assert_reached_all(reached, "implementer", NOT_YET_IMPLEMENTER)


def test_npo_officer_lands_on_their_countrys_projects(journey):
    project, _ = running_workshop()
    announce_programme(project=project, actor=factories.secretariat_user(), notify=False)
    open_project = factories.ProjectFactory(code="27-WS-OPEN", title="Green Productivity")
    officer = factories.npo_officer("IN", email="officer@npo.in.example")
    for rank, name in enumerate(("Asha Rao", "Vikram Nair"), start=1):
        factories.NominationFactory(project=open_project, certificate_name=name, submitted=True, priority=rank)
    draft = factories.NominationFactory(project=open_project, certificate_name="Meera Iyer")
    # A candidate's biodata sent to the NPO, waiting for its review.
    candidate, _ = factories.candidate(open_project, "IN", full_name="Kiran Das")
    open_project.nominations.filter(candidate=candidate).update(
        certificate_name="Kiran Das", status="with_npo", handed_in_at=timezone.now()
    )
    draft.cv.save("meera-iyer-cv.pdf", ContentFile(tiny_pdf()))
    draft.cv_original_name = "meera-iyer-cv.pdf"
    draft.save()
    certificate = certificate_for()
    other = factories.ProjectFactory(code="26-WS-OTHER", title="Lean Management")
    Membership.objects.create(user=officer, role=Role.IMPLEMENTER, project=other, country=other.host_country)
    page = journey.new_page()
    reached = Reached(page)
    journey.login(page, officer.email)
    expect(page.get_by_role("heading", name="NPO officer of India")).to_be_visible()
    expect(page.locator("#role-npo")).to_contain_text("Green Productivity")
    journey.check(page, "landing-npo-officer")
    click(page, "Green Productivity")
    # Ranking by the Down button (htmx), then a draft's pages: edit, its CV, submit, withdraw.
    vikram = open_project.nominations.get(certificate_name="Vikram Nair")
    page.locator(f'[data-move="{vikram.pk}-up"]').click()
    expect(page.locator(f"#nomination-{vikram.pk} td").first).to_have_text("1")
    click(page, "Meera Iyer")
    click(page, "Edit")
    page.go_back()
    with page.expect_download():
        page.locator("#cv-link").click()
    click(page, "Submit", role="button")
    click(page, "Withdraw")
    click(page, "APO workshop portal")
    click(page, "Green Productivity")
    click(page, "Nominate a candidate")
    page.go_back()
    click(page, "Invite a candidate to fill in their nomination")
    page.go_back()
    click(page, "Kiran Das")
    click(page, "Ask for a change")
    click(page, "APO workshop portal")
    click(page, "Participants", scope=page.locator("#role-npo"))
    main = page.get_by_role("navigation", name="Main")
    for name in ("Projects", "My projects", "Colleagues", "Nominations", "Attendance"):
        click(page, name, scope=main)
    click(page, f"{project.title} ({project.code})")  # India's attendance in the running workshop
    with page.expect_download() as export:  # India's participants only, as the page shows them
        page.get_by_role("link", name="Export CSV", exact=True).click()
    exported = Path(export.value.path()).read_text(encoding="utf-8")
    assert "India" in exported and "Japan" not in exported
    click(page, "Programme", scope=main)
    programme_pages(page)
    click(page, project.title, scope=page.locator("main"))  # the public page
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
    account_pages(page, certificate)
    assert_reached_all(reached, "npo_officer", NOT_YET_NPO_OFFICER)


def test_participant_lands_on_their_workshops(journey):
    project, participants = running_workshop()
    announce_programme(project=project, actor=factories.secretariat_user(), notify=False)
    participant = participants[0]
    certificate = certificate_for(participant.user)
    set_up_questionnaire(project=certificate.project, actor=factories.secretariat_user(), source="template")
    page = journey.new_page()
    reached = Reached(page)
    journey.login(page, participant.user.email)
    expect(page.get_by_role("heading", name="Participant: your workshops")).to_be_visible()
    journey.check(page, "landing-participant")
    # The seat: its page, and the step before declining (kept here; tests/e2e/test_replacements.py declines).
    click(page, "Confirm or decline your seat", scope=page.locator("#role-participant"))
    click(page, "Decline my seat")
    click(page, "No, keep my seat")
    click(page, "APO workshop portal")
    click(page, "Programme", scope=page.locator("#role-participant"))
    click(page, "APO workshop portal")
    click(page, "My workshop", scope=page.locator("#role-participant"))
    click(page, "Your attendance on a page of its own")
    click(page, "My workshop", scope=page.get_by_role("navigation", name="Main"))
    click(page, "Who takes part")
    click(page, "My workshop", scope=page.get_by_role("navigation", name="Main"))
    journey.check(page, "my-workshop")
    with page.expect_response(lambda response: "/pdf/" in response.url) as pdf:
        page.get_by_role("link", name="Download your certificate (PDF)").click()
    assert pdf.value.status == 200
    if page.url.endswith("/pdf/"):
        page.go_back()
    click(page, "My workshop", scope=page.get_by_role("navigation", name="Main"))
    # What the portal holds about them: as JSON at once, and as a PDF the worker makes.
    with page.expect_download() as mine:
        page.get_by_role("link", name="download your data (JSON)").click()
    assert participant.user.email in Path(mine.value.path()).read_text(encoding="utf-8")
    click(page, "Prepare your data as a readable PDF", role="button")
    wait_for_pdf(page)
    click(page, "My workshop", scope=page.get_by_role("navigation", name="Main"))
    participant_answers_the_evaluation(page, journey)
    click(page, "My workshop", scope=page.get_by_role("navigation", name="Main"))
    click(page, "full programme")
    programme_pages(page)
    account_pages(page, certificate)
    click(page, "My workshop", scope=page.get_by_role("navigation", name="Main"))
    click(page, project.title)  # the public page of the workshop
    assert_reached_all(reached, "participant", NOT_YET_PARTICIPANT)
