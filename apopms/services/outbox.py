"""The outbox seen from the portal: the Secretariat resends a message and writes to an audience."""

import string

from django.db import transaction

from .. import audiences, audit, mail
from ..enums import OutboxCause, OutboxStatus
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
        message = OutboxMessage.objects.select_for_update(of=("self",)).select_related("invitation").get(pk=message.pk)
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


MERGE_FIELDS = ("name", "country", "project", "link")


def merge_problem(text):
    """What is wrong with the merge fields of `text`, or None."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError:
        return "A brace is not closed: write a merge field as {name}, or a brace itself as {{ or }}."
    unknown = sorted({f for f in fields if f not in MERGE_FIELDS})
    if unknown:
        return f"Unknown merge field {{{unknown[0]}}}: use " + ", ".join(f"{{{f}}}" for f in MERGE_FIELDS) + "."
    return None


def merge(text, *, recipient, project):
    """`text` with the merge fields of one recipient filled in."""
    return text.format(
        name=recipient.name or recipient.email,
        country=recipient.country,
        project=f"{project.title} ({project.code})",
        link=recipient.link,
    )


def audience_recipients(*, project, audience, country=None):
    """The members of `audience` (a key of apopms.audiences) for `project`; DomainError for a bad choice."""
    if audience not in audiences.AUDIENCES:
        raise DomainError("Choose an audience.", field="audience")
    if audiences.AUDIENCES[audience].needs_country and country is None:
        raise DomainError("Choose the country of the nominees.", field="country")
    return audiences.members_of(audience, project, country)


def preview_audience_message(*, project, audience, subject, body, country=None):
    """[(recipient, subject, body)] as each recipient will read the message; DomainError naming the field."""
    for field, text in (("subject", subject), ("body", body)):
        if not (text or "").strip():
            raise DomainError("This field is required.", field=field)
        if problem := merge_problem(text):
            raise DomainError(problem, field=field)
    recipients = audience_recipients(project=project, audience=audience, country=country)
    if not recipients:
        raise DomainError("Nobody is in this audience yet.", field="audience")
    return [
        (r, " ".join(merge(subject, recipient=r, project=project).split()), merge(body, recipient=r, project=project))
        for r in recipients
    ]


def write_to_audience(*, actor, project, audience, subject, body, country=None):
    """Write one message to every member of `audience`, merge fields filled per recipient. Returns the rows.

    Who: the Secretariat. Audit: apopms.outbox.audience_written. Outbox: one message per
    recipient (cause "message"), sent after commit, with the project's contact as Reply-To.
    """
    require_secretariat(actor)
    with transaction.atomic():
        messages = preview_audience_message(
            project=project, audience=audience, subject=subject, body=body, country=country
        )
        rows = [
            mail.queue_email(
                project=project,
                cause=OutboxCause.MESSAGE,
                recipient=r.email,
                recipient_name=r.name,
                subject=s,
                text=b.strip() + "\n",
                actor=actor,
            )
            for r, s, b in messages
        ]
        audit.record(
            "apopms.outbox.audience_written",
            actor=actor,
            target=project,
            audience=audience,
            country=country.iso2 if country else "",
            subject=subject,
            recipients=len(rows),
        )
    return rows
