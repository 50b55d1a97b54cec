"""The outbox: every e-mail the portal sends is first a row, written with the change that causes it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..enums import OutboxCause, OutboxStatus
from .invitations import Invitation
from .projects import Project


class OutboxMessageQuerySet(models.QuerySet):
    def for_project(self, project):
        return self.filter(project=project)

    def failed(self):
        return self.filter(status=OutboxStatus.FAILED)

    def unleased(self, now=None):
        """Pending rows no sender holds a lease on."""
        now = now or timezone.now()
        return self.filter(status=OutboxStatus.PENDING).filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))

    def due(self, now=None):
        """Pending rows whose next attempt is due and that no sender holds a lease on."""
        now = now or timezone.now()
        return self.unleased(now).filter(next_attempt_at__lte=now)


class OutboxMessage(models.Model):
    """One e-mail to one recipient, as it will be (or was) sent.

    Secrets are never stored: a personal link (an invitation's) is the placeholder
    `apopms.mail.LINK_PLACEHOLDER` here, replaced by the real link when the message is sent.
    A sender claims the row by setting `leased_until` under `select_for_update(skip_locked=True)`,
    so two senders never send the same row at once; the Message-ID stays the same on every
    attempt, so a rare second delivery (a worker lost between the SMTP reply and the row's update)
    is recognisable as the same message.
    """

    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="outbox")
    cause = models.CharField(max_length=40, choices=OutboxCause.choices)
    key = models.CharField(
        max_length=200, null=True, blank=True, unique=True, help_text="Makes queueing the same e-mail twice a no-op."
    )
    recipient = models.EmailField()
    recipient_name = models.CharField(max_length=200, blank=True)
    cc = models.JSONField(default=list, blank=True)
    reply_to = models.EmailField(blank=True)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    message_id = models.CharField(max_length=250, unique=True)
    invitation = models.ForeignKey(Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    leased_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["project", "status"], name="outbox_project_status"),
        ]

    def __str__(self):
        return f"E-mail {self.pk} to {self.recipient}: {self.subject}"
