"""Issuing one certificate: the eligibility gate, the number, the PDF and the row, once."""

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Subquery
from django.utils import timezone

from apopms import audit
from apopms.exceptions import DomainError
from apopms.models import Project
from nominations.enums import ParticipantStatus
from nominations.models import Participant
from sessions.selectors import attendance_standing, last_session_end

from .. import codes, pdf, permissions, selectors
from ..emails import queue_certificate_ready
from ..models import Certificate, IssueBatch, IssueFailure, SerialReservation


def recorded_user(actor):
    """The user to record as having acted: None for the system (or anyone not signed in)."""
    return actor if getattr(actor, "is_authenticated", False) else None


# Codes carry 130 random bits (certificates/codes.py); the verification page is also rate
# limited, so it is no oracle for guessing.
def new_verification_code():
    return codes.new_code()


def certificate_number(project, serial):
    return f"{project.code}-{serial:04d}"


def require_issuing_open(project):
    """Raise DomainError unless certificates of `project` may be issued now (`selectors.issuing_open`)."""
    if selectors.issuing_open(project):
        return
    if last_session_end(project) is None:
        raise DomainError("The project has no sessions, so nobody attended them all.")
    raise DomainError("Certificates are issued only after the last session has ended.")


def check_eligible(participant):
    """Raise DomainError unless `participant` may hold a certificate now. The one gate for every route.

    The rules of `require_issuing_open` and `sessions.selectors.attended_every_session`, read in
    one query (`attendance_standing`): it runs twice for every certificate issued."""
    if participant.status != ParticipantStatus.ACTIVE:
        raise DomainError(f"{participant.certificate_name} is no longer a participant.")
    standing = attendance_standing(participant)
    if standing["last_end"] is None:
        raise DomainError("The project has no sessions, so nobody attended them all.")
    if standing["last_end"] > timezone.now():
        raise DomainError("Certificates are issued only after the last session has ended.")
    if standing["present"] != standing["sessions"]:
        raise DomainError(f"{participant.certificate_name} did not attend every session.")


def _last_serial(project_id):
    """The highest serial of the project's certificates and reservations (0 for none), in one query."""
    highest = Project.objects.filter(pk=project_id).annotate(
        highest_certificate=Subquery(
            Certificate.objects.filter(project=OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(m=Max("serial"))
            .values("m")
        ),
        highest_reservation=Subquery(
            SerialReservation.objects.filter(project=OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(m=Max("serial"))
            .values("m")
        ),
    )
    used = highest.values_list("highest_certificate", "highest_reservation").get()
    return max(value or 0 for value in used)


def _reserve_serial(participant):
    """The serial set aside for `participant` (allocated once, under the project's row lock).

    A short transaction of its own: the project row is locked only to count, not while
    a PDF renders, so workers render in parallel. Reused by the next run after a crash.
    """
    with transaction.atomic():
        reservation = SerialReservation.objects.filter(participant=participant).first()
        if reservation is not None:
            return reservation.serial
        Project.objects.lock(participant.project_id)
        reservation = SerialReservation.objects.filter(participant=participant).first()
        if reservation is not None:
            return reservation.serial
        serial = _last_serial(participant.project_id) + 1
        SerialReservation.objects.create(project_id=participant.project_id, participant=participant, serial=serial)
        return serial


def issue_certificate(*, participant, actor, replaces=None):
    """The participant's live certificate: the existing one, or a new one made now.

    Who: `permissions.can_issue` (PermissionDenied otherwise). A new one records the
    participant's latest revoked certificate (if any) as the one it replaces, unless
    `replaces` is given. Checks eligibility (whatever the route), reserves a number,
    renders the PDF, stores it, and creates the row in one transaction holding the
    participant's row lock; if anything fails after the file was written, the file is
    removed (and files left by a worker that died are swept by `remove_orphan_files`).
    Side effects: audit `certificates.certificate.issued`; e-mail to the participant on commit.
    """
    permissions.require_issue(actor, participant.project)
    existing = selectors.live_certificate(participant)
    if existing is not None:
        return existing
    check_eligible(participant)
    serial = _reserve_serial(participant)
    stored_name = None
    try:
        with transaction.atomic():
            participant = (
                Participant.objects.select_for_update(of=("self",))
                .select_related("project__host_country", "country", "user")
                .get(pk=participant.pk)
            )
            existing = selectors.live_certificate(participant)
            if existing is not None:
                return existing
            check_eligible(participant)
            if replaces is None:
                # Whatever the route (one, batch, admin), a certificate after a revoked one replaces it.
                replaces = Certificate.objects.revoked().filter(participant=participant).order_by("-serial").first()
            project = participant.project
            number = certificate_number(project, serial)
            code = new_verification_code()
            issued_at = timezone.now()
            data = pdf.certificate_data(participant, number=number, verification_code=code, issued_at=issued_at)
            content = pdf.render_certificate(data)
            certificate = Certificate(
                participant=participant,
                project=project,
                serial=serial,
                number=number,
                verification_code=code,
                snapshot=data,
                issued_at=issued_at,
                issued_by=recorded_user(actor),
                replaces=replaces,
                pdf_size=len(content),
            )
            certificate.pdf.save(f"{number}-{secrets.token_hex(4)}.pdf", ContentFile(content), save=False)
            stored_name = certificate.pdf.name
            certificate.save()
            SerialReservation.objects.filter(participant=participant).delete()
            IssueFailure.objects.filter(participant=participant).delete()
            audit.record(
                "certificates.certificate.issued",
                actor=actor,
                target=certificate,
                number=number,
                participant=participant.pk,
                replaces=replaces.number if replaces else None,
            )
            queue_certificate_ready(certificate)
    except BaseException:
        if stored_name:
            default_storage.delete(stored_name)
        raise
    finish_batches_if_complete(project)
    return certificate


def finish_batches_if_complete(project):
    """Close a batch of one once its participant holds a live certificate, and every running
    batch once every eligible participant does."""
    running = IssueBatch.objects.filter(project=project, finished_at__isnull=True)
    if not running.exists():
        return
    now = timezone.now()
    running.filter(participant__isnull=False).filter(
        Exists(Certificate.objects.live().filter(participant=OuterRef("participant")))
    ).update(finished_at=now)
    if selectors.participants_without_certificate(project).exists():
        return
    with transaction.atomic():
        IssueBatch.objects.filter(project=project, finished_at__isnull=True).update(finished_at=now)
        Project.objects.filter(pk=project.pk, certificates_issued_at__isnull=True).update(
            certificates_issued_at=now, updated_at=now
        )
