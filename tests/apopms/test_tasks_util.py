"""Side effects queued after commit must never turn a committed change into an error."""

import logging

import pytest
from celery import shared_task

from apopms.celery import app as celery_app
from apopms.models import MemberCountry
from apopms.tasks_util import enqueue_on_commit

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
    """A real, unreachable broker (nothing listens on port 1): the change stays, the error is logged."""
    saved = {k: celery_app.conf[k] for k in ("task_always_eager", "broker_url", "task_publish_retry")}
    celery_app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0", task_publish_retry=False)
    celery_app.pool.force_close_all()
    celery_app._pool = None
    try:
        with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
            MemberCountry.objects.filter(iso2="LK").update(npo_name="Renamed NPO")
            enqueue_on_commit(remember, value="lost?")
    finally:
        celery_app.conf.update(
            task_always_eager=saved["task_always_eager"],
            broker_url=saved["broker_url"],
            task_publish_retry=saved["task_publish_retry"],
        )
        celery_app._pool = None
    assert MemberCountry.objects.get(iso2="LK").npo_name == "Renamed NPO"
    assert any("Error calling" in r.getMessage() or "on_commit" in r.getMessage() for r in caplog.records)
