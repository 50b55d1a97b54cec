"""The nominations import through a real Celery worker on the Redis broker (PostgreSQL): the web
requests only store and queue; the page polls the worker's progress until the preview, then the import."""

import time

import pytest
from django.urls import reverse

from nominations.enums import ImportStatus
from nominations.models import Nomination, NominationImport
from tests import factories

from .test_resources import csv_file, row


def _wait_for(job, *statuses):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job
        time.sleep(0.2)
    raise AssertionError(f"the job stayed {job.status}")


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_reads_then_imports_and_the_page_follows(celery_worker, client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    project = factories.ProjectFactory()
    client.force_login(factories.secretariat_user())
    url = reverse("nominations:import", kwargs={"code": project.code})
    preview = client.post(
        url, {"country": factories.country("TH").pk, "file": csv_file([row(i) for i in range(1, 8)])}
    )["Location"]
    job = _wait_for(NominationImport.objects.get(), ImportStatus.PREVIEW, ImportStatus.FAILED)
    progress = reverse("nominations:import_progress", kwargs={"code": project.code, "job": job.pk})
    assert client.get(progress, headers={"HX-Request": "true"})["HX-Redirect"] == preview
    assert 'id="count-new">7<' in client.get(preview).content.decode()

    assert client.post(preview)["Location"] == progress
    _wait_for(job, ImportStatus.DONE, ImportStatus.FAILED)
    assert "Done: 7 nominations created, 0 already present." in client.get(progress).content.decode()
    assert Nomination.objects.filter(project=project, country__iso2="TH").count() == 7
