"""The core's Celery tasks: the outbox's sender and sweep, the sessions' clean-up, and
`enqueue_on_commit`, the way every app's services queue a task.

The e-mail tasks of old (`send_invitation_email`, `notify_*`) stay registered for messages queued
before the outbox: they now write the outbox rows (a no-op when the rows exist), which then send.
"""

from functools import partial
from importlib import import_module

from celery import shared_task
from django.conf import settings
from django.db import transaction

from . import emails, mail
from .models import Invitation, OutboxMessage, Project


def enqueue_on_commit(task, **kwargs):
    """Queue `task` with keyword arguments once the current transaction commits.

    `robust=True`: a broker that is down must not turn a committed change into an error page;
    the failure is logged. E-mails are not lost then: their outbox rows are committed with the
    change, and `sweep_outbox` sends them.
    """
    transaction.on_commit(partial(task.apply_async, kwargs=kwargs), robust=True)


def absolute(path):
    return mail.absolute(path)


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


@shared_task(bind=True)
def send_invitation_email(self, *, invitation_pk):
    """The invitation e-mail, for a usable invitation not yet in the outbox."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_related("user", "project", "country", "invited_by")
            .filter(pk=invitation_pk)
            .first()
        )
        if invitation is None or not invitation.is_usable():
            return
        if OutboxMessage.objects.filter(invitation=invitation).exists():
            return  # already written; its row says whether it went out
        emails.queue_invitation(invitation)


@shared_task(bind=True)
def notify_inviter_of_renewal(self, *, invitation_pk):
    """Tell whoever invited that the invitee asked for, and got, a new link."""
    with transaction.atomic():
        invitation = Invitation.objects.select_related("user", "invited_by", "project").filter(pk=invitation_pk).first()
        if invitation is not None:
            emails.queue_inviter_renewal(invitation)


@shared_task(bind=True)
def notify_deadline_extended(self, *, project_pk, old_deadline, new_deadline):
    """Tell the NPO officers that the deadline moved; skipped if it has moved again since."""
    with transaction.atomic():
        project = Project.objects.filter(pk=project_pk).first()
        new = emails.parse_instant(new_deadline)
        if project is None or project.nomination_deadline != new:
            return
        emails.queue_deadline_extended(project, old_deadline=emails.parse_instant(old_deadline), new_deadline=new)


@shared_task(bind=True)
def notify_notification_issued(self, *, project_pk, revision_number=0):
    """Tell the NPO officers that a notification (or a revision) was issued."""
    with transaction.atomic():
        project = Project.objects.filter(pk=project_pk, notification_issued_at__isnull=False).first()
        if project is not None:
            emails.queue_notification_issued(project, revision_number=revision_number)


@shared_task(acks_late=True)
def clear_expired_sessions():
    """Delete the sessions whose expiry has passed, as Django's `clearsessions` does: each login
    leaves a row (who is signed in, until when) that nothing else removes. Daily, by beat."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
