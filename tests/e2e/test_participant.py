"""Journey 3: a participant follows the invitation from the e-mail, sets a password, and finds on
"My workshop" their programme in their own zone, their attendance and their certificate (a real
PDF whose QR code leads to a "valid" verification page); one who missed a session is told why
there is no certificate."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apopms.models import Project
from certificates import services as certificates
from nominations import services
from nominations.enums import Decision
from nominations.models import Participant
from sessions import services as programme
from tests import factories

from .helpers import PASSWORD, exactly, link_in, wait_until

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

SOMCHAI = "somchai.wong@opdc.go.th"
LAN = "lan.nguyen@moha.gov.vn"


def finished_workshop(admin):
    """A two-day digital workshop that ended last week, its selection published (the invitations
    go out through the worker), its programme announced and its attendance recorded."""
    start = timezone.localdate() - datetime.timedelta(days=9)
    project = factories.ProjectFactory(
        code="26-PSP-PAR",
        title="Productivity of the Public Sector",
        start_date=start,
        end_date=start + datetime.timedelta(days=1),
        nomination_deadline=Project.deadline_for(start - datetime.timedelta(days=21), "Asia/Colombo"),
    )
    for iso2, name, email in (("TH", "Somchai Wongsawat", SOMCHAI), ("VN", "Nguyen Thi Lan", LAN)):
        nomination = factories.NominationFactory(
            project=project, country=factories.country(iso2), certificate_name=name, email=email, submitted=True
        )
        services.decide_nomination(nomination=nomination, actor=admin, decision=Decision.SELECTED)
    services.publish_selection(project=project, actor=admin)
    sessions = []
    for day in range(2):
        date = start + datetime.timedelta(days=day)
        begins = datetime.datetime.combine(date, datetime.time(10, 0), tzinfo=project.zone)
        sessions.append(
            programme.create_session(
                project=project,
                actor=admin,
                title=f"Day {day + 1}",
                start_at=begins,
                end_at=begins + datetime.timedelta(hours=3),
                join_url=f"https://zoom.example/j/8123456{day}",
            )
        )
    programme.announce_programme(project=project, actor=admin, notify=False)
    somchai = Participant.objects.get(project=project, user__email=SOMCHAI)
    lan = Participant.objects.get(project=project, user__email=LAN)
    for session in sessions:
        factories.AttendanceFactory(participant=somchai, session=session)
    factories.AttendanceFactory(participant=lan, session=sessions[0])
    factories.AttendanceFactory(participant=lan, session=sessions[1], present=False, seconds=40 * 60)
    certificate = certificates.issue_certificate(participant=somchai, actor=admin)
    return project, sessions, certificate


def qr_codes_in(pdf, tmp_path):
    """The texts of the QR codes on the PDF's first page (rendered by poppler, read by zxing-cpp)."""
    import zxingcpp
    from PIL import Image

    source = tmp_path / "certificate.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(source), str(tmp_path / "certificate")],
        capture_output=True,
        check=True,
    )
    with Image.open(tmp_path / "certificate.png") as image:
        return [code.text for code in zxingcpp.read_barcodes(image.convert("L"))]


def accept_invitation(journey, page, email):
    message = wait_until(
        lambda: [m for m in journey.mail_to(email) if "/accounts/invitation/" in m.body],
        message=f"the invitation e-mail to {email}",
    )[0]
    page.goto(link_in(message, "/accounts/invitation/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to the APO workshop portal")
    page.get_by_label(exactly("New password")).fill(PASSWORD)
    page.get_by_label(exactly("New password again")).fill(PASSWORD)
    page.get_by_role("button", name="Set password and log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My workshop")


def test_participant_finds_programme_attendance_and_certificate(journey, tmp_path):
    admin = factories.secretariat_user(email="aiko.tanaka@apo-tokyo.org", full_name="Aiko Tanaka")
    _project, (day1, _day2), certificate = finished_workshop(admin)
    page = journey.new_page()

    # Somchai (Thailand) accepts the invitation the selection sent him and lands on "My workshop".
    accept_invitation(journey, page, SOMCHAI)
    day1_card = page.locator(f"#session-{day1.pk}")
    expect(day1_card.locator(".time-project")).to_contain_text("10:00–13:00 Colombo (UTC+05:30)")
    expect(day1_card.locator(".time-viewer")).to_contain_text("11:30–14:30 Bangkok (UTC+07:00)")
    # The workshop is over: nothing to join, and the certificate comes before the programme.
    expect(page.get_by_role("link", name=re.compile("Join"))).to_have_count(0)
    expect(page.get_by_text("The workshop has ended.")).to_be_visible()
    assert page.evaluate(
        "document.querySelector('.my-certificate').compareDocumentPosition("
        "document.querySelector('.my-workshop-programme')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    attendance = page.locator(".my-attendance")
    expect(attendance.get_by_role("row", name=re.compile("Day 1"))).to_contain_text("Present")
    expect(attendance.get_by_role("row", name=re.compile("Day 2"))).to_contain_text("Present")
    expect(attendance).to_contain_text("You attended every session.")
    expect(page.locator(".my-certificate")).to_contain_text(f"Your certificate {certificate.number} was issued")
    journey.check(page, "my-workshop")

    # The certificate: a real PDF, whose QR code carries the verification address.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your certificate (PDF)").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert download.value.suggested_filename == f"APO-certificate-{certificate.number}.pdf"
    codes = qr_codes_in(pdf, tmp_path)
    shutil.copy(tmp_path / "certificate.png", journey.folder / "certificate.png")  # for a person to look at
    assert codes == [f"{journey.base_url}/v/{certificate.verification_code}/"], codes
    page.goto(codes[0])
    expect(page.locator("#verdict")).to_contain_text("Valid.")
    expect(page.locator("main")).to_contain_text("Somchai Wongsawat")
    expect(page.locator("main")).to_contain_text(certificate.number)
    journey.check(page, "verify-valid")
    journey.logout(page)

    # Lan (Viet Nam) missed most of day 2: "My workshop" tells her why she has no certificate.
    accept_invitation(journey, page, LAN)
    expect(page.locator(f"#session-{day1.pk} .time-viewer")).to_contain_text("Ho Chi Minh")
    attendance = page.locator(".my-attendance")
    expect(attendance.get_by_role("row", name=re.compile("Day 2"))).to_contain_text("Absent")
    expect(attendance).to_contain_text("Sessions attended: 1 of 2.")
    mine = page.locator(".my-certificate")
    expect(mine).to_contain_text("Our records show you were not present at:")
    expect(mine.get_by_role("listitem")).to_contain_text("Day 2")
    expect(mine.get_by_role("link", name=re.compile("Download"))).to_have_count(0)
    journey.check(page, "my-workshop-missed")
    # And Somchai's certificate is not hers to download.
    assert page.goto(f"/certificates/{certificate.number}/pdf/").status == 404
