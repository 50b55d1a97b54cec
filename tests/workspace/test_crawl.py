"""No dead ends: for each role of the demo, every same-site link reachable from the landing page answers.

The crawl follows links (GET only; logging out excluded) breadth-first from the landing page,
visiting a few pages per URL pattern (a project's hundred nominations share one pattern), and
reports every link that answers 4xx or 5xx with the page it was found on.
"""

import io
import re
from collections import Counter, deque
from html import unescape
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse

from apopms.demo import ACCOUNTS, IMPLEMENTER, SEED_CODE
from apopms.enums import Role
from apopms.models import User
from nominations.models import Participant

pytestmark = pytest.mark.django_db

HREF = re.compile(r"""<a\b[^>]*\bhref=["']([^"']+)["']""", re.I)
PER_PATTERN = 3
MAX_PAGES = 400
NOT_PARSED = ("application/pdf", "application/zip", "text/calendar", "text/csv", "application/vnd")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _pattern(path):
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.view_name


def crawl(client, start):
    """{url: (status, found on)} of the links answering 4xx/5xx, and how many pages were fetched."""
    admin_prefix = f"/{settings.ADMIN_PATH}/"
    logout = reverse("logout")
    seen, per_pattern = {start}, Counter()
    queue = deque([(start, "(start)")])
    broken, fetched = {}, 0
    while queue and fetched < MAX_PAGES:
        url, found_on = queue.popleft()
        response = client.get(url)
        fetched += 1
        if response.status_code >= 400:
            broken[url] = (response.status_code, found_on)
            continue
        if response.status_code in (301, 302):
            target = response["Location"]
            if urlparse(target).netloc:
                continue
            url = urljoin(url, target)
            if url in seen:
                continue
            seen.add(url)
            queue.appendleft((url, found_on))
            continue
        content_type = response.get("Content-Type", "")
        if not content_type.startswith("text/html") or any(content_type.startswith(t) for t in NOT_PARSED):
            continue
        for href in HREF.findall(response.content.decode()):
            link, _ = urldefrag(urljoin(url, unescape(href)))
            parsed = urlparse(link)
            if parsed.scheme not in ("", "http") or parsed.netloc not in ("", "testserver"):
                continue
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if not path or path in seen or parsed.path == logout:
                continue
            # The back office is Django's own admin: its index is checked, not its hundreds of pages.
            if parsed.path.startswith(admin_prefix) and parsed.path != admin_prefix:
                continue
            pattern = _pattern(parsed.path)
            if per_pattern[pattern] >= PER_PATTERN:
                continue
            per_pattern[pattern] += 1
            seen.add(path)
            queue.append((path, url))
    return broken, fetched, per_pattern


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    # What the demo queues after commit (the programme's PDFs) runs as it does under `make run`.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", stdout=io.StringIO())


def _account(role):
    email = next(email for email, _, r, _ in ACCOUNTS if r == role)
    return User.objects.get(email__iexact=email)


def _users():
    return {
        "secretariat": lambda: _account(Role.SECRETARIAT),
        "npo_officer": lambda: _account(Role.NPO_OFFICER),
        "implementer": lambda: User.objects.get(email__iexact=IMPLEMENTER[0]),
        "participant": lambda: Participant.objects.filter(project__code=SEED_CODE).order_by("pk").first().user,
    }


# Pages each role must reach by following links from the landing page.
REACHED = {
    "secretariat": {
        "workspace:hub",
        "project_manage",
        "nominations:selection_board",
        "agenda:attendance_grid",
        "agenda:attendance_import_upload",
        "certificates:project",
        "audit_log",
    },
    "npo_officer": {"nominations:project", "agenda:attendance_index", "agenda:attendance_country"},
    "implementer": {"workspace:hub", "agenda:manage", "agenda:attendance_grid", "agenda:attendance_import_upload"},
    "participant": {"agenda:my_workshop", "agenda:programme"},
}


@pytest.mark.parametrize("role", ["secretariat", "npo_officer", "implementer", "participant"])
def test_link_crawl_from_the_landing_page_finds_no_broken_link(client, demo, role):
    client.force_login(_users()[role]())
    broken, fetched, patterns = crawl(client, reverse("workspace:landing"))
    print(f"{role}: {fetched} pages fetched, {len(patterns)} URL patterns, {len(broken)} broken")
    assert not broken, f"{role}: {broken}"
    assert REACHED[role] <= set(patterns), REACHED[role] - set(patterns)
