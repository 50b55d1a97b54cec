"""Revoking a certificate, and reissuing one in its place."""

from django.db import transaction
from django.utils import timezone

from apopms import audit
from apopms.exceptions import DomainError

from .. import permissions
from ..emails import queue_certificate_revoked
from ..models import Certificate
from .batches import queue_certificate
from .issuing import check_eligible, issue_certificate, recorded_user


def revoke_certificate(*, certificate, actor, reason, notify=True):
    """Revoke a live certificate with a reason. Who: `permissions.can_revoke`.

    Side effects: audit `certificates.certificate.revoked`; with `notify`, the holder is told (outbox).
    """
    permissions.require_revoke(actor, certificate)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for revoking.", field="reason")
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("participant__user", "project")
            .get(pk=certificate.pk)
        )
        if certificate.revoked_at is not None:
            raise DomainError(f"Certificate {certificate.number} is already revoked.")
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = recorded_user(actor)
        certificate.revocation_reason = reason
        certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        audit.record("certificates.certificate.revoked", actor=actor, target=certificate, reason=reason)
        if notify:
            queue_certificate_revoked(certificate, actor=actor)
    return certificate


def reissue_certificate(*, certificate, actor, reason):
    """Revoke `certificate` (if live) and issue a new one with a new number from the current data.

    Who: `permissions.can_revoke` and `can_issue`.
    """
    permissions.require_revoke(actor, certificate)
    if certificate.revoked_at is None:
        check_eligible(certificate.participant)
        # The holder hears of the new certificate ("ready"), not of the replaced one's revocation.
        certificate = revoke_certificate(certificate=certificate, actor=actor, reason=reason, notify=False)
    return issue_certificate(participant=certificate.participant, actor=actor, replaces=certificate)


def queue_reissue(*, certificate, actor, reason):
    """Revoke `certificate` (if live) and queue a new one on the worker ("Revoke and reissue").

    Who: `permissions.can_revoke` and `can_issue`. Eligibility is checked before revoking, so a
    refused reissue leaves the certificate live. The new certificate records the revoked one as
    the one it replaces (`issue_certificate`). Returns the batch tracking it.
    """
    permissions.require_revoke(actor, certificate)
    permissions.require_issue(actor, certificate.project)
    with transaction.atomic():
        if certificate.revoked_at is None:
            check_eligible(certificate.participant)
            certificate = revoke_certificate(certificate=certificate, actor=actor, reason=reason)
        return queue_certificate(participant=certificate.participant, actor=actor)
