"""The retention purge as production runs it: beat queues it, a worker process applies it."""

import datetime
import os

import pytest
import redis
from django.core.files.base import ContentFile
from django.utils import timezone

from apopms.celery import app as celery_app
from apopms.models import AuditEntry
from nominations.models import Decision, Nomination
from tests import factories
from tests.worker_process import CeleryProcesses, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.real_clock,  # the worker and beat processes run on the real clock
    pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"),
    pytest.mark.django_db(transaction=True),
]


def _clean_broker():
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge(celery_app.conf.task_default_queue)
    redis.Redis.from_url(os.environ["REDIS_URL"]).delete("unacked", "unacked_index", "unacked_mutex")


def test_beat_and_a_worker_purge_a_project_whose_limits_have_passed(tmp_path):
    today = timezone.localdate()
    project = factories.ProjectFactory(
        start_date=today - datetime.timedelta(days=800),
        end_date=today - datetime.timedelta(days=798),
        nomination_deadline=timezone.now() - datetime.timedelta(days=830),
        selection_published_at=timezone.now() - datetime.timedelta(days=820),
    )
    nominee = factories.NominationFactory(project=project, submitted=True, decision=Decision.DECLINED, phone="+1 2")
    nominee.cv.save("cv.pdf", ContentFile(b"%PDF"), save=True)
    cv = nominee.cv
    processes = CeleryProcesses(tmp_path, mailers_port=1, outbox={})
    processes.env["PRIVACY_PURGE_EVERY"] = "1"
    _clean_broker()
    try:
        processes.worker("w1")
        processes.beat()
        erased = wait_for(
            lambda: Nomination.objects.filter(pk=nominee.pk, personal_data_erased_at__isnull=False).exists(), 90
        )
        assert erased, processes.logs()
    finally:
        processes.stop()
        _clean_broker()
    nominee.refresh_from_db()
    assert (nominee.phone, nominee.cv.name, cv.storage.exists(cv.name)) == ("", "", False)
    assert set(
        AuditEntry.objects.filter(action__startswith="workspace.retention").values_list("action", flat=True)
    ) == {
        "workspace.retention.cvs_purged",
        "workspace.retention.nominees_purged",
    }
