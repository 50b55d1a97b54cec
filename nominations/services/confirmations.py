"""Seat confirmation: selected participants confirm or decline their seat by the Secretariat's date.

A decline is a dropout: the participant and the nomination are withdrawn (`participants.mark_withdrawn`),
which frees the seat for the reserve list or a replacement window (`replacements`). After the date
nobody confirms or declines on the portal. The Secretariat reminds those who have not answered.
"""

import re

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apopms import audit, mail
from apopms.enums import OutboxCause
from apopms.exceptions import DomainError
from apopms.models import Project, long_date

from ..enums import ParticipantStatus
from ..models import Participant, SeatConfirmation
from ..permissions import require_answer_seat, require_decide_selection
from .participants import mark_withdrawn

NONCE_RE = re.compile(r"[0-9a-f]{32}")


def due_text(confirmation):
    return confirmation.due_text


def set_confirmation_date(*, project, actor, due_date, now=None):
    """Set (or move) the date by which participants confirm their seat: the end of `due_date` in the
    project's zone. It may not have passed, nor lie after the project's last day.
    Audit: nominations.seat_confirmation.date_set."""
    require_decide_selection(actor)
    if due_date is None:
        raise DomainError("Give the date by which participants confirm their seat.", field="due_date")
    now = now or timezone.now()
    with transaction.atomic():
        project = Project.objects.lock(project.pk)
        due_at = Project.deadline_for(due_date, project.time_zone)
        if due_at <= now:
            raise DomainError(f"{long_date(due_date)} has already passed; choose a later date.", field="due_date")
        if due_date > project.end_date:
            raise DomainError(
                f"The date ({long_date(due_date)}) is after the project's last day ({long_date(project.end_date)}).",
                field="due_date",
            )
        confirmation = SeatConfirmation.objects.filter(project=project).first()
        previous = confirmation.due_at if confirmation else None
        if confirmation is None:
            confirmation = SeatConfirmation(project=project)
        confirmation.due_at, confirmation.set_by, confirmation.set_at = due_at, actor, now
        confirmation.save()
        audit.record(
            "nominations.seat_confirmation.date_set",
            actor=actor,
            target=project,
            due_at=due_at.isoformat(),
            previous=previous.isoformat() if previous else None,
            sentence=f"Participants confirm their seat by {due_text(confirmation)}.",
        )
        return confirmation


def _lock_answerable(participant, actor, now):
    """The participant's row, locked, once checked that they may still answer."""
    require_answer_seat(actor, participant)
    locked = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("nomination", "project", "country")
        .get(pk=participant.pk)
    )
    if locked.status == ParticipantStatus.WITHDRAWN:
        raise DomainError("You are no longer a participant of this project; nothing was changed.")
    confirmation = SeatConfirmation.objects.filter(project_id=locked.project_id).select_related("project").first()
    if confirmation is not None and not confirmation.is_open_for(locked, now):
        raise DomainError(
            f"Seats were to be confirmed by {due_text(confirmation)}. Nothing was changed; "
            "please write to the APO Secretariat."
        )
    return locked


def confirm_seat(*, participant, actor, now=None):
    """The participant confirms their seat (once; again changes nothing). Audit: nominations.participant.seat_confirmed."""
    now = now or timezone.now()
    with transaction.atomic():
        Project.objects.lock_shared(participant.project_id)
        locked = _lock_answerable(participant, actor, now)
        if locked.confirmed_at is not None:
            return locked
        locked.confirmed_at = now
        locked.save(update_fields=["confirmed_at"])
        audit.record(
            "nominations.participant.seat_confirmed",
            actor=actor,
            target=locked,
            sentence=f"{locked.certificate_name} ({locked.country.name}) confirmed their seat.",
        )
        return locked


def decline_seat(*, participant, actor, reason="", now=None):
    """The participant declines their seat: a dropout. They and their nomination are withdrawn, which
    frees the seat (the board offers it to the reserve; the Secretariat may open a replacement window).
    Audit: nominations.participant.seat_declined."""
    now = now or timezone.now()
    reason = " ".join((reason or "").split())[:500]
    with transaction.atomic():
        project = Project.objects.lock(participant.project_id)
        locked = _lock_answerable(participant, actor, now)
        text = f"Declined the seat: {reason}" if reason else "Declined the seat."
        mark_withdrawn(locked, reason=text, now=now, declined=True)
        audit.record(
            "nominations.participant.seat_declined",
            actor=actor,
            target=locked,
            project=project,
            reason=reason,
            sentence=f"{locked.certificate_name} ({locked.country.name}) declined their seat"
            + (f": {reason}" if reason else "."),
        )
        return locked


def unconfirmed_participants(project):
    """The active participants who have not confirmed their seat, by name."""
    return (
        Participant.objects.for_project(project)
        .active()
        .filter(confirmed_at__isnull=True)
        .select_related("user", "country")
        .order_by("certificate_name", "pk")
    )


def remindable_participants(project, confirmation, now=None):
    """Those who have not confirmed and still may: everyone before the date, after it only the
    participants selected later (replacements)."""
    waiting = unconfirmed_participants(project)
    if confirmation is not None and not confirmation.is_open(now):
        waiting = waiting.filter(created_at__gte=confirmation.due_at)
    return waiting


def send_seat_reminders(*, project, actor, nonce, now=None):
    """Remind every active participant who has not confirmed and still may (`remindable_participants`):
    one outbox row each, once per click (`nonce`, made when the page was shown, is part of each row's
    key). Refused when the date has passed for all of them.
    Audit: nominations.seat_confirmation.reminded. Returns the rows written."""
    require_decide_selection(actor)
    if not NONCE_RE.fullmatch(nonce or ""):
        raise DomainError("The form was damaged in transit; reload the page and try again.")
    now = now or timezone.now()
    with transaction.atomic():
        project = Project.objects.lock_shared(project.pk)
        if project.selection_published_at is None:
            raise DomainError("The selection is not published yet: there is nobody to remind.")
        confirmation = SeatConfirmation.objects.filter(project=project).select_related("project").first()
        waiting = list(remindable_participants(project, confirmation, now))
        if not waiting and confirmation is not None and not confirmation.is_open(now):
            raise DomainError(f"Seats were to be confirmed by {due_text(confirmation)}: too late for a reminder.")
        link = mail.absolute(reverse("nominations:seat", kwargs={"code": project.code}))
        due = due_text(confirmation) if confirmation else ""
        rows = []
        for p in waiting:
            row = mail.queue_email(
                project=project,
                cause=OutboxCause.SEAT_REMINDER,
                recipient=p.user.email,
                recipient_name=p.certificate_name,
                template="nominations/email/seat_reminder",
                context={"project": project, "participant": p, "due": due, "link": link},
                key=f"seat-reminder:{project.pk}:{nonce}:{p.user.email.lower()}",
                actor=actor,
            )
            if row is not None:
                rows.append(row)
        if rows:
            audit.record(
                "nominations.seat_confirmation.reminded",
                actor=actor,
                target=project,
                recipients=len(rows),
                sentence=f"A reminder to confirm their seat was sent to {len(rows)} participant"
                f"{'s' if len(rows) != 1 else ''}.",
            )
        return rows
