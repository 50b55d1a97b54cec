"""The Secretariat's selection decisions within the quotas, the reserve lists, the proposal, publication.

Each service takes `actor` (the Secretariat: `permissions.require_decide_selection`) and runs in one
transaction that first locks the project's row (`Project.objects.lock`), so two admins deciding at
the same moment are serialised and a quota or the per-country cap (`seats.Seats`) is never exceeded.

Rules: only submitted nominations are decided, and only once nominations are closed (after the
deadline, or when the Secretariat closed them early), so an NPO never edits a decided one; after
publication decisions no longer change (a participant who drops out is withdrawn instead).
"""

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from apopms import audit
from apopms.exceptions import DomainError
from apopms.models import Project

from ..emails import queue_selection_results
from ..enums import Decision, NominationStatus
from ..models import Nomination, SelectionNotice
from ..permissions import require_decide_selection
from ..proposal import build_proposal, selection_fingerprint
from ..seats import Seats, holds_seat
from ..selectors.selection import decisions_open, proposal_input, submitted_nominations
from .participants import make_participant


def require_open_for_decisions(project, now=None):
    """Raise unless decisions may change now (`selectors.decisions_open`), saying why not."""
    if decisions_open(project, now):
        return
    if project.selection_published_at:
        raise DomainError(
            "The selection is published: decisions can no longer change (a participant who drops out is withdrawn)."
        )
    raise DomainError("Nominations are still open: decide once the deadline has passed.")


def _compact_reserve(project, category):
    """Renumber a category's reserve list 1..n, keeping its order."""
    reserves = list(
        submitted_nominations(project)
        .filter(decision=Decision.RESERVE, category=category)
        .order_by(F("reserve_rank").asc(nulls_last=True), "decided_at", "pk")
    )
    for rank, nomination in enumerate(reserves, start=1):
        if nomination.reserve_rank != rank:
            Nomination.objects.filter(pk=nomination.pk).update(reserve_rank=rank)


def _check_seat(project, nomination):
    """Raise unless `nomination` fits in its category's quota and its country's cap (project row locked)."""
    held = Nomination.objects.for_project(project).exclude(pk=nomination.pk)
    refusal = Seats.of_queryset(held).refusal(project, nomination)
    if refusal:
        raise DomainError(refusal)


def write_decision(*, project, nomination, decision, actor, reason="", reserve_rank=None, now=None):
    """Check the rules for `decision` and write it (the project row is locked by the caller)."""
    if nomination.status != NominationStatus.SUBMITTED:
        raise DomainError("Only submitted nominations can be decided.")
    decision = Decision(decision)
    reason = (reason or "").strip()
    if decision == Decision.DECLINED and not reason:
        raise DomainError("Give a reason for not selecting this nomination.", field="reason")
    previous = nomination.decision
    if previous == decision and decision != Decision.DECLINED:
        return nomination  # a repeated call returns what exists
    if decision == Decision.SELECTED:
        _check_seat(project, nomination)
    if decision == Decision.RESERVE:
        if reserve_rank is None:
            last = (
                submitted_nominations(project)
                .filter(decision=Decision.RESERVE, category=nomination.category)
                .exclude(pk=nomination.pk)
                .aggregate(m=Max("reserve_rank"))["m"]
            )
            reserve_rank = (last or 0) + 1
    else:
        reserve_rank = None
    nomination.decision = decision
    nomination.decision_reason = reason
    nomination.reserve_rank = reserve_rank
    nomination.decided_at = now or timezone.now()
    nomination.decided_by = actor
    nomination.save(
        update_fields=["decision", "decision_reason", "reserve_rank", "decided_at", "decided_by", "updated_at"]
    )
    if previous == Decision.RESERVE and decision != Decision.RESERVE:
        _compact_reserve(project, nomination.category)
    audit.record(
        "nominations.nomination.decided",
        actor=actor,
        target=nomination,
        project=project,
        decision=str(decision),
        previous=previous or None,
        reason=reason,
        reserve_rank=reserve_rank,
    )
    return nomination


