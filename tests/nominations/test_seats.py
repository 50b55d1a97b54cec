"""Seat counting and the proposal are pure: one definition, fed by loaded rows or by the database's counts."""

import datetime
from types import SimpleNamespace

import pytest

from apopms.enums import CapScope, Category, QuotaShape
from apopms.models import Project
from nominations import services
from nominations.enums import Decision, NominationStatus, ParticipantStatus
from nominations.models import Nomination
from nominations.proposal import build_proposal
from nominations.seats import Seats, holds_seat
from tests import factories

from .selection_helpers import closed_project, submitted

BASE = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)


def project(overseas=3, local=1, cap=None, **shape):
    """An unsaved project (no database): its quota rules are plain methods."""
    return Project(pk=1, host_country_id="LK", overseas_quota=overseas, local_quota=local, per_country_cap=cap, **shape)


class Country(SimpleNamespace):
    def __str__(self):
        return self.name


def nomination(pk, iso2, category=Category.OVERSEAS, decision="", status=NominationStatus.SUBMITTED, priority=1):
    country = Country(pk=iso2, name=iso2)
    return SimpleNamespace(
        pk=pk,
        country=country,
        country_id=iso2,
        category=category,
        status=status,
        decision=decision,
        priority=priority,
        submitted_at=BASE + datetime.timedelta(minutes=pk),
        reserve_rank=None,
    )


def test_only_submitted_selected_nominations_hold_seats():
    rows = [
        nomination(1, "IN", decision=Decision.SELECTED),
        nomination(2, "IN", decision=Decision.RESERVE),
        nomination(3, "IN", decision="", status=NominationStatus.WITHDRAWN),
        nomination(4, "LK", category=Category.LOCAL, decision=Decision.SELECTED),
    ]
    assert [holds_seat(n) for n in rows] == [True, False, False, True]
    seats = Seats.of(rows)
    assert (seats.by_category, seats.by_country) == ({"overseas": 1, "local": 1}, {"IN": 1, "LK": 1})


def test_cap_counts_overseas_seats_only_and_says_why_a_nomination_does_not_fit():
    p = project(overseas=3, local=2, cap=1)
    seats = Seats.of([nomination(1, "IN", decision=Decision.SELECTED)])
    assert seats.refusal(p, nomination(2, "IN")) == "IN already has 1 selected participant: the cap is 1 per country."
    assert seats.refusal(p, nomination(3, "JP")) is None
    seats.take(Category.LOCAL, "LK")
    seats.take(Category.LOCAL, "LK")
    assert not seats.at_cap(p, "LK")
    assert seats.refusal(p, nomination(4, "LK", category=Category.LOCAL)) == "All 2 local seats are taken (2 / 2)."


def test_proposal_is_built_from_plain_rows_without_a_database():
    rows = [nomination(1, "IN", priority=1), nomination(2, "IN", priority=2), nomination(3, "JP", priority=1)]
    proposal = build_proposal(project(overseas=2, cap=1), rows, reserve_size=1)
    assert [(s.nomination.pk, str(s.outcome), s.reserve_rank) for s in proposal.steps] == [
        (1, "selected", None),
        (3, "selected", None),
    ]
    assert [n.pk for _, n in proposal.capped] == [2]


@pytest.mark.django_db
def test_loaded_rows_and_the_database_count_the_same_seats(secretariat):
    p = closed_project(overseas_quota=5, local_quota=2, per_country_cap=2)
    chosen = [submitted(p, iso2) for iso2 in ("IN", "IN", "JP", "LK")]
    for n in chosen:
        services.decide_nomination(nomination=n, actor=secretariat, decision=Decision.SELECTED)
    services.decide_nomination(nomination=submitted(p, "PH"), actor=secretariat, decision=Decision.RESERVE)
    services.publish_selection(project=p, actor=secretariat, notify=False)
    participant = services.withdraw_participant(participant=chosen[0].participant, actor=secretariat, reason="Ill")
    assert participant.status == ParticipantStatus.WITHDRAWN
    qs = Nomination.objects.for_project(p)
    loaded = Seats.of(list(qs.select_related("country")))
    counted = Seats.of_queryset(qs)
    assert loaded == counted
    assert (counted.by_category, counted.by_country) == (
        {"overseas": 2, "local": 1},
        {factories.country("IN").pk: 1, factories.country("JP").pk: 1, factories.country("LK").pk: 1},
    )
    assert qs.cap_seats_by_country(p) == {factories.country("IN").pk: 1, factories.country("JP").pk: 1}


def test_one_total_has_one_category_and_the_host_counts_in_it():
    p = project(overseas=0, local=0, quota_shape=QuotaShape.TOTAL, total_quota=2)
    assert p.categories == (Category.ALL,)
    assert p.category_for(SimpleNamespace(pk="LK")) == Category.ALL
    assert p.quota_for(Category.LOCAL) == 0
    rows = [nomination(1, "LK", Category.ALL), nomination(2, "IN", Category.ALL), nomination(3, "JP", Category.ALL)]
    proposal = build_proposal(p, rows, reserve_size=1)
    # The host's nominee takes a seat of the one total like any other country's (earliest first).
    assert [(s.nomination.pk, str(s.outcome)) for s in proposal.steps] == [
        (1, "selected"),
        (2, "selected"),
        (3, "reserve"),
    ]
    seats = Seats.of([nomination(1, "LK", Category.ALL, decision=Decision.SELECTED)])
    assert seats.refusal(p, nomination(4, "IN", Category.ALL)) is None
    seats.take(Category.ALL, "IN")
    assert seats.refusal(p, nomination(5, "JP", Category.ALL)) == "All 2 participant seats are taken (2 / 2)."


def test_a_cap_for_everyone_holds_the_host_too_while_the_default_cap_leaves_it_out():
    held = [nomination(i, "LK", Category.ALL, decision=Decision.SELECTED) for i in (1, 2)]
    seats = Seats.of(held)
    everyone = project(0, 0, cap=2, quota_shape=QuotaShape.TOTAL, total_quota=38, cap_scope=CapScope.EVERYONE)
    overseas_only = project(0, 0, cap=2, quota_shape=QuotaShape.TOTAL, total_quota=38)
    assert seats.refusal(everyone, nomination(3, "LK", Category.ALL)) == (
        "LK already has 2 selected participants: the cap is 2 per country."
    )
    assert seats.refusal(overseas_only, nomination(3, "LK", Category.ALL)) is None
    proposal = build_proposal(everyone, [*held, nomination(4, "LK", Category.ALL), nomination(5, "IN", Category.ALL)])
    assert [(s.nomination.pk, str(s.outcome)) for s in proposal.steps] == [(5, "selected")]
    assert [n.pk for _, n in proposal.capped] == [4]
