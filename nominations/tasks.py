"""Celery tasks of nominations: acknowledgement and selection e-mails (written to the outbox), spreadsheet imports.

Each is safe to run twice. The selection's e-mails keep the names they were first queued under
(`nominations.selection_tasks.*`), so messages queued before a deploy still find their task.
"""

import logging

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from apopms.enums import InvitationPurpose
from apopms.exceptions import DomainError
from apopms.services import invite_user

from . import emails, services
from .enums import ImportStatus, NominationStatus, ParticipantStatus
from .models import Nomination, NominationImport, Participant
from .resources import imports

logger = logging.getLogger(__name__)


@shared_task(bind=True)
def send_submission_acknowledgement(self, *, nomination_id, officer_id=None):
    """Write the acknowledgement of a submitted nomination to the outbox, unless it is there already."""
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_related("project", "country")
            .filter(pk=nomination_id, status=NominationStatus.SUBMITTED)
            .first()
        )
        if nomination is not None:
            emails.queue_acknowledgement(nomination, officer_id=officer_id)


@shared_task(bind=True, max_retries=0, soft_time_limit=540, time_limit=600, ignore_result=True)
def read_nomination_import(self, *, job_id):
    """Read an uploaded spreadsheet once into the job's preview rows, reporting progress in the cache.

    Safe to run twice: a job no longer being read is left as it is.
    """
    job = NominationImport.objects.select_related("project", "country").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.READING:
        return
    services.set_progress(job.pk, stage="reading", done=0, total=0)
    try:
        with job.file.open("rb") as handle:
            content = handle.read()
        rows = imports.parse_rows(
            imports.read_dataset(content, job.file_name),
            project=job.project,
            country=job.country,
            date_order=job.date_order or None,
            progress=lambda done, total: services.set_progress(job.pk, stage="checking", done=done, total=total),
        )
    except ValueError as exc:
        services.store_import_preview(job=job, rows=[], error=str(exc))
        return
    except Exception:
        logger.exception("Reading nomination import %s failed", job_id)
        services.fail_job(job_id=job.pk, message="The file could not be read; nothing was imported.")
        raise
    services.store_import_preview(job=job, rows=imports.rows_as_json(rows), date_order_text=rows.date_order_text)


@shared_task(bind=True, max_retries=0, soft_time_limit=540, time_limit=600, ignore_result=True)
def run_nomination_import(self, *, job_id):
    """Import a confirmed job's rows (all or nothing), reporting progress in the cache.

    Safe to run twice: only a queued job runs, and rows already present are skipped.
    """
    job = services.start_nomination_import(job_id=job_id)
    if job is None:
        return
    try:
        services.run_job(job=job, progress=lambda **p: services.set_progress(job.pk, **p))
    except (DomainError, PermissionDenied) as exc:
        services.fail_job(job_id=job.pk, message=f"Nothing was imported: {getattr(exc, 'message', exc)}")
    except Exception:
        logger.exception("Nomination import %s failed", job_id)
        services.fail_job(job_id=job.pk, message="The import failed; nothing was imported.")
        raise


@shared_task(name="nominations.selection_tasks.send_selection_results", bind=True)
def send_selection_results(self, *, notice_id):
    """Write a country's results to the outbox, once per notice."""
    emails.queue_selection_results(notice_id)


@shared_task(name="nominations.selection_tasks.send_participant_invitation", bind=True)
def send_participant_invitation(self, *, participant_id):
    """A set-password link for a participant not yet invited.

    Participants are now invited by the core's `invite_user` when the selection is published; this
    task stays registered for messages queued before that: it invites through `invite_user` too
    (the link is built when the outbox sends it), and does nothing for an invited participant.
    """
    with transaction.atomic():
        participant = (
            Participant.objects.select_for_update(of=("self",))
            .select_related("user", "project", "country")
            .filter(pk=participant_id)
            .first()
        )
        if participant is None or participant.invited_at or participant.status != ParticipantStatus.ACTIVE:
            return
        invite_user(
            actor=None,
            email=participant.user.email,
            full_name=participant.certificate_name,
            purpose=InvitationPurpose.PARTICIPANT,
            project=participant.project,
        )
        participant.invited_at = timezone.now()
        participant.save(update_fields=["invited_at"])
