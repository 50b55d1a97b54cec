"""Invitations: a single-use link by e-mail to set a password and take up a role."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import audit, emails
from ..enums import InvitationPurpose, Role
from ..exceptions import DomainError
from ..models import Invitation, User, hash_token
from ..permissions import can_resend_invitation, require_may_invite, require_may_resend
from .people import check_may_reactivate, grant_membership

# The role an invitation of each purpose grants by default.

PURPOSE_ROLE = {
    InvitationPurpose.NPO_OFFICER: Role.NPO_OFFICER,
    InvitationPurpose.IMPLEMENTER: Role.IMPLEMENTER,
    InvitationPurpose.PARTICIPANT: None,
    InvitationPurpose.CANDIDATE: None,  # a candidate's account reaches their own nomination only
}
# Someone with an old link may ask for a new one, but not flood an inbox.
RENEW_INTERVAL = datetime.timedelta(minutes=10)


def invitation_token(invitation):
    """The secret in the link (Invitation.token)."""
    return invitation.token()


def find_invitation(token):
    """The invitation a link's token belongs to, or None."""
    if not token:
        return None
    return (
        Invitation.objects.select_related("user", "project", "country", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def _new_invitation(*, user, purpose, country, project, membership, invited_by):
    now = timezone.now()
    invitation = Invitation(
        user=user,
        purpose=purpose,
        country=country,
        project=project,
        membership=membership,
        invited_by=invited_by if getattr(invited_by, "is_authenticated", False) else None,
        nonce=secrets.token_hex(32),
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.token_hash = hash_token(invitation_token(invitation))
    invitation.save()
    return invitation


def invite_user(*, actor, email, full_name, purpose, role=None, country=None, project=None):
    """Invite a person by e-mail to set a password and take up a role. Returns the Invitation.

    - Creates the user when nobody has this e-mail address (case-insensitive), with an unusable
      password; fills in the name when it was empty.
    - Grants the Membership of `role` (default: the purpose's role; a participant gets none
      here, the nominations app makes the Participant): an NPO officer needs `country`, an
      implementer needs `project`.
    - Creates an Invitation valid settings.INVITATION_VALID_DAYS days, single use. A pending
      invitation for the same person, purpose, country and project is returned as it is
      (no second e-mail): use `resend_invitation` to send a new link.
    - Audit: apopms.invitation.created. The invitation e-mail is written to the outbox in the
      same transaction (sent after commit; its link is built when it is sent).

    Who may invite: the Secretariat (or `actor=None` for the system); an NPO officer may
    invite a colleague of the same NPO. Anyone else gets PermissionDenied.
    """
    purpose = InvitationPurpose(purpose)
    if role is None:
        role = PURPOSE_ROLE[purpose]
    elif role != PURPOSE_ROLE[purpose]:
        raise DomainError("The role does not match the purpose of the invitation.", field="role")
    if purpose in (InvitationPurpose.PARTICIPANT, InvitationPurpose.CANDIDATE) and project is None:
        raise DomainError(f"A {purpose.label.split()[0].lower()} is invited to a project.", field="project")
    email = User.objects.normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError("Enter a valid e-mail address.", field="email") from None
    require_may_invite(actor, purpose=purpose, role=role, country=country)

    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is None:
            try:
                with transaction.atomic():  # a savepoint: someone may create the same address right now
                    user = User(email=email, full_name=(full_name or "").strip())
                    user.set_unusable_password()
                    user.save()
            except IntegrityError:
                # The other invitation won the race and has committed: use its account.
                user = User.objects.select_for_update().get(email__iexact=email)
            else:
                audit.record("apopms.user.created", actor=actor, target=user, email=email, via="invitation")
        changed = []
        if not user.full_name and full_name:
            user.full_name = full_name.strip()
            changed.append("full_name")
        if not user.is_active:
            check_may_reactivate(actor, user)
            user.is_active = True
            changed.append("is_active")
        if changed:
            user.save(update_fields=changed)
        membership = None
        if role is not None:
            membership = grant_membership(actor=actor, user=user, role=role, country=country, project=project)
        pending = (
            Invitation.objects.pending()
            .filter(
                user=user,
                purpose=purpose,
                country=country if role == Role.NPO_OFFICER else None,
                project=project if purpose != InvitationPurpose.NPO_OFFICER else None,
            )
            .order_by("-created_at")
            .first()
        )
        if pending is not None:
            return pending
        invitation = _new_invitation(
            user=user,
            purpose=purpose,
            country=country if role == Role.NPO_OFFICER else None,
            project=project if purpose != InvitationPurpose.NPO_OFFICER else None,
            membership=membership,
            invited_by=actor,
        )
        audit.record(
            "apopms.invitation.created",
            actor=actor,
            target=invitation,
            project=invitation.project,
            email=user.email,
            purpose=purpose.value,
            role=role or "",
            country=country.iso2 if country else "",
        )
        emails.queue_invitation(invitation, actor=actor)
    return invitation


def _replace_invitation(invitation, *, invited_by):
    new = _new_invitation(
        user=invitation.user,
        purpose=invitation.purpose,
        country=invitation.country,
        project=invitation.project,
        membership=invitation.membership,
        invited_by=invited_by,
    )
    # Void every older link of this kind, so only the newest one works.
    Invitation.objects.filter(
        user=invitation.user,
        purpose=invitation.purpose,
        country=invitation.country,
        project=invitation.project,
        accepted_at__isnull=True,
        voided_at__isnull=True,
    ).exclude(pk=new.pk).update(voided_at=timezone.now(), replaced_by=new)
    return new


# Who may resend: one rule, in apopms.permissions.
may_resend = can_resend_invitation


def resend_invitation(*, actor, invitation):
    """Send a new link for `invitation`; the old link stops working. Returns the new Invitation.

    Only whoever invited, or the Secretariat. Refused once the invitation was accepted.
    Audit: apopms.invitation.resent. Outbox: the invitation e-mail.
    """
    require_may_resend(actor, invitation)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
        if invitation.accepted_at:
            raise DomainError(f"{invitation.user.email} already accepted this invitation.")
        if not invitation.user.is_active:
            raise DomainError(f"{invitation.user.email} is deactivated; reactivate them first.")
        new = _replace_invitation(invitation, invited_by=invitation.invited_by or actor)
        audit.record(
            "apopms.invitation.resent",
            actor=actor,
            target=new,
            project=new.project,
            email=new.user.email,
            replaces=invitation.pk,
        )
        emails.queue_invitation(new, actor=actor)
    return new


def renew_invitation(*, token):
    """Someone whose link expired or was replaced asks for a new one. Returns the Invitation now valid.

    The new link goes to the invitee's own address (never to whoever asks), and whoever
    invited is told. A new link is sent at most every RENEW_INTERVAL. Refused for a link
    already used: that person logs in or resets the password.
    Audit: apopms.invitation.renewed. Outbox: the invitation e-mail and a note to the inviter.
    """
    with transaction.atomic():
        invitation = find_invitation(token)
        if invitation is None:
            raise DomainError("This link is not valid. Please copy the whole link from the e-mail.")
        invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
        if invitation.accepted_at:
            raise DomainError("This link was already used. Log in, or reset your password if you forgot it.")
        if not invitation.user.is_active:
            raise DomainError("This account is deactivated. Please contact the APO Secretariat.")
        latest = (
            Invitation.objects.filter(
                user=invitation.user,
                purpose=invitation.purpose,
                country=invitation.country,
                project=invitation.project,
            )
            .order_by("-created_at")
            .first()
        )
        if latest.is_usable() and latest.created_at > timezone.now() - RENEW_INTERVAL:
            return latest
        new = _replace_invitation(invitation, invited_by=invitation.invited_by)
        audit.record("apopms.invitation.renewed", actor=None, target=new, project=new.project, replaces=invitation.pk)
        emails.queue_invitation(new)
        if new.invited_by_id:
            emails.queue_inviter_renewal(new)
    return new


def accept_invitation(*, token, password):
    """Accept an invitation: set the password, use up the link. Returns the user (the view logs them in).

    Refused, with a plain message, for an unknown, expired, replaced or used link, and for a
    password the validators reject (field "password"). Audit: apopms.invitation.accepted.
    """
    with transaction.atomic():
        invitation = find_invitation(token)
        if invitation is None:
            raise DomainError("This link is not valid. Please copy the whole link from the e-mail.")
        invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
        state = invitation.state()
        if state == "accepted":
            raise DomainError("This link was already used. Log in, or reset your password if you forgot it.")
        if state == "void":
            raise DomainError(
                "This link was replaced by a newer one. Please use the latest e-mail, or ask for a new link."
            )
        if state == "expired":
            raise DomainError("This link has expired. Ask for a new one below.")
        user = User.objects.select_for_update().get(pk=invitation.user_id)
        if not user.is_active:
            raise DomainError("This account is deactivated. Please contact the APO Secretariat.")
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), field="password") from None
        user.set_password(password)
        user.save(update_fields=["password"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        audit.record("apopms.invitation.accepted", actor=user, target=invitation, project=invitation.project)
    return user
