"""Celery tasks of nominations: acknowledgement and selection e-mails (written to the outbox), spreadsheet imports.

Each is safe to run twice. The selection's e-mails keep the names they were first queued under
(`nominations.selection_tasks.*`), so messages queued before a deploy still find their task.
"""

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from apopms.enums import InvitationPurpose
from apopms.exceptions import DomainError
from apopms.models import MemberCountry, Project, User
from apopms.services import invite_user

from . import emails
from .enums import NominationStatus, ParticipantStatus
from .models import Nomination, Participant
from .resources import imports
from .services import import_nominations

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


@shared_task(bind=True, max_retries=0)
def run_nomination_import(self, *, job_id):
    """Run a previewed spreadsheet import (all or nothing), reporting progress in the cache.

    Safe to run twice: rows already present are skipped, and a finished job is not run again.
    """
    job = imports.get_job(job_id)
    if job is None or job["state"] in ("done", "running"):
        return
    project = Project.objects.filter(pk=job["project_id"]).first()
    country = MemberCountry.objects.filter(pk=job["country_id"]).first()
    actor = User.objects.filter(pk=job["actor_id"]).first()
    if project is None or country is None or actor is None:
        imports.update_job(job_id, state="failed", error="The project, country or person is gone.")
        return
    imports.update_job(job_id, state="running", done=0)
    try:
        rows, errors = imports.load_rows_for_job(job, project=project, country=country)
        if errors:
            imports.update_job(job_id, state="failed", error="The file has errors; nothing was imported.")
            return
        result = import_nominations(
            project=project,
            country=country,
            actor=actor,
            rows=rows,
            progress=lambda done, total: imports.update_job(job_id, done=done, total=total),
        )
    except DomainError as exc:
        imports.update_job(job_id, state="failed", error=f"Nothing was imported: {exc.message}")
        return
    except Exception:
        logger.exception("Nomination import %s failed", job_id)
        imports.update_job(job_id, state="failed", error="The import failed; nothing was imported.")
        raise
    imports.update_job(
        job_id, state="done", done=len(rows), created=len(result["created"]), skipped=len(result["skipped"])
    )
    imports.discard_file(job)


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
