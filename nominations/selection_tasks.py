"""E-mails of the selection, sent by Celery after commit. Each task is safe to run twice."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

RETRY_ON = (smtplib.SMTPException, OSError)


def _absolute(path):
    return f"{settings.SITE_URL}{path}"


def _render(name, context):
    subject = " ".join(render_to_string(f"nominations/selection/email/{name}_subject.txt", context).split())
    body = render_to_string(f"nominations/selection/email/{name}.txt", context)
    return subject, body


def npo_recipients(country):
    from apopms.enums import Role
    from apopms.models import Membership

    return sorted(
        set(
            Membership.objects.filter(
                role=Role.NPO_OFFICER, country=country, active=True, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


@shared_task(bind=True, autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5)
def send_selection_results(self, *, notice_id):
    """One e-mail to a country's NPO officers with its results. Sent once: the notice row is locked
    and marked sent in the same transaction, so a failure rolls back and the retry sends it."""
    from .models import SelectionNotice
    from .selection import country_results, result_label

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
            subject, body = _render(
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


@shared_task(bind=True, autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5)
def send_participant_invitation(self, *, participant_id):
    """Fallback invitation (only when the core's invite_user is missing): a set-password link."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from .enums import ParticipantStatus
    from .models import Participant

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
        subject, body = _render(
            "invitation", {"participant": participant, "project": participant.project, "link": link}
        )
        EmailMessage(subject, body, None, [user.email]).send()
        participant.invited_at = timezone.now()
        participant.save(update_fields=["invited_at"])
