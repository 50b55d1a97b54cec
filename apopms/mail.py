"""The outbox service: every e-mail is written as a row in the caller's transaction, then sent.

- `queue_email` renders one message (subject, plain text and HTML from one template) for one
  recipient and writes an `OutboxMessage` in the current transaction; after commit the task
  `apopms.tasks.send_outbox_message` sends it. If that task is lost (the broker is down when the
  change commits, a worker dies), the periodic `apopms.tasks.sweep_outbox` sends every row still
  pending a few minutes later, with backoff, and marks it failed after its last attempt.
- Senders claim a row with `select_for_update(skip_locked=True)` and a lease (`leased_until`),
  so two senders never send the same row at once. A row is marked sent after the server accepted
  it: a sender lost in between leaves the row pending, and the sweep sends it again with the same
  Message-ID (at most two deliveries, recognisable as one message).
- Personal links (invitations) are never stored: the row holds `LINK_PLACEHOLDER`, replaced by a
  link built from the invitation when the message is sent.
"""

import contextlib
import contextvars
import datetime
import smtplib
from email.utils import formataddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.core.mail.utils import DNS_NAME
from django.db import IntegrityError, transaction
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .enums import OutboxStatus
from .models import OutboxMessage

LINK_PLACEHOLDER = "[personal link, built when the message is sent]"
SEND_ERRORS = (smtplib.SMTPException, OSError)


def sweep_after():
    """The after-commit task normally sends a row within seconds; the sweep leaves it alone this long."""
    return datetime.timedelta(seconds=settings.OUTBOX_SWEEP_AFTER)


def lease():
    """How long a sender holds a claimed row; a sender lost meanwhile leaves it to the sweep after that."""
    return datetime.timedelta(seconds=settings.OUTBOX_LEASE)


def max_attempts():
    return settings.OUTBOX_MAX_ATTEMPTS


_held = contextvars.ContextVar("apopms_mail_held", default=False)


