"""The proposal: rounds, their stated order, quotas and cap, the reserve list, determinism, confirm."""

import datetime
import random

import pytest

from apopms.exceptions import DomainError
from nominations import selectors, services
from nominations.enums import Decision
from tests import factories

from .selection_helpers import closed_project, submitted

pytestmark = pytest.mark.django_db
BASE = datetime.datetime(2026, 1, 1, 12, 0, tzinfo=datetime.UTC)


def _names(proposal, outcome=None):
    return [
        (s.round, s.nomination.certificate_name, str(s.outcome))
        for s in proposal.steps
        if outcome is None or s.outcome == outcome
    ]


def _field(project, spec):
    """spec: iso2 -> number of nominations; names are '<iso2><priority>'; submitted 1 h apart per country order."""
    for index, (iso2, count, minutes_ago) in enumerate(spec):
        for priority in range(1, count + 1):
            submitted(
                project,
                iso2,
                priority=priority,
                submitted_at=BASE - datetime.timedelta(minutes=minutes_ago - priority),
                certificate_name=f"{iso2}{priority}",
                email=f"{iso2.lower()}{priority}.{index}@example.org",
            )


def test_proposal_takes_one_per_country_per_round_in_priority_order(secretariat):
    project = closed_project(overseas_quota=5, local_quota=0)
    # India submitted first, then Japan, then the Philippines.
    _field(project, [("IN", 3, 300), ("JP", 3, 200), ("PH", 1, 100)])
    proposal = selectors.propose_selection(project, reserve_size=2)
    assert _names(proposal) == [
        (1, "IN1", "selected"),
        (1, "JP1", "selected"),
        (1, "PH1", "selected"),
        (2, "IN2", "selected"),
        (2, "JP2", "selected"),
        (3, "IN3", "reserve"),
        (3, "JP3", "reserve"),
    ]
    assert [s.reserve_rank for s in proposal.steps if s.outcome == Decision.RESERVE] == [1, 2]


def test_proposal_round_order_fewest_seats_then_earliest_submission_then_name(secretariat):
    project = closed_project(overseas_quota=4, local_quota=0)
    _field(project, [("IN", 2, 300), ("JP", 2, 100), ("PH", 2, 100), ("TR", 2, 400)])
    # Türkiye already has a seat: it comes last in every round.
    tr1 = project.nominations.get(certificate_name="TR1")
    services.decide_nomination(nomination=tr1, actor=secretariat, decision=Decision.SELECTED)
    # Japan and the Philippines submitted at the same moment: the name decides.
    same = BASE - datetime.timedelta(minutes=100)
    project.nominations.filter(country__iso2__in=["JP", "PH"]).update(submitted_at=same)
    proposal = selectors.propose_selection(project, reserve_size=1)
    assert _names(proposal) == [
        (1, "IN1", "selected"),
        (1, "JP1", "selected"),
        (1, "PH1", "selected"),
        (1, "TR2", "reserve"),
    ]


def test_proposal_is_the_same_for_the_same_nominations(secretariat):
    def build(seed):
        project = closed_project(overseas_quota=7, local_quota=2)
        spec = [("IN", 3, 50), ("JP", 2, 50), ("PH", 4, 70), ("TR", 1, 10), ("LK", 4, 90), ("NP", 2, 50)]
        random.Random(seed).shuffle(spec)  # created in a different order each time
        _field(project, spec)
        return selectors.propose_selection(project, reserve_size=3)

    first, second = build(1), build(2)
    assert _names(first) == _names(second)
    assert _names(selectors.propose_selection(first.steps[0].nomination.project, 3)) == _names(first)


def test_proposal_respects_the_cap_and_existing_decisions(secretariat):
    project = closed_project(overseas_quota=10, local_quota=0, per_country_cap=2)
    _field(project, [("IN", 4, 300), ("JP", 1, 200)])
    in1 = project.nominations.get(certificate_name="IN1")
    services.decide_nomination(nomination=in1, actor=secretariat, decision=Decision.SELECTED)
    proposal = selectors.propose_selection(project, reserve_size=5)
    assert _names(proposal) == [(1, "JP1", "selected"), (1, "IN2", "selected")]
    assert [n.certificate_name for _, n in proposal.capped] == ["IN3", "IN4"]


def test_proposal_fills_local_seats_from_the_host(secretariat):
    project = closed_project(overseas_quota=0, local_quota=2)
    _field(project, [("LK", 3, 100), ("IN", 1, 100)])
    proposal = selectors.propose_selection(project, reserve_size=1)
    assert _names(proposal) == [
        (1, "IN1", "reserve"),  # no overseas seat: straight onto the overseas reserve list
        (1, "LK1", "selected"),
        (2, "LK2", "selected"),
        (3, "LK3", "reserve"),
    ]


def test_proposal_changes_nothing_until_confirmed(secretariat):
    project = closed_project(overseas_quota=2, local_quota=0)
    _field(project, [("IN", 2, 100), ("JP", 2, 90)])
    proposal = selectors.propose_selection(project, reserve_size=1)
    assert not project.nominations.exclude(decision="").exists()
    services.confirm_proposal(
        project=project,
        actor=secretariat,
        selected_ids=proposal.selected_ids,
        reserve_ids=proposal.reserve_ids,
        fingerprint=proposal.fingerprint,
        reserve_size=1,
    )
    decided = {n.certificate_name: (n.decision, n.reserve_rank) for n in project.nominations.all()}
    assert decided == {"IN1": ("selected", None), "JP1": ("selected", None), "IN2": ("reserve", 1), "JP2": ("", None)}


def test_confirm_refuses_when_the_nominations_changed(secretariat):
    project = closed_project(overseas_quota=2, local_quota=0)
    _field(project, [("IN", 2, 100), ("JP", 2, 90)])
    proposal = selectors.propose_selection(project, reserve_size=1)
    # Meanwhile another admin selects Japan's second choice.
    jp2 = project.nominations.get(certificate_name="JP2")
    services.decide_nomination(nomination=jp2, actor=factories.secretariat_user(), decision=Decision.SELECTED)
    with pytest.raises(DomainError, match="changed since this proposal"):
        services.confirm_proposal(
            project=project,
            actor=secretariat,
            selected_ids=proposal.selected_ids,
            reserve_ids=proposal.reserve_ids,
            fingerprint=proposal.fingerprint,
            reserve_size=1,
        )
    assert project.nominations.filter(decision=Decision.SELECTED).count() == 1


def test_confirm_refuses_tampered_ids(secretariat):
    project = closed_project(overseas_quota=1, local_quota=0)
    _field(project, [("IN", 1, 100), ("JP", 1, 90)])
    proposal = selectors.propose_selection(project, reserve_size=0)
    other = project.nominations.exclude(pk__in=proposal.selected_ids).get()
    with pytest.raises(DomainError, match="does not match"):
        services.confirm_proposal(
            project=project,
            actor=secretariat,
            selected_ids=[other.pk],
            reserve_ids=[],
            fingerprint=proposal.fingerprint,
            reserve_size=0,
        )
