"""Replacement windows: after dropouts, one country's NPO nominates replacements until the window's date;
the Secretariat decides on each within the window's seats, the quotas and the cap."""

import datetime
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied

from apopms.enums import CapScope, Category, InvitationPurpose, OutboxCause, QuotaShape
from apopms.exceptions import DomainError
from apopms.models import AuditEntry, Invitation, OutboxMessage
from nominations import selectors, services
from nominations.enums import Decision, NominationStatus, ParticipantStatus
from nominations.models import Nomination, Participant, ReplacementWindow
from tests import factories
from tests.concurrency import run_together

from .seat_helpers import open_window, project_today, published
from .test_services import data


def drop(participant):
    return services.decline_seat(participant=participant, actor=participant.user, reason="Ill")


def replacement(project, officer, email="ravi.kumar@example.org", submit=True):
    nomination = services.create_nomination(
        project=project,
        country=officer.npo_country,
        actor=officer,
        data=data(email=email, certificate_name="Ravi Kumar"),
    )
    if submit:
        nomination = services.submit_nomination(nomination=nomination, actor=officer)
    return nomination


@pytest.mark.django_db
def test_window_opens_for_one_country_and_tells_its_npo(
    secretariat, npo_in, npo_jp, django_capture_on_commit_callbacks
):
    project, (p, *_) = published(secretariat)
    drop(p)
    with django_capture_on_commit_callbacks(execute=True):
        window = open_window(project, secretariat, "IN", seats=1, days=10)
    assert (window.country.iso2, window.seats) == ("IN", 1)
    rows = OutboxMessage.objects.filter(cause=OutboxCause.REPLACEMENT_WINDOW)
    assert [m.recipient for m in rows] == [npo_in.email]
    assert "India may nominate up to 1 replacement until the end of" in rows[0].body_text
    entry = AuditEntry.objects.get(action="nominations.replacement_window.opened")
    assert entry.details["sentence"].startswith("India may nominate up to 1 replacement until the end of ")


