"""Issuing end to end through a real Celery worker on the Redis broker (PostgreSQL)."""

import time

import pytest
from django.core import mail

from certificates import services
from certificates.models import Certificate, IssueBatch
from tests import factories

from .conftest import attendee, finished_project


@pytest.mark.postgres
@pytest.mark.celery_worker
# Celery 5.7's Redis result backend still calls redis-py's deprecated setex on every result.
@pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning")
@pytest.mark.django_db(transaction=True)
def test_real_worker_issues_the_batch_and_mails_each_participant(celery_worker):
    project = finished_project()
    eligible = [attendee(project) for _ in range(3)]
    attendee(project, miss={0})
    actor = factories.secretariat_user()

    batch = services.start_issuing(project=project, actor=actor)  # queued on commit, to Redis

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.finished_at is not None and len(mail.outbox) >= 3:
            break
        time.sleep(0.5)
    assert IssueBatch.objects.get().finished_at is not None
    assert sorted(Certificate.objects.values_list("participant_id", flat=True)) == sorted(p.pk for p in eligible)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in eligible)
    # Starting again issues nothing new: the batch is complete.
    services.start_issuing(project=project, actor=actor)
    time.sleep(2)
    assert Certificate.objects.count() == 3
