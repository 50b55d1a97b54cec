"""The outbox's delivery guarantee against a real Redis, a real Celery worker and an SMTP sink.

Nothing is lost: a row is committed with the change that causes it and sent by the after-commit
task or, when that task is lost, by the sweep. A row is delivered once, or (a sender lost between
the server's reply and the row's update) at most twice with the same Message-ID.
"""

import logging
import time

import pytest
from celery import Celery
from django.utils import timezone

from apopms import mail as outbox
from apopms import services, tasks
from apopms.enums import InvitationPurpose, OutboxStatus
from apopms.models import Invitation, OutboxMessage
from tests import factories
from tests.smtp_sink import SmtpSink

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.celery_worker,
    # Celery 5.7's Redis result backend still calls redis-py's deprecated setex on every result.
    pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def sink(settings):
    with SmtpSink() as running:
        settings.MAILERS = running.mailers()
        yield running


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def invite():
    return services.invite_user(
        actor=factories.secretariat_user(),
        email="kumari@npo.example",
        full_name="Kumari Perera",
        purpose=InvitationPurpose.NPO_OFFICER,
        country=factories.country("LK"),
    )


def lose_the_after_commit_task(monkeypatch):
    """The after-commit task goes to a broker nobody listens on (port 1), in a Celery app of its
    own so the portal's app and its connections stay untouched; undo with monkeypatch.undo()."""
    down = Celery("down", broker="redis://127.0.0.1:1/0", set_as_current=False)
    down.conf.update(task_always_eager=False, task_publish_retry=False, broker_connection_retry=False)

    @down.task(name="apopms.tasks.send_outbox_message")
    def lost(**kwargs):
        raise AssertionError("never delivered: the broker is down")

    monkeypatch.setattr(tasks, "send_outbox_message", lost)


def make_due():
    """As if the sweep's wait and any lease had run out (the worker's clock is not ours to move)."""
    OutboxMessage.objects.update(next_attempt_at=timezone.now(), leased_until=None)


def sweep_through_the_worker():
    tasks.sweep_outbox.apply_async().get(timeout=60)


def test_a_change_commits_and_its_email_is_sent_by_the_worker(celery_worker, sink):
    invitation = invite()
    assert wait_for(lambda: len(sink.messages) == 1)
    [message] = sink.parsed()
    assert message["To"] == "kumari@npo.example"
    assert invitation.token() in message.get_body(("plain",)).get_content()
    assert wait_for(lambda: OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 1)
    assert Invitation.objects.get(pk=invitation.pk).sent_at is not None


def test_broker_unreachable_at_commit_the_sweep_sends_it_later(celery_worker, sink, monkeypatch, caplog):
    """The broker is unreachable when the change commits: the change is kept, the row stays
    pending, and the sweep sends it once."""
    lose_the_after_commit_task(monkeypatch)
    with caplog.at_level(logging.ERROR):
        invitation = invite()
    assert any("Error calling" in r.getMessage() for r in caplog.records)
    monkeypatch.undo()
    time.sleep(1)
    row = OutboxMessage.objects.get(invitation=invitation)
    assert (row.status, row.attempts, sink.messages) == (OutboxStatus.PENDING, 0, [])
    make_due()
    sweep_through_the_worker()
    assert wait_for(lambda: OutboxMessage.objects.get(pk=row.pk).status == OutboxStatus.SENT)
    sweep_through_the_worker()
    assert len(sink.messages) == 1


def test_a_server_that_refuses_then_accepts_gets_the_message_once(celery_worker, sink):
    sink.refusals = 1
    invite()
    assert wait_for(lambda: OutboxMessage.objects.filter(attempts=1, leased_until__isnull=True).exists())
    row = OutboxMessage.objects.get()
    assert (row.status, sink.messages) == (OutboxStatus.PENDING, [])
    assert "451" in row.last_error
    make_due()
    sweep_through_the_worker()
    row.refresh_from_db()
    assert (row.status, row.attempts, len(sink.messages)) == (OutboxStatus.SENT, 2, 1)


def test_a_sender_lost_before_the_smtp_transaction_the_sweep_delivers_exactly_once(celery_worker, sink, monkeypatch):
    """A sender claims the row (lease, attempt counted) and dies before speaking SMTP."""
    lose_the_after_commit_task(monkeypatch)
    invite()
    monkeypatch.undo()
    make_due()
    assert len(outbox.claim(OutboxMessage.objects.all())) == 1  # ... and the sender is gone
    sweep_through_the_worker()
    assert OutboxMessage.objects.get().status == OutboxStatus.PENDING  # its lease still holds
    make_due()  # the lease runs out
    sweep_through_the_worker()
    sweep_through_the_worker()
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts, len(sink.messages)) == (OutboxStatus.SENT, 2, 1)


def test_a_sender_lost_after_the_server_accepted_delivers_at_most_twice_with_one_message_id(
    celery_worker, sink, monkeypatch
):
    """The server accepted the message, then the sender died before marking the row."""
    lose_the_after_commit_task(monkeypatch)
    invite()
    monkeypatch.undo()
    make_due()
    [pk] = outbox.claim(OutboxMessage.objects.all())
    outbox.build(OutboxMessage.objects.get(pk=pk)).send()  # accepted; the row is never marked
    make_due()
    sweep_through_the_worker()
    sweep_through_the_worker()
    row = OutboxMessage.objects.get()
    delivered = sink.parsed()
    assert (row.status, len(delivered)) == (OutboxStatus.SENT, 2)
    assert {m["Message-ID"] for m in delivered} == {row.message_id}