@contextlib.contextmanager
def held():
    """E-mails queued inside are kept in the outbox, marked as not sent (the demo's, by default)."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def absolute(path):
    """A link for e-mails: SITE_URL plus the path."""
    return f"{settings.SITE_URL}{path}"


def site_domain():
    return urlsplit(settings.SITE_URL).hostname or str(DNS_NAME)


def _render_plain(name, context):
    """Render a template with autoescaping off: subjects and plain text are not HTML."""
    source = "{% autoescape off %}{% include name %}{% endautoescape %}"
    return engines["django"].from_string(source).render({**context, "name": name})


def render_email(template, context):
    """(subject, text, html) of the message `template` (`<template>_subject.txt` and `<template>.txt`).

    The HTML part is the same text in the portal's look (`email/base.html`): one template per
    message, so the two parts never disagree.
    """
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(_render_plain(f"{template}_subject.txt", context).split())
    text = _render_plain(f"{template}.txt", context).strip() + "\n"
    html = render_to_string("email/base.html", {"subject": subject, "text": text, "site_url": settings.SITE_URL})
    return subject, text, html


def queue_email(
    *,
    project,
    cause,
    recipient,
    template=None,
    context=None,
    subject=None,
    text=None,
    recipient_name="",
    cc=(),
    reply_to=None,
    key=None,
    invitation=None,
    actor=None,
):
    """Write one e-mail to `recipient` in the outbox, in the caller's transaction; send it after commit.

    Either `template` (+ `context`) or ready `subject` and `text`. `key` makes a repeated call a
    no-op (returns None). Reply-To defaults to the project's contact.
    """
    if template is not None:
        subject, text, html = render_email(template, context or {})
    else:
        html = render_to_string("email/base.html", {"subject": subject, "text": text, "site_url": settings.SITE_URL})
    if reply_to is None:
        reply_to = getattr(project, "contact_email", "") or ""
    now = timezone.now()
    message = OutboxMessage(
        project=project,
        cause=cause,
        key=key,
        recipient=recipient,
        recipient_name=recipient_name or "",
        cc=list(cc),
        reply_to=reply_to,
        subject=subject[:300],
        body_text=text,
        body_html=html,
        message_id=make_msgid(domain=site_domain()),
        invitation=invitation,
        status=OutboxStatus.HELD if _held.get() else OutboxStatus.PENDING,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
        next_attempt_at=now + sweep_after(),
    )
    if key is not None:
        if OutboxMessage.objects.filter(key=key).exists():
            return None
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:
            return None  # the same e-mail queued at the same moment by another transaction
    else:
        message.save()
    if message.status == OutboxStatus.PENDING:
        from .tasks import enqueue_on_commit, send_outbox_message  # noqa: PLC0415 - tasks import this module

        enqueue_on_commit(send_outbox_message, message_pk=message.pk)
    return message


def queue_new_emails(*, project, cause, messages):
    """Write many e-mails of one `cause` at once (one INSERT), in the caller's transaction; send each
    after commit. `messages` are dicts of `recipient`, `recipient_name`, `template`, `context` and
    `key`; every key must be new (e.g. it names a row the same transaction has just created), as
    no existing row is looked for."""
    now = timezone.now()
    status = OutboxStatus.HELD if _held.get() else OutboxStatus.PENDING
    rows = []
    for spec in messages:
        subject, text, html = render_email(spec["template"], spec["context"])
        rows.append(
            OutboxMessage(
                project=project,
                cause=cause,
                key=spec["key"],
                recipient=spec["recipient"],
                recipient_name=spec.get("recipient_name") or "",
                cc=[],
                reply_to=getattr(project, "contact_email", "") or "",
                subject=subject[:300],
                body_text=text,
                body_html=html,
                message_id=make_msgid(domain=site_domain()),
                status=status,
                created_at=now,
                next_attempt_at=now + sweep_after(),
            )
        )
    OutboxMessage.objects.bulk_create(rows)
    if status == OutboxStatus.PENDING:
        from .tasks import enqueue_on_commit, send_outbox_message  # noqa: PLC0415 - tasks import this module

        for message in rows:
            enqueue_on_commit(send_outbox_message, message_pk=message.pk)
    return rows


def queue_to_each(recipients, *, key, **message):
    """The same message (`queue_email`'s arguments) to each (email, name) of `recipients`, once each.

    `key` is the message's dedupe key; each recipient's address is added to it. Returns the rows
    written (none for recipients who already have it).
    """
    rows = []
    for email, name in recipients:
        row = queue_email(recipient=email, recipient_name=name, key=f"{key}:{email.lower()}", **message)
        if row is not None:
            rows.append(row)
    return rows


def claim(queryset, *, limit=None, now=None, waited=True):
    """Lease the due rows of `queryset` to this sender; returns their primary keys.

    `skip_locked`: rows another sender is claiming right now are left to it. `waited=False`
    (the after-commit task) takes a pending row before its sweep time.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = queryset.due(now) if waited else queryset.unleased(now)
        rows = due.order_by("next_attempt_at", "pk").select_for_update(skip_locked=True)
        pks = list(rows[:limit].values_list("pk", flat=True)) if limit else list(rows.values_list("pk", flat=True))
        if pks:
            # The lease and the attempt are counted before the SMTP transaction starts.
            for message in OutboxMessage.objects.filter(pk__in=pks):
                message.leased_until = now + lease()
                message.attempts += 1
                message.save(update_fields=["leased_until", "attempts"])
    return pks


def backoff(attempts):
    """Wait before the next attempt: 1, 2, 4 ... minutes (OUTBOX_BACKOFF doubled), at most an hour (60 of them)."""
    return datetime.timedelta(seconds=settings.OUTBOX_BACKOFF * min(2 ** max(attempts - 1, 0), 60))


def _to_header(message):
    """The To header with the recipient's name ("आशा राव <asha@example.org>", RFC 2047-encoded on the
    wire); the envelope recipient stays the bare address."""
    if not message.recipient_name:
        return {}
    return {"To": formataddr((" ".join(message.recipient_name.split()), message.recipient))}


def build(message):
    """The EmailMultiAlternatives of a row, personal link filled in; None when its link is no longer valid."""
    text, html = message.body_text, message.body_html
    if LINK_PLACEHOLDER in text or LINK_PLACEHOLDER in html:
        invitation = message.invitation
        if invitation is None or not invitation.is_usable():
            return None
        link = absolute(reverse("invitation_accept", kwargs={"token": invitation.token()}))
        text, html = text.replace(LINK_PLACEHOLDER, link), html.replace(LINK_PLACEHOLDER, link)
    email = EmailMultiAlternatives(
        message.subject,
        text,
        None,
        [message.recipient],
        cc=message.cc,
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={"Message-ID": message.message_id, **_to_header(message)},
    )
    if html:
        email.attach_alternative(html, "text/html")
    return email


def deliver(message_pk):
    """Send one claimed row and record the outcome. Returns its status."""
    message = OutboxMessage.objects.select_related("invitation").filter(pk=message_pk).first()
    if message is None or message.status != OutboxStatus.PENDING:
        return None
    email = build(message)
    now = timezone.now()
    if email is None:
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxStatus.CANCELLED,
            leased_until=None,
            last_error="Not sent: the link was replaced or used before the message went out.",
        )
        return OutboxStatus.CANCELLED
    try:
        email.send()
    except SEND_ERRORS as exc:
        failed = message.attempts >= max_attempts()
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxStatus.FAILED if failed else OutboxStatus.PENDING,
            leased_until=None,
            next_attempt_at=now + backoff(message.attempts),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return OutboxStatus.FAILED if failed else OutboxStatus.PENDING
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), leased_until=None, last_error=""
    )
    return OutboxStatus.SENT


def send_now(message_pk):
    """Claim one row (whenever it is due: the after-commit task sends at once) and send it."""
    pks = claim(OutboxMessage.objects.filter(pk=message_pk), limit=1, waited=False)
    return deliver(pks[0]) if pks else None


def sweep(*, limit=200, now=None):
    """Send every row still pending after its wait; returns how many were tried."""
    pks = claim(OutboxMessage.objects.all(), limit=limit, now=now)
    for pk in pks:
        deliver(pk)
    return len(pks)
