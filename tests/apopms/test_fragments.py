"""The public pages' fragment caches: what a visitor sees changes at once with the project, its
notification revisions, its programme versions and its phase; nothing personal is ever cached."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from apopms import fragments, services
from apopms.models import MemberCountry
from sessions import services as agenda
from tests import factories
from tests.sessions.programme_helpers import build_programme, publish_selection

pytestmark = pytest.mark.django_db


def _page(client, project):
    return client.get(reverse("project_detail", kwargs={"code": project.code})).content.decode()


def _programme(client, project):
    return client.get(reverse("agenda:programme", kwargs={"code": project.code})).content.decode()


def _csrf(html):
    return re.search(r'"X-CSRFToken": "([^"]+)"', html)[1]


def test_a_new_revision_of_the_notification_shows_at_once(client, project, secretariat):
    assert "Test workshop" in _page(client, project)
    _page(client, project)  # now kept
    services.update_project(actor=secretariat, project=project, title="Green Productivity 2.0", local_quota=7)
    html = _page(client, project)
    assert "Green Productivity 2.0" in html
    assert '<dd class="col-sm-8 fs-5 fw-semibold" id="quota-local">7</dd>' in html
    assert "Revision 1" in html


def test_a_change_of_participating_countries_shows_at_once(client, project, secretariat):
    assert "All member countries" in _page(client, project)
    chosen = [factories.country(iso2) for iso2 in ("IN", "JP", "LK")]
    services.update_project(actor=secretariat, project=project, participating_countries=chosen)
    html = _page(client, project)
    assert "All member countries" not in html and "India, Japan, Sri Lanka" in html


def test_the_closing_note_turns_as_the_deadline_passes(client, project):
    with time_machine.travel(project.nomination_deadline - datetime.timedelta(minutes=1), tick=False):
        assert "Nominations close at the end of" in _page(client, project)
    with time_machine.travel(project.nomination_deadline + datetime.timedelta(minutes=1), tick=False):
        html = _page(client, project)
    assert "Nominations closed at the end of" in html and "Nominations close at" not in html


def test_a_visitors_page_is_the_same_for_all_and_sets_no_cookie(project, secretariat):
    first, second = Client(), Client()
    one, two = first.get(project.get_absolute_url()), second.get(project.get_absolute_url())
    assert one.content == two.content and "X-CSRFToken" not in one.content.decode()
    assert not one.cookies and not two.cookies
    second.force_login(secretariat)  # a signed-in person's page carries the token for htmx's requests
    assert _csrf(_page(second, project))


def test_the_secretariat_sees_its_actions_and_a_draft_never_kept_for_visitors(client, secretariat):
    project = factories.ProjectFactory(notification_issued_at=None)
    client.force_login(secretariat)
    html = _page(client, project)
    assert "Draft: this notification is not issued yet" in html and ">Manage</a>" in html
    client.logout()
    assert client.get(reverse("project_detail", kwargs={"code": project.code})).status_code == 404


@pytest.mark.parametrize("countries", [1, 21])
def test_a_visitor_kept_page_reads_the_project_alone(client, secretariat, countries, django_assert_num_queries):
    chosen = [factories.country("LK"), *MemberCountry.objects.exclude(iso2="LK").order_by("iso2")[: countries - 1]]
    project = factories.ProjectFactory(participating_countries=chosen)
    for n in range(countries):
        services.update_project(actor=secretariat, project=project, local_quota=n + 1)
    with django_assert_num_queries(3):  # the project (with its latest revision), its countries, its revisions
        _page(client, project)
    with django_assert_num_queries(1):  # then the project alone: the notification is kept
        _page(client, project)


def test_a_new_programme_version_shows_at_once_to_visitors(client, project, secretariat):
    sessions, _ = build_programme(project, secretariat, days=1)
    agenda.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    assert "Day 1" in _programme(client, project)
    agenda.update_session(session=sessions[0], actor=secretariat, title="Opening day")
    assert "Opening day" not in _programme(client, project)  # a draft change: the kept version still holds
    agenda.publish_programme_update(project=project, actor=secretariat, change_note="Renamed.")
    html = _programme(client, project)
    assert "Opening day" in html and "(version 2)" in html


def test_the_programme_kept_for_visitors_never_shows_participant_names_or_join_links(client, project, secretariat):
    build_programme(project, secretariat, days=1)
    participants = publish_selection(project, countries=("IN", "JP"))
    agenda.announce_programme(project=project, actor=secretariat, notify=False)
    client.force_login(participants[0].user)
    own = _programme(client, project)
    assert participants[0].certificate_name in own
    client.logout()
    html = _programme(client, project)
    assert participants[0].certificate_name not in html
    assert "2 selected participants from 2 countries." in html


@pytest.mark.parametrize("days", [1, 3])
def test_a_visitor_kept_programme_reads_the_project_and_its_version(
    client, secretariat, days, django_assert_num_queries
):
    start = datetime.date(2030, 5, 1)
    project = factories.ProjectFactory(start_date=start, end_date=start + datetime.timedelta(days=2))
    build_programme(project, secretariat, days=days, items_per_session=2 if days == 1 else 8, speakers=days * 3)
    agenda.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    with django_assert_num_queries(5):  # the project, its version, its snapshot, the history, the zones' countries
        assert "Day 1" in _programme(client, project)
    with django_assert_num_queries(1):  # then the project with its latest version's key alone
        assert "Day 1" in _programme(client, project)


def test_an_edit_of_a_member_countrys_zone_shows_in_the_zone_list_within_a_minute(client, project, secretariat):
    build_programme(project, secretariat, days=1)
    agenda.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    with time_machine.travel(datetime.datetime(2030, 1, 10, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        assert '<option value="Asia/Kathmandu">Nepal: Kathmandu (UTC+05:45)</option>' in _programme(client, project)
        MemberCountry.objects.filter(iso2="NP").update(name="Federal Nepal")
        clock.shift(datetime.timedelta(seconds=61))
        html = _programme(client, project)
    assert '<option value="Asia/Kathmandu">Federal Nepal: Kathmandu (UTC+05:45)</option>' in html


def test_a_visitors_navigation_offers_the_programme_once_published(client, project, secretariat):
    assert "Programme not published yet" in _page(client, project)  # now kept for visitors
    build_programme(project, secretariat, days=1)
    agenda.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    html = _page(client, project)
    assert "Programme not published yet" not in html
    assert f'<a class="nav-link" href="/projects/{project.code}/programme/">Programme</a>' in html


def test_a_signed_in_person_never_gets_the_navigation_kept_for_visitors(client, project, secretariat):
    build_programme(project, secretariat, days=1)
    participants = publish_selection(project, countries=("IN",))
    agenda.announce_programme(project=project, actor=secretariat, notify=False)
    for _ in range(2):
        visitor = _page(client, project)
    assert "Log in</a>" in visitor and "My workshop" not in visitor
    client.force_login(participants[0].user)
    html = _page(client, project)
    assert "My workshop</a>" in html and "Log out" in html and "Log in</a>" not in html


def test_a_new_release_never_serves_what_the_previous_one_kept(client, project, monkeypatch):
    monkeypatch.setattr(fragments, "release", lambda: "previous")
    assert "Sri Lanka" in _page(client, project)
    # A change no key names (the host country's name is reference data): still the kept page...
    MemberCountry.objects.filter(iso2="LK").update(name="Sri Lanka (renamed)")
    assert "Sri Lanka (renamed)" not in _page(client, project)
    # ...until a deployment whose templates or static files differ: a new release, new keys.
    monkeypatch.setattr(fragments, "release", lambda: "next")
    assert "Sri Lanka (renamed)" in _page(client, project)


def test_the_kept_zone_list_marks_each_visitors_own_choice(project, secretariat):
    build_programme(project, secretariat, days=1)
    agenda.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    page = reverse("agenda:programme", kwargs={"code": project.code})
    fiji, istanbul = Client(), Client()
    fiji.post(reverse("agenda:set_zone"), {"zone": "Pacific/Fiji", "next": page})
    istanbul.post(reverse("agenda:set_zone"), {"zone": "Europe/Istanbul", "next": page})
    for _ in range(2):  # the second time from the kept list
        one, two = _programme(fiji, project), _programme(istanbul, project)
        assert (
            '<option value="Pacific/Fiji" selected>' in one and '<option value="Europe/Istanbul" selected>' not in one
        )
        assert (
            '<option value="Europe/Istanbul" selected>' in two and '<option value="Pacific/Fiji" selected>' not in two
        )
        assert "Fiji (UTC+12:00)" in one and "Istanbul (UTC+03:00)" in two


def test_the_public_pages_still_answer_when_the_cache_is_down(client, project, secretariat, settings):
    build_programme(project, secretariat, days=1)
    agenda.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    # A Redis nobody listens on (port 1): every cache call fails to connect.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    assert "Test workshop" in _page(client, project)
    assert "Day 1" in _programme(client, project)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_public_pages_answer_after_the_connection_lost_its_prepared_statements(client, secretariat):
    project = factories.ProjectFactory()
    build_programme(project, secretariat, days=1)
    agenda.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    for _ in range(3):  # the second visit prepares the pages' queries on this connection
        assert "Test workshop" in _page(client, project) and "Day 1" in _programme(client, project)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as a connection pooler may
    for _ in range(3):
        assert "Test workshop" in _page(client, project) and "Day 1" in _programme(client, project)
