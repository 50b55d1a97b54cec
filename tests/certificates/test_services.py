import datetime
import os
from functools import partial

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from apopms.exceptions import DomainError
from apopms.models import AuditEntry
from certificates import pdf, selectors, services
from certificates.models import Certificate, IssueBatch, IssueFailure, SerialReservation
from certificates.services import chunked
from certificates.tasks import issue_batch, issue_one, send_certificate_ready
from nominations.enums import ParticipantStatus
from sessions.models import Attendance
from tests import factories
from tests.concurrency import run_together

from .conftest import attendee, finished_project

pytestmark = pytest.mark.django_db

# 11:30 in Colombo: today's 10:00-13:00 session of a `finished_project(days_ago=0)` is running.
MID_SESSION = datetime.datetime(2026, 8, 24, 6, 0, tzinfo=datetime.UTC)


def test_issue_certificate_stores_snapshot_number_code_and_pdf(
    done_project, secretariat, django_capture_on_commit_callbacks
):
    participant = attendee(done_project, certificate_name="Nguyễn Văn An", native_name="")
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.issue_certificate(participant=participant, actor=secretariat)
    assert certificate.number == f"{done_project.code}-0001"
    assert len(certificate.verification_code) == 26  # Crockford base32: 130 bits
    assert certificate.snapshot["certificate_name"] == "Nguyễn Văn An"
    assert certificate.snapshot["project_code"] == done_project.code
    assert certificate.snapshot["country"] == "India"
    assert certificate.snapshot["host_country"] == "Sri Lanka"
    assert certificate.snapshot["signatory_title"] == "Secretary-General"
    assert certificate.snapshot["implementing_organizations"] == [
        "National Productivity Secretariat, Sri Lanka",
        "APO Secretariat",
    ]
    assert certificate.pdf.name.startswith(f"private/certificates/{done_project.pk}/")
    with certificate.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert AuditEntry.objects.filter(action="certificates.certificate.issued", object_id=str(certificate.pk)).exists()
    assert [m.to for m in mail.outbox] == [[participant.user.email]]
    assert f"/certificates/{certificate.number}/pdf/" in mail.outbox[0].body
    assert not SerialReservation.objects.exists()


def test_issue_certificate_refused_when_a_session_was_missed(done_project, secretariat):
    participant = attendee(done_project, miss={1})
    with pytest.raises(DomainError, match="did not attend every session"):
        services.issue_certificate(participant=participant, actor=secretariat)
    assert not Certificate.objects.exists()


def test_issue_certificate_refused_below_attendance_threshold(done_project, secretariat):
    participant = attendee(done_project, miss={0})
    session = done_project.sessions.order_by("start_at").first()
    # Joined for half the session: the attendance import marks this absent (below 80%).
    factories.AttendanceFactory(
        participant=participant, session=session, present=False, seconds=session.duration_seconds // 2
    )
    with pytest.raises(DomainError):
        services.issue_certificate(participant=participant, actor=secretariat)
    assert not Certificate.objects.exists()


def test_issue_certificate_after_hand_correction_of_attendance(done_project, secretariat):
    participant = attendee(done_project, miss={0})
    session = done_project.sessions.order_by("start_at").first()
    row = factories.AttendanceFactory(participant=participant, session=session, present=False, seconds=600)
    with pytest.raises(DomainError):
        services.issue_certificate(participant=participant, actor=secretariat)
    Attendance.objects.filter(pk=row.pk).update(
        present=True, reason="Joined by phone; host confirmed", changed_by=secretariat
    )
    certificate = services.issue_certificate(participant=participant, actor=secretariat)
    assert certificate.participant == participant


def test_issue_certificate_refused_before_last_session_ends(secretariat, time_machine):
    time_machine.move_to(MID_SESSION, tick=False)
    project = finished_project(days_ago=0, sessions=1)
    project.sessions.update(end_at=timezone.now() + datetime.timedelta(hours=1))
    participant = attendee(project)
    with pytest.raises(DomainError, match="after the last session"):
        services.issue_certificate(participant=participant, actor=secretariat)


def test_issue_certificate_refused_without_sessions(secretariat):
    project = finished_project(sessions=0)
    participant = attendee(project)
    with pytest.raises(DomainError, match="no sessions"):
        services.issue_certificate(participant=participant, actor=secretariat)


def test_issue_certificate_refused_for_withdrawn_participant(done_project, secretariat):
    participant = attendee(done_project, status=ParticipantStatus.WITHDRAWN)
    with pytest.raises(DomainError, match="no longer a participant"):
        services.issue_certificate(participant=participant, actor=secretariat)


def test_issue_certificate_twice_returns_the_existing_one(done_project, secretariat):
    participant = attendee(done_project)
    first = services.issue_certificate(participant=participant, actor=secretariat)
    second = services.issue_certificate(participant=participant, actor=secretariat)
    assert first.pk == second.pk
    assert Certificate.objects.count() == 1


