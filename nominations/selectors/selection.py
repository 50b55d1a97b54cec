"""Reads of the selection: the board, its counters and offers, the proposal, publication, participants.

Every count of seats comes from `seats.Seats` (fed by the nominations already loaded) or from
`NominationQuerySet.holding_seats` (in the database): the board, the offers, the proposal and
publication cannot count differently.
"""

import dataclasses
from collections import Counter

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from apopms.enums import Category
from apopms.models import Project

from ..enums import Decision, Gender, NominationStatus, ParticipantStatus
from ..models import Nomination, Participant
from ..proposal import DEFAULT_RESERVE_SIZE, build_proposal, priority_key, selection_fingerprint
from ..seats import Seats, categories_of, holds_seat


def decisions_open(project, now=None):
    """Whether the Secretariat may decide: nominations have closed and the selection is not published."""
    return project.selection_published_at is None and not project.accepts_nominations(now)


def submitted_nominations(project):
    return Nomination.objects.for_project(project).submitted()


def proposal_input(project):
    """The project's submitted nominations with their countries: what proposals and publication read."""
    return list(submitted_nominations(project).select_related("country"))


def propose_selection(project, reserve_size=DEFAULT_RESERVE_SIZE):
    """The proposal for the project's current state. Reads only: nothing changes until confirmed."""
    return build_proposal(project, proposal_input(project), reserve_size)


@dataclasses.dataclass
class CountryGroup:
    country: object
    nominations: list
    selected: int = 0


def _reserves(nominations, category):
    return sorted(
        (n for n in nominations if n.decision == Decision.RESERVE and n.category == category),
        key=lambda n: (n.reserve_rank or 0, n.pk),
    )


def counters(project, nominations):
    """Seats taken against each quota, reserves, participants per country, gender balance, undecided."""
    seats = Seats.of(nominations)
    holding = [n for n in nominations if holds_seat(n)]
    per_country = Counter(n.country for n in holding)
    genders = Counter(n.gender for n in holding)
    total = len(holding)
    return {
        "categories": [
            {
                "category": Category(c),
                "taken": seats.by_category[c],
                "quota": project.quota_for(c),
                "full": seats.free(project, c) == 0,
                "reserve": len(_reserves(nominations, c)),
            }
            for c in categories_of(project)
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
        nominations = proposal_input(project)
    seats = Seats.of(nominations)
    offers = []
    for category in categories_of(project):
        free = seats.free(project, category)
        reserves = _reserves(nominations, category)
        if not free or not reserves:
            continue  # no seat, or nobody to offer it to
        first = next((n for n in reserves if not seats.at_cap(project, n.country_id)), None)
        offers.append({"category": Category(category), "free": free, "nomination": first})
    return offers


def board_nominations(project):
    return list(
        submitted_nominations(project)
        .select_related("country", "decided_by")
        .order_by("country__name", F("priority").asc(nulls_last=True), "submitted_at", "pk")
    )


def selection_board(project):
    """Everything the board shows, from one query of the nominations (the same queries at any size)."""
    nominations = board_nominations(project)
    groups = {}
    for n in nominations:
        group = groups.setdefault(n.country_id, CountryGroup(n.country, []))
        group.nominations.append(n)
        if holds_seat(n):
            group.selected += 1
    return {
        "groups": list(groups.values()),
        "nominations": nominations,
        "counters": counters(project, nominations),
        "reserves": [(Category(c), _reserves(nominations, c)) for c in categories_of(project)],
        "offers": seat_offers(project, nominations),
        "published": project.selection_published_at is not None,
        "decisions_open": decisions_open(project),
    }


def _seats_taken(category):
    """Seats of `category` held in the outer project (a subquery of `holding_seats`)."""
    held = (
        Nomination.objects.filter(project=OuterRef("pk"), category=category)
        .holding_seats()
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(held, output_field=IntegerField()), Value(0))


def projects_with_seats():
    """Projects, newest first, each with its submitted count and seats taken per category (one query)."""
    return (
        Project.objects.select_related("host_country")
        .annotate(
            submitted_count=Count("nominations", filter=Q(nominations__status=NominationStatus.SUBMITTED)),
            overseas_taken=_seats_taken(Category.OVERSEAS),
            local_taken=_seats_taken(Category.LOCAL),
            all_taken=_seats_taken(Category.ALL),
        )
        .order_by("-start_date", "code")
    )


def board_counters(project):
    return counters(project, proposal_input(project))


def publication_preview(project):
    """What publishing would do: the undecided submitted nominations it would mark not selected."""
    nominations = proposal_input(project)
    undecided = sorted((n for n in nominations if not n.decision), key=lambda n: (n.country.name, priority_key(n)))
    return {
        "undecided": undecided,
        "selected": sum(1 for n in nominations if holds_seat(n)),
        "reserve": sum(1 for n in nominations if n.decision == Decision.RESERVE),
        "declined": sum(1 for n in nominations if n.decision == Decision.DECLINED),
        "countries": len({n.country_id for n in nominations}),
        "fingerprint": selection_fingerprint(project, nominations),
        "counters": counters(project, nominations),
    }


def participants_for_project(project):
    """The project's active participants, by country and name (name, country, organization)."""
    return (
        Participant.objects.filter(project=project, status=ParticipantStatus.ACTIVE)
        .select_related("country", "nomination")
        .order_by("country__name", "certificate_name", "pk")
    )


def withdrawn_participants(project):
    """The project's withdrawn participants, latest first (the Secretariat's view)."""
    return (
        Participant.objects.filter(project=project, status=ParticipantStatus.WITHDRAWN)
        .select_related("country")
        .order_by("-withdrawn_at", "pk")
    )


def country_results(project, country):
    """A country's submitted nominations with what the NPO may see of the decision (after publication)."""
    return list(
        Nomination.objects.filter(project=project, country=country)
        .exclude(status__in=[NominationStatus.DRAFT, NominationStatus.WITH_NPO])
        .select_related("participant")
        .order_by(F("priority").asc(nulls_last=True), "certificate_name", "pk")
    )


def result_label(nomination):
    """What an NPO is told: Selected / Reserve (n) / Not selected / Declined the seat / Withdrawn.
    `nomination.participant` is read (`country_results` selects it with the nomination)."""
    if nomination.status == NominationStatus.WITHDRAWN:
        try:
            declined = nomination.participant.declined_at is not None
        except ObjectDoesNotExist:  # withdrawn before any selection
            declined = False
        return "Declined the seat" if declined else "Withdrawn"
    if nomination.decision == Decision.SELECTED:
        return "Selected"
    if nomination.decision == Decision.RESERVE:
        return f"Reserve (no. {nomination.reserve_rank})" if nomination.reserve_rank else "Reserve"
    if not nomination.decision and nomination.replacement_window_id is not None:
        return "Replacement, awaiting the Secretariat's decision"
    return "Not selected"
