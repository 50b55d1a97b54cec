"""Replacement windows: after dropouts, one country's NPO nominates replacements until a date of its own.

Separate from the nomination deadline ("Extend the deadline" reopens nominations for every
country). A window belongs to one project and country; its NPO may submit up to `seats`
replacement nominations (those the Secretariat did not turn down) while it is open, even after
the original deadline; the Secretariat decides on each, within the quotas and the per-country cap
and the window's seats, under the project lock. A selected replacement becomes a participant at
once (invited) and confirms their seat like everyone else.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apopms import audit, mail
from apopms.enums import OutboxCause
from apopms.exceptions import DomainError
from apopms.models import Project, long_date

from ..emails import officers_of, queue_selection_results
from ..enums import Decision, NominationStatus
from ..models import Nomination, ReplacementWindow, SelectionNotice
from ..permissions import require_decide_selection
from ..selectors.seats import dropouts
from .decisions import locked_nomination, write_decision
from .participants import make_participant


def closes_text(window):
    return window.closes_text


def window_nominations(window):
    return Nomination.objects.filter(replacement_window=window)


def seats_used(window, *, exclude_pk=None):
    """Replacements counting against the window: submitted ones the Secretariat did not turn down."""
    qs = window_nominations(window).filter(status=NominationStatus.SUBMITTED).exclude(decision=Decision.DECLINED)
    return qs.exclude(pk=exclude_pk).count() if exclude_pk else qs.count()


def open_window_for(project, country, at):
    """`country`'s replacement window in `project` if it is open at `at`, else None."""
    return (
        ReplacementWindow.objects.filter(project=project, country=country, closes_at__gt=at)
        .select_related("project", "country")
        .first()
    )


def open_replacement_window(*, project, country, actor, seats, closing_date, reason="", now=None):
    """Open `country`'s replacement window (or change the one it has): up to `seats` replacements,
    until the end of `closing_date` in the project's zone.

    Rules: the selection is published; `country` takes part; 1 <= seats <= its dropouts; the date has
    not passed and is not after the project's last day; seats not below those already used.
    Side effects: audit nominations.replacement_window.opened (or .changed); the country's NPO
    officers get an e-mail through the outbox (once per seats and date).
    """
    require_decide_selection(actor)
    now = now or timezone.now()
    reason = (reason or "").strip()
    try:
        seats = int(seats)
    except (TypeError, ValueError):
        raise DomainError("Give the number of replacements as a whole number.", field="seats") from None
    if closing_date is None:
        raise DomainError("Give the date until which replacements are accepted.", field="closing_date")
    with transaction.atomic():
        project = Project.objects.lock(project.pk)
        if project.selection_published_at is None:
            raise DomainError("Replacement windows open after the selection is published.")
        if not project.accepts_country(country):
            raise DomainError(f"{country} does not take part in this project.")
        lost = dropouts(project, country)
        if not 1 <= seats <= lost:
            raise DomainError(
                f"{country} has {lost} dropout{'s' if lost != 1 else ''}: it may replace between 1 and {lost}."
                if lost
                else f"{country} has no dropout to replace.",
                field="seats",
            )
        closes_at = Project.deadline_for(closing_date, project.time_zone)
        if closes_at <= now:
            raise DomainError(
                f"{long_date(closing_date)} has already passed; choose a later date.", field="closing_date"
            )
        if closing_date > project.end_date:
            raise DomainError(
                f"The window may not close after the project's last day ({long_date(project.end_date)}).",
                field="closing_date",
            )
        window = ReplacementWindow.objects.select_for_update().filter(project=project, country=country).first()
        opened = window is None
        if opened:
            window = ReplacementWindow(project=project, country=country, opened_by=actor, opened_at=now)
        elif seats < seats_used(window):
            raise DomainError(
                f"{seats_used(window)} replacements are already submitted in this window; give at least that many.",
                field="seats",
            )
        window.seats, window.closes_at, window.reason = seats, closes_at, reason
        window.notified_at = now
        window.save()
        audit.record(
            "nominations.replacement_window.opened" if opened else "nominations.replacement_window.changed",
            actor=actor,
            target=window,
            project=project,
            country=country.iso2,
            seats=seats,
            closes_at=closes_at.isoformat(),
            reason=reason,
            sentence=f"{country.name} may nominate up to {seats} replacement{'s' if seats != 1 else ''} "
            f"until {closes_text(window)}.",
        )
        queue_window_notice(window, dropouts=lost, actor=actor)
        return window