def test_start_issuing_issues_only_the_eligible(done_project, secretariat, django_capture_on_commit_callbacks):
    good = [attendee(done_project) for _ in range(3)]
    attendee(done_project, miss={0})
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.start_issuing(project=done_project, actor=secretariat)
    assert sorted(Certificate.objects.values_list("participant_id", flat=True)) == sorted(p.pk for p in good)
    assert sorted(Certificate.objects.values_list("serial", flat=True)) == [1, 2, 3]
    batch.refresh_from_db()
    assert batch.finished_at is not None
    assert selectors.project_counts(done_project) == {"eligible": 3, "issued": 3, "revoked": 0, "failed": 0}
    done_project.refresh_from_db()
    assert done_project.certificates_issued_at is not None
    assert len(mail.outbox) == 3


def test_start_issuing_refused_before_last_session_ends(secretariat, time_machine):
    time_machine.move_to(MID_SESSION, tick=False)
    project = finished_project(days_ago=0, sessions=1)
    project.sessions.update(end_at=timezone.now() + datetime.timedelta(hours=1))
    with pytest.raises(DomainError):
        services.start_issuing(project=project, actor=secretariat)
    assert not IssueBatch.objects.exists()


def test_start_issuing_repeated_creates_no_duplicates(done_project, secretariat, django_capture_on_commit_callbacks):
    for _ in range(2):
        attendee(done_project)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_issuing(project=done_project, actor=secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_issuing(project=done_project, actor=secretariat)
    assert Certificate.objects.count() == 2
    assert len(mail.outbox) == 2


def test_worker_dying_after_writing_the_pdf_leaves_nothing_half_made(
    done_project, secretariat, monkeypatch, django_capture_on_commit_callbacks
):
    participants = [attendee(done_project) for _ in range(3)]
    real = chunked.queue_certificates_ready

    def dying(certificates):
        raise SystemExit("worker killed")  # the chunk's PDFs written, its rows inserted, not committed

    monkeypatch.setattr(chunked, "queue_certificates_ready", dying)
    with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=True):
        services.start_issuing(project=done_project, actor=secretariat)
    assert Certificate.objects.count() == 0  # the chunk is written whole or not at all
    folder = default_storage.path(f"private/certificates/{done_project.pk}")
    assert os.listdir(folder) == []  # the half-made files were removed
    # A worker killed outright (SIGKILL) cannot clean up: simulate its stray file, older than the sweep age.
    stray = default_storage.save(f"private/certificates/{done_project.pk}/stray.pdf", ContentFile(b"%PDF-"))
    old = (timezone.now() - datetime.timedelta(hours=1)).timestamp()
    os.utime(default_storage.path(stray), (old, old))

    assert SerialReservation.objects.count() == 3  # kept for the next run
    monkeypatch.setattr(chunked, "queue_certificates_ready", real)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_issuing(project=done_project, actor=secretariat)
    assert sorted(Certificate.objects.values_list("participant_id", flat=True)) == sorted(p.pk for p in participants)
    assert sorted(Certificate.objects.values_list("serial", flat=True)) == [1, 2, 3]  # the reserved serials reused
    assert not default_storage.exists(stray)
    assert len(os.listdir(folder)) == 3
    assert IssueBatch.objects.get().finished_at is not None


