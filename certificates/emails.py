"""E-mails of the certificates, written to the outbox in the caller's transaction (see `apopms.mail`)."""

import hashlib

from django.urls import reverse

from apopms import mail
from apopms.enums import OutboxCause, Role
from apopms.models import User

from .models import READY_KEY, Certificate
from .selectors import to_revoke


def queue_certificate_ready(certificate):
    """Tell the participant their certificate is ready, with the link to download it (once per certificate)."""
    if certificate.revoked_at is not None:
        return None
    user = certificate.participant.user
    return mail.queue_email(
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
        key=f"{READY_KEY}{certificate.pk}",
    )


def queue_certificates_ready(certificates):
    """`queue_certificate_ready` for certificates just created together (a chunk of a batch), in one INSERT."""
    if not certificates:
        return []
    return mail.queue_new_emails(
        project=certificates[0].project,
        cause=OutboxCause.CERTIFICATE_READY,
        messages=[
            {
                "recipient": c.participant.user.email,
                "recipient_name": c.snapshot.get("certificate_name", ""),
                "template": "certificates/email/ready",
                "context": {
                    "certificate": c,
                    "name": c.snapshot.get("certificate_name", ""),
                    "download_url": mail.absolute(c.get_absolute_url()),
                    "verification_url": c.verification_url(),
                },
                "key": f"{READY_KEY}{c.pk}",
            }
            for c in certificates
            if c.revoked_at is None
        ],
    )


def queue_certificate_revoked(certificate, *, actor=None):
    """Tell the holder their certificate was revoked, and why."""
    user = certificate.participant.user
    return mail.queue_email(
        project=certificate.project,
        cause=OutboxCause.CERTIFICATE_REVOKED,
        recipient=user.email,
        recipient_name=certificate.snapshot.get("certificate_name", ""),
        template="certificates/email/revoked",
        context={
            "certificate": certificate,
            "name": certificate.snapshot.get("certificate_name", ""),
            "verification_url": certificate.verification_url(),
        },
        key=f"certificate-revoked:{certificate.pk}",
        actor=actor,
    )


def secretariat_recipients(project):
    """The project's contact, else every active Secretariat admin: [(email, name)]."""
    if project.contact_email:
        return [(project.contact_email, "")]
    admins = User.objects.filter(
        is_active=True, memberships__role=Role.SECRETARIAT, memberships__active=True
    ).distinct()
    return [(u.email, u.get_full_name()) for u in admins.order_by("email")]


def queue_eligibility_lost(project, *, actor=None):
    """Tell the Secretariat which live certificates' holders no longer qualify (once per such set)."""
    if not Certificate.objects.live().filter(project=project).exists():
        return []  # the usual case while attendance is recorded: one cheap query
    certificates = list(to_revoke(project).select_related("participant"))
    if not certificates:
        return []
    which = hashlib.sha256(",".join(str(c.pk) for c in certificates).encode()).hexdigest()[:16]
    context = {
        "project": project,
        "certificates": certificates,
        "link": mail.absolute(reverse("certificates:project", kwargs={"code": project.code})),
    }
    return mail.queue_to_each(
        secretariat_recipients(project),
        project=project,
        cause=OutboxCause.ELIGIBILITY_LOST,
        template="certificates/email/eligibility_lost",
        context=context,
        key=f"eligibility-lost:{project.pk}:{which}",
        actor=actor,
    )