def queue_window_notice(window, *, dropouts, actor=None):
    """Tell the country's NPO officers that its replacement window is open (once per seats and date)."""
    project, country = window.project, window.country
    link = mail.absolute(reverse("nominations:project", kwargs={"code": project.code}))
    return mail.queue_to_each(
        [(o.email, o.get_full_name()) for o in officers_of(country)],
        key=f"replacement-window:{window.pk}:{window.seats}:{window.closes_at.isoformat()}",
        project=project,
        cause=OutboxCause.REPLACEMENT_WINDOW,
        template="nominations/email/replacement_window",
        context={
            "project": project,
            "country": country,
            "window": window,
            "dropouts": dropouts,
            "closes": closes_text(window),
            "link": link,
        },
        actor=actor,
    )


def check_window_seat(window, nomination):
    """Raise unless `nomination` may be submitted in `window`: seats remain (whether it is open is
    `nominations._check_can_act`'s business). The caller holds the country's lock."""
    used = seats_used(window, exclude_pk=nomination.pk)
    if used >= window.seats:
        raise DomainError(
            f"{window.country} may send {window.seats} replacement{'s' if window.seats != 1 else ''} "
            f"and has submitted {used}: withdraw one first, or ask the APO Secretariat."
        )


def decide_replacement(*, nomination, actor, decision, reason=""):
    """The Secretariat selects a replacement, or turns it down (with a reason).

    Selected: within the window's seats, the category's quota and the per-country cap, checked under
    the project lock; the nomination becomes a participant at once (invited), and its NPO gets a
    fresh results e-mail. A repeated call returns what exists; a decision, once made, stays.
    Audit: nominations.nomination.decided and nominations.replacement.decided.
    """
    require_decide_selection(actor)
    if decision not in (Decision.SELECTED, Decision.DECLINED):
        raise DomainError("A replacement is selected or not selected.")
    with transaction.atomic():
        project = Project.objects.lock(nomination.project_id)
        locked = locked_nomination(project, nomination.pk)
        if locked.replacement_window_id is None:
            raise DomainError("This nomination was not made in a replacement window.")
        if locked.status != NominationStatus.SUBMITTED:
            raise DomainError("Only submitted replacements can be decided.")
        if locked.decision == decision:
            return locked
        if locked.decision:
            raise DomainError("The Secretariat has already decided on this replacement.")
        window = ReplacementWindow.objects.select_related("project", "country").get(pk=locked.replacement_window_id)
        if decision == Decision.SELECTED:
            held = window_nominations(window).holding_seats().exclude(pk=locked.pk).count()
            if held >= window.seats:
                raise DomainError(
                    f"{window.country}'s replacement window has {window.seats} seat{'s' if window.seats != 1 else ''}, "
                    f"and {held} replacement{'s are' if held != 1 else ' is'} already selected."
                )
        write_decision(project=project, nomination=locked, decision=decision, actor=actor, reason=reason)
        label = "selected" if decision == Decision.SELECTED else "not selected"
        audit.record(
            "nominations.replacement.decided",
            actor=actor,
            target=locked,
            project=project,
            window=window.pk,
            decision=str(decision),
            sentence=f"{locked.certificate_name} was {label} as a replacement for {window.country.name}.",
        )
        if decision == Decision.SELECTED:
            make_participant(project=project, nomination=locked, actor=actor)
            notice, _ = SelectionNotice.objects.get_or_create(project=project, country=locked.country)
            # The NPO hears of the replacement: its country's results again, for this occasion.
            queue_selection_results(notice.pk, occasion=f"replacement:{locked.pk}")
        return locked
