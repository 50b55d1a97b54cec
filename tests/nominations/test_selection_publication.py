"""Publishing the selection: undecided -> not selected, participants, e-mails sent exactly once."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from apopms import mail as outbox
from apopms.enums import OutboxCause, OutboxStatus
from apopms.exceptions import DomainError
from apopms.models import AuditEntry, OutboxMessage
from nominations import selectors, services
from nominations.enums import Decision
from nominations.models import Participant, SelectionNotice
from tests import factories
from tests.mail_backends import RefusingBackend

from .selection_helpers import closed_project, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(secretariat, npo_in, npo_jp):
    """India: one selected, one reserve, one undecided; Japan: one selected; Sri Lanka: one local selected."""
    project = closed_project(overseas_quota=2, local_quota=1)
    noms = {
        "in1": submitted(project, "IN", priority=1, certificate_name="Asha Rao", native_name="आशा राव"),
        "in2": submitted(project, "IN", priority=2, certificate_name="Vikram Iyer"),
        "in3": submitted(project, "IN", priority=3, certificate_name="Meera Das"),
        "jp1": submitted(project, "JP", priority=1, certificate_name="Yuki Mori", native_name="森 由紀"),
        "lk1": submitted(project, "LK", priority=1, certificate_name="Chamari Perera"),
    }
    for key in ("in1", "jp1", "lk1"):
        services.decide_nomination(nomination=noms[key], actor=secretariat, decision=Decision.SELECTED)
    services.decide_nomination(nomination=noms["in2"], actor=secretariat, decision=Decision.RESERVE)
    factories.npo_officer("IN", email="second.officer.in@npo.example")
    return project, noms


def _publish(project, actor, capture):
    with capture(execute=True):
        return services.publish_selection(project=project, actor=actor)


def _recipients():
    return sorted(tuple(sorted(m.to)) for m in mail.outbox)


def test_publish_marks_undecided_not_selected_and_makes_participants(
    secretariat, decided, django_capture_on_commit_callbacks
):
    project, noms = decided
    preview = selectors.publication_preview(project)
    assert [n.certificate_name for n in preview["undecided"]] == ["Meera Das"]
    _publish(project, secretariat, django_capture_on_commit_callbacks)
    project.refresh_from_db()
    assert project.selection_published_at is not None
    noms["in3"].refresh_from_db()
    assert noms["in3"].decision == Decision.DECLINED
    participants = {
        p.certificate_name: (p.native_name, p.country.iso2, p.category, p.user.email)
        for p in Participant.objects.filter(project=project)
    }
    assert participants == {
        "Asha Rao": ("आशा राव", "IN", "overseas", noms["in1"].email),
        "Yuki Mori": ("森 由紀", "JP", "overseas", noms["jp1"].email),
        "Chamari Perera": ("", "LK", "local", noms["lk1"].email),
    }
    assert AuditEntry.objects.filter(action="nominations.selection.published", actor=secretariat).count() == 1


def test_publish_sends_one_email_per_npo_and_one_invitation_per_participant(
    secretariat, decided, npo_in, npo_jp, django_capture_on_commit_callbacks
):
    project, noms = decided
    _publish(project, secretariat, django_capture_on_commit_callbacks)
    to_india = [m for m in mail.outbox if npo_in.email in m.to]
    assert len(to_india) == 1
    # One message to each officer: no officer learns the others' addresses.
    assert [m.to for m in mail.outbox if m.subject == to_india[0].subject and "officer.in" in m.to[0]] == [
        ["officer.in@npo.example"],
        ["second.officer.in@npo.example"],
    ]
    body = to_india[0].body
    assert "Asha Rao (आशा राव), Ministry of Public Administration: Selected" in body
    assert "Vikram Iyer, Ministry of Public Administration: Reserve (no. 1)" in body
    assert "Meera Das, Ministry of Public Administration: Not selected" in body
    assert "Yuki Mori" not in body  # only its own country's results
    assert len([m for m in mail.outbox if npo_jp.email in m.to]) == 1
    for key in ("in1", "jp1", "lk1"):
        assert len([m for m in mail.outbox if m.to == [noms[key].email]]) == 1
    for key in ("in2", "in3"):
        assert not [m for m in mail.outbox if noms[key].email in m.to]
    results = OutboxMessage.objects.filter(cause=OutboxCause.SELECTION_RESULTS)
    assert set(results.values_list("status", flat=True)) == {OutboxStatus.SENT}  # the outbox says it was sent


def test_publishing_twice_sends_nothing_twice(secretariat, decided, django_capture_on_commit_callbacks):
    project, _ = decided
    _publish(project, secretariat, django_capture_on_commit_callbacks)
    first = _recipients()
    _publish(project, secretariat, django_capture_on_commit_callbacks)
    # And the tasks themselves are safe to run twice.
    for notice in SelectionNotice.objects.filter(project=project):
        from nominations.tasks import send_selection_results

        send_selection_results.apply(kwargs={"notice_id": notice.pk})
    assert _recipients() == first
    assert Participant.objects.filter(project=project).count() == 3
    assert AuditEntry.objects.filter(action="nominations.selection.published").count() == 1


def test_mail_failure_is_retried_by_the_sweep_and_loses_nothing(
    secretariat, decided, settings, django_capture_on_commit_callbacks
):
    project, _ = decided
    settings.MAILERS = {"default": {"BACKEND": "tests.mail_backends.RefusingBackend"}}
    RefusingBackend.refusals = 6  # the first attempt of every message fails
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _publish(project, secretariat, django_capture_on_commit_callbacks)
        assert mail.outbox == []
        clock.shift(datetime.timedelta(minutes=1))
        assert outbox.sweep() == 6
        assert outbox.sweep() == 0
    results = [m for m in mail.outbox if m.subject.startswith("Selection results")]
    assert sorted(m.to[0] for m in results) == [
        "officer.in@npo.example",
        "officer.jp@npo.example",
        "second.officer.in@npo.example",
    ]
    # 3 NPO officers (IN twice, JP) and 3 invitations: each delivered exactly once.
    assert len(mail.outbox) == 6
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(OutboxStatus.SENT, 2)}


def test_publish_refused_while_nominations_are_open(secretariat):
    project = factories.ProjectFactory()
    submitted(project, "IN")
    with pytest.raises(DomainError, match="still open"):
        services.publish_selection(project=project, actor=secretariat)
    project.refresh_from_db()
    assert project.selection_published_at is None


def test_publish_refused_when_the_state_changed_since_the_preview(secretariat, decided):
    project, noms = decided
    fingerprint = selectors.publication_preview(project)["fingerprint"]
    services.decide_nomination(nomination=noms["in3"], actor=secretariat, decision=Decision.RESERVE)
    with pytest.raises(DomainError, match="changed"):
        services.publish_selection(project=project, actor=secretariat, fingerprint=fingerprint)
