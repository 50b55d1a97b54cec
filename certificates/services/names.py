"""Correcting the name a certificate will print."""

from django.db import transaction

from apopms import audit
from apopms.exceptions import DomainError
from nominations.models import Participant

from .. import permissions
from ..models import Certificate


def correct_certificate_name(*, participant, actor, certificate_name, native_name="", reason=""):
    """Correct the name printed on a participant's certificate, before it is issued.

    Who: `permissions.can_correct_name`. Refused while a live certificate exists (revoke
    first, then reissue). Side effect: audit `certificates.name.corrected` with the old and
    new names.
    """
    permissions.require_correct_name(actor, participant)
    certificate_name = (certificate_name or "").strip()
    native_name = (native_name or "").strip()
    if not certificate_name:
        raise DomainError("The certificate name cannot be empty.", field="certificate_name")
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if Certificate.objects.live().filter(participant=participant).exists():
            raise DomainError(
                "The certificate is already issued: revoke it, correct the name, then reissue.",
                field="certificate_name",
            )
        old = {"certificate_name": participant.certificate_name, "native_name": participant.native_name}
        participant.certificate_name = certificate_name
        participant.native_name = native_name
        participant.save(update_fields=["certificate_name", "native_name"])
        audit.record(
            "certificates.name.corrected",
            actor=actor,
            target=participant,
            old=old,
            new={"certificate_name": certificate_name, "native_name": native_name},
            reason=reason,
        )
    return participant
