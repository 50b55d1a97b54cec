"""Counting seats against the quotas and the per-country cap: the one definition (pure, no database).

A seat is held by a submitted nomination the Secretariat selected whose participant has not
withdrawn (a withdrawal withdraws the nomination too). `NominationQuerySet.holding_seats`,
`seats_by_category` and `cap_seats_by_country` count the same in the database; `Seats` counts it
from nominations already loaded, or from those two queryset counts, and answers every question
asked of it: free seats, a country at the cap, the reason a nomination does not fit.

The per-country cap counts, by default, a country's selected overseas participants only: local
participants come from the host country alone and are bounded by the local quota. A notification
may instead cap every country, the host included ("two from each member country"): which
countries' seats count is `Project.cap_counts_country`. The categories are the project's own
(`Project.categories`): overseas and local, or one `all` for a single total quota.
"""

import dataclasses
from collections import Counter

from apopms.enums import Category

from .enums import Decision, NominationStatus

CATEGORIES = (Category.OVERSEAS, Category.LOCAL, Category.ALL)


def categories_of(project):
    """The categories `project`'s quotas count (one total: `all`; else overseas and local)."""
    return project.categories


def holds_seat(nomination):
    """Whether `nomination` takes a seat (the in-memory reading of `NominationQuerySet.holding_seats`)."""
    return nomination.status == NominationStatus.SUBMITTED and nomination.decision == Decision.SELECTED


def cap_applies(project, country_id):
    """Whether `country_id`'s seats count against `project`'s per-country cap."""
    return project.cap_counts_country(country_id)


@dataclasses.dataclass
class Seats:
    """Seats taken: per category (against its quota) and per country (the cap reads the countries it counts)."""

    by_category: Counter = dataclasses.field(default_factory=Counter)
    by_country: Counter = dataclasses.field(default_factory=Counter)

    @classmethod
    def of(cls, nominations):
        """The seats held among `nominations` (a project's, already loaded)."""
        seats = cls()
        for n in nominations:
            if holds_seat(n):
                seats.take(n.category, n.country_id)
        return seats

    @classmethod
    def of_queryset(cls, queryset):
        """The seats held among `queryset`'s nominations, counted by the database (two queries)."""
        return cls(Counter(queryset.seats_by_category()), Counter(queryset.seats_by_country()))

    def take(self, category, country_id):
        self.by_category[category] += 1
        self.by_country[country_id] += 1

    def free(self, project, category):
        return max(0, project.quota_for(category) - self.by_category[category])

    def at_cap(self, project, country_id):
        return cap_applies(project, country_id) and self.by_country[country_id] >= project.per_country_cap

    def refusal(self, project, nomination):
        """Why `nomination` cannot take a seat (its category is full, its country at the cap), or None."""
        quota = project.quota_for(nomination.category)
        taken = self.by_category[nomination.category]
        if taken >= quota:
            label = Category(nomination.category).label.lower()
            return f"All {quota} {label} seats are taken ({taken} / {quota})."
        if self.at_cap(project, nomination.country_id):
            held = self.by_country[nomination.country_id]
            return (
                f"{nomination.country} already has {held} selected participant{'s' if held != 1 else ''}: "
                f"the cap is {project.per_country_cap} per country."
            )
        return None
