"""Participants confirm or decline their seat by the Secretariat's date; reminders to those who have not."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from apopms.enums import OutboxCause
from apopms.exceptions import DomainError
from apopms.models import AuditEntry, OutboxMessage
from nominations import selectors, services
from nominations.enums import NominationStatus, ParticipantStatus

from .seat_helpers import project_today, published

pytestmark = pytest.mark.django_db
NONCE = "0123456789abcdef0123456789abcdef"


def test_confirm_seat_marks_it_once_with_an_audit_sentence(secretariat):
    _, (p, *_) = published(secretariat)
    services.confirm_seat(participant=p, actor=p.user)
    first = type(p).objects.get(pk=p.pk).confirmed_at
    services.confirm_seat(participant=p, actor=p.user)
    p.refresh_from_db()
    assert p.confirmed_at == first is not None
    entries = AuditEntry.objects.filter(action="nominations.participant.seat_confirmed")
    assert [e.details["sentence"] for e in entries] == [f"{p.certificate_name} (India) confirmed their seat."]


def test_decline_seat_is_a_dropout_that_frees_the_seat(secretariat):
    project, (p, *_) = published(secretariat, reserve=("JP",))
    services.decline_seat(participant=p, actor=p.user, reason="  My ministry needs me  that week ")
    p.refresh_from_db()
    p.nomination.refresh_from_db()
    assert (p.status, p.withdrawal_reason) == (
        ParticipantStatus.WITHDRAWN,
        "Declined the seat: My ministry needs me that week",
    )
    assert p.declined_at is not None and p.nomination.status == NominationStatus.WITHDRAWN
    # The board offers the freed seat to the first reserve, as for any withdrawal.
    offers = selectors.seat_offers(project)
    assert [(o["free"], o["nomination"].country.iso2) for o in offers] == [(1, "JP")]
    entry = AuditEntry.objects.get(action="nominations.participant.seat_declined")
    assert (
        entry.details["sentence"] == f"{p.certificate_name} (India) declined their seat: My ministry needs me that week"
    )


def test_declined_participant_cannot_confirm_afterwards(secretariat):
    _, (p, *_) = published(secretariat)
    services.decline_seat(participant=p, actor=p.user)
    with pytest.raises(DomainError, match="no longer a participant"):
        services.confirm_seat(participant=p, actor=p.user)


def test_only_the_participant_answers_for_their_seat(secretariat, npo_in):
    _, (p, other, _) = published(secretariat)
    for actor in (other.user, npo_in, secretariat):
        with pytest.raises(PermissionDenied):
            services.confirm_seat(participant=p, actor=actor)
        with pytest.raises(PermissionDenied):
            services.decline_seat(participant=p, actor=actor)
    p.refresh_from_db()
    assert (p.status, p.confirmed_at) == (ParticipantStatus.ACTIVE, None)


def test_after_the_date_the_server_refuses_to_confirm_or_decline(secretariat, time_machine):
    project, (p, q, _) = published(secretariat)
    due = project_today(project) + datetime.timedelta(days=3)
    services.set_confirmation_date(project=project, actor=secretariat, due_date=due)
    time_machine.move_to(project.seat_confirmation.due_at + datetime.timedelta(seconds=1), tick=False)
    with pytest.raises(DomainError, match="Seats were to be confirmed by"):
        services.confirm_seat(participant=p, actor=p.user)
    with pytest.raises(DomainError, match="Seats were to be confirmed by"):
        services.decline_seat(participant=q, actor=q.user)
    p.refresh_from_db()
    q.refresh_from_db()
    assert (p.confirmed_at, q.status) == (None, ParticipantStatus.ACTIVE)


def test_confirmation_date_may_not_have_passed_nor_follow_the_project(secretariat, npo_in):
    project, _ = published(secretariat)
    with pytest.raises(DomainError, match="has already passed"):
        services.set_confirmation_date(
            project=project, actor=secretariat, due_date=project_today(project) - datetime.timedelta(days=1)
        )
    with pytest.raises(DomainError, match="after the project's last day"):
        services.set_confirmation_date(
            project=project, actor=secretariat, due_date=project.end_date + datetime.timedelta(days=1)
        )
    with pytest.raises(PermissionDenied):
        services.set_confirmation_date(project=project, actor=npo_in, due_date=project.start_date)
    assert not AuditEntry.objects.filter(action="nominations.seat_confirmation.date_set").exists()


def test_reminders_go_to_those_who_have_not_confirmed_once_per_click(secretariat, django_capture_on_commit_callbacks):
    project, (p, q, r) = published(secretariat)
    services.set_confirmation_date(
        project=project, actor=secretariat, due_date=project_today(project) + datetime.timedelta(days=4)
    )
    services.confirm_seat(participant=p, actor=p.user)
    services.decline_seat(participant=q, actor=q.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_seat_reminders(project=project, actor=secretariat, nonce=NONCE)
        services.send_seat_reminders(project=project, actor=secretariat, nonce=NONCE)  # the same click again
    rows = OutboxMessage.objects.filter(cause=OutboxCause.SEAT_REMINDER)
    assert [m.recipient for m in rows] == [r.user.email]
    assert "Please confirm or decline your seat by" in rows[0].body_text
    assert f"/projects/{project.code}/my-seat/" in rows[0].body_text
    services.send_seat_reminders(project=project, actor=secretariat, nonce="f" * 32)  # a second click
    assert OutboxMessage.objects.filter(cause=OutboxCause.SEAT_REMINDER).count() == 2
    entries = AuditEntry.objects.filter(action="nominations.seat_confirmation.reminded")
    assert [e.details["sentence"] for e in entries] == [
        "A reminder to confirm their seat was sent to 1 participant."
    ] * 2


def test_reminders_only_by_the_secretariat(secretariat, npo_in):
    project, _ = published(secretariat)
    with pytest.raises(PermissionDenied):
        services.send_seat_reminders(project=project, actor=npo_in, nonce=NONCE)
    assert not OutboxMessage.objects.filter(cause=OutboxCause.SEAT_REMINDER).exists()


@time_machine.travel("2031-01-10 03:00Z", tick=False)
def test_selection_email_links_to_the_seat_page_with_the_date(secretariat):
    from tests.nominations.selection_helpers import closed_project, submitted

    project = closed_project(overseas_quota=1, start_date=datetime.date(2031, 3, 1), end_date=datetime.date(2031, 3, 4))
    nomination = submitted(project, "IN")
    services.decide_nomination(nomination=nomination, actor=secretariat, decision="selected")
    services.set_confirmation_date(project=project, actor=secretariat, due_date=datetime.date(2031, 2, 1))
    services.publish_selection(project=project, actor=secretariat)
    message = OutboxMessage.objects.get(cause=OutboxCause.INVITATION, recipient=nomination.email)
    assert "Please confirm or decline your seat by the end of 1 February 2031, Colombo (UTC+05:30)" in message.body_text
    assert f"/projects/{project.code}/my-seat/" in message.body_text
