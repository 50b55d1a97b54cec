"""The test harness every app's tests stand on.

- Tasks run eagerly even when REDIS_URL is set, except in tests marked
  `celery_worker`, which start a real in-process worker (PostgreSQL only).
- Tests marked `postgres` or `redis` skip when the service is missing, but fail
  instead when CI=true: CI always has both.
- Private uploads and PDFs go to a temporary MEDIA_ROOT; static files need no collectstatic.
- Transactional tests get the member countries reloaded after each flush (`_reference_data`).
- `--clock=2026-11-30T23:30:00Z` starts every test with the clock at that instant (ticking), to
  prove no test depends on the hour or the date it runs at; tests that pin their own time still do,
  and tests marked `real_clock` (Celery worker and beat processes beside them) keep the real clock.
"""

import datetime
import gc
import importlib
import os
import shutil
import warnings

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections

from apopms.celery import app as celery_app

from . import factories

ON_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _redis_answers():
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        metavar="INSTANT",
        help="start every test with the clock at this ISO 8601 instant, e.g. 2026-11-30T23:30:00Z (it ticks)",
    )


def _clock_instant(config):
    value = config.getoption("--clock")
    if not value:
        return None
    try:
        instant = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"--clock={value}: not an ISO 8601 instant such as 2026-11-30T23:30:00Z") from None
    if instant.tzinfo is None:
        raise pytest.UsageError(f"--clock={value}: give the zone, e.g. 2026-11-30T23:30:00Z or +05:30")
    return instant


def pytest_report_header(config):
    instant = _clock_instant(config)
    if instant is not None:
        return f"clock: every test starts at {instant.isoformat()} (TZ={os.environ.get('TZ', 'unset')})"
    return None


def pytest_configure(config):
    _clock_instant(config)  # a malformed --clock stops the run at once
    config.addinivalue_line("markers", "celery_worker: starts a real Celery worker on the Redis broker")
    config.addinivalue_line(
        "markers",
        "real_clock: runs other processes (Celery worker and beat) on the real clock; --clock leaves it alone",
    )
    django_settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    # PBKDF2 costs about a second per user on this machine; tests make hundreds of users.
    django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_runtest_setup(item):
    missing = []
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        missing.append("PostgreSQL (set DATABASE_URL=postgres://...)")
    if (item.get_closest_marker("redis") or item.get_closest_marker("celery_worker")) and not _redis_answers():
        missing.append("Redis (set REDIS_URL=redis://...)")
    if item.get_closest_marker("poppler") and shutil.which("pdftotext") is None:
        missing.append("poppler-utils (pdftotext, pdfinfo; make test installs it where it can)")
    if missing:
        message = "needs " + " and ".join(missing)
        if ON_CI:
            pytest.fail(f"{message}, which CI must provide")
        pytest.skip(message)


@pytest.fixture(autouse=True)
def _clock(request):
    """With `--clock`, every test starts at the given instant; the clock then runs on."""
    instant = _clock_instant(request.config)
    # A test marked `time_machine(...)` pins its own time, and its fixture starts before this one.
    # One marked `real_clock` shares the database with worker processes, whose clocks are real.
    if (
        instant is None
        or request.node.get_closest_marker("time_machine")
        or request.node.get_closest_marker("real_clock")
    ):
        yield
        return
    import time_machine

    with time_machine.travel(instant, tick=True):
        yield


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests (races, real workers, browser journeys) start from a flushed database:
    give them the reference data the migrations load (the 21 member countries).

    Not `serialized_rollback`: under Playwright's sync API Django sees another connection
    object, restores nothing, and the flush then recreates content types under new keys,
    which breaks every later serialized test.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps

    from apopms.models import MemberCountry

    if not MemberCountry.objects.exists():
        importlib.import_module("apopms.migrations.0002_member_countries").load(apps, None)


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture(autouse=True)
def _eager_celery(request):
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from apopms import fragments
    from sessions.forms import forget_member_zones

    cache.clear()
    fragments.forget_local()
    forget_member_zones()
    yield


@pytest.fixture
def project(db):
    return factories.ProjectFactory()


@pytest.fixture
def admin_client(client, db):
    """A client signed in to the back office as a superuser (pytest-django's own assumes a username)."""
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def secretariat(db):
    return factories.secretariat_user(email="secretariat@apo.example")


@pytest.fixture
def npo_in(db):
    """An NPO officer of India (an overseas country for a Sri Lanka-hosted project)."""
    return factories.npo_officer("IN", email="officer.in@npo.example")


@pytest.fixture
def npo_jp(db):
    return factories.npo_officer("JP", email="officer.jp@npo.example")


@pytest.fixture
def npo_lk(db):
    """An NPO officer of the host country (Sri Lanka)."""
    return factories.npo_officer("LK", email="officer.lk@npo.example")


@pytest.fixture
def celery_worker():
    """A real Celery worker in a thread of this process, consuming the Redis broker.

    It shares the process, so the locmem `mail.outbox` sees the e-mails its tasks send
    and the temporary MEDIA_ROOT is the same for the web thread and the worker.
    """
    from celery import signals
    from celery.contrib.testing.worker import start_worker

    from apopms.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False

    def close_connections(**kwargs):
        # Celery's Django fixup is not installed for an embedded worker: close the
        # worker thread's connections after each task, as the fixup would, so the
        # test database can be flushed and dropped.
        connections.close_all()

    signals.task_prerun.connect(close_connections, weak=False)
    signals.task_postrun.connect(close_connections, weak=False)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)  # leftovers of an aborted run
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
            yield worker
    finally:
        signals.task_prerun.disconnect(close_connections)
        signals.task_postrun.disconnect(close_connections)
        app.conf.task_always_eager, app.conf.task_eager_propagates = saved
        # The embedded worker leaves its consumer's broker sockets to the garbage collector: collect
        # them here, where their ResourceWarning is expected, rather than in whichever test runs next.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
