"""Celery tasks of the certificates: thin, ids only, safe to run twice."""

import datetime
import logging

from celery import shared_task
from celery.signals import worker_process_init
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction

from apopms.exceptions import DomainError
from nominations.models import Participant

from . import emails, pdf, selectors, services
from .models import Certificate, IssueBatch

logger = logging.getLogger(__name__)


@worker_process_init.connect
def warm_pdf_renderer(**_kwargs):
    """Each new worker process (also one recycled by `worker_max_memory_per_child`) readies the PDF
    renderer (one sample certificate, CJK fonts loaded) before it takes a task; a failure here only leaves the first PDF to pay for it."""
    try:
        pdf.warm_up()
    except Exception:
        logger.exception("Warming up the PDF renderer failed")


@shared_task(bind=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def issue_batch(self, *, batch_id):
    """Fan out one `issue_chunk` per `services.CHUNK` eligible participants still without a live certificate."""
    batch = IssueBatch.objects.select_related("project").filter(pk=batch_id).first()
    if batch is None or batch.finished_at is not None:
        return 0
    services.remove_orphan_files(batch.project)
    ids = list(selectors.participants_without_certificate(batch.project).order_by("pk").values_list("pk", flat=True))
    if not ids:
        services.finish_batches_if_complete(batch.project)
        return 0
    for chunk in services.chunks(ids):
        issue_chunk.apply_async(kwargs={"batch_id": batch.pk, "participant_ids": chunk})
    return len(ids)


@shared_task(bind=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5, ignore_result=True)
def issue_chunk(self, *, batch_id, participant_ids):
    """Issue the certificates of a chunk of a batch's participants (`services.issue_chunk`); whoever
    the chunk cannot settle goes through `issue_one`'s path here, which records their failure."""
    batch = IssueBatch.objects.select_related("project", "started_by").filter(pk=batch_id).first()
    if batch is None:
        return 0

    def one_by_one(participant):
        _issue_or_record(self, batch, participant)

    return services.issue_chunk(
        batch=batch, participant_ids=participant_ids, actor=batch.started_by, fallback=one_by_one
    )


@shared_task(bind=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def issue_one(self, *, batch_id, participant_id):
    """Issue one participant's certificate; a refusal or rendering error is recorded as a failure."""
    batch = IssueBatch.objects.select_related("started_by").filter(pk=batch_id).first()
    participant = Participant.objects.select_related("project", "country").filter(pk=participant_id).first()
    if batch is None or participant is None:
        return None
    certificate = _issue_or_record(self, batch, participant)
    return certificate.pk if certificate else None


def _issue_or_record(task, batch, participant):
    """The participant's certificate, or None with the reason recorded as a failure of `batch`."""
    try:
        certificate = services.issue_certificate(participant=participant, actor=batch.started_by)
    except DatabaseError as exc:
        if task.request.retries >= task.max_retries:
            services.record_failure(batch=batch, participant=participant, reason=f"Database error: {exc}")
            return None
        raise  # transient (a lock timeout, a lost connection): Celery retries with backoff
    except (DomainError, PermissionDenied) as exc:
        services.record_failure(batch=batch, participant=participant, reason=str(exc))
        return None
    except Exception as exc:
        logger.exception("Certificate of participant %s failed", participant.pk)
        services.record_failure(batch=batch, participant=participant, reason=f"{type(exc).__name__}: {exc}")
        return None
    return certificate


@shared_task(bind=True)
def send_certificate_ready(self, *, certificate_id):
    """Write the "certificate ready" e-mail to the outbox, once per live certificate."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_related("participant__user", "project").filter(pk=certificate_id).first()
        )
        if certificate is None or certificate.revoked_at is not None:
            return False
        return emails.queue_certificate_ready(certificate) is not None


@shared_task(bind=True, acks_late=True)
def resume_stalled_batches(self):
    """Queue again the certificates of batches that lost their tasks (Celery beat runs this)."""
    return services.resume_stalled_batches(stalled_for=datetime.timedelta(seconds=settings.CERTIFICATE_STALL_SECONDS))
