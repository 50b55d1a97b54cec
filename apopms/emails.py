"""The core's e-mails, written to the outbox in the caller's transaction (see `apopms.mail`).

Each function is safe to call twice: a `key` per message and recipient makes the second call a no-op.
"""

import datetime

from . import mail
from .enums import OutboxCause, Role
from .models import Membership, Project


def queue_invitation(invitation, *, actor=None):
    """The invitation link, to the invitee. The link itself is built when the message is sent."""
    project = invitation.project
    place = project or invitation.country
    return mail.queue_email(
        project=project,
        cause=OutboxCause.INVITATION,
        recipient=invitation.user.email,
        recipient_name=invitation.user.get_full_name(),
        template=f"apopms/email/invitation_{invitation.purpose}",
        context={
            "invitation": invitation,
            "user": invitation.user,
            "project": project,
            "link": mail.LINK_PLACEHOLDER,
            "expires_at": invitation.expires_at,
            # Times in the invitee's world: the project's zone, else their country's.
            "zone": place.zone if place else "UTC",
            "project_url": mail.absolute(project.get_absolute_url()) if project else "",
        },
        key=f"invitation:{invitation.pk}",
        invitation=invitation,
        actor=actor,
    )


def queue_inviter_renewal(invitation):
    """Tell whoever invited that the invitee asked for, and got, a new link."""
    inviter = invitation.invited_by
    if inviter is None or not inviter.is_active:
        return None
    return mail.queue_email(
        project=invitation.project,
        cause=OutboxCause.INVITATION_RENEWED,
        recipient=inviter.email,
        recipient_name=inviter.get_full_name(),
        template="apopms/email/invitation_renewed",
        context={"invitation": invitation},
        key=f"invitation-renewed:{invitation.pk}",
    )


def npo_officers(project):
    """The active NPO officers of the project's participating countries: [(email, name)], by e-mail."""
    rows = (
        Membership.objects.filter(
            role=Role.NPO_OFFICER,
            active=True,
            user__is_active=True,
            country__in=project.nominating_countries(),
        )
        .select_related("user")
        .order_by("user__email")
    )
    people = {}
    for m in rows:
        people.setdefault(m.user.email.lower(), (m.user.email, m.user.get_full_name()))
    return list(people.values())


def queue_deadline_extended(project, *, old_deadline, new_deadline, actor=None):
    """Tell the NPO officers of the participating countries that the deadline moved (one message each,
    so no officer learns the others' addresses)."""
    context = {
        "project": project,
        "old_deadline": old_deadline,
        # The last day of the old deadline in the project's zone (it ends at 00:00 the next day).
        "old_closing_date": Project.closing_date_for(old_deadline, project.zone),
        "project_url": mail.absolute(project.get_absolute_url()),
    }
    return mail.queue_to_each(
        npo_officers(project),
        project=project,
        cause=OutboxCause.DEADLINE_EXTENDED,
        template="apopms/email/deadline_extended",
        context=context,
        key=f"deadline:{project.pk}:{new_deadline.isoformat()}",
        actor=actor,
    )


def queue_notification_issued(project, *, revision_number=0, actor=None):
    """Tell the NPO officers that the notification (or a revision of it) was issued."""
    revision = project.revisions.filter(number=revision_number).first() if revision_number else None
    context = {"project": project, "revision": revision, "project_url": mail.absolute(project.get_absolute_url())}
    return mail.queue_to_each(
        npo_officers(project),
        project=project,
        cause=OutboxCause.NOTIFICATION_ISSUED,
        template="apopms/email/notification_issued",
        context=context,
        key=f"notification:{project.pk}:{revision_number}",
        actor=actor,
    )


def parse_instant(value):
    return value if isinstance(value, datetime.datetime) else datetime.datetime.fromisoformat(value)
