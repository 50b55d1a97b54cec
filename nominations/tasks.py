"""Celery tasks of nominations: acknowledgement and selection e-mails, spreadsheet imports.

Each is safe to run twice. The selection's e-mails keep the names they were first queued under
(`nominations.selection_tasks.*`), so messages queued before a deploy still find their task.
"""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apopms.enums import Role
from apopms.exceptions import DomainError
from apopms.models import Membership, User

from . import services
from .enums import ImportStatus, NominationStatus, ParticipantStatus
from .models import Nomination, NominationImport, Participant, SelectionNotice
from .resources import imports
from .selectors import country_results, result_label

logger = logging.getLogger(__name__)

RETRY_ON = (smtplib.SMTPException, OSError)
ACK_SENT_KEY = "nominations:ack-sent:{pk}"


def _absolute(path):
    return f"{settings.SITE_URL}{path}"


def npo_recipients(country):
    """The e-mail addresses of `country`'s active NPO officers, sorted."""
    return sorted(
        set(
            Membership.objects.filter(
                role=Role.NPO_OFFICER, country=country, active=True, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


def _officers_of(country):
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
        "link": _absolute(reverse("nominations:detail", kwargs={"pk": nomination.pk})),
    }
    subject = " ".join(render_to_string("nominations/email/acknowledgement_subject.txt", context).split())
    body = render_to_string("nominations/email/acknowledgement.txt", context)
    EmailMessage(subject, body, to=[o.email for o in to], cc=[o.email for o in cc]).send()
    cache.set(key, True, 60 * 60 * 24 * 60)


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


def _render_selection(name, context):
    subject = " ".join(render_to_string(f"nominations/selection/email/{name}_subject.txt", context).split())
    body = render_to_string(f"nominations/selection/email/{name}.txt", context)
    return subject, body


@shared_task(
    name="nominations.selection_tasks.send_selection_results",
    bind=True,
    autoretry_for=RETRY_ON,
    retry_backoff=True,
    max_retries=5,
)
def send_selection_results(self, *, notice_id):
    """One e-mail to a country's NPO officers with its results. Sent once: the notice row is locked
    and marked sent in the same transaction, so a failure rolls back and the retry sends it."""
    with transaction.atomic():
        notice = (
            SelectionNotice.objects.select_for_update(of=("self",))
            .select_related("project", "country")
            .filter(pk=notice_id)
            .first()
        )
        if notice is None or notice.sent_at is not None:
            return
        recipients = npo_recipients(notice.country)
        if recipients:
            rows = [(n, result_label(n)) for n in country_results(notice.project, notice.country)]
            subject, body = _render_selection(
                "results",
                {
                    "project": notice.project,
                    "country": notice.country,
                    "rows": rows,
                    "participants_url": _absolute(
                        reverse("nominations:participant_list", kwargs={"code": notice.project.code})
                    ),
                },
            )
            EmailMessage(subject, body, None, recipients).send()
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])


@shared_task(
    name="nominations.selection_tasks.send_participant_invitation",
    bind=True,
    autoretry_for=RETRY_ON,
    retry_backoff=True,
    max_retries=5,
)
def send_participant_invitation(self, *, participant_id):
    """A set-password link for a participant not yet invited.

    Participants are now invited by the core's `invite_user` when the selection is published; this
    task stays registered for messages queued before that, and sends nothing to an invited one.
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
        user = participant.user
        link = _absolute(
            reverse(
                "password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
        )
        subject, body = _render_selection(
            "invitation", {"participant": participant, "project": participant.project, "link": link}
        )
        EmailMessage(subject, body, None, [user.email]).send()
        participant.invited_at = timezone.now()
        participant.save(update_fields=["invited_at"])
