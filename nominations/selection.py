"""Selection: the Secretariat's decisions within the quotas, the reserve list, publication, participants.

Services (writes) take `actor`, run in one transaction that locks the project's row, so two
admins deciding at the same moment are serialised and a quota can never be exceeded:

- `decide_nomination`      selected / reserve / declined (with a reason) on a submitted nomination
- `undo_decision`          back to undecided, until the selection is published
- `move_reserve`           reorder the reserve list of a category
- `confirm_proposal`       apply a proposal made by `propose_selection` (checked against its fingerprint)
- `publish_selection`      undecided -> not selected, participants made and invited, NPOs told (once)
- `withdraw_participant`   a participant drops out (NPO or Secretariat, with a reason): the seat is freed
- `promote_reserve`        the admin confirms a reserve into a free seat (invited if published)

Selectors (reads): `selection_board`, `seat_offers`, `propose_selection`, `publication_preview`,
`participants_for_project`, `country_results`.

Rules:
- Only submitted nominations are decided, and only once nominations are closed (after the
  deadline, or when the Secretariat closed them early), so an NPO never edits a decided one.
- The per-country cap counts a country's selected overseas participants: local participants
  come from the host country alone and are bounded by the local quota.
"""

import dataclasses
import datetime
import hashlib
import logging
from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from apopms import audit
from apopms.enums import Category
from apopms.exceptions import DomainError
from apopms.models import Project, User
from apopms.tasks_util import enqueue_on_commit

from .enums import Decision, Gender, NominationStatus, ParticipantStatus
from .models import Nomination, Participant, SelectionNotice

logger = logging.getLogger(__name__)

CATEGORIES = (Category.OVERSEAS, Category.LOCAL)
DEFAULT_RESERVE_SIZE = 5
ROUND_ORDER_TEXT = (
    "Each round takes one candidate per country, the country's highest NPO priority not yet decided. "
    "Within a round, countries go in this order: fewest seats so far, then the NPO's earliest "
    "submission, then the country's name."
)
_FAR_FUTURE = datetime.datetime.max.replace(tzinfo=datetime.UTC)


# --------------------------------------------------------------------------- helpers


def _lock_project(project_id):
    return Project.objects.select_for_update().get(pk=project_id)


def _require_secretariat(actor):
    if actor is None or not actor.is_secretariat:
        raise DomainError("Only the APO Secretariat may decide the selection.")


def _require_open_for_decisions(project, now=None):
    if project.selection_published_at:
        raise DomainError(
            "The selection is published: decisions can no longer change (a participant who drops out is withdrawn)."
        )
    if project.accepts_nominations(now):
        raise DomainError("Nominations are still open: decide once the deadline has passed.")


def _submitted(project):
    return Nomination.objects.filter(project=project, status=NominationStatus.SUBMITTED)


def _priority_key(nomination):
    """A country's candidates in NPO priority order (unranked last, then by submission)."""
    return (
        nomination.priority is None,
        nomination.priority or 0,
        nomination.submitted_at or _FAR_FUTURE,
        nomination.pk,
    )


def _cap_applies(project, category):
    return project.per_country_cap is not None and category == Category.OVERSEAS


def _compact_reserve(project, category):
    """Renumber a category's reserve list 1..n, keeping its order."""
    reserves = list(
        _submitted(project)
        .filter(decision=Decision.RESERVE, category=category)
        .order_by(F("reserve_rank").asc(nulls_last=True), "decided_at", "pk")
    )
    for rank, nomination in enumerate(reserves, start=1):
        if nomination.reserve_rank != rank:
            Nomination.objects.filter(pk=nomination.pk).update(reserve_rank=rank)


def _check_seat(project, nomination, *, exclude_pk=None):
    """Raise unless `nomination` fits in its category's quota and its country's cap (project row locked)."""
    selected = Nomination.objects.for_project(project).holding_seats()
    if exclude_pk is not None:
        selected = selected.exclude(pk=exclude_pk)
    quota = project.quota_for(nomination.category)
    taken = selected.filter(category=nomination.category).count()
    if taken >= quota:
        label = Category(nomination.category).label.lower()
        raise DomainError(f"All {quota} {label} seats are taken ({taken} / {quota}).")
    if _cap_applies(project, nomination.category):
        from_country = selected.cap_seats_by_country().get(nomination.country_id, 0)
        if from_country >= project.per_country_cap:
            raise DomainError(
                f"{nomination.country} already has {from_country} selected participant"
                f"{'s' if from_country != 1 else ''}: the cap is {project.per_country_cap} per country."
            )


