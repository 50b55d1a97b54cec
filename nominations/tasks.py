"""Celery tasks of nominations: acknowledgement e-mails and spreadsheet imports."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

logger = logging.getLogger(__name__)

RETRY_ON = (smtplib.SMTPException, OSError)
ACK_SENT_KEY = "nominations:ack-sent:{pk}"


def _officers_of(country):
    from apopms.enums import Role
    from apopms.models import User

    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.NPO_OFFICER,
            memberships__country=country,
            memberships__active=True,
        )
        .distinct()
        .order_by("email")
    )


@shared_task(bind=True, autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5)
def send_submission_acknowledgement(self, *, nomination_id, officer_id=None):
    """Acknowledge a submission to the officer who submitted it, the NPO's other officers copied.

    Quietly does nothing if the nomination is gone or no longer submitted, or was acknowledged
    already (a second run of the same task sends nothing). SMTP failures are retried.
    """
    from .enums import NominationStatus
    from .models import Nomination

    nomination = (
        Nomination.objects.select_related("project", "country", "project__host_country")
        .filter(pk=nomination_id, status=NominationStatus.SUBMITTED)
        .first()
    )
    key = ACK_SENT_KEY.format(pk=nomination_id)
    if nomination is None or cache.get(key):
        return
    officers = _officers_of(nomination.country)
    if not officers:
        return
    first = next((o for o in officers if o.pk == officer_id), None)
    to = [first] if first else officers
    cc = [o for o in officers if o not in to]
    context = {
        "nomination": nomination,
        "project": nomination.project,
        "officer": first,
        "link": settings.SITE_URL + reverse("nominations:detail", kwargs={"pk": nomination.pk}),
    }
    subject = " ".join(render_to_string("nominations/email/acknowledgement_subject.txt", context).split())
    body = render_to_string("nominations/email/acknowledgement.txt", context)
    EmailMessage(subject, body, to=[o.email for o in to], cc=[o.email for o in cc]).send()
    cache.set(key, True, 60 * 60 * 24 * 60)


@shared_task(bind=True, max_retries=0)
def run_nomination_import(self, *, job_id):
    """Run a previewed spreadsheet import (all or nothing), reporting progress in the cache.

    Safe to run twice: rows already present are skipped, and a finished job is not run again.
    """
    from apopms.exceptions import DomainError
    from apopms.models import MemberCountry, Project, User

    from . import resources as imports
    from .services import import_nominations

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
