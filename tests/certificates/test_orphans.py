"""PDF files left by a worker that died (no certificate row points to them) are swept after a while."""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, IssueFailure

from .conftest import attendee, finished_project

pytestmark = pytest.mark.django_db


def _age(name, hours):
    stamp = (timezone.now() - datetime.timedelta(hours=hours)).timestamp()
    os.utime(default_storage.path(name), (stamp, stamp))


def test_old_orphans_go_and_young_ones_stay():
    project = finished_project()
    folder = f"private/certificates/{project.pk}"
    old = default_storage.save(f"{folder}/left-by-a-dead-worker.pdf", ContentFile(b"%PDF-"))
    young = default_storage.save(f"{folder}/being-written.pdf", ContentFile(b"%PDF-"))
    # Both ages from the portal's clock (tests may move it), not from when the files were written.
    _age(old, 48)
    _age(young, 0)
    assert services.remove_orphan_files(project) == 1
    assert not default_storage.exists(old) and default_storage.exists(young)


def test_a_folder_that_is_not_a_folder_sweeps_nothing_instead_of_failing():
    """The storage volume not mounted (the folder a dangling link): the batch still finishes."""
    project = finished_project()
    parent = Path(settings.MEDIA_ROOT) / "private" / "certificates"
    parent.mkdir(parents=True, exist_ok=True)
    (parent / str(project.pk)).symlink_to(parent / "not-mounted")
    assert services.remove_orphan_files(project) == 0
    (parent / str(project.pk)).unlink()
    (parent / str(project.pk)).write_text("not a folder")
    assert services.remove_orphan_files(project) == 0


def test_a_batch_records_each_participant_when_the_storage_refuses_and_issues_on_retry(
    secretariat, django_capture_on_commit_callbacks
):
    """The certificates folder a dangling link (a volume not mounted): each participant's failure is
    recorded with the reason, nothing is issued; once the folder is back, "Retry" issues them all."""
    project = finished_project()
    people = [attendee(project) for _ in range(2)]
    parent = Path(settings.MEDIA_ROOT) / "private" / "certificates"
    parent.mkdir(parents=True, exist_ok=True)
    (parent / str(project.pk)).symlink_to(parent / "not-mounted")
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.start_issuing(project=project, actor=secretariat)
    failures = IssueFailure.objects.order_by("participant_id")
    assert [f.participant_id for f in failures] == [p.pk for p in people]
    assert all("exists and is not a directory" in f.reason for f in failures)
    assert not Certificate.objects.exists()

    (parent / str(project.pk)).unlink()
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_failures(batch=batch, actor=secretariat)
    assert Certificate.objects.count() == 2 and not IssueFailure.objects.exists()
