"""Participants: made from the selected nominations at publication, withdrawn, replaced from the reserve.

`withdraw_participant` frees the seat; the board then offers it to the first reserve of the category
who fits (`selectors.seat_offers`), and `decisions.promote_reserve` moves that reserve into it.
"""

from django.db import transaction
from django.utils import timezone

from apopms import audit
from apopms.enums import InvitationPurpose
from apopms.exceptions import DomainError
from apopms.models import Project, User
from apopms.services import invite_user

from ..enums import NominationStatus, ParticipantStatus
from ..models import Participant
from ..permissions import require_withdraw_participant


def make_participant(*, project, nomination, actor, notify=True, now=None):
    """The nomination's Participant (made once). With `notify`, its person is invited by the core's
    `invite_user` (the set-password e-mail after commit); without (the demo), the account is made quietly.
    Audit: nominations.participant.created."""
    existing = Participant.objects.filter(nomination=nomination).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    # A candidate who filled in their own nomination keeps their account: it becomes the participant's.
    candidate = User.objects.filter(pk=nomination.candidate_id).first() if nomination.candidate_id else None
    email = candidate.email if candidate is not None else nomination.email
    if notify:
        invitation = invite_user(
            actor=actor,
            email=email,
            full_name=nomination.certificate_name,
            purpose=InvitationPurpose.PARTICIPANT,
            country=nomination.country,
            project=nomination.project,
        )
        user = invitation.user
    else:
        user = candidate or (
            User.objects.filter(email__iexact=email).first()
            or User.objects.create_user(email, None, full_name=nomination.certificate_name)
        )
    participant = Participant.objects.create(
        nomination=nomination,
        project=project,
        country=nomination.country,
        category=nomination.category,
        user=user,
        certificate_name=nomination.certificate_name,
        native_name=nomination.native_name,
        created_at=now,
        invited_at=now if notify else None,
    )
    audit.record("nominations.participant.created", actor=actor, target=participant, nomination=nomination.pk)
    return participant


def withdraw_participant(*, participant, actor, reason):
    """A participant drops out: their NPO (own country only) or the Secretariat, with a reason.

    The participant and the nomination are withdrawn, which frees the seat; the board then offers
    it to the first reserve of the category (respecting the cap), whom the admin promotes with
    `promote_reserve`. Audit: nominations.participant.withdrawn.
    """
    require_withdraw_participant(actor, participant)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for the withdrawal.", field="reason")
    with transaction.atomic():
        project = Project.objects.lock(participant.project_id)
        locked = Participant.objects.select_for_update(of=("self",)).select_related("nomination").get(pk=participant.pk)
        if locked.status == ParticipantStatus.WITHDRAWN:
            return locked
        previous = mark_withdrawn(locked, reason=reason, now=timezone.now())
        audit.record(
            "nominations.participant.withdrawn",
            actor=actor,
            target=locked,
            project=project,
            reason=reason,
            previous_decision=previous,
            by_npo=not actor.is_secretariat,
        )
        return locked


def mark_withdrawn(locked, *, reason, now, declined=False):
    """Withdraw a locked participant and their nomination, freeing the seat (the project row is locked
    by the caller). Returns the nomination's previous decision. With `declined`, the participant
    declined the seat instead of confirming it."""
    locked.status = ParticipantStatus.WITHDRAWN
    locked.withdrawn_at = now
    locked.withdrawal_reason = reason
    fields = ["status", "withdrawn_at", "withdrawal_reason"]
    if declined:
        locked.declined_at = now
        locked.confirmed_at = None
        fields += ["declined_at", "confirmed_at"]
    locked.save(update_fields=fields)
    nomination = locked.nomination
    previous = nomination.decision
    nomination.status = NominationStatus.WITHDRAWN
    nomination.withdrawn_at = now
    nomination.withdrawal_reason = reason
    nomination.decision = ""  # the seat is freed; the participant row keeps that they were selected
    nomination.reserve_rank = None
    nomination.save(
        update_fields=["status", "withdrawn_at", "withdrawal_reason", "decision", "reserve_rank", "updated_at"]
    )
    return previous
