"""Side effects queued after commit must never turn a committed change into an error."""

import logging

import pytest
from celery import Celery, shared_task

from apopms.models import MemberCountry
from apopms.tasks import enqueue_on_commit

pytestmark = pytest.mark.django_db

calls = []


@shared_task
def remember(*, value):
    calls.append(value)


def test_task_runs_only_after_commit(django_capture_on_commit_callbacks):
    calls.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(remember, value="after commit")
        assert calls == []
    assert len(callbacks) == 1
    assert calls == ["after commit"]


def test_unreachable_broker_does_not_undo_or_break_the_commit(django_capture_on_commit_callbacks, caplog):
    """A real, unreachable broker (nothing listens on port 1): the change stays, the error is logged.

    A Celery app of its own, so the portal's app (and its connection pools) stay untouched.
    """
    probe = Celery("probe", broker="redis://127.0.0.1:1/0", set_as_current=False)
    probe.conf.update(task_always_eager=False, task_publish_retry=False, broker_connection_retry=False)

    @probe.task(name="probe.remember")
    def remember_elsewhere(*, value):
        calls.append(value)

    calls.clear()
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        MemberCountry.objects.filter(iso2="LK").update(npo_name="Renamed NPO")
        enqueue_on_commit(remember_elsewhere, value="lost?")
    assert MemberCountry.objects.get(iso2="LK").npo_name == "Renamed NPO"
    assert calls == []
    assert any("Error calling" in r.getMessage() for r in caplog.records)
