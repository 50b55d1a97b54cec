"""The retention purge (workspace.retention): the clock moves past each limit, exactly the intended
fields go (files from storage too), statistics and certificates stay, and it is audited."""

import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from apopms import audit, privacy
from apopms.models import AuditEntry, OutboxMessage
from certificates.models import Certificate
from nominations.models import Decision, Nomination, NominationImport
from sessions.models import Attendance, ProgrammeVersion, ReportMapping
from tests import factories
from tests.permissions import LOGIN, assert_matrix, role_users
from workspace import retention
from workspace.tasks import apply_retention

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
PUBLISHED = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def project():
    return factories.ProjectFactory(
        start_date=datetime.date(2026, 4, 6),
        end_date=datetime.date(2026, 4, 8),
        nomination_deadline=datetime.datetime(2026, 2, 1, tzinfo=UTC),
        selection_published_at=PUBLISHED,
    )


def _with_cv(nomination):
    nomination.cv.save("cv.pdf", ContentFile(b"%PDF-1.4 cv"), save=False)
    nomination.cv_original_name = "My CV.pdf"
    nomination.date_of_birth = datetime.date(1985, 5, 17)
    nomination.phone = "+94 77 123 4567"
    nomination.statement = "I lead the digital office."
    nomination.save()
    return nomination


@pytest.fixture
def people(project):
    declined = _with_cv(
        factories.NominationFactory(
            project=project, submitted=True, decision=Decision.DECLINED, certificate_name="Nimal Perera"
        )
    )
    participant = factories.ParticipantFactory(
        nomination=factories.NominationFactory(
            project=project, submitted=True, decision=Decision.SELECTED, certificate_name="Aiko Tanaka"
        )
    )
    _with_cv(participant.nomination)
    session = factories.SessionFactory(project=project)
    factories.AttendanceFactory(participant=participant, session=session, intervals=[[0, 3600]], reason="by hand")
    certificate = Certificate.objects.create(
        participant=participant,
        project=project,
        serial=1,
        number=f"{project.code}-0001",
        verification_code="abc123",
        snapshot={"certificate_name": "Aiko Tanaka"},
        pdf=ContentFile(b"%PDF certificate", name="c.pdf"),
    )
    audit.record("nominations.nomination.submitted", target=declined, email=declined.email)
    OutboxMessage.objects.create(
        project=project,
        cause="selection-results",
        key=f"selection-results:1:x:{declined.email}",
        recipient=declined.email,
        recipient_name="Nimal Perera",
        subject="Results",
        body_text="Dear Nimal Perera",
    )
    ReportMapping.objects.create(project=project, key="guest@example.org", label="A guest", ignored=True)
    upload = NominationImport.objects.create(project=project, country=declined.country, rows=[{"email": "x@y.z"}])
    upload.file.save("import.csv", ContentFile(b"name,email"), save=True)
    return {"declined": declined, "participant": participant, "certificate": certificate, "upload": upload}


def _run(at, capture):
    with time_machine.travel(at, tick=False), capture(execute=True):
        return apply_retention.delay().get()


def test_nothing_is_purged_before_the_first_limit(project, people, django_capture_on_commit_callbacks):
    assert _run(PUBLISHED + datetime.timedelta(days=89), django_capture_on_commit_callbacks) == {}
    assert default_storage.exists(Nomination.objects.get(pk=people["declined"].pk).cv.name)


def test_cvs_are_deleted_90_days_after_publication(project, people, django_capture_on_commit_callbacks):
    cv_names = [people["declined"].cv.name, people["participant"].nomination.cv.name]

    done = _run(PUBLISHED + datetime.timedelta(days=90), django_capture_on_commit_callbacks)

    assert done == {project.code: ["purge_cvs"]}
    assert [default_storage.exists(name) for name in cv_names] == [False, False]
    declined = Nomination.objects.get(pk=people["declined"].pk)
    assert (declined.cv.name, declined.cv_original_name, declined.phone) == ("", "", "+94 77 123 4567")
    entry = AuditEntry.objects.get(action="workspace.retention.cvs_purged")
    assert entry.details == {"files": 2}
    # Safe to run twice: the stage ran once.
    assert _run(PUBLISHED + datetime.timedelta(days=91), django_capture_on_commit_callbacks) == {}


