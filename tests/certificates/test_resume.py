"""The beat's sweep of certificate batches whose tasks were lost (a worker's main process died holding them)."""

import datetime

import pytest

from apopms.models import AuditEntry
from certificates import services
from certificates.models import Certificate, IssueBatch
from tests import factories

from .conftest import attendee, finished_project

STALL = datetime.timedelta(minutes=5)


@pytest.fixture
def stalled(db):
    """A running batch: one certificate made, one failure recorded, one participant whose task was lost."""
    project = finished_project(sessions=1)
    actor = factories.secretariat_user()
    made, failed, lost = (attendee(project) for _ in range(3))
    attendee(project, miss={0})  # not eligible: never queued
    batch = IssueBatch.objects.create(project=project, started_by=actor, eligible_at_start=3)
    certificate = services.issue_certificate(participant=made, actor=actor)
    services.record_failure(batch=batch, participant=failed, reason="The renderer ran out of memory.")
    return batch, certificate, failed, lost


def test_a_stalled_batch_issues_only_the_certificates_it_lost(stalled, django_capture_on_commit_callbacks):
    batch, certificate, failed, lost = stalled
    last_event = batch.failures.get().failed_at  # after the certificate
    later = last_event + STALL + datetime.timedelta(seconds=1)

    with django_capture_on_commit_callbacks(execute=True):
        queued = services.resume_stalled_batches(stalled_for=STALL, now=later)

    assert queued == 1
    assert set(Certificate.objects.live().values_list("participant_id", flat=True)) == {
        certificate.participant_id,
        lost.pk,
    }
    # The failure waits for the Secretariat's retry; so the batch is still running.
    assert not Certificate.objects.filter(participant=failed).exists()
    batch.refresh_from_db()
    assert batch.finished_at is None
    entry = AuditEntry.objects.get(action="certificates.batch.resumed")
    assert entry.details == {"batch": batch.pk, "count": 1}


def test_a_batch_still_making_progress_is_left_alone(stalled, django_capture_on_commit_callbacks):
    _batch, certificate, _failed, lost = stalled
    just_before = certificate.issued_at + STALL - datetime.timedelta(seconds=1)

    with django_capture_on_commit_callbacks(execute=True):
        queued = services.resume_stalled_batches(stalled_for=STALL, now=just_before)

    assert queued == 0
    assert not Certificate.objects.filter(participant=lost).exists()


def test_a_batch_with_nothing_left_to_make_is_finished(stalled, django_capture_on_commit_callbacks):
    batch, _certificate, failed, lost = stalled
    actor = batch.started_by
    services.issue_certificate(participant=lost, actor=actor)
    services.issue_certificate(participant=failed, actor=actor)
    IssueBatch.objects.filter(pk=batch.pk).update(finished_at=None)  # the finishing step was lost
    latest = Certificate.objects.latest("issued_at").issued_at

    with django_capture_on_commit_callbacks(execute=True):
        queued = services.resume_stalled_batches(stalled_for=STALL, now=latest + STALL * 2)

    assert queued == 0
    batch.refresh_from_db()
    assert batch.finished_at is not None
