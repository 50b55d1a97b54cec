"""Issuing, revoking and reissuing certificates of attendance. Every write goes through here."""

import datetime
import logging
import os
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from apopms import audit
from apopms.exceptions import DomainError
from apopms.models import Project
from apopms.tasks_util import enqueue_on_commit
from nominations.enums import ParticipantStatus
from nominations.models import Participant
from sessions.models import Session
from sessions.selectors import attended_every_session, participants_attended_every_session

from . import codes, pdf
from .models import Certificate, IssueBatch, IssueFailure, SerialReservation

logger = logging.getLogger(__name__)

APO_NAME = "Asian Productivity Organization"
# Codes carry 130 random bits (certificates/codes.py); the verification page is also rate
# limited, so it is no oracle for guessing.
ORPHAN_AGE = datetime.timedelta(minutes=15)


def new_verification_code():
    return codes.new_code()


def certificate_number(project, serial):
    return f"{project.code}-{serial:04d}"


def _date_range(start, end):
    if start == end:
        return date_format(start, "j F Y")
    if start.year != end.year:
        return f"{date_format(start, 'j F Y')}–{date_format(end, 'j F Y')}"
    if start.month != end.month:
        return f"{date_format(start, 'j F')}–{date_format(end, 'j F Y')}"
    return f"{start.day}–{date_format(end, 'j F Y')}"


def certificate_data(participant, *, number, verification_code, issued_at):
    """The plain snapshot of what a certificate certifies, as printed on it."""
    project = participant.project
    lang = pdf.native_lang(participant.native_name, participant.country.iso2) if participant.native_name else ""
    return {
        "apo_name": APO_NAME,
        "certificate_name": participant.certificate_name,
        "native_name": participant.native_name,
        "native_lang": lang,
        "native_dir": "rtl" if lang in pdf.RTL_LANGS else "ltr",
        "country": participant.country.name,
        "project_title": project.title,
        "project_code": project.code,
        "start_date": project.start_date.isoformat(),
        "end_date": project.end_date.isoformat(),
        "date_range": _date_range(project.start_date, project.end_date),
        "modality": project.get_modality_display(),
        "host_country": project.host_country.name,
        "implementing_organizations": project.implementing_organization_list,
        "signatory_name": project.signatory_name,
        "signatory_title": project.signatory_title,
        "number": number,
        "issued_date": date_format(issued_at.astimezone(project.zone).date(), "j F Y"),
        "verification_url": settings.SITE_URL + reverse("certificates:verify", kwargs={"code": verification_code}),
        # Printed apart: the address, then the code in groups (typed back with or without spaces).
        "verification_base": settings.SITE_URL + reverse("certificates:verify_lookup"),
        "verification_code_grouped": codes.group_code(verification_code),
    }


# ---------------------------------------------------------------- eligibility


def last_session_end(project):
    return Session.objects.filter(project=project).aggregate(end=Max("end_at"))["end"]


def check_eligible(participant):
    """Raise DomainError unless `participant` may hold a certificate now. The one gate for every route."""
    if participant.status != ParticipantStatus.ACTIVE:
        raise DomainError(f"{participant.certificate_name} is no longer a participant.")
    end = last_session_end(participant.project)
    if end is None:
        raise DomainError("The project has no sessions, so nobody attended them all.")
    if end > timezone.now():
        raise DomainError("Certificates are issued only after the last session has ended.")
    if not attended_every_session(participant):
        raise DomainError(f"{participant.certificate_name} did not attend every session.")


# ---------------------------------------------------------------- issuing