def locked_nomination(project, pk):
    try:
        return Nomination.objects.select_for_update(of=("self",)).select_related("country").get(pk=pk, project=project)
    except Nomination.DoesNotExist:
        raise DomainError("This nomination is not part of the project.") from None


def decide_nomination(*, nomination, actor, decision, reason=""):
    """Record the Secretariat's decision on a submitted nomination.

    Locks the project's row, so quotas and the per-country cap hold under concurrent admins.
    Reserve decisions go to the end of their category's reserve list. Audit:
    nominations.nomination.decided (decision, previous, reason). No e-mail: results reach the NPOs
    when the selection is published.
    """
    require_decide_selection(actor)
    with transaction.atomic():
        project = Project.objects.lock(nomination.project_id)
        require_open_for_decisions(project)
        locked = locked_nomination(project, nomination.pk)
        return write_decision(project=project, nomination=locked, decision=decision, actor=actor, reason=reason)


def undo_decision(*, nomination, actor):
    """Back to undecided, until the selection is published. Audit: nominations.nomination.decision_undone."""
    require_decide_selection(actor)
    with transaction.atomic():
        project = Project.objects.lock(nomination.project_id)
        require_open_for_decisions(project)
        locked = locked_nomination(project, nomination.pk)
        if not locked.decision:
            return locked
        previous = locked.decision
        locked.decision = ""
        locked.decision_reason = ""
        locked.reserve_rank = None
        locked.decided_at = None
        locked.decided_by = None
        locked.save(
            update_fields=["decision", "decision_reason", "reserve_rank", "decided_at", "decided_by", "updated_at"]
        )
        if previous == Decision.RESERVE:
            _compact_reserve(project, locked.category)
        audit.record("nominations.nomination.decision_undone", actor=actor, target=locked, previous=previous)
        return locked


def move_reserve(*, nomination, actor, direction):
    """Move a reserve one place up or down its category's list (`direction`: "up" or "down").

    Allowed after publication too: the order decides who is offered a freed seat.
    Audit: nominations.nomination.reserve_moved.
    """
    require_decide_selection(actor)
    if direction not in ("up", "down"):
        raise DomainError("Move a reserve up or down.")
    with transaction.atomic():
        project = Project.objects.lock(nomination.project_id)
        _compact_reserve(project, nomination.category)
        locked = locked_nomination(project, nomination.pk)
        if locked.decision != Decision.RESERVE or locked.status != NominationStatus.SUBMITTED:
            raise DomainError("Only a nomination on the reserve list can be moved.")
        target_rank = locked.reserve_rank + (-1 if direction == "up" else 1)
        other = (
            submitted_nominations(project)
            .filter(decision=Decision.RESERVE, category=locked.category, reserve_rank=target_rank)
            .first()
        )
        if other is None:
            return locked
        Nomination.objects.filter(pk=other.pk).update(reserve_rank=locked.reserve_rank)
        Nomination.objects.filter(pk=locked.pk).update(reserve_rank=target_rank)
        locked.reserve_rank = target_rank
        audit.record("nominations.nomination.reserve_moved", actor=actor, target=locked, reserve_rank=target_rank)
        return locked


def confirm_proposal(*, project, actor, selected_ids, reserve_ids, fingerprint, reserve_size):
    """Apply a proposal the admin has seen: `selected_ids` selected, `reserve_ids` onto the reserve list in order.

    Refused if anything it depended on changed since it was shown (the fingerprint differs).
    Each decision is audited like a single one, plus nominations.selection.proposal_confirmed.
    """
    require_decide_selection(actor)
    with transaction.atomic():
        project = Project.objects.lock(project.pk)
        require_open_for_decisions(project)
        nominations = proposal_input(project)
        current = build_proposal(project, nominations, reserve_size)
        if current.fingerprint != fingerprint:
            raise DomainError(
                "The nominations or decisions changed since this proposal was made. Review the new proposal."
            )
        if current.selected_ids != list(selected_ids) or current.reserve_ids != list(reserve_ids):
            raise DomainError("The proposal does not match the current nominations. Review the new proposal.")
        now = timezone.now()
        by_pk = {n.pk: n for n in nominations}
        for step in current.steps:
            write_decision(
                project=project,
                nomination=by_pk[step.nomination.pk],
                decision=step.outcome,
                actor=actor,
                reserve_rank=step.reserve_rank,
                now=now,
            )
        audit.record(
            "nominations.selection.proposal_confirmed",
            actor=actor,
            target=project,
            selected=current.selected_ids,
            reserve=current.reserve_ids,
            reserve_size=current.reserve_size,
        )
        return current


