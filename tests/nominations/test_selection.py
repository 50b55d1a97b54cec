"""Decisions within the quotas and the cap, the reserve list, undo, audit, withdrawal and promotion."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apopms.enums import OutboxCause, OutboxStatus
from apopms.exceptions import DomainError
from apopms.models import AuditEntry, OutboxMessage
from apopms.services import seats_taken
from nominations import selectors, services
from nominations.emails import queue_selection_results
from nominations.enums import Decision, NominationStatus, ParticipantStatus
from nominations.models import Nomination, Participant, SelectionNotice
from tests import factories

from .selection_helpers import closed_project, submitted

pytestmark = pytest.mark.django_db


def _decide(nomination, actor, decision, reason=""):
    return services.decide_nomination(nomination=nomination, actor=actor, decision=decision, reason=reason)


def test_decide_selected_counts_against_quota(secretariat):
    project = closed_project(overseas_quota=2)
    a, b, c = (submitted(project, "IN", priority=i) for i in (1, 2, 3))
    _decide(a, secretariat, Decision.SELECTED)
    _decide(b, secretariat, Decision.SELECTED)
    with pytest.raises(DomainError, match=r"All 2 overseas seats are taken \(2 / 2\)"):
        _decide(c, secretariat, Decision.SELECTED)
    c.refresh_from_db()
    assert c.decision == ""
    assert project.nominations.filter(decision=Decision.SELECTED).count() == 2


def test_decide_local_quota_is_separate(secretariat):
    project = closed_project(overseas_quota=1, local_quota=1)
    _decide(submitted(project, "IN"), secretariat, Decision.SELECTED)
    local = submitted(project, "LK")
    assert local.category == "local"
    assert _decide(local, secretariat, Decision.SELECTED).decision == Decision.SELECTED
    with pytest.raises(DomainError, match="local seats"):
        _decide(submitted(project, "LK"), secretariat, Decision.SELECTED)


def test_decide_refuses_draft_and_withdrawn_nominations(secretariat):
    project = closed_project()
    draft = factories.NominationFactory(project=project, country=factories.country("IN"))
    withdrawn = factories.NominationFactory(
        project=project, country=factories.country("JP"), status=NominationStatus.WITHDRAWN
    )
    for nomination in (draft, withdrawn):
        with pytest.raises(DomainError, match="Only submitted nominations"):
            _decide(nomination, secretariat, Decision.SELECTED)
        nomination.refresh_from_db()
        assert nomination.decision == ""


def test_decide_refused_while_nominations_are_open(secretariat):
    project = factories.ProjectFactory()  # deadline 30 days ahead
    nomination = submitted(project, "IN")
    with pytest.raises(DomainError, match="still open"):
        _decide(nomination, secretariat, Decision.SELECTED)


def test_decide_refused_to_npo_officer(npo_in):
    project = closed_project()
    nomination = submitted(project, "IN")
    with pytest.raises(PermissionDenied, match="Only the APO Secretariat"):
        _decide(nomination, npo_in, Decision.SELECTED)


def test_declined_needs_a_reason(secretariat):
    project = closed_project()
    nomination = submitted(project, "IN")
    with pytest.raises(DomainError, match="reason"):
        _decide(nomination, secretariat, Decision.DECLINED, reason="  ")
    decided = _decide(nomination, secretariat, Decision.DECLINED, reason="Outside the target group")
    assert (decided.decision, decided.decision_reason) == (Decision.DECLINED, "Outside the target group")


def test_per_country_cap_holds_for_overseas(secretariat):
    project = closed_project(per_country_cap=2)
    noms = [submitted(project, "IN", priority=i) for i in (1, 2, 3)]
    _decide(noms[0], secretariat, Decision.SELECTED)
    _decide(noms[1], secretariat, Decision.SELECTED)
    with pytest.raises(DomainError, match="India already has 2 selected participants: the cap is 2"):
        _decide(noms[2], secretariat, Decision.SELECTED)
    assert _decide(submitted(project, "JP"), secretariat, Decision.SELECTED).decision == Decision.SELECTED


def test_per_country_cap_leaves_local_quota_to_the_host(secretariat):
    project = closed_project(per_country_cap=1, local_quota=3)
    for i in (1, 2, 3):
        _decide(submitted(project, "LK", priority=i), secretariat, Decision.SELECTED)
    assert project.nominations.filter(decision=Decision.SELECTED, category="local").count() == 3


def test_reserve_is_ordered_per_category_and_compacted(secretariat):
    project = closed_project()
    a, b, c = (submitted(project, "IN", priority=i) for i in (1, 2, 3))
    local = submitted(project, "LK")
    for n in (a, b, c, local):
        _decide(n, secretariat, Decision.RESERVE)
    ranks = lambda: {n.pk: n.reserve_rank for n in project.nominations.all()}  # noqa: E731
    assert ranks() == {a.pk: 1, b.pk: 2, c.pk: 3, local.pk: 1}
    services.undo_decision(nomination=a, actor=secretariat)
    assert ranks() == {a.pk: None, b.pk: 1, c.pk: 2, local.pk: 1}
    services.move_reserve(nomination=c, actor=secretariat, direction="up")
    assert ranks() == {a.pk: None, b.pk: 2, c.pk: 1, local.pk: 1}
    _decide(c, secretariat, Decision.SELECTED)
    assert ranks() == {a.pk: None, b.pk: 1, c.pk: None, local.pk: 1}


def test_undo_clears_the_decision(secretariat):
    project = closed_project()
    nomination = _decide(submitted(project, "IN"), secretariat, Decision.SELECTED)
    undone = services.undo_decision(nomination=nomination, actor=secretariat)
    undone.refresh_from_db()
    assert (undone.decision, undone.decided_at, undone.decided_by) == ("", None, None)


def test_no_decision_changes_after_publication(secretariat):
    project = closed_project()
    nomination = _decide(submitted(project, "IN"), secretariat, Decision.SELECTED)
    other = submitted(project, "JP")
    services.publish_selection(project=project, actor=secretariat, notify=False)
    with pytest.raises(DomainError, match="published"):
        services.undo_decision(nomination=nomination, actor=secretariat)
    with pytest.raises(DomainError, match="published"):
        _decide(other, secretariat, Decision.SELECTED)


def test_every_decision_is_audited(secretariat):
    project = closed_project()
    nomination = submitted(project, "IN")
    _decide(nomination, secretariat, Decision.RESERVE)
    _decide(nomination, secretariat, Decision.DECLINED, reason="Too junior")
    services.undo_decision(nomination=nomination, actor=secretariat)
    entries = list(AuditEntry.objects.for_object(nomination).order_by("pk"))
    assert [(e.action, e.actor, e.details.get("decision"), e.details.get("reason")) for e in entries] == [
        ("nominations.nomination.decided", secretariat, "reserve", ""),
        ("nominations.nomination.decided", secretariat, "declined", "Too junior"),
        ("nominations.nomination.decision_undone", secretariat, None, None),
    ]
    assert all(e.project == project and e.created_at <= timezone.now() for e in entries)


# ---------------------------------------------------------------- withdrawal and promotion


def _published_with_reserves(secretariat, **project_kwargs):
    project = closed_project(overseas_quota=2, **project_kwargs)
    sel_in = _decide(submitted(project, "IN", priority=1), secretariat, Decision.SELECTED)
    _decide(submitted(project, "JP", priority=1), secretariat, Decision.SELECTED)
    reserve_in = _decide(submitted(project, "IN", priority=2), secretariat, Decision.RESERVE)
    reserve_ph = _decide(submitted(project, "PH", priority=1), secretariat, Decision.RESERVE)
    services.publish_selection(project=project, actor=secretariat, notify=False)
    return project, sel_in, reserve_in, reserve_ph


def test_withdrawal_frees_the_seat_and_offers_it_to_the_first_reserve(secretariat, npo_in):
    project, sel_in, reserve_in, _ = _published_with_reserves(secretariat)
    participant = Participant.objects.get(nomination=sel_in)
    assert selectors.seat_offers(project) == []
    services.withdraw_participant(participant=participant, actor=npo_in, reason="Reassigned at work")
    participant.refresh_from_db()
    sel_in.refresh_from_db()
    assert participant.status == ParticipantStatus.WITHDRAWN
    assert participant.withdrawal_reason == "Reassigned at work"
    assert (sel_in.status, sel_in.decision) == (NominationStatus.WITHDRAWN, "")
    [offer] = selectors.seat_offers(project)
    assert (offer["category"], offer["free"], offer["nomination"]) == ("overseas", 1, reserve_in)
    assert AuditEntry.objects.filter(action="nominations.participant.withdrawn", actor=npo_in).count() == 1


def test_offer_skips_a_reserve_whose_country_is_at_the_cap(secretariat):
    project, _, reserve_in, reserve_ph = _published_with_reserves(secretariat, per_country_cap=1)
    jp = Participant.objects.get(project=project, country__iso2="JP")
    services.withdraw_participant(participant=jp, actor=secretariat, reason="Ill")
    [offer] = selectors.seat_offers(project)
    assert offer["nomination"] == reserve_ph  # India already has its one participant
    with pytest.raises(DomainError, match="cap is 1"):
        services.promote_reserve(nomination=reserve_in, actor=secretariat)


def test_promotion_makes_and_invites_a_participant(secretariat, django_capture_on_commit_callbacks, mailoutbox):
    _, sel_in, reserve_in, reserve_ph = _published_with_reserves(secretariat)
    officer = factories.npo_officer("IN")
    participant = Participant.objects.get(nomination=sel_in)
    services.withdraw_participant(participant=participant, actor=secretariat, reason="Cannot attend")
    with django_capture_on_commit_callbacks(execute=True):
        services.promote_reserve(nomination=reserve_in, actor=secretariat)
    reserve_in.refresh_from_db()
    reserve_ph.refresh_from_db()
    assert (reserve_in.decision, reserve_in.reserve_rank) == (Decision.SELECTED, None)
    assert reserve_ph.reserve_rank == 1
    new = Participant.objects.get(nomination=reserve_in)
    assert (new.status, new.certificate_name, new.user.email) == (
        "active",
        reserve_in.certificate_name,
        reserve_in.email,
    )
    assert reserve_in.email in [address for m in mailoutbox for address in m.to]
    # India's NPO hears of the promotion: its results once more, once (the outbox keeps the occasion).
    results = OutboxMessage.objects.filter(cause=OutboxCause.SELECTION_RESULTS)
    assert list(results.values_list("recipient", "status")) == [(officer.email, OutboxStatus.SENT)]
    notice = SelectionNotice.objects.get(project=reserve_in.project, country=reserve_in.country)
    queue_selection_results(notice.pk, occasion=f"promoted:{reserve_in.pk}")  # a retried task
    assert results.count() == 1
    with pytest.raises(DomainError, match="overseas seats are taken"):
        services.promote_reserve(nomination=reserve_ph, actor=secretariat)


def test_withdrawal_refused_to_another_country_npo_and_without_reason(secretariat, npo_jp, npo_in):
    _, sel_in, _, _ = _published_with_reserves(secretariat)
    participant = Participant.objects.get(nomination=sel_in)
    with pytest.raises(PermissionDenied, match="NPO or the APO Secretariat"):
        services.withdraw_participant(participant=participant, actor=npo_jp, reason="x")
    with pytest.raises(DomainError, match="reason"):
        services.withdraw_participant(participant=participant, actor=npo_in, reason="")
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.ACTIVE


@time_machine.travel(datetime.datetime(2030, 2, 10, 4, tzinfo=datetime.UTC), tick=False)
def test_cap_seats_are_selected_overseas_participants_still_taking_part(secretariat):
    """Selection and the project edit count seats with the same queryset method."""
    project = closed_project(per_country_cap=2, local_quota=5)
    for _ in range(3):
        submitted(project, "LK", decision=Decision.SELECTED)
    first, _second = (submitted(project, "IN", decision=Decision.SELECTED) for _ in range(2))
    india, host = factories.country("IN"), factories.country("LK")
    assert Nomination.objects.for_project(project).cap_seats_by_country(project) == {india.pk: 2}
    assert seats_taken(project) == ({"local": 3, "overseas": 2}, 2)
    with pytest.raises(DomainError, match="India already has 2 selected participants: the cap is 2"):
        _decide(submitted(project, "IN"), secretariat, Decision.SELECTED)
    factories.ParticipantFactory(nomination=first, status=ParticipantStatus.WITHDRAWN)
    assert Nomination.objects.for_project(project).cap_seats_by_country(project) == {india.pk: 1}
    assert seats_taken(project) == ({"local": 3, "overseas": 1}, 1)
    third = submitted(project, "IN")
    assert _decide(third, secretariat, Decision.SELECTED).decision == Decision.SELECTED
    assert host.pk not in Nomination.objects.for_project(project).cap_seats_by_country(project)