def _reserve_serial(participant):
    """The serial set aside for `participant` (allocated once, under the project's row lock).

    A short transaction of its own: the project row is locked only to count, not while
    a PDF renders, so workers render in parallel. Reused by the next run after a crash.
    """
    with transaction.atomic():
        reservation = SerialReservation.objects.filter(participant=participant).first()
        if reservation is not None:
            return reservation.serial
        Project.objects.select_for_update().only("pk").get(pk=participant.project_id)
        reservation = SerialReservation.objects.filter(participant=participant).first()
        if reservation is not None:
            return reservation.serial
        used = [
            Certificate.objects.filter(project_id=participant.project_id).aggregate(m=Max("serial"))["m"] or 0,
            SerialReservation.objects.filter(project_id=participant.project_id).aggregate(m=Max("serial"))["m"] or 0,
        ]
        serial = max(used) + 1
        SerialReservation.objects.create(project_id=participant.project_id, participant=participant, serial=serial)
        return serial


def issue_certificate(*, participant, actor, replaces=None):
    """The participant's live certificate: the existing one, or a new one made now.

    A new one records the participant's latest revoked certificate (if any) as the one it
    replaces, unless `replaces` is given. Checks eligibility (whatever the route), reserves
    a number, renders the PDF, stores it, and creates the row in one transaction holding
    the participant's row lock; if anything fails after the file was written, the file is
    removed (and files left by a worker that died are swept by `remove_orphan_files`).
    Side effects: audit `certificates.certificate.issued`; e-mail to the participant on commit.
    """
    existing = Certificate.objects.live().filter(participant=participant).first()
    if existing is not None:
        return existing
    check_eligible(participant)
    serial = _reserve_serial(participant)
    stored_name = None
    try:
        with transaction.atomic():
            participant = (
                Participant.objects.select_for_update(of=("self",))
                .select_related("project__host_country", "country")
                .get(pk=participant.pk)
            )
            existing = Certificate.objects.live().filter(participant=participant).first()
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
            data = certificate_data(participant, number=number, verification_code=code, issued_at=issued_at)
            content = pdf.render_certificate(data)
            certificate = Certificate(
                participant=participant,
                project=project,
                serial=serial,
                number=number,
                verification_code=code,
                snapshot=data,
                issued_at=issued_at,
                issued_by=actor if getattr(actor, "is_authenticated", False) else None,
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
            from .tasks import send_certificate_ready

            enqueue_on_commit(send_certificate_ready, certificate_id=certificate.pk)
    except BaseException:
        if stored_name:
            default_storage.delete(stored_name)
        raise
    _finish_batches_if_complete(project)
    return certificate


def _finish_batches_if_complete(project):
    """Close running batches once every eligible participant holds a live certificate."""
    if not IssueBatch.objects.filter(project=project, finished_at__isnull=True).exists():
        return
    if participants_without_certificate(project).exists():
        return
    now = timezone.now()
    with transaction.atomic():
        IssueBatch.objects.filter(project=project, finished_at__isnull=True).update(finished_at=now)
        Project.objects.filter(pk=project.pk, certificates_issued_at__isnull=True).update(certificates_issued_at=now)


def participants_without_certificate(project):
    """Eligible participants who hold no live certificate yet."""
    return participants_attended_every_session(project).exclude(
        pk__in=Certificate.objects.live().filter(project=project).values("participant_id")
    )


def start_issuing(*, project, actor):
    """Start (or resume) issuing a project's certificates; returns the batch.

    Only after the last session has ended. A running batch is returned as it is and
    its missing certificates queued again, so pressing the button twice is harmless.
    Side effects: audit `certificates.batch.started`; `issue_batch` queued on commit.
    """
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        end = last_session_end(project)
        if end is None:
            raise DomainError("The project has no sessions, so nobody attended them all.")
        if end > timezone.now():
            raise DomainError("Certificates can be issued only after the last session has ended.")
        batch = IssueBatch.objects.filter(project=project, finished_at__isnull=True).order_by("-pk").first()
        if batch is None:
            batch = IssueBatch.objects.create(
                project=project,
                started_by=actor if getattr(actor, "is_authenticated", False) else None,
                eligible_at_start=participants_attended_every_session(project).count(),
            )
            audit.record("certificates.batch.started", actor=actor, target=project, batch=batch.pk)
        from .tasks import issue_batch

        enqueue_on_commit(issue_batch, batch_id=batch.pk)
    return batch


def record_failure(*, batch, participant, reason):
    """Remember why a participant's certificate could not be made in `batch`."""
    failure, created = IssueFailure.objects.get_or_create(
        batch=batch, participant=participant, defaults={"reason": reason[:2000]}
    )
    if not created:
        failure.reason = reason[:2000]
        failure.attempts += 1
        failure.failed_at = timezone.now()
        failure.save(update_fields=["reason", "attempts", "failed_at"])
    return failure


def retry_failures(*, batch, actor):
    """Queue the failed participants of `batch` again. Side effects: audit; tasks on commit."""
    from .tasks import issue_one

    with transaction.atomic():
        ids = list(batch.failures.values_list("participant_id", flat=True))
        if batch.finished_at is not None and ids:
            IssueBatch.objects.filter(pk=batch.pk).update(finished_at=None)
        audit.record("certificates.batch.retried", actor=actor, target=batch.project, batch=batch.pk, count=len(ids))
        for pk in ids:
            enqueue_on_commit(issue_one, batch_id=batch.pk, participant_id=pk)
    return len(ids)


def remove_orphan_files(project, *, older_than=ORPHAN_AGE):
    """Delete PDF files of `project` that no certificate row points to (left by a worker that died)."""
    folder = f"private/certificates/{project.pk}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return 0
    known = {os.path.basename(n) for n in Certificate.objects.filter(project=project).values_list("pdf", flat=True)}
    cutoff = timezone.now() - older_than
    removed = 0
    for name in files:
        if name in known:
            continue
        path = f"{folder}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed


# ---------------------------------------------------------------- revoking, reissuing, names


def revoke_certificate(*, certificate, actor, reason):
    """Revoke a live certificate with a reason. Side effect: audit `certificates.certificate.revoked`."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for revoking.", field="reason")
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            raise DomainError(f"Certificate {certificate.number} is already revoked.")
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
        certificate.revocation_reason = reason
        certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        audit.record("certificates.certificate.revoked", actor=actor, target=certificate, reason=reason)
    return certificate


def reissue_certificate(*, certificate, actor, reason):
    """Revoke `certificate` (if live) and issue a new one with a new number from the current data."""
    if certificate.revoked_at is None:
        check_eligible(certificate.participant)
        certificate = revoke_certificate(certificate=certificate, actor=actor, reason=reason)
    return issue_certificate(participant=certificate.participant, actor=actor, replaces=certificate)


def correct_certificate_name(*, participant, actor, certificate_name, native_name="", reason=""):
    """Correct the name printed on a participant's certificate, before it is issued.

    Refused while a live certificate exists (revoke first, then reissue).
    Side effect: audit `certificates.name.corrected` with the old and new names.
    """
    certificate_name = (certificate_name or "").strip()
    native_name = (native_name or "").strip()
    if not certificate_name:
        raise DomainError("The certificate name cannot be empty.", field="certificate_name")
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if Certificate.objects.live().filter(participant=participant).exists():
            raise DomainError(
                "The certificate is already issued: revoke it, correct the name, then reissue.",
                field="certificate_name",
            )
        old = {"certificate_name": participant.certificate_name, "native_name": participant.native_name}
        participant.certificate_name = certificate_name
        participant.native_name = native_name
        participant.save(update_fields=["certificate_name", "native_name"])
        audit.record(
            "certificates.name.corrected",
            actor=actor,
            target=participant,
            old=old,
            new={"certificate_name": certificate_name, "native_name": native_name},
            reason=reason,
        )
    return participant


__all__ = [
    "correct_certificate_name",
    "issue_certificate",
    "reissue_certificate",
    "revoke_certificate",
    "start_issuing",
]
