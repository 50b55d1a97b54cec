"""People: the roles (memberships) of NPO officers and implementers, granted and ended."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import audit
from ..enums import Role
from ..exceptions import DomainError
from ..models import Invitation, Membership
from ..permissions import can_manage_people


def check_may_reactivate(actor, user):
    """Inviting a deactivated person again gives their access back: only the APO Secretariat (or the
    system, actor None) may. A DomainError on the e-mail field, not PermissionDenied: the inviter may
    invite; it is this person who cannot be invited by them."""
    if actor is not None and not can_manage_people(actor):
        raise DomainError(
            f"{user.email} was deactivated by the APO Secretariat; ask the Secretariat to reactivate them.",
            field="email",
        )


def grant_membership(*, actor, user, role, country, project):
    """The Membership of `role` for `user`, created or reactivated (within the caller's transaction):
    an NPO officer of `country` (one country per person), or an implementer of `project`.
    Called by invite_user, which has checked that `actor` may invite."""
    if role == Role.NPO_OFFICER:
        if country is None:
            raise DomainError("Choose the member country of the NPO officer.", field="country")
        existing = Membership.objects.select_for_update().filter(user=user, role=Role.NPO_OFFICER).first()
        if existing is not None and existing.country_id != country.pk:
            raise DomainError(
                f"{user.email} is already an NPO officer of {existing.country}; one person acts for one country.",
                field="email",
            )
        if existing is not None:
            if not existing.active:
                check_may_reactivate(actor, user)
                existing.active = True
                existing.save(update_fields=["active"])
            return existing
        return Membership.objects.create(user=user, role=role, country=country, invited_by=actor)
    if role == Role.IMPLEMENTER:
        if project is None:
            raise DomainError("Choose the project the implementer works on.", field="project")
        membership, created = Membership.objects.get_or_create(
            user=user,
            role=Role.IMPLEMENTER,
            project=project,
            defaults={"country": country or project.host_country, "invited_by": actor},
        )
        if not created and not membership.active:
            membership.active = True
            membership.save(update_fields=["active"])
        return membership
    raise DomainError("This role cannot be given by invitation.", field="role")


def _keeps_access(user, *, except_membership):
    """Whether the person still needs to log in after losing one role."""
    if Membership.objects.filter(user=user, active=True).exclude(pk=except_membership.pk).exists():
        return True
    # Participations belong to the nominations app; read through the reverse relation only.
    return user.participations.filter(status="active").exists()


def deactivate_membership(*, actor, membership):
    """End a role (an NPO officer's or an implementer's). Only the Secretariat.

    When the person holds no other role, the account is deactivated too: Django's ModelBackend
    then refuses their session on the next request, so they are logged out at once. Their
    pending invitations stop working. Audit: apopms.membership.deactivated.
    """
    if not can_manage_people(actor):
        raise PermissionDenied("Only the APO Secretariat may deactivate accounts.")
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
        if membership.role == Role.SECRETARIAT:
            raise DomainError("Secretariat accounts are managed in the back office.")
        if membership.user_id == actor.pk:
            raise DomainError("You cannot deactivate yourself.")
        if not membership.active:
            return membership
        membership.active = False
        membership.save(update_fields=["active"])
        user = membership.user
        account_closed = False
        if user.is_active and not _keeps_access(user, except_membership=membership):
            user.is_active = False
            user.save(update_fields=["is_active"])
            account_closed = True
        Invitation.objects.filter(membership=membership).pending().update(voided_at=timezone.now())
        audit.record(
            "apopms.membership.deactivated",
            actor=actor,
            target=membership,
            project=membership.project,
            email=user.email,
            role=membership.role,
            account_closed=account_closed,
        )
    return membership


def reactivate_membership(*, actor, membership):
    """Give a deactivated role back, and the account with it. Only the Secretariat.

    Audit: apopms.membership.reactivated.
    """
    if not can_manage_people(actor):
        raise PermissionDenied("Only the APO Secretariat may reactivate accounts.")
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
        if membership.active and membership.user.is_active:
            return membership
        membership.active = True
        membership.save(update_fields=["active"])
        if not membership.user.is_active:
            membership.user.is_active = True
            membership.user.save(update_fields=["is_active"])
        audit.record(
            "apopms.membership.reactivated",
            actor=actor,
            target=membership,
            project=membership.project,
            email=membership.user.email,
            role=membership.role,
        )
    return membership
