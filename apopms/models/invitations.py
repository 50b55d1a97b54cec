"""Invitations: single-use links to set a password and take up a role."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ..enums import InvitationPurpose
from .people import MemberCountry, Membership
from .projects import Project


def hash_token(token):
    """What is stored of an invitation token: its SHA-256."""
    return hashlib.sha256((token or "").encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, voided_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """A single-use link, sent by e-mail, to set a password and take up a role.

    Only a hash of the token is stored. The token itself is derived from `nonce` with the
    SECRET_KEY (see `token`), so the e-mail task can rebuild the link
    from the primary key alone and a leaked database row is of no use.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    purpose = models.CharField(max_length=20, choices=InvitationPurpose.choices)
    country = models.ForeignKey(MemberCountry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations")
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    nonce = models.CharField(max_length=64, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True, help_text="Replaced by a newer link.")
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="invitation_expires_after_creation", condition=Q(expires_at__gt=F("created_at"))
            )
        ]

    def __str__(self):
        return f"Invitation {self.pk} of {self.user.email} ({self.get_purpose_display()})"

    def state(self, now=None):
        """'accepted', 'void', 'expired' or 'pending'."""
        if self.accepted_at:
            return "accepted"
        if self.voided_at:
            return "void"
        if (now or timezone.now()) >= self.expires_at:
            return "expired"
        return "pending"

    def is_usable(self, now=None):
        return self.state(now) == "pending"

    def token(self):
        """The secret in the link: derived from the stored nonce with the SECRET_KEY; only its hash is stored."""
        return salted_hmac("apopms.invitation", self.nonce, algorithm="sha256").hexdigest()
