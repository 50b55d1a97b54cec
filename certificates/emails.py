"""E-mails of the certificates, written to the outbox in the caller's transaction (see `apopms.mail`)."""

from django.utils import timezone

from apopms import mail
from apopms.enums import OutboxCause

from .models import Certificate


def queue_certificate_ready(certificate):
    """Tell the participant their certificate is ready, with the link to download it (once per certificate)."""
    if certificate.revoked_at is not None:
        return None
    user = certificate.participant.user
    message = mail.queue_email(
        project=certificate.project,
        cause=OutboxCause.CERTIFICATE_READY,
        recipient=user.email,
        recipient_name=certificate.snapshot.get("certificate_name", ""),
        template="certificates/email/ready",
        context={
            "certificate": certificate,
            "name": certificate.snapshot.get("certificate_name", ""),
            "download_url": mail.absolute(certificate.get_absolute_url()),
            "verification_url": certificate.verification_url(),
        },
        key=f"certificate-ready:{certificate.pk}",
    )
    if message is not None:
        # When the message was written; whether it went out is its outbox row's status.
        Certificate.objects.filter(pk=certificate.pk, notified_at__isnull=True).update(notified_at=timezone.now())
    return message
