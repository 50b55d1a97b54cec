"""E-mails of the core, sent by Celery after commit (each task is safe to run twice), and
`enqueue_on_commit`, the way every app's services queue a task."""

import datetime
import smtplib
from functools import partial

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import mail
from .enums import Role
from .models import Invitation, Membership, Project

RETRY_ON = (smtplib.SMTPException, OSError)


def enqueue_on_commit(task, **kwargs):
    """Queue `task` with keyword arguments once the current transaction commits.

    `robust=True`: a broker that is down must not turn a committed change into an
    error page; the failure is logged (and periodic sweeps or a retry pick it up).
    """
    transaction.on_commit(partial(task.apply_async, kwargs=kwargs), robust=True)


@shared_task(bind=True, acks_late=True)
def send_outbox_message(self, *, message_pk):
    """Send one outbox row now (queued after the commit that wrote it). Safe to run twice: a row
    already sent, or leased by another sender, is left alone; a failure is recorded on the row and
    the sweep retries it with backoff."""
    mail.send_now(message_pk)


@shared_task(bind=True, acks_late=True)
def sweep_outbox(self):
    """Send every outbox row still pending after its wait (Celery beat runs this every minute)."""
    return mail.sweep()


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def _render(name, context):
    subject = " ".join(render_to_string(f"apopms/email/{name}_subject.txt", context).split())
    body = render_to_string(f"apopms/email/{name}.txt", context)
    return subject, body


@shared_task(bind=True, autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5)
def send_invitation_email(self, *, invitation_pk):
    """The invitation link. Skipped when the invitation is gone, used, replaced or already sent."""
    invitation = (
        Invitation.objects.select_related("user", "project", "country", "invited_by").filter(pk=invitation_pk).first()
    )
    if invitation is None or invitation.sent_at or not invitation.is_usable():
        return
    link = absolute(reverse("invitation_accept", kwargs={"token": invitation.token()}))
    subject, body = _render(
        f"invitation_{invitation.purpose}",
        {
            "invitation": invitation,
            "user": invitation.user,
            "project": invitation.project,
            "link": link,
            "expires_at": invitation.expires_at,
            # Times in the invitee's world: the project's zone, else their country's.
            "zone": (invitation.project or invitation.country).zone
            if (invitation.project or invitation.country)
            else "UTC",
            "project_url": absolute(invitation.project.get_absolute_url()) if invitation.project else "",
            "site_url": settings.SITE_URL,
        },
    )
    send_mail(subject, body, None, [invitation.user.email])
    # Conditional update: a second run of the same task finds sent_at set and sends nothing.
    Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(sent_at=timezone.now())


@shared_task(bind=True, autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5)
def notify_inviter_of_renewal(self, *, invitation_pk):
    """Tell whoever invited that the invitee asked for, and got, a new link."""
    invitation = Invitation.objects.select_related("user", "invited_by", "project").filter(pk=invitation_pk).first()
    if invitation is None or invitation.invited_by is None or not invitation.invited_by.is_active:
        return
    subject, body = _render("invitation_renewed", {"invitation": invitation, "site_url": settings.SITE_URL})
    send_mail(subject, body, None, [invitation.invited_by.email])


def npo_officer_emails(project):
    return sorted(
        set(
            Membership.objects.filter(
                role=Role.NPO_OFFICER,
                active=True,
                user__is_active=True,
                country__in=project.participating_countries.all(),
            ).values_list("user__email", flat=True)
        )
    )


@shared_task(bind=True, autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5)
def notify_deadline_extended(self, *, project_pk, old_deadline, new_deadline):
    """Tell the NPO officers of the participating countries that the deadline moved.

    Skipped if the deadline has moved again since (the later task tells them)."""
    project = Project.objects.filter(pk=project_pk).first()
    if project is None or project.nomination_deadline != datetime.datetime.fromisoformat(new_deadline):
        return
    recipients = npo_officer_emails(project)
    if not recipients:
        return
    old = datetime.datetime.fromisoformat(old_deadline)
    subject, body = _render(
        "deadline_extended",
        {
            "project": project,
            "old_deadline": old,
            # The last day of the old deadline in the project's zone (it ends at 00:00 the next day).
            "old_closing_date": Project.closing_date_for(old, project.zone),
            "project_url": absolute(project.get_absolute_url()),
        },
    )
    # One message per officer: no officer learns the others' addresses.
    for email in recipients:
        send_mail(subject, body, None, [email])


@shared_task(bind=True, autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5)
def notify_notification_issued(self, *, project_pk, revision_number=0):
    """Tell the NPO officers of the participating countries that a notification (or a revision) was issued."""
    project = Project.objects.filter(pk=project_pk, notification_issued_at__isnull=False).first()
    if project is None:
        return
    revision = project.revisions.filter(number=revision_number).first() if revision_number else None
    recipients = npo_officer_emails(project)
    subject, body = _render(
        "notification_issued",
        {"project": project, "revision": revision, "project_url": absolute(project.get_absolute_url())},
    )
    for email in recipients:
        send_mail(subject, body, None, [email])
