"""The outbox's delivery guarantee, with Celery as production runs it: a worker process and a beat
process (`celery -A apopms worker` / `beat`) on the real Redis and PostgreSQL, and an SMTP sink.

Nothing is lost: a row is committed with the change that causes it and sent by the after-commit
task or, when that task is lost, by the sweep that beat queues. A row is delivered once, or (a
worker killed between the server's reply and the row's update) at most twice with one Message-ID.
The outbox's timings are short here (seconds, `OUTBOX_*`), so that a lease runs out in the test.
"""

import datetime
import logging
import os

import pytest
import redis
from celery import Celery

from apopms import services, tasks
from apopms.celery import app as celery_app
from apopms.enums import InvitationPurpose, OutboxStatus
from apopms.models import Invitation, OutboxMessage
from apopms.selectors import invitations_with_sent_at
from tests import factories
from tests.smtp_sink import SmtpSink
from tests.worker_process import CeleryProcesses, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,  # tasks go to the broker, not run eagerly in the test
    pytest.mark.real_clock,  # the worker and beat processes run on the real clock
    # Celery 5.7's Redis result backend still calls redis-py's deprecated setex on every result.
    pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"),
    pytest.mark.django_db(transaction=True),
]

# Seconds: beat queues the sweep twice a second; a pending row waits 2 s for it, a lease lasts 3 s,
# a refused message is retried 1 s later.
OUTBOX = {"sweep_every": 0.5, "sweep_after": 2, "lease": 3, "backoff": 1}


def _clean_broker():
    """No task left over from an earlier run, and none left unacknowledged by a killed worker
    (Redis would hand it out again an hour later, to whichever worker runs then)."""
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge(celery_app.conf.task_default_queue)
    redis.Redis.from_url(os.environ["REDIS_URL"]).delete("unacked", "unacked_index", "unacked_mutex")


@pytest.fixture
def sink(settings):
    with SmtpSink() as running:
        settings.MAILERS = running.mailers()
        yield running


@pytest.fixture
def celery(settings, sink, tmp_path):
    """Starts worker and beat processes on demand; the test process publishes to the same Redis."""
    for name, value in OUTBOX.items():
        setattr(settings, f"OUTBOX_{name.upper()}", value)
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = False
    _clean_broker()
    processes = CeleryProcesses(tmp_path, mailers_port=sink.port, outbox=OUTBOX)
    try:
        yield processes
    finally:
        sink.release.set()
        processes.stop()
        _clean_broker()
        celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


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


def row():
    return OutboxMessage.objects.get()


def sent():
    return row().status == OutboxStatus.SENT


def one_more_sweep():
    """A sweep through the worker after the row was sent: it finds nothing left to send."""
    assert tasks.sweep_outbox.apply_async().get(timeout=60) == 0


def test_a_change_commits_and_its_email_is_sent_by_the_worker(celery, sink):
    celery.worker("w1")
    invitation = invite()
    assert wait_for(sent), celery.logs()
    [message] = sink.parsed()
    assert message["To"] == "Kumari Perera <kumari@npo.example>"
    assert invitation.token() in message.get_body(("plain",)).get_content()
    assert (row().attempts, invitations_with_sent_at().get(pk=invitation.pk).sent_at) == (1, row().sent_at)


def test_broker_unreachable_at_commit_the_sweep_sends_it_later(celery, sink, monkeypatch, caplog):
    """The broker is unreachable when the change commits: the change is kept, the row stays
    pending, and the sweep (queued by beat) sends it once, after its wait."""
    celery.worker("w1")
    celery.beat()
    lose_the_after_commit_task(monkeypatch)
    with caplog.at_level(logging.ERROR):
        invitation = invite()
    monkeypatch.undo()
    assert any("Error calling" in r.getMessage() for r in caplog.records)
    assert Invitation.objects.filter(pk=invitation.pk).exists()  # the change is kept
    assert wait_for(sent), celery.logs()
    one_more_sweep()
    message = row()
    # One attempt, made by the sweep: the after-commit task would not have waited for next_attempt_at.
    assert (message.attempts, len(sink.messages)) == (1, 1)
    assert message.sent_at >= message.created_at + datetime.timedelta(seconds=OUTBOX["sweep_after"])


def test_a_server_that_refuses_then_accepts_gets_the_message_once(celery, sink):
    """451 on the first attempt (the after-commit task): the sweep retries after the backoff."""
    sink.refusals = 1
    celery.worker("w1")
    celery.beat()
    invite()
    assert wait_for(sent), celery.logs()
    one_more_sweep()
    message = row()
    assert (sink.refused, len(sink.messages), message.attempts, message.last_error) == (1, 1, 2, "")


def test_a_worker_killed_before_the_smtp_transaction_the_sweep_delivers_exactly_once(celery, sink):
    """The worker claimed the row (lease taken, attempt counted) and waits for the server's
    greeting when it is killed: nothing was sent. Once the lease runs out, the sweep sends it."""
    sink.stall_next = "greeting"
    w1 = celery.worker("w1")
    celery.beat()
    invite()
    assert sink.stalled.wait(timeout=60), celery.logs()
    celery.kill(w1)
    sink.release.set()
    message = row()
    assert (message.status, message.attempts, sink.messages) == (OutboxStatus.PENDING, 1, [])
    assert message.leased_until is not None
    celery.worker("w2")
    assert wait_for(sent), celery.logs()
    one_more_sweep()
    message = row()
    assert (message.attempts, len(sink.messages)) == (2, 1)
    assert sink.parsed()[0]["Message-ID"] == message.message_id


def test_a_worker_killed_after_the_server_accepted_delivers_at_most_twice_with_one_message_id(celery, sink):
    """The server stored the message and the worker is killed before its 250 arrives, so the row
    is never marked: the sweep sends it again, with the same Message-ID."""
    sink.stall_next = "reply"
    w1 = celery.worker("w1")
    celery.beat()
    invite()
    assert sink.stalled.wait(timeout=60), celery.logs()
    celery.kill(w1)
    sink.release.set()
    message = row()
    assert (message.status, message.attempts, len(sink.messages)) == (OutboxStatus.PENDING, 1, 1)
    celery.worker("w2")
    assert wait_for(sent), celery.logs()
    one_more_sweep()
    message = row()
    delivered = sink.parsed()
    assert (message.attempts, len(delivered)) == (2, 2)
    assert [m["Message-ID"] for m in delivered] == [message.message_id] * 2