@pytest.mark.django_db
def test_window_rules_are_checked_and_nothing_is_saved(secretariat, npo_in):
    project, (p, *_) = published(secretariat)
    india = factories.country("IN")
    today = project_today(project)
    with pytest.raises(DomainError, match="India has no dropout to replace"):
        open_window(project, secretariat, "IN")
    drop(p)
    with pytest.raises(DomainError, match="it may replace between 1 and 1") as exc:
        open_window(project, secretariat, "IN", seats=2)
    assert exc.value.field == "seats"
    with pytest.raises(DomainError, match="has already passed"):
        services.open_replacement_window(
            project=project, country=india, actor=secretariat, seats=1, closing_date=today - datetime.timedelta(days=1)
        )
    with pytest.raises(DomainError, match="may not close after the project's last day"):
        services.open_replacement_window(
            project=project,
            country=india,
            actor=secretariat,
            seats=1,
            closing_date=project.end_date + datetime.timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        open_window(project, npo_in, "IN")
    assert not ReplacementWindow.objects.exists()
    assert not OutboxMessage.objects.filter(cause=OutboxCause.REPLACEMENT_WINDOW).exists()


@pytest.mark.django_db
def test_npo_nominates_in_its_window_after_the_deadline_others_stay_closed(secretariat, npo_in, npo_jp):
    project, (p, *_) = published(secretariat)
    drop(p)
    window = open_window(project, secretariat, "IN", seats=1)
    nomination = replacement(project, npo_in)
    assert (nomination.status, nomination.replacement_window, nomination.is_late) == (
        NominationStatus.SUBMITTED,
        window,
        False,
    )
    with pytest.raises(DomainError, match="Nominations closed at"):
        replacement(project, npo_jp, email="kenji@example.org")
    # Only up to its seats: a second replacement is saved as a draft but not submitted.
    second = replacement(project, npo_in, email="second@example.org", submit=False)
    with pytest.raises(DomainError, match="India may send 1 replacement and has submitted 1"):
        services.submit_nomination(nomination=second, actor=npo_in)
    second.refresh_from_db()
    assert second.status == NominationStatus.DRAFT


@pytest.mark.django_db
def test_after_the_window_closes_the_npo_can_no_longer_nominate(secretariat, npo_in, time_machine):
    project, (p, *_) = published(secretariat)
    drop(p)
    window = open_window(project, secretariat, "IN", seats=1, days=2)
    draft = replacement(project, npo_in, submit=False)
    time_machine.move_to(window.closes_at, tick=False)
    with pytest.raises(DomainError, match="Nominations closed at"):
        replacement(project, npo_in, email="late@example.org")
    with pytest.raises(DomainError, match="India's replacement window closed: it was open until the end of"):
        services.submit_nomination(nomination=draft, actor=npo_in)


@pytest.mark.django_db
def test_window_date_may_be_after_the_original_deadline_and_near_the_start(secretariat, npo_in, time_machine):
    project, (p, *_) = published(secretariat)
    drop(p)
    # The day before the workshop starts, the window's last day is the start date itself.
    time_machine.move_to(
        datetime.datetime.combine(project.start_date - datetime.timedelta(days=1), datetime.time(9), project.zone),
        tick=False,
    )
    services.open_replacement_window(
        project=project, country=npo_in.npo_country, actor=secretariat, seats=1, closing_date=project.start_date
    )
    nomination = replacement(project, npo_in)
    assert nomination.status == NominationStatus.SUBMITTED


@pytest.mark.django_db
def test_selected_replacement_becomes_a_participant_and_is_invited(secretariat, npo_in):
    project, (p, *_) = published(secretariat)
    drop(p)
    open_window(project, secretariat, "IN")
    nomination = replacement(project, npo_in)
    services.decide_replacement(nomination=nomination, actor=secretariat, decision=Decision.SELECTED)
    participant = Participant.objects.get(nomination=nomination)
    assert (participant.status, participant.confirmed_at) == (ParticipantStatus.ACTIVE, None)
    assert Invitation.objects.filter(
        user=participant.user, purpose=InvitationPurpose.PARTICIPANT, project=project
    ).exists()
    assert AuditEntry.objects.get(action="nominations.replacement.decided").details["sentence"] == (
        "Ravi Kumar was selected as a replacement for India."
    )


@pytest.mark.django_db
def test_replacement_decisions_keep_the_quota_and_the_window_seats(secretariat, npo_in):
    project, (p, q, _) = published(secretariat, countries=("IN", "IN", "JP"))
    drop(p)
    drop(q)
    window = open_window(project, secretariat, "IN", seats=2)
    first = replacement(project, npo_in)
    second = replacement(project, npo_in, email="second@example.org")
    # Someone else takes one freed seat (a reserve promoted, say): the quota is full after `first`.
    other = factories.NominationFactory(project=project, country=factories.country("PH"), submitted=True)
    Nomination.objects.filter(pk=other.pk).update(decision=Decision.SELECTED)
    services.decide_replacement(nomination=first, actor=secretariat, decision=Decision.SELECTED)
    with pytest.raises(DomainError, match=r"All 3 overseas seats are taken \(3 / 3\)"):
        services.decide_replacement(nomination=second, actor=secretariat, decision=Decision.SELECTED)
    with pytest.raises(DomainError, match="Give a reason"):
        services.decide_replacement(nomination=second, actor=secretariat, decision=Decision.DECLINED)
    services.decide_replacement(nomination=second, actor=secretariat, decision=Decision.DECLINED, reason="Quota full")
    second.refresh_from_db()
    assert (second.decision, window.nominations.filter(decision=Decision.SELECTED).count()) == ("declined", 1)


@pytest.mark.django_db
def test_only_replacements_are_decided_this_way_and_only_by_the_secretariat(secretariat, npo_in):
    project, (p, *_) = published(secretariat)
    with pytest.raises(DomainError, match="not made in a replacement window"):
        services.decide_replacement(nomination=p.nomination, actor=secretariat, decision=Decision.SELECTED)
    drop(p)
    open_window(project, secretariat, "IN")
    nomination = replacement(project, npo_in)
    with pytest.raises(PermissionDenied):
        services.decide_replacement(nomination=nomination, actor=npo_in, decision=Decision.SELECTED)


def _one_seat_window():
    secretariat = factories.secretariat_user()
    project, (p, *_) = published(secretariat)
    drop(p)
    window = open_window(project, secretariat, "IN", seats=1)
    return secretariat, project, window


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_replacements_for_one_seat_cannot_both_be_submitted():
    _, project, _ = _one_seat_window()
    officers = [factories.npo_officer("IN") for _ in range(2)]
    drafts = [replacement(project, o, email=f"r{i}@example.org", submit=False) for i, o in enumerate(officers)]
    for officer in officers:
        officer.npo_country  # noqa: B018  (load the roles before the start line)

    def submit(nomination, officer):
        try:
            services.submit_nomination(nomination=nomination, actor=officer)
        except DomainError:
            return "refused"
        return "submitted"

    outcomes, errors = run_together([partial(submit, d, o) for d, o in zip(drafts, officers, strict=True)])
    assert errors == []
    assert sorted(outcomes) == ["refused", "submitted"]
    assert Nomination.objects.filter(replacement_window__isnull=False, status=NominationStatus.SUBMITTED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_replacements_for_one_seat_cannot_both_be_selected():
    secretariat, project, window = _one_seat_window()
    # Two submitted replacements in a window of one seat (say, the window had two seats and was narrowed).
    pks = [factories.NominationFactory(project=project, replacement_window=window, submitted=True).pk for _ in range(2)]
    admins = [secretariat, factories.secretariat_user()]
    for admin in admins:
        admin.is_secretariat  # noqa: B018  (load the roles before the start line)

    def select(pk, admin):
        try:
            services.decide_replacement(
                nomination=Nomination.objects.get(pk=pk), actor=admin, decision=Decision.SELECTED
            )
        except DomainError:
            return "refused"
        return "selected"

    outcomes, errors = run_together([partial(select, pk, admin) for pk, admin in zip(pks, admins, strict=True)])
    assert errors == []
    assert sorted(outcomes) == ["refused", "selected"]
    assert Participant.objects.filter(nomination__replacement_window=window).count() == 1
    assert Participant.objects.filter(project=project, status=ParticipantStatus.ACTIVE).count() == 3


@pytest.mark.django_db
def test_a_replacement_selected_after_the_date_still_confirms_and_is_reminded(secretariat, npo_in, time_machine):
    project, (p, q, _) = published(secretariat)
    services.set_confirmation_date(
        project=project, actor=secretariat, due_date=project_today(project) + datetime.timedelta(days=2)
    )
    drop(p)
    window = open_window(project, secretariat, "IN", days=10)
    time_machine.move_to(project.seat_confirmation.due_at + datetime.timedelta(days=1), tick=False)
    nomination = replacement(project, npo_in)
    services.decide_replacement(nomination=nomination, actor=secretariat, decision=Decision.SELECTED)
    meera = Participant.objects.get(nomination=nomination)
    assert window.is_open()
    # Those selected before the date are past it; the replacement is not bound by it.
    with pytest.raises(DomainError, match="Seats were to be confirmed by"):
        services.confirm_seat(participant=q, actor=q.user)
    rows = services.send_seat_reminders(project=project, actor=secretariat, nonce="d" * 32)
    assert [r.recipient for r in rows] == [meera.user.email]
    services.confirm_seat(participant=meera, actor=meera.user)
    meera.refresh_from_db()
    assert meera.confirmed_at is not None
    with pytest.raises(DomainError, match="too late for a reminder"):
        services.send_seat_reminders(project=project, actor=secretariat, nonce="e" * 32)


@pytest.mark.django_db
def test_the_host_replaces_its_dropout_under_one_total_and_a_cap_for_everyone(secretariat, npo_lk):
    """'Up to 4 participants from member countries (two from each country)', the host (Sri Lanka)
    not among the invited countries: its dropout is replaced through its own window, and the cap holds."""
    project, (p, _, _) = published(
        secretariat,
        countries=("LK", "LK", "IN"),
        quota_shape=QuotaShape.TOTAL,
        total_quota=4,
        overseas_quota=0,
        local_quota=0,
        per_country_cap=2,
        cap_scope=CapScope.EVERYONE,
        participating_countries=[factories.country("IN"), factories.country("JP")],
    )
    drop(p)
    assert [(c.iso2, n) for c, n in selectors.dropouts_by_country(project)] == [("LK", 1)]
    open_window(project, secretariat, "LK")
    first = replacement(project, npo_lk)
    assert first.category == Category.ALL
    # A Sri Lankan nominee already holds a seat: the cap of two for everyone leaves room for one more.
    extra = factories.NominationFactory(project=project, country=factories.country("LK"), submitted=True)
    Nomination.objects.filter(pk=extra.pk).update(decision=Decision.SELECTED, category=Category.ALL)
    with pytest.raises(DomainError, match="Sri Lanka"):
        services.decide_replacement(nomination=first, actor=secretariat, decision=Decision.SELECTED)
    Nomination.objects.filter(pk=extra.pk).update(decision=Decision.DECLINED)
    services.decide_replacement(nomination=first, actor=secretariat, decision=Decision.SELECTED)
    assert Participant.objects.filter(project=project, status=ParticipantStatus.ACTIVE).count() == 3
