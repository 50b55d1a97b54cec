"""The outbox seen from the portal: the Secretariat resends a message."""

from django.db import transaction

from .. import audit, mail
from ..enums import OutboxStatus
from ..exceptions import DomainError
from ..models import OutboxMessage
from ..permissions import require_secretariat
from .invitations import resend_invitation


def resend_message(*, actor, message):
    """Send `message` again, as a new outbox row (the original stays as it was). Returns the new row.

    An invitation is not copied: a new link is issued through `resend_invitation` (the old one
    stops working). A message still pending is refused: it is on its way.
    Audit: apopms.outbox.resent. Outbox: the new message, sent after commit.
    """
    require_secretariat(actor)
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().select_related("invitation").get(pk=message.pk)
        if message.status == OutboxStatus.PENDING:
            raise DomainError("This message is still being sent; wait for it to be sent or to fail.")
        if message.invitation_id is not None or mail.LINK_PLACEHOLDER in message.body_text:
            if message.invitation is None:
                raise DomainError("The invitation of this message is gone; invite the person again.")
            invitation = resend_invitation(actor=actor, invitation=message.invitation)
            new = OutboxMessage.objects.filter(invitation=invitation).order_by("-pk").first()
        else:
            new = mail.queue_email(
                project=message.project,
                cause=message.cause,
                recipient=message.recipient,
                recipient_name=message.recipient_name,
                cc=message.cc,
                reply_to=message.reply_to,
                subject=message.subject,
                text=message.body_text,
                actor=actor,
            )
            OutboxMessage.objects.filter(pk=new.pk).update(body_html=message.body_html)
        audit.record(
            "apopms.outbox.resent",
            actor=actor,
            target=new,
            project=message.project,
            original=message.pk,
            recipient=message.recipient,
        )
    return new
