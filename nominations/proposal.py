"""The selection proposal: a pure function of a project and its submitted nominations (no database).

`build_proposal` fills the free seats round by round, then the reserve lists; `selection_fingerprint`
digests everything a proposal or a publication depends on, so a changed state is noticed before it
is applied. Reading the input and applying a proposal are `selectors.propose_selection` and
`services.confirm_proposal`.
"""

import dataclasses
import datetime
import hashlib
from collections import Counter, defaultdict

from apopms.enums import Category

from .enums import Decision
from .seats import Seats, categories_of, holds_seat

DEFAULT_RESERVE_SIZE = 5
ROUND_ORDER_TEXT = (
    "Each round takes one candidate per country, the country's highest NPO priority not yet decided. "
    "Within a round, countries go in this order: fewest seats so far, then the NPO's earliest "
    "submission, then the country's name."
)
_FAR_FUTURE = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def priority_key(nomination):
    """A country's candidates in NPO priority order (unranked last, then by submission)."""
    return (
        nomination.priority is None,
        nomination.priority or 0,
        nomination.submitted_at or _FAR_FUTURE,
        nomination.pk,
    )


@dataclasses.dataclass(frozen=True)
class ProposalStep:
    round: int
    nomination: object
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

    categories: tuple = (Category.OVERSEAS, Category.LOCAL)

    def by_category(self):
        out = {category: [] for category in self.categories}
        for step in self.steps:
            out[step.nomination.category].append(step)
        return [(Category(category), steps) for category, steps in out.items()]

    @property
    def is_empty(self):
        return not self.steps


def selection_fingerprint(project, nominations, reserve_size=None):
    """A digest of everything a proposal or a publication depends on: a changed state changes it."""
    parts = [
        f"p:{project.pk}:{project.quota_shape}:{project.overseas_quota}:{project.local_quota}:"
        f"{project.total_quota}:{project.per_country_cap}:{project.cap_scope}:"
        f"{project.selection_published_at}:{reserve_size}"
    ]
    for n in sorted(nominations, key=lambda n: n.pk):
        parts.append(
            f"{n.pk}:{n.country_id}:{n.category}:{n.status}:{n.priority}:"
            f"{n.submitted_at.isoformat() if n.submitted_at else ''}:{n.decision}:{n.reserve_rank}"
        )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def build_proposal(project, nominations, reserve_size=DEFAULT_RESERVE_SIZE):
    """The proposal for `nominations` (the project's submitted ones, with their countries).

    Per category, rounds take one undecided candidate per country (its best NPO priority left);
    within a round countries go by fewest seats so far, then the NPO's earliest submission, then
    name. Candidates fill the free seats (respecting the per-country cap), then the reserve list
    up to `reserve_size` places per category.
    """
    reserve_size = max(0, int(reserve_size))
    seats = Seats.of(nominations)
    earliest = {}
    names = {}
    per_country = Counter()  # seats held by each country, in any category: the round order
    reserves_in = Counter()
    last_rank = Counter()
    categories = categories_of(project)
    queues = {category: defaultdict(list) for category in categories}
    for n in nominations:
        names[n.country_id] = n.country.name
        earliest[n.country_id] = min(earliest.get(n.country_id, _FAR_FUTURE), n.submitted_at or _FAR_FUTURE)
        if holds_seat(n):
            per_country[n.country_id] += 1
        elif n.decision == Decision.RESERVE:
            reserves_in[n.category] += 1
            last_rank[n.category] = max(last_rank[n.category], n.reserve_rank or 0)
        elif not n.decision and n.category in queues:
            queues[n.category][n.country_id].append(n)
    steps, capped, free_seats = [], [], {}
    for category in categories:
        free = seats.free(project, category)
        free_seats[category] = free
        reserve_free = max(0, reserve_size - reserves_in[category])
        rank = last_rank[category]
        queue = {country: sorted(noms, key=priority_key) for country, noms in queues[category].items()}
        round_no = 0
        while (free or reserve_free) and any(queue.values()):
            round_no += 1
            order = sorted((c for c, q in queue.items() if q), key=lambda c: (per_country[c], earliest[c], names[c]))
            for country in order:
                if not (free or reserve_free):
                    break
                nomination = queue[country].pop(0)
                if seats.at_cap(project, country):
                    capped.append((round_no, nomination))
                    capped.extend((round_no, n) for n in queue[country])
                    queue[country] = []
                    continue
                if free:
                    steps.append(ProposalStep(round_no, nomination, Decision.SELECTED))
                    seats.take(category, country)
                    per_country[country] += 1
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
        categories=tuple(categories),
    )
