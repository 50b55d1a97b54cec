import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from sessions import services
from sessions.views import feed_key
from tests import factories

from .programme_helpers import at, build_programme, publish_selection

pytestmark = pytest.mark.django_db


def _events(response):
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def _feed(client, project):
    return client.get(reverse("agenda:programme_ics", kwargs={"code": project.code}))


def test_the_feed_has_one_event_per_session_at_the_right_instant(client, project, secretariat):
    build_programme(project, secretariat)
    services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    events = _events(_feed(client, project))
    assert len(events) == 3
    first = next(e for e in events.values() if str(e["SUMMARY"]).startswith("Day 1"))
    start = first.decoded("DTSTART")
    assert start == at(project, 1, "10:00")  # 04:30 UTC for 10:00 in Colombo
    assert start.utcoffset() == datetime.timedelta(0)
    assert first.decoded("DTEND") == at(project, 1, "13:00")
    assert "10:00–11:00 Colombo (UTC+05:30): Part 1 of day 1 (Speaker 0)" in str(first["DESCRIPTION"])
    assert "LOCATION" not in first  # the link to join is for participants


def test_uids_stay_and_sequence_rises_when_a_session_changes(client, project, secretariat):
    sessions, _ = build_programme(project, secretariat)
    services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    before = _events(_feed(client, project))
    services.update_session(
        session=sessions[1], actor=secretariat, start_at=at(project, 2, "11:00"), end_at=at(project, 2, "14:00")
    )
    services.publish_programme_update(project=project, actor=secretariat, change_note="Later start.")
    after = _events(_feed(client, project))
    assert set(before) == set(after)
    changed = next(uid for uid in after if uid.startswith(f"agenda-session-{sessions[1].pk}@"))
    unchanged = next(uid for uid in after if uid.startswith(f"agenda-session-{sessions[0].pk}@"))
    assert int(after[changed]["SEQUENCE"]) > int(before[changed]["SEQUENCE"])
    assert int(after[unchanged]["SEQUENCE"]) == int(before[unchanged]["SEQUENCE"])
    assert after[changed].decoded("DTSTART") == at(project, 2, "11:00")


def test_a_participant_gets_the_link_to_join_in_the_feed(client, project, secretariat):
    build_programme(project, secretariat, days=1)
    (participant,) = publish_selection(project)
    services.announce_programme(project=project, actor=secretariat, notify=False)
    client.force_login(participant.user)
    response = _feed(client, project)
    (event,) = _events(response).values()
    assert str(event["LOCATION"]) == "https://zoom.example/j/1"
    assert "no-store" in response["Cache-Control"]


def test_there_is_no_feed_before_publication(client, project, secretariat):
    build_programme(project, secretariat, days=1)
    client.force_login(factories.secretariat_user())
    assert _feed(client, project).status_code == 404


def test_a_participants_own_subscription_address_carries_the_links(client, project, secretariat):

    build_programme(project, secretariat, days=1)
    (participant,) = publish_selection(project)
    services.announce_programme(project=project, actor=secretariat, notify=False)
    key = feed_key(participant)
    url = reverse("agenda:programme_ics", kwargs={"code": project.code})
    (event,) = _events(client.get(f"{url}?key={key}")).values()
    assert str(event["LOCATION"]) == "https://zoom.example/j/1"
    (event,) = _events(client.get(f"{url}?key={key}x")).values()
    assert "LOCATION" not in event
    other = factories.ProjectFactory()
    build_programme(other, secretariat, days=1)
    services.announce_programme(project=other, actor=secretariat, without_participants=True, notify=False)
    (event,) = _events(
        client.get(reverse("agenda:programme_ics", kwargs={"code": other.code}) + f"?key={key}")
    ).values()
    assert "LOCATION" not in event
    participant.status = "withdrawn"
    participant.save()
    (event,) = _events(client.get(f"{url}?key={key}")).values()
    assert "LOCATION" not in event