def publish_selection(*, project, actor, fingerprint=None, notify=True):
    """Publish the selection. A second call changes and sends nothing.

    - every submitted nomination still undecided is marked not selected (declined);
    - `project.selection_published_at` is set;
    - each selected nomination becomes a Participant, its user invited (apopms.services.invite_user);
    - one SelectionNotice per country with submitted nominations; after commit, each NPO gets one
      e-mail with its country's results (task send_selection_results, retried on mail failure).
    Audit: nominations.nomination.decided for each undecided one, nominations.participant.created,
    nominations.selection.published. `notify=False` (the demo) makes no e-mails.
    """
    require_decide_selection(actor)
    with transaction.atomic():
        project = Project.objects.lock(project.pk)
        if project.selection_published_at:
            return project
        if project.accepts_nominations():
            raise DomainError("Nominations are still open: publish the selection after the deadline.")
        nominations = proposal_input(project)
        if fingerprint is not None and fingerprint != selection_fingerprint(project, nominations):
            raise DomainError("Nominations or decisions changed since you looked. Review the list again.")
        now = timezone.now()
        undecided = [n for n in nominations if not n.decision]
        for nomination in undecided:
            write_decision(
                project=project,
                nomination=nomination,
                decision=Decision.DECLINED,
                actor=actor,
                reason="Not selected when the selection was published.",
                now=now,
            )
        project.selection_published_at = now
        project.save(update_fields=["selection_published_at", "updated_at"])
        selected = [n for n in nominations if holds_seat(n)]
        for nomination in selected:
            make_participant(project=project, nomination=nomination, actor=actor, notify=notify, now=now)
        countries = sorted({n.country_id for n in nominations})
        SelectionNotice.objects.bulk_create(
            [SelectionNotice(project=project, country_id=c, created_at=now) for c in countries],
            ignore_conflicts=True,
        )
        audit.record(
            "nominations.selection.published",
            actor=actor,
            target=project,
            selected=len(selected),
            declined_at_publication=len(undecided),
            countries=len(countries),
            notified=notify,
        )
        if notify:
            for notice in SelectionNotice.objects.filter(project=project).order_by("pk"):
                queue_selection_results(notice.pk)
        return project


def promote_reserve(*, nomination, actor):
    """Move a reserve into a free seat of the category (the admin confirms the board's offer).

    Checks the quota and cap under the project lock. After publication the nomination becomes a
    participant and is invited, and its NPO gets a fresh results e-mail (task send_selection_results).
    Audit: nominations.nomination.decided and nominations.nomination.promoted.
    """
    require_decide_selection(actor)
    with transaction.atomic():
        project = Project.objects.lock(nomination.project_id)
        locked = locked_nomination(project, nomination.pk)
        if locked.decision == Decision.SELECTED:
            return locked
        if locked.status != NominationStatus.SUBMITTED or locked.decision != Decision.RESERVE:
            raise DomainError("Only a nomination on the reserve list can be promoted.")
        rank = locked.reserve_rank
        write_decision(project=project, nomination=locked, decision=Decision.SELECTED, actor=actor)
        audit.record("nominations.nomination.promoted", actor=actor, target=locked, from_reserve_rank=rank)
        if project.selection_published_at:
            make_participant(project=project, nomination=locked, actor=actor)
            notice, _ = SelectionNotice.objects.get_or_create(project=project, country=locked.country)
            # The NPO hears of the promotion: its country's results again, for this occasion.
            queue_selection_results(notice.pk, occasion=f"promoted:{locked.pk}")
        return locked
