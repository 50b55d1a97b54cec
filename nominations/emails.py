"""E-mails of the nominations, written to the outbox in the caller's transaction (see `apopms.mail`)."""

from django.db import transaction
from django.urls import reverse

from apopms import mail
from apopms.enums import OutboxCause, Role
from apopms.models import User

from .models import SelectionNotice
from .selectors import country_results, result_label


def officers_of(country):
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.NPO_OFFICER,
            memberships__country=country,
            memberships__active=True,
        )
        .distinct()
        .order_by("email")
    )


def queue_acknowledgement(nomination, *, officer_id=None):
    """Acknowledge a submission to the officer who submitted it, the NPO's other officers copied.
    Once per submission (a second call writes nothing)."""
    officers = officers_of(nomination.country)
    if not officers:
        return None
    first = next((o for o in officers if o.pk == officer_id), None) or officers[0]
    when = nomination.submitted_at.isoformat() if nomination.submitted_at else ""
    return mail.queue_email(
        project=nomination.project,
        cause=OutboxCause.ACKNOWLEDGEMENT,
        recipient=first.email,
        recipient_name=first.get_full_name(),
        cc=[o.email for o in officers if o != first],
        template="nominations/email/acknowledgement",
        context={
            "nomination": nomination,
            "project": nomination.project,
            "officer": first if first.pk == officer_id else None,
            "link": mail.absolute(reverse("nominations:detail", kwargs={"pk": nomination.pk})),
        },
        key=f"acknowledgement:{nomination.pk}:{when}",
    )


def queue_withdrawal(nomination, *, actor=None):
    """Acknowledge a withdrawal to the officer who withdrew it (else to every officer), the others copied."""
    officers = officers_of(nomination.country)
    if not officers:
        return None
    first = next((o for o in officers if actor is not None and o.pk == actor.pk), None)
    to = first or officers[0]
    by = actor.get_full_name() if getattr(actor, "is_authenticated", False) else ""
    return mail.queue_email(
        project=nomination.project,
        cause=OutboxCause.NOMINATION_WITHDRAWN,
        recipient=to.email,
        recipient_name=to.get_full_name(),
        cc=[o.email for o in officers if o != to],
        template="nominations/email/withdrawn",
        context={
            "nomination": nomination,
            "project": nomination.project,
            "officer": first,
            "by": by,
            "link": mail.absolute(reverse("nominations:project", kwargs={"code": nomination.project.code})),
        },
        key=f"withdrawn:{nomination.pk}:{nomination.withdrawn_at.isoformat()}",
        actor=actor,
    )


def queue_selection_results(notice_pk, occasion="published"):
    """A country's results, one message to each of its NPO officers, once per `occasion` (the
    publication, or a promotion from the reserve: "promoted:<nomination pk>"). The outbox keys
    make a second call for the same occasion write nothing; the outbox rows say what was sent."""
    with transaction.atomic():
        notice = (
            SelectionNotice.objects.select_for_update(of=("self",))
            .select_related("project", "country")
            .filter(pk=notice_pk)
            .first()
        )
        if notice is None:
            return []
        rows = [(n, result_label(n)) for n in country_results(notice.project, notice.country)]
        context = {
            "project": notice.project,
            "country": notice.country,
            "rows": rows,
            "participants_url": mail.absolute(
                reverse("nominations:participant_list", kwargs={"code": notice.project.code})
            ),
        }
        return mail.queue_to_each(
            [(officer.email, officer.get_full_name()) for officer in officers_of(notice.country)],
            key=f"selection-results:{notice.pk}:{occasion}",
            project=notice.project,
            cause=OutboxCause.SELECTION_RESULTS,
            template="nominations/selection/email/results",
            context=context,
        )


def queue_candidate_ready(nomination):
    """Tell the NPO's officers that a candidate sent their biodata for review (one message, the others
    copied), once per hand-in."""
    officers = officers_of(nomination.country)
    if not officers:
        return None
    return mail.queue_email(
        project=nomination.project,
        cause=OutboxCause.CANDIDATE_READY,
        recipient=officers[0].email,
        recipient_name=officers[0].get_full_name(),
        cc=[o.email for o in officers[1:]],
        template="nominations/email/candidate_ready",
        context={
            "nomination": nomination,
            "project": nomination.project,
            "link": mail.absolute(reverse("nominations:detail", kwargs={"pk": nomination.pk})),
        },
        key=f"candidate-ready:{nomination.pk}:{nomination.handed_in_at.isoformat()}",
    )


def queue_change_request(nomination, *, actor=None):
    """The NPO's request for a change, to the candidate, once per request."""
    candidate = nomination.candidate
    return mail.queue_email(
        project=nomination.project,
        cause=OutboxCause.CHANGE_REQUESTED,
        recipient=candidate.email,
        recipient_name=candidate.get_full_name(),
        template="nominations/email/change_requested",
        context={
            "nomination": nomination,
            "project": nomination.project,
            "link": mail.absolute(reverse("nominations:candidate", kwargs={"pk": nomination.pk})),
        },
        key=f"change-requested:{nomination.pk}:{nomination.change_requested_at.isoformat()}",
        actor=actor,
    )
