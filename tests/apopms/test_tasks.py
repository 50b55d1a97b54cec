"""Side effects queued after commit must never turn a committed change into an error."""

import datetime
import logging

import pytest
import time_machine
from celery import Celery, shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from apopms.celery import app
from apopms.models import MemberCountry
from apopms.tasks import clear_expired_sessions, enqueue_on_commit

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


@time_machine.travel(datetime.datetime(2022, 8, 24, 9, tzinfo=datetime.UTC), tick=False)
def test_beat_clears_the_expired_sessions_daily_and_keeps_the_live_ones():
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == clear_expired_sessions.name)
    assert entry["schedule"] == 24 * 60 * 60
    assert clear_expired_sessions.name in app.tasks
    now = timezone.now()
    Session.objects.create(session_key="expired" * 4, session_data="", expire_date=now - datetime.timedelta(seconds=1))
    Session.objects.create(session_key="live" * 8, session_data="", expire_date=now + datetime.timedelta(hours=1))
    clear_expired_sessions.apply()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live" * 8]
