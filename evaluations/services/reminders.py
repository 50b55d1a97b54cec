"""Reminding the participants who have not submitted their evaluation, through the outbox."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apopms import audit, mail
from apopms.enums import OutboxCause
from apopms.models import Project

from .. import selectors
from ..permissions import require_manage_evaluation
from .answers import check_open

REMINDER_KEY = "evaluation-reminder"


def send_evaluation_reminders(*, project, actor, now=None):
    """One e-mail to each active participant who has not submitted, at most one a day each (the day,
    in the project's zone, is in the row's key: a second click the same day writes nothing).
    Side effect: the outbox sends them after commit. Audit: evaluations.reminder.sent. Returns the rows."""
    require_manage_evaluation(actor, project)
    now = now or timezone.now()
    with transaction.atomic():
        project = Project.objects.lock_shared(project.pk)
        check_open(project, now)
        day = now.astimezone(project.zone).date().isoformat()
        link = mail.absolute(reverse("evaluations:answer", kwargs={"code": project.code}))
        rows = []
        for participant in selectors.not_submitted(project):
            row = mail.queue_email(
                project=project,
                cause=OutboxCause.EVALUATION_REMINDER,
                recipient=participant.user.email,
                recipient_name=participant.certificate_name,
                template="evaluations/email/reminder",
                context={"project": project, "participant": participant, "link": link},
                key=f"{REMINDER_KEY}:{project.pk}:{day}:{participant.user.email.lower()}",
                actor=actor,
            )
            if row is not None:
                rows.append(row)
        if rows:
            audit.record("evaluations.reminder.sent", actor=actor, target=project, count=len(rows))
        return rows


def record_answers_viewed(*, project, actor):
    """The per-person view was opened: who read the answers with names, and when.
    Audit: evaluations.answers.viewed."""
    require_manage_evaluation(actor, project)
    with transaction.atomic():
        audit.record("evaluations.answers.viewed", actor=actor, target=project)