def test_failure_is_listed_with_reason_and_retry_issues_it(
    done_project, secretariat, monkeypatch, django_capture_on_commit_callbacks
):
    ok = attendee(done_project)
    bad = attendee(done_project, certificate_name="Broken Font")
    real = pdf.render_certificate

    def flaky(data, **options):
        if data["certificate_name"] == "Broken Font":
            raise RuntimeError("renderer crashed")
        return real(data, **options)

    monkeypatch.setattr(pdf, "render_certificate", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.start_issuing(project=done_project, actor=secretariat)
    failure = IssueFailure.objects.get()
    assert (failure.participant, failure.reason) == (bad, "RuntimeError: renderer crashed")
    assert selectors.project_counts(done_project)["failed"] == 1
    assert Certificate.objects.get().participant == ok
    batch.refresh_from_db()
    assert batch.finished_at is None

    monkeypatch.setattr(pdf, "render_certificate", real)
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_failures(batch=batch, actor=secretariat)
    assert not IssueFailure.objects.exists()
    assert Certificate.objects.count() == 2
    batch.refresh_from_db()
    assert batch.finished_at is not None


def test_revoke_requires_a_reason(done_project, secretariat):
    certificate = services.issue_certificate(participant=attendee(done_project), actor=secretariat)
    with pytest.raises(DomainError, match="reason"):
        services.revoke_certificate(certificate=certificate, actor=secretariat, reason="  ")


def test_reissue_makes_a_new_number_and_keeps_the_old_revoked(done_project, secretariat):
    participant = attendee(done_project, certificate_name="Wrong Name")
    old = services.issue_certificate(participant=participant, actor=secretariat)
    with pytest.raises(DomainError, match="revoke it"):
        services.correct_certificate_name(participant=participant, actor=secretariat, certificate_name="Right Name")
    services.revoke_certificate(certificate=old, actor=secretariat, reason="Name misspelt")
    services.correct_certificate_name(participant=participant, actor=secretariat, certificate_name="Right Name")
    new = services.issue_certificate(participant=participant, actor=secretariat)
    old.refresh_from_db()
    assert old.revoked_at is not None and old.revocation_reason == "Name misspelt"
    assert (old.number, new.number) == (f"{done_project.code}-0001", f"{done_project.code}-0002")
    assert new.snapshot["certificate_name"] == "Right Name"
    assert old.snapshot["certificate_name"] == "Wrong Name"
    assert list(Certificate.objects.live().values_list("pk", flat=True)) == [new.pk]


def test_reissue_certificate_revokes_and_issues_in_one_call(done_project, secretariat):
    participant = attendee(done_project)
    old = services.issue_certificate(participant=participant, actor=secretariat)
    new = services.reissue_certificate(certificate=old, actor=secretariat, reason="Damaged file")
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert new.replaces == old and new.number != old.number


def test_correct_certificate_name_before_issue_is_audited(done_project, secretariat):
    participant = attendee(done_project, certificate_name="Jon Smiht")
    services.correct_certificate_name(
        participant=participant, actor=secretariat, certificate_name="John Smith", native_name="", reason="Typo"
    )
    participant.refresh_from_db()
    assert participant.certificate_name == "John Smith"
    entry = AuditEntry.objects.get(action="certificates.name.corrected")
    assert entry.details["old"]["certificate_name"] == "Jon Smiht"
    assert entry.actor == secretariat


def test_participant_losing_eligibility_is_flagged_for_revocation(done_project, secretariat):
    participant = attendee(done_project)
    certificate = services.issue_certificate(participant=participant, actor=secretariat)
    assert list(selectors.to_revoke(done_project)) == []
    Attendance.objects.filter(participant=participant).update(present=False)
    assert list(selectors.to_revoke(done_project)) == [certificate]


def test_certificate_ready_email_is_sent_once(done_project, secretariat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.issue_certificate(participant=attendee(done_project), actor=secretariat)
    send_certificate_ready.delay(certificate_id=certificate.pk)
    assert len(mail.outbox) == 1


def test_tasks_return_quietly_when_objects_are_gone(db):
    assert issue_batch.delay(batch_id=999999).get() == 0
    assert issue_one.delay(batch_id=999999, participant_id=999999).get() is None
    assert send_certificate_ready.delay(certificate_id=999999).get() is False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_issue_of_one_participant_makes_one_certificate():
    project = finished_project()
    participant = attendee(project)
    actor = factories.secretariat_user()

    def work():
        return services.issue_certificate(participant=participant, actor=actor).pk

    results, errors = run_together([work] * 3)
    assert errors == []
    assert Certificate.objects.count() == 1
    assert len(set(results)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_make_no_duplicates_and_no_gaps():
    project = finished_project()
    people = [attendee(project) for _ in range(6)]
    actor = factories.secretariat_user()

    def work(order):
        for participant in order:
            services.issue_certificate(participant=participant, actor=actor)

    _, errors = run_together([partial(work, people), partial(work, list(reversed(people)))])
    assert errors == []
    assert Certificate.objects.count() == 6
    assert sorted(Certificate.objects.values_list("serial", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_batch_after_revocation_records_the_replacement(done_project, secretariat, django_capture_on_commit_callbacks):
    """Every route that issues (here the batch) records which revoked certificate a new one replaces."""
    participant = attendee(done_project)
    first = services.issue_certificate(participant=participant, actor=secretariat)
    services.revoke_certificate(certificate=first, actor=secretariat, reason="Name misspelt")
    second = services.issue_certificate(participant=participant, actor=secretariat)
    services.revoke_certificate(certificate=second, actor=secretariat, reason="Name misspelt again")
    with django_capture_on_commit_callbacks(execute=True):
        services.start_issuing(project=done_project, actor=secretariat)
    third = Certificate.objects.live().get(participant=participant)
    assert (second.replaces, third.replaces) == (first, second)
    entry = AuditEntry.objects.get(action="certificates.certificate.issued", object_id=str(third.pk))
    assert entry.details["replaces"] == second.number


def test_first_certificate_replaces_nothing(done_project, secretariat):
    assert services.issue_certificate(participant=attendee(done_project), actor=secretariat).replaces is None
