"""Issuing certificates on the worker: a project's batch, one participant's (a batch of one), failures,
retry, orphan files. No web request renders a PDF: it queues `issue_one` and the page shows the progress."""

import datetime
import os

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apopms import audit
from apopms.exceptions import DomainError
from apopms.models import Project
from apopms.tasks import enqueue_on_commit
from sessions.selectors import participants_attended_every_session

from .. import permissions, selectors
from ..models import Certificate, IssueBatch, IssueFailure
from .chunked import chunks
from .issuing import check_eligible, finish_batches_if_complete, recorded_user, require_issuing_open

# A PDF file this old that no certificate row points to was left by a worker that died.
ORPHAN_AGE = datetime.timedelta(minutes=15)


def start_issuing(*, project, actor):
    """Start (or resume) issuing a project's certificates; returns the batch.

    Who: `permissions.can_issue`. Only after the last session has ended. A running batch
    is returned as it is and its missing certificates queued again, so pressing the button
    twice is harmless.
    Side effects: audit `certificates.batch.started`; `issue_batch` queued on commit.
    """
    permissions.require_issue(actor, project)
    with transaction.atomic():
        project = Project.objects.lock(project.pk)
        require_issuing_open(project)
        batch = IssueBatch.objects.filter(project=project, finished_at__isnull=True).order_by("-pk").first()
        if batch is None:
            batch = IssueBatch.objects.create(
                project=project,
                started_by=recorded_user(actor),
                eligible_at_start=participants_attended_every_session(project).count(),
            )
            audit.record("certificates.batch.started", actor=actor, target=project, batch=batch.pk)
        from ..tasks import issue_batch  # noqa: PLC0415 - the tasks call these services

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
    """Queue the failed participants of `batch` again. Who: `permissions.can_issue`.

    Side effects: audit `certificates.batch.retried`; `issue_one` tasks on commit.
    """
    from ..tasks import issue_one  # noqa: PLC0415 - the tasks call these services

    permissions.require_issue(actor, batch.project)
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
    except (FileNotFoundError, NotADirectoryError):
        # No file written yet, or the folder is not there as a folder (a storage volume not
        # mounted): nothing to sweep; the failures of the batch say what went wrong.
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


def queue_certificate(*, participant, actor):
    """Queue one participant's certificate on the worker ("Issue this one"); returns the batch tracking it.

    Who: `permissions.can_issue`. Only after the last session has ended, for an eligible
    participant without a live certificate (DomainError otherwise). The PDF is never rendered
    here: it joins the running batch if there is one, else a batch of one, so the page shows
    its progress (and a failure, with retry) like the batch's.
    Side effects: audit `certificates.certificate.queued`; `issue_one` queued on commit.
    """
    from ..tasks import issue_one  # noqa: PLC0415 - the tasks call these services

    permissions.require_issue(actor, participant.project)
    with transaction.atomic():
        project = Project.objects.lock(participant.project_id)
        require_issuing_open(project)
        check_eligible(participant)
        existing = selectors.live_certificate(participant, fields=("number",))
        if existing is not None:
            raise DomainError(f"{participant.certificate_name} already holds certificate {existing.number}.")
        running = IssueBatch.objects.filter(project=project, finished_at__isnull=True)
        batch = (
            running.filter(participant__isnull=True).order_by("-pk").first()
            or running.filter(participant=participant).order_by("-pk").first()
        )
        if batch is None:
            batch = IssueBatch.objects.create(
                project=project, participant=participant, started_by=recorded_user(actor), eligible_at_start=1
            )
        audit.record(
            "certificates.certificate.queued", actor=actor, target=project, batch=batch.pk, participant=participant.pk
        )
        enqueue_on_commit(issue_one, batch_id=batch.pk, participant_id=participant.pk)
    return batch


def resume_stalled_batches(*, stalled_for, now=None):
    """Queue again the certificates a running batch lost; returns how many were queued.

    A batch is stalled when it started, and nothing was issued in its project nor failed in it,
    more than `stalled_for` ago (settings.CERTIFICATE_STALL_SECONDS; Celery beat asks every
    CERTIFICATE_SWEEP_SECONDS). Its tasks were lost: the main process of the worker holding them
    died (a killed pool child's task is requeued at once, acks late with reject on worker lost),
    or the broker was down when it was started. Each eligible participant of it still without a
    live certificate nor a recorded failure (failures wait for the Secretariat's "Retry") is
    queued again, in chunks (`issue_chunk`); one still queued somewhere runs twice, harmlessly (one live certificate
    each). A batch with nothing left to make is finished. Audit `certificates.batch.resumed`.
    """
    from ..tasks import issue_chunk  # noqa: PLC0415 - the tasks call these services

    cutoff = (now or timezone.now()) - stalled_for
    queued = 0
    for batch in IssueBatch.objects.filter(finished_at__isnull=True, started_at__lt=cutoff).select_related("project"):
        project = batch.project
        last_issued = Certificate.objects.filter(project=project).aggregate(at=Max("issued_at"))["at"]
        last_failed = batch.failures.aggregate(at=Max("failed_at"))["at"]
        if any(at is not None and at >= cutoff for at in (last_issued, last_failed)):
            continue
        lost = selectors.participants_without_certificate(project).exclude(
            pk__in=batch.failures.values("participant_id")
        )
        if batch.participant_id is not None:
            lost = lost.filter(pk=batch.participant_id)
        ids = list(lost.order_by("pk").values_list("pk", flat=True))
        if not ids:
            finish_batches_if_complete(project)
            continue
        with transaction.atomic():
            audit.record("certificates.batch.resumed", target=project, batch=batch.pk, count=len(ids))
            for chunk in chunks(ids):
                enqueue_on_commit(issue_chunk, batch_id=batch.pk, participant_ids=chunk)
        queued += len(ids)
    return queued
