"""Issuing a batch's certificates a chunk at a time: the same result as `issue_certificate` for each,
with the database work of the whole chunk done at once.

Per certificate, the one-by-one path costs about as much in task, query and commit overhead
as the render itself (benchmarks/bench_certificates.py). A chunk of `CHUNK` participants has its
serials reserved in one short transaction under the project lock, its PDFs rendered and stored
outside any transaction, then its rows, audit entries and e-mails written in one transaction
holding the chunk's participant rows. Progress moves a chunk at a time (counts are derived from
the rows). Anything the chunk cannot settle falls back to `issue_certificate`, one by one, which
records each participant's failure: a participant no longer eligible, a refused render, a database
error in the chunk's transaction.
"""

import secrets

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.utils import timezone

from apopms import audit
from apopms.models import Project
from nominations.models import Participant
from sessions.selectors import participants_attended_every_session

from .. import pdf, permissions, selectors
from ..emails import queue_certificates_ready
from ..models import Certificate, IssueFailure, SerialReservation
from .issuing import (
    _last_serial,
    certificate_number,
    finish_batches_if_complete,
    new_verification_code,
    recorded_user,
)

# Participants per `issue_chunk` task: large enough that the task, its queries and its commit are
# a small share of the chunk's renders (about 0.1 s each), small enough that progress moves every
# few seconds and a killed worker redoes little.
CHUNK = 25


def chunks(ids, size=CHUNK):
    ids = list(ids)
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _reserve_serials(project_id, participants):
    """{participant pk: serial} for `participants`, the missing ones allocated now under the project's
    row lock, in one short transaction (a reservation left by a worker that died is reused)."""
    pks = [p.pk for p in participants]
    with transaction.atomic():
        Project.objects.lock(project_id)
        serials = dict(SerialReservation.objects.filter(participant_id__in=pks).values_list("participant_id", "serial"))
        missing = [pk for pk in pks if pk not in serials]
        if missing:
            last = _last_serial(project_id)
            new = [
                SerialReservation(project_id=project_id, participant_id=pk, serial=last + i)
                for i, pk in enumerate(missing, start=1)
            ]
            SerialReservation.objects.bulk_create(new)
            serials.update({r.participant_id: r.serial for r in new})
    return serials


def issue_chunk(*, batch, participant_ids, actor, fallback):
    """Issue the certificates of `participant_ids` in `batch`; returns how many were made here.

    Who: `permissions.can_issue`. Participants already holding a live certificate are skipped;
    those not eligible now, or whose PDF fails to render, or all of them if the chunk's
    transaction fails, are handed to `fallback(participant)` (the one-by-one path, which issues
    or records the failure). Side effects: audit `certificates.certificate.issued` for each
    certificate; the "certificate ready" e-mails on commit; batches finished when complete.
    """
    project = batch.project
    try:
        permissions.require_issue(actor, project)
    except PermissionDenied:  # e.g. the starter lost the role: each refusal recorded, as one by one
        for participant in Participant.objects.filter(pk__in=participant_ids, project=project).order_by("pk"):
            fallback(participant)
        return 0
    participants = list(
        Participant.objects.select_related("project__host_country", "country", "user")
        .filter(pk__in=participant_ids, project=project)
        .order_by("pk")
    )
    live = set(Certificate.objects.live().filter(participant__in=participants).values_list("participant_id", flat=True))
    participants = [p for p in participants if p.pk not in live]
    open_now = selectors.issuing_open(project)
    eligible = (
        set(
            participants_attended_every_session(project)
            .filter(pk__in=[p.pk for p in participants])
            .values_list("pk", flat=True)
        )
        if open_now
        else set()
    )
    aside = [p for p in participants if p.pk not in eligible]
    todo = [p for p in participants if p.pk in eligible]
    made = []
    if todo:
        serials = _reserve_serials(project.pk, todo)
        rendered, failed = _render_and_store(todo, serials, actor)
        aside += failed
        try:
            made = _write(project, rendered, actor)
        except DatabaseError:
            for certificate in rendered:
                default_storage.delete(certificate.pdf.name)
            aside += [c.participant for c in rendered]
            made = []
    for participant in sorted(aside, key=lambda p: p.pk):
        fallback(participant)
    finish_batches_if_complete(project)
    return len(made)


def _render_and_store(participants, serials, actor):
    """Unsaved certificates with their PDF stored, and the participants whose render or storing failed."""
    rendered, failed = [], []
    try:
        for participant in participants:
            number = certificate_number(participant.project, serials[participant.pk])
            code = new_verification_code()
            issued_at = timezone.now()
            data = pdf.certificate_data(participant, number=number, verification_code=code, issued_at=issued_at)
            try:
                content = pdf.render_certificate(data)
            except Exception:
                failed.append(participant)  # the one-by-one path renders it again and records why it fails
                continue
            certificate = Certificate(
                participant=participant,
                project=participant.project,
                serial=serials[participant.pk],
                number=number,
                verification_code=code,
                snapshot=data,
                issued_at=issued_at,
                issued_by=recorded_user(actor),
                pdf_size=len(content),
            )
            try:
                certificate.pdf.save(f"{number}-{secrets.token_hex(4)}.pdf", ContentFile(content), save=False)
            except OSError:
                # The storage refuses (a volume not mounted, a full disk): the one-by-one path tries
                # again and records the reason for the Secretariat's "Retry".
                failed.append(participant)
                continue
            rendered.append(certificate)
    except BaseException:
        for certificate in rendered:
            default_storage.delete(certificate.pdf.name)
        raise
    return rendered, failed


def _write(project, rendered, actor):
    """Write the rows of `rendered` in one transaction holding their participants' rows; returns the
    certificates made (a participant issued meanwhile by another route keeps theirs: its file goes)."""
    if not rendered:
        return []
    pks = [c.participant_id for c in rendered]
    try:
        with transaction.atomic():
            list(Participant.objects.select_for_update(of=("self",)).filter(pk__in=pks).order_by("pk").values("pk"))
            taken = set(
                Certificate.objects.live().filter(participant_id__in=pks).values_list("participant_id", flat=True)
            )
            for certificate in rendered:
                if certificate.participant_id in taken:
                    default_storage.delete(certificate.pdf.name)
            certificates = [c for c in rendered if c.participant_id not in taken]
            replaces = {}
            for old in Certificate.objects.revoked().filter(participant_id__in=pks).order_by("serial"):
                replaces[old.participant_id] = old  # the latest revoked one, as issue_certificate records
            for certificate in certificates:
                certificate.replaces = replaces.get(certificate.participant_id)
            Certificate.objects.bulk_create(certificates)
            SerialReservation.objects.filter(participant_id__in=pks).delete()
            IssueFailure.objects.filter(participant_id__in=pks).delete()
            audit.record_each(
                "certificates.certificate.issued",
                actor=actor,
                entries=[
                    (
                        c,
                        {
                            "number": c.number,
                            "participant": c.participant_id,
                            "replaces": c.replaces.number if c.replaces else None,
                        },
                    )
                    for c in certificates
                ],
            )
            queue_certificates_ready(certificates)
    except BaseException:
        for certificate in rendered:
            default_storage.delete(certificate.pdf.name)
        raise
    return certificates
