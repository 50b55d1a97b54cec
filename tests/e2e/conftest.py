"""The browser harness: Chromium (Playwright) against `live_server` on PostgreSQL,
with a real Celery worker (in this process, on the Redis broker).

The journeys need all three. Without one they skip, naming what is missing; with
CI=true they fail instead (CI installs Chromium and starts both services).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import ON_CI, _redis_answers

from .helpers import Journey

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    # This machine's closed network refuses Chromium's own background connections.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-sandbox",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
_skipped_reasons = set()


def _missing_pieces():
    missing = []
    if not shutil.which("pdftoppm"):
        missing.append("pdftoppm (apt-get install poppler-utils)")
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).is_file()):
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL (set DATABASE_URL=postgres://...)")
    if not _redis_answers():
        missing.append("Redis (set REDIS_URL=redis://...)")
    return missing


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("e2e"):
            # Warnings are errors, and the filters are global to the process, so they reach
            # the worker thread: Celery 5.7's Redis result backend still calls redis-py's
            # deprecated setex, which would fail every task's result write.
            item.add_marker(pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"))


def pytest_runtest_setup(item):
    if not item.get_closest_marker("e2e"):
        return
    missing = _missing_pieces()
    if missing:
        message = "browser journeys need " + ", ".join(missing)
        if ON_CI:
            pytest.fail(f"{message}, which CI must provide")
        _skipped_reasons.add(message)
        pytest.skip(message)


def pytest_terminal_summary(terminalreporter):
    for reason in sorted(_skipped_reasons):
        terminalreporter.write_line(f"tests/e2e SKIPPED: {reason}", yellow=True)


@pytest.fixture(scope="package")
def playwright():
    """Playwright's sync API, started once for the package (it may run only one event loop in
    this thread): every Chromium of the journeys is launched from it."""
    from playwright.sync_api import sync_playwright

    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # journeys make in it are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            yield pw
    finally:
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture(scope="package")
def browser(playwright):
    """One Chromium for all journeys; closed after the last one."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def journey(request, browser, live_server, celery_worker, settings):
    """A fresh browser context (CSP bypassed so axe-core can be injected) and the helpers."""
    settings.SITE_URL = live_server.url
    name = request.node.name.removeprefix("test_")
    folder = SCREENSHOTS / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    context = browser.new_context(
        bypass_csp=True,
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Asia/Tokyo",
        accept_downloads=True,
        # Bootstrap then skips its colour transitions, so axe never samples a colour half-way.
        reduced_motion="reduce",
    )
    context.set_default_timeout(15_000)
    j = Journey(context=context, base_url=live_server.url, folder=folder)
    try:
        yield j
    finally:
        context.close()
