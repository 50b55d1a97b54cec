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

from .conftest import finished_project

pytestmark = pytest.mark.django_db


def _age(name, hours):
    stamp = (timezone.now() - datetime.timedelta(hours=hours)).timestamp()
    os.utime(default_storage.path(name), (stamp, stamp))


def test_old_orphans_go_and_young_ones_stay():
    project = finished_project()
    folder = f"private/certificates/{project.pk}"
    old = default_storage.save(f"{folder}/left-by-a-dead-worker.pdf", ContentFile(b"%PDF-"))
    young = default_storage.save(f"{folder}/being-written.pdf", ContentFile(b"%PDF-"))
    _age(old, 48)
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