def test_nominees_not_selected_keep_only_statistics_12_months_after_the_end(
    project, people, django_capture_on_commit_callbacks
):
    email = people["declined"].email

    done = _run(datetime.datetime(2027, 4, 9, 0, 0, tzinfo=UTC), django_capture_on_commit_callbacks)

    assert done == {project.code: ["purge_cvs", "purge_nominees"]}
    declined = Nomination.objects.get(pk=people["declined"].pk)
    erased = {field: getattr(declined, field) for field in [*retention.NOMINEE_BLANKS, "cv"]}
    assert erased == dict.fromkeys(erased, "") | {"date_of_birth": None, "years_experience": None, "cv": ""}
    assert declined.email == privacy.erased_email(declined.pk)
    assert declined.certificate_name == privacy.pseudonym(declined.pk)
    kept = (declined.country.iso2, declined.gender, declined.organization_type, declined.category, declined.decision)
    assert kept == ("IN", "female", "ministry", people["declined"].category, Decision.DECLINED)
    # The participant is untouched until their own limit.
    participant_nomination = Nomination.objects.get(pk=people["participant"].nomination_id)
    assert (participant_nomination.phone, participant_nomination.personal_data_erased_at) == ("+94 77 123 4567", None)
    # Working copies: import file and rows, mappings, the outbox's addresses and bodies, the audit trail.
    upload = NominationImport.objects.get(pk=people["upload"].pk)
    assert (upload.file.name, upload.rows) == ("", [])
    assert not default_storage.exists(people["upload"].file.name)
    assert not ReportMapping.objects.filter(project=project).exists()
    message = OutboxMessage.objects.get(project=project)
    assert (message.recipient, message.recipient_name, message.body_text) == (declined.email, "", "")
    assert email not in message.key
    submitted = AuditEntry.objects.get(action="nominations.nomination.submitted")
    assert (submitted.details["email"], submitted.object_repr.startswith("erased person #")) == (
        privacy.pseudonym(declined.pk),
        True,
    )
    assert AuditEntry.objects.get(action="workspace.retention.nominees_purged").details["nominees"] == 1


def test_participants_keep_their_certificate_5_years_after_the_end(project, people, django_capture_on_commit_callbacks):
    certificate = people["certificate"]
    version = ProgrammeVersion.objects.create(
        project=project, number=1, snapshot={"participants": [{"name": "Aiko Tanaka", "country": "Japan"}]}
    )
    version.pdf_with_participants.save("p.pdf", ContentFile(b"%PDF"), save=True)
    programme_pdf = version.pdf_with_participants.name

    done = _run(datetime.datetime(2031, 4, 9, 0, 0, tzinfo=UTC), django_capture_on_commit_callbacks)

    assert done == {project.code: ["purge_cvs", "purge_nominees", "purge_participants"]}
    nomination = Nomination.objects.get(pk=people["participant"].nomination_id)
    assert (nomination.phone, nomination.date_of_birth, nomination.statement) == ("", None, "")
    assert nomination.certificate_name == "Aiko Tanaka"  # what the certificate certifies
    attendance = Attendance.objects.get(participant=people["participant"])
    assert (attendance.present, attendance.intervals, attendance.reason) == (True, [], "")
    kept = Certificate.objects.get(pk=certificate.pk)
    assert (kept.snapshot, kept.revoked_at, default_storage.exists(kept.pdf.name)) == (
        {"certificate_name": "Aiko Tanaka"},
        None,
        True,
    )
    version.refresh_from_db()
    assert (version.snapshot["participants"], version.pdf_with_participants.name) == (
        [{"name": "(erased)", "country": "Japan"}],
        "",
    )
    assert not default_storage.exists(programme_pdf)
    assert AuditEntry.objects.get(action="workspace.retention.participants_purged").details["participants"] == 1


def test_a_project_on_hold_is_not_purged(project, people, django_capture_on_commit_callbacks):
    project.purge_hold_reason = "Audit by the Board"
    project.save()

    assert _run(datetime.datetime(2031, 4, 9, tzinfo=UTC), django_capture_on_commit_callbacks) == {}
    assert Nomination.objects.get(pk=people["declined"].pk).phone == "+94 77 123 4567"


def test_the_schedule_names_each_stage_and_its_date(project, settings):
    settings.PRIVACY_NOMINEE_RETENTION_MONTHS = 6
    project.cv_retention_days = 30

    stages = retention.schedule(project)["stages"]

    assert [s["at"].date() for s in stages] == [
        datetime.date(2026, 3, 31),
        datetime.date(2026, 10, 9),
        datetime.date(2031, 4, 9),
    ]


def test_the_hub_shows_the_schedule_and_the_secretariat_sets_a_hold(client, project):
    secretariat = factories.secretariat_user()
    client.force_login(secretariat)
    url = reverse("workspace:retention", kwargs={"code": project.code})

    with time_machine.travel(datetime.datetime(2026, 5, 1, tzinfo=UTC), tick=False):
        page = client.get(reverse("workspace:hub", kwargs={"code": project.code})).content.decode()
        response = client.post(
            url, {"cv_days": "30", "nominee_months": "", "participant_years": "", "hold_reason": "Board audit"}
        )

    assert "what will be purged, and when" in page and "30 May 2026" in page  # 90 days after 1 March
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.cv_retention_days, project.nominee_retention_months, project.purge_hold_reason) == (
        30,
        None,
        "Board audit",
    )
    entry = AuditEntry.objects.get(action="apopms.project.retention_set")
    assert (entry.actor, entry.details) == (secretariat, {"cv_retention_days": 30, "purge_hold_reason": "Board audit"})


def test_only_the_secretariat_sets_the_retention(client, project):
    users = role_users(project)
    expected = dict.fromkeys(("own_npo", "other_npo", "host_npo", "implementer", "participant"), 403) | {
        "anonymous": LOGIN,
        "secretariat": 302,
    }
    url = reverse("workspace:retention", kwargs={"code": project.code})

    assert_matrix(client, url, users, expected, method="post", data={"hold_reason": "x"})