def _write_decision(*, project, nomination, decision, actor, reason="", reserve_rank=None, now=None):
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
        _check_seat(project, nomination, exclude_pk=nomination.pk)
    if decision == Decision.RESERVE:
        if reserve_rank is None:
            last = (
                _submitted(project)
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


def _locked_nomination(project, pk):
    try:
        return Nomination.objects.select_for_update().select_related("country").get(pk=pk, project=project)
    except Nomination.DoesNotExist:
        raise DomainError("This nomination is not part of the project.") from None


# --------------------------------------------------------------------------- decisions


def decide_nomination(*, nomination, actor, decision, reason=""):
    """Record the Secretariat's decision on a submitted nomination.

    Locks the project's row, so quotas and the per-country cap hold under concurrent admins.
    Reserve decisions go to the end of their category's reserve list. Audit:
    nominations.nomination.decided (decision, previous, reason). No e-mail: results reach the NPOs
    when the selection is published.
    """
    _require_secretariat(actor)
    with transaction.atomic():
        project = _lock_project(nomination.project_id)
        _require_open_for_decisions(project)
        locked = _locked_nomination(project, nomination.pk)
        return _write_decision(project=project, nomination=locked, decision=decision, actor=actor, reason=reason)


def undo_decision(*, nomination, actor):
    """Back to undecided, until the selection is published. Audit: nominations.nomination.decision_undone."""
    _require_secretariat(actor)
    with transaction.atomic():
        project = _lock_project(nomination.project_id)
        _require_open_for_decisions(project)
        locked = _locked_nomination(project, nomination.pk)
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
    _require_secretariat(actor)
    if direction not in ("up", "down"):
        raise DomainError("Move a reserve up or down.")
    with transaction.atomic():
        project = _lock_project(nomination.project_id)
        _compact_reserve(project, nomination.category)
        locked = _locked_nomination(project, nomination.pk)
        if locked.decision != Decision.RESERVE or locked.status != NominationStatus.SUBMITTED:
            raise DomainError("Only a nomination on the reserve list can be moved.")
        target_rank = locked.reserve_rank + (-1 if direction == "up" else 1)
        other = (
            _submitted(project)
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


# --------------------------------------------------------------------------- the proposal


@dataclasses.dataclass(frozen=True)
class ProposalStep:
    round: int
    nomination: Nomination
    outcome: str  # Decision.SELECTED or Decision.RESERVE
    reserve_rank: int | None = None


@dataclasses.dataclass
class Proposal:
    steps: list
    fingerprint: str
    reserve_size: int
    free_seats: dict  # category -> free seats before the proposal
    capped: list  # (round, nomination): skipped because their country reached the cap

    @property
    def selected_ids(self):
        return [s.nomination.pk for s in self.steps if s.outcome == Decision.SELECTED]

    @property
    def reserve_ids(self):
        return [s.nomination.pk for s in self.steps if s.outcome == Decision.RESERVE]

    def by_category(self):
        out = {category: [] for category in CATEGORIES}
        for step in self.steps:
            out[step.nomination.category].append(step)
        return [(Category(category), steps) for category, steps in out.items()]

    @property
    def is_empty(self):
        return not self.steps


def selection_fingerprint(project, nominations, reserve_size=None):
    """A digest of everything a proposal or a publication depends on: a changed state changes it."""
    parts = [
        f"p:{project.pk}:{project.overseas_quota}:{project.local_quota}:{project.per_country_cap}:"
        f"{project.selection_published_at}:{reserve_size}"
    ]
    for n in sorted(nominations, key=lambda n: n.pk):
        parts.append(
            f"{n.pk}:{n.country_id}:{n.category}:{n.status}:{n.priority}:"
            f"{n.submitted_at.isoformat() if n.submitted_at else ''}:{n.decision}:{n.reserve_rank}"
        )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _proposal_input(project):
    return list(_submitted(project).select_related("country"))


def build_proposal(project, nominations, reserve_size=DEFAULT_RESERVE_SIZE):
    """The proposal for `nominations` (the project's submitted ones): a pure function of its input.

    Per category, rounds take one undecided candidate per country (its best NPO priority left);
    within a round countries go by fewest seats so far, then the NPO's earliest submission, then
    name. Candidates fill the free seats (respecting the per-country cap), then the reserve list
    up to `reserve_size` places per category.
    """
    reserve_size = max(0, int(reserve_size))
    earliest = {}
    names = {}
    seats = Counter()
    selected_in = Counter()
    reserves_in = Counter()
    last_rank = Counter()
    queues = {category: defaultdict(list) for category in CATEGORIES}
    for n in nominations:
        names[n.country_id] = n.country.name
        earliest[n.country_id] = min(earliest.get(n.country_id, _FAR_FUTURE), n.submitted_at or _FAR_FUTURE)
        if n.decision == Decision.SELECTED:
            seats[n.country_id] += 1
            selected_in[n.category] += 1
        elif n.decision == Decision.RESERVE:
            reserves_in[n.category] += 1
            last_rank[n.category] = max(last_rank[n.category], n.reserve_rank or 0)
        elif not n.decision:
            queues[n.category][n.country_id].append(n)
    steps, capped, free_seats = [], [], {}
    for category in CATEGORIES:
        free = max(0, project.quota_for(category) - selected_in[category])
        free_seats[category] = free
        reserve_free = max(0, reserve_size - reserves_in[category])
        rank = last_rank[category]
        queue = {country: sorted(noms, key=_priority_key) for country, noms in queues[category].items()}
        round_no = 0
        while (free or reserve_free) and any(queue.values()):
            round_no += 1
            order = sorted((c for c, q in queue.items() if q), key=lambda c: (seats[c], earliest[c], names[c]))
            for country in order:
                if not (free or reserve_free):
                    break
                nomination = queue[country].pop(0)
                if _cap_applies(project, category) and seats[country] >= project.per_country_cap:
                    capped.append((round_no, nomination))
                    capped.extend((round_no, n) for n in queue[country])
                    queue[country] = []
                    continue
                if free:
                    steps.append(ProposalStep(round_no, nomination, Decision.SELECTED))
                    seats[country] += 1
                    free -= 1
                else:
                    rank += 1
                    steps.append(ProposalStep(round_no, nomination, Decision.RESERVE, rank))
                    reserve_free -= 1
    return Proposal(
        steps=steps,
        fingerprint=selection_fingerprint(project, nominations, reserve_size),
        reserve_size=reserve_size,
        free_seats=free_seats,
        capped=capped,
    )


def propose_selection(project, reserve_size=DEFAULT_RESERVE_SIZE):
    """The proposal for the project's current state. Reads only: nothing changes until confirmed."""
    return build_proposal(project, _proposal_input(project), reserve_size)


def confirm_proposal(*, project, actor, selected_ids, reserve_ids, fingerprint, reserve_size):
    """Apply a proposal the admin has seen: `selected_ids` selected, `reserve_ids` onto the reserve list in order.

    Refused if anything it depended on changed since it was shown (the fingerprint differs).
    Each decision is audited like a single one, plus nominations.selection.proposal_confirmed.
    """
    _require_secretariat(actor)
    with transaction.atomic():
        project = _lock_project(project.pk)
        _require_open_for_decisions(project)
        nominations = _proposal_input(project)
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
            _write_decision(
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


# --------------------------------------------------------------------------- board and reads


@dataclasses.dataclass
class CountryGroup:
    country: object
    nominations: list
    selected: int = 0


def _counters(project, nominations):
    selected = [n for n in nominations if n.decision == Decision.SELECTED]
    by_category = Counter(n.category for n in selected)
    per_country = Counter(n.country for n in selected)
    genders = Counter(n.gender for n in selected)
    total = len(selected)
    return {
        "categories": [
            {
                "category": Category(c),
                "taken": by_category[c],
                "quota": project.quota_for(c),
                "full": by_category[c] >= project.quota_for(c),
                "reserve": sum(1 for n in nominations if n.decision == Decision.RESERVE and n.category == c),
            }
            for c in CATEGORIES
        ],
        "per_country": sorted(per_country.items(), key=lambda item: item[0].name),
        "genders": [
            {"gender": g, "count": genders[g.value], "share": round(100 * genders[g.value] / total) if total else 0}
            for g in Gender
        ],
        "selected_total": total,
        "undecided": sum(1 for n in nominations if not n.decision),
        "cap": project.per_country_cap,
    }


def seat_offers(project, nominations=None):
    """For each category with a free seat and a reserve list: the first reserve who may take it (respecting
    the cap), or None when the cap rules out every reserve."""
    if nominations is None:
        nominations = list(_submitted(project).select_related("country"))
    counters = Counter(n.category for n in nominations if n.decision == Decision.SELECTED)
    from_country = Counter(
        n.country_id for n in nominations if n.decision == Decision.SELECTED and n.category == Category.OVERSEAS
    )
    offers = []
    for category in CATEGORIES:
        free = project.quota_for(category) - counters[category]
        if free <= 0:
            continue
        reserves = sorted(
            (n for n in nominations if n.decision == Decision.RESERVE and n.category == category),
            key=lambda n: (n.reserve_rank or 0, n.pk),
        )
        if not reserves:
            continue  # nobody to offer it to
        first = next(
            (
                n
                for n in reserves
                if not _cap_applies(project, category) or from_country[n.country_id] < project.per_country_cap
            ),
            None,
        )
        offers.append({"category": Category(category), "free": free, "nomination": first})
    return offers


def board_nominations(project):
    return list(
        _submitted(project)
        .select_related("country", "decided_by")
        .order_by("country__name", F("priority").asc(nulls_last=True), "submitted_at", "pk")
    )


def selection_board(project):
    """Everything the board shows, from one query of the nominations (constant queries at any size)."""
    nominations = board_nominations(project)
    groups = {}
    for n in nominations:
        group = groups.setdefault(n.country_id, CountryGroup(n.country, []))
        group.nominations.append(n)
        if n.decision == Decision.SELECTED:
            group.selected += 1
    reserves = {
        c: sorted(
            (n for n in nominations if n.decision == Decision.RESERVE and n.category == c),
            key=lambda n: (n.reserve_rank or 0, n.pk),
        )
        for c in CATEGORIES
    }
    return {
        "groups": list(groups.values()),
        "nominations": nominations,
        "counters": _counters(project, nominations),
        "reserves": [(Category(c), reserves[c]) for c in CATEGORIES],
        "offers": seat_offers(project, nominations),
        "published": project.selection_published_at is not None,
        "decisions_open": project.selection_published_at is None and not project.accepts_nominations(),
    }


def projects_with_seats():
    """Projects, newest first, each with its submitted count and seats taken per category (one query)."""
    selected = Q(nominations__status=NominationStatus.SUBMITTED, nominations__decision=Decision.SELECTED)
    return (
        Project.objects.select_related("host_country")
        .annotate(
            submitted_count=Count("nominations", filter=Q(nominations__status=NominationStatus.SUBMITTED)),
            overseas_taken=Count("nominations", filter=selected & Q(nominations__category=Category.OVERSEAS)),
            local_taken=Count("nominations", filter=selected & Q(nominations__category=Category.LOCAL)),
        )
        .order_by("-start_date", "code")
    )


def board_counters(project):
    return _counters(project, list(_submitted(project).select_related("country")))


def publication_preview(project):
    """What publishing would do: the undecided submitted nominations it would mark not selected."""
    nominations = list(_submitted(project).select_related("country"))
    undecided = sorted((n for n in nominations if not n.decision), key=lambda n: (n.country.name, _priority_key(n)))
    return {
        "undecided": undecided,
        "selected": sum(1 for n in nominations if n.decision == Decision.SELECTED),
        "reserve": sum(1 for n in nominations if n.decision == Decision.RESERVE),
        "declined": sum(1 for n in nominations if n.decision == Decision.DECLINED),
        "countries": len({n.country_id for n in nominations}),
        "fingerprint": selection_fingerprint(project, nominations),
        "counters": _counters(project, nominations),
    }


def participants_for_project(project):
    """The project's active participants, by country and name (name, country, organization)."""
    return (
        Participant.objects.filter(project=project, status=ParticipantStatus.ACTIVE)
        .select_related("country", "nomination")
        .order_by("country__name", "certificate_name", "pk")
    )


def country_results(project, country):
    """A country's submitted nominations with what the NPO may see of the decision (after publication)."""
    return list(
        Nomination.objects.filter(project=project, country=country)
        .exclude(status=NominationStatus.DRAFT)
        .select_related("participant")
        .order_by(F("priority").asc(nulls_last=True), "certificate_name", "pk")
    )


def result_label(nomination):
    """What an NPO is told: Selected / Reserve (n) / Not selected / Withdrawn."""
    if nomination.status == NominationStatus.WITHDRAWN:
        return "Withdrawn"
    if nomination.decision == Decision.SELECTED:
        return "Selected"
    if nomination.decision == Decision.RESERVE:
        return f"Reserve (no. {nomination.reserve_rank})" if nomination.reserve_rank else "Reserve"
    return "Not selected"


def can_see_participants(user, project):
    """The Secretariat, the NPOs of the project's countries and its active participants."""
    if not user.is_authenticated:
        return False
    if user.is_secretariat:
        return True
    country = user.npo_country
    if country is not None and project.participating_countries.filter(pk=country.pk).exists():
        return True
    return Participant.objects.filter(project=project, user=user, status=ParticipantStatus.ACTIVE).exists()


# --------------------------------------------------------------------------- participants and invitations


def invite_participant_user(*, actor, nomination):
    """The participant's account, invited to set a password (adapter over the core's invite_user).

    Returns (user, invited_by_core). With `apopms.services.invite_user` the core creates the
    account and sends the invitation after commit; without it (older core) the account is made
    here and `send_participant_invitation` sends a set-password link.
    """
    try:
        from apopms.enums import InvitationPurpose
        from apopms.services import invite_user
    except ImportError:
        invite_user = None
    if invite_user is not None:
        invitation = invite_user(
            actor=actor,
            email=nomination.email,
            full_name=nomination.certificate_name,
            purpose=InvitationPurpose.PARTICIPANT,
            country=nomination.country,
            project=nomination.project,
        )
        return getattr(invitation, "user", invitation), True
    user = User.objects.filter(email__iexact=nomination.email).first()
    if user is None:
        user = User.objects.create_user(nomination.email, None, full_name=nomination.certificate_name)
    return user, False


def _make_participant(*, project, nomination, actor, notify=True, now=None):
    existing = Participant.objects.filter(nomination=nomination).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    if notify:
        user, invited_by_core = invite_participant_user(actor=actor, nomination=nomination)
    else:
        user = User.objects.filter(email__iexact=nomination.email).first() or User.objects.create_user(
            nomination.email, None, full_name=nomination.certificate_name
        )
        invited_by_core = False
    participant = Participant.objects.create(
        nomination=nomination,
        project=project,
        country=nomination.country,
        category=nomination.category,
        user=user,
        certificate_name=nomination.certificate_name,
        native_name=nomination.native_name,
        created_at=now,
        invited_at=now if invited_by_core else None,
    )
    audit.record("nominations.participant.created", actor=actor, target=participant, nomination=nomination.pk)
    if notify and not invited_by_core:
        from .selection_tasks import send_participant_invitation

        enqueue_on_commit(send_participant_invitation, participant_id=participant.pk)
    return participant


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
    _require_secretariat(actor)
    with transaction.atomic():
        project = _lock_project(project.pk)
        if project.selection_published_at:
            return project
        if project.accepts_nominations():
            raise DomainError("Nominations are still open: publish the selection after the deadline.")
        nominations = list(_submitted(project).select_related("country"))
        if fingerprint is not None and fingerprint != selection_fingerprint(project, nominations):
            raise DomainError("Nominations or decisions changed since you looked. Review the list again.")
        now = timezone.now()
        undecided = [n for n in nominations if not n.decision]
        for nomination in undecided:
            _write_decision(
                project=project,
                nomination=nomination,
                decision=Decision.DECLINED,
                actor=actor,
                reason="Not selected when the selection was published.",
                now=now,
            )
        project.selection_published_at = now
        project.save(update_fields=["selection_published_at", "updated_at"])
        selected = [n for n in nominations if n.decision == Decision.SELECTED]
        for nomination in selected:
            _make_participant(project=project, nomination=nomination, actor=actor, notify=notify, now=now)
        countries = sorted({n.country_id for n in nominations})
        SelectionNotice.objects.bulk_create(
            [
                SelectionNotice(project=project, country_id=c, created_at=now, sent_at=None if notify else now)
                for c in countries
            ],
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
            from .selection_tasks import send_selection_results

            for notice in SelectionNotice.objects.filter(project=project, sent_at__isnull=True).order_by("pk"):
                enqueue_on_commit(send_selection_results, notice_id=notice.pk)
        return project


def withdraw_participant(*, participant, actor, reason):
    """A participant drops out: their NPO (own country only) or the Secretariat, with a reason.

    The participant and the nomination are withdrawn, which frees the seat; the board then offers
    it to the first reserve of the category (respecting the cap), whom the admin promotes with
    `promote_reserve`. Audit: nominations.participant.withdrawn.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for the withdrawal.", field="reason")
    if actor is None or not (
        actor.is_secretariat or (actor.npo_country and actor.npo_country.pk == participant.country_id)
    ):
        raise DomainError("Only the participant's NPO or the APO Secretariat may withdraw a participant.")
    with transaction.atomic():
        project = _lock_project(participant.project_id)
        locked = Participant.objects.select_for_update().select_related("nomination").get(pk=participant.pk)
        if locked.status == ParticipantStatus.WITHDRAWN:
            return locked
        now = timezone.now()
        locked.status = ParticipantStatus.WITHDRAWN
        locked.withdrawn_at = now
        locked.withdrawal_reason = reason
        locked.save(update_fields=["status", "withdrawn_at", "withdrawal_reason"])
        nomination = locked.nomination
        previous = nomination.decision
        nomination.status = NominationStatus.WITHDRAWN
        nomination.withdrawn_at = now
        nomination.withdrawal_reason = reason
        nomination.decision = ""  # the seat is freed; the participant row keeps that they were selected
        nomination.reserve_rank = None
        nomination.save(
            update_fields=["status", "withdrawn_at", "withdrawal_reason", "decision", "reserve_rank", "updated_at"]
        )
        audit.record(
            "nominations.participant.withdrawn",
            actor=actor,
            target=locked,
            project=project,
            reason=reason,
            previous_decision=previous,
            by_npo=not actor.is_secretariat,
        )
        return locked


def promote_reserve(*, nomination, actor):
    """Move a reserve into a free seat of the category (the admin confirms the board's offer).

    Checks the quota and cap under the project lock. After publication the nomination becomes a
    participant and is invited. Audit: nominations.nomination.decided and nominations.nomination.promoted.
    """
    _require_secretariat(actor)
    with transaction.atomic():
        project = _lock_project(nomination.project_id)
        locked = _locked_nomination(project, nomination.pk)
        if locked.decision == Decision.SELECTED:
            return locked
        if locked.status != NominationStatus.SUBMITTED or locked.decision != Decision.RESERVE:
            raise DomainError("Only a nomination on the reserve list can be promoted.")
        rank = locked.reserve_rank
        _write_decision(project=project, nomination=locked, decision=Decision.SELECTED, actor=actor)
        audit.record("nominations.nomination.promoted", actor=actor, target=locked, from_reserve_rank=rank)
        if project.selection_published_at:
            _make_participant(project=project, nomination=locked, actor=actor)
            from .selection_tasks import send_selection_results

            notice, _ = SelectionNotice.objects.get_or_create(project=project, country=locked.country)
            # The NPO hears of the promotion: a fresh notice for its country's results.
            SelectionNotice.objects.filter(pk=notice.pk).update(sent_at=None)
            enqueue_on_commit(send_selection_results, notice_id=notice.pk)
        return locked
