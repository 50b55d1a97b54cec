"""Showing a programme snapshot: zone labels, the viewer's times, dates across the date line, diffs."""

import datetime
import zoneinfo

import pytest

from apopms.timezones import zone_label
from sessions.programme import diff_snapshots, iso, present, time_range
from tests import factories

pytestmark = pytest.mark.django_db

COLOMBO = zoneinfo.ZoneInfo("Asia/Colombo")
AUG_24 = datetime.datetime(2022, 8, 24, 10, 0, tzinfo=COLOMBO)


def _snapshot(start=AUG_24, hours=3):
    end = start + datetime.timedelta(hours=hours)
    return {
        "sessions": [
            {
                "id": 1,
                "title": "Day 1",
                "start_at": iso(start),
                "end_at": iso(end),
                "join_url": "https://zoom.example/j/1",
                "revision": 0,
                "items": [
                    {
                        "id": 10,
                        "position": 1,
                        "kind": "opening",
                        "kind_label": "Opening",
                        "title": "Opening session",
                        "topics": [],
                        "description": "",
                        "start_at": iso(start),
                        "end_at": iso(start + datetime.timedelta(minutes=20)),
                        "speakers": [5],
                    }
                ],
            }
        ],
        "speakers": [
            {
                "id": 5,
                "name": "Dr. Chaminda Wijesinghe",
                "title": "",
                "organization": "NPS",
                "country": "Sri Lanka",
                "category": "local",
                "biography": "",
            }
        ],
        "participants": None,
    }


@pytest.fixture
def seedlike():
    return factories.ProjectFactory(
        time_zone="Asia/Colombo", start_date=datetime.date(2022, 8, 24), end_date=datetime.date(2022, 8, 26)
    )


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("Asia/Colombo", "Colombo (UTC+05:30)"),
        ("Asia/Kathmandu", "Kathmandu (UTC+05:45)"),
        ("Pacific/Fiji", "Fiji (UTC+12:00)"),
        ("Europe/Istanbul", "Istanbul (UTC+03:00)"),
        ("Asia/Tehran", "Tehran (UTC+04:30)"),
    ],
)
def test_zone_labels_are_readable_at_half_hour_and_45_minute_offsets(zone, label):
    assert zone_label(zone, AUG_24) == label


def test_a_time_range_carries_its_zone_label():
    end = AUG_24 + datetime.timedelta(hours=3)
    assert time_range(AUG_24, end, "Asia/Colombo") == "Wed 24 Aug 2022, 10:00–13:00 Colombo (UTC+05:30)"
    assert time_range(AUG_24, end, "Asia/Kathmandu") == "Wed 24 Aug 2022, 10:15–13:15 Kathmandu (UTC+05:45)"


def test_times_show_in_the_projects_zone_and_beside_them_in_kathmandu(seedlike):
    shown = present(_snapshot(), project=seedlike, viewer_zone="Asia/Kathmandu")
    (day,) = shown["days"]
    assert (day["number"], day["label"]) == (1, "Wednesday 24 August 2022")
    when = day["sessions"][0]["when"]
    assert (when["time"], when["zone_label"]) == ("10:00–13:00", "Colombo (UTC+05:30)")
    assert (when["viewer"]["time"], when["viewer"]["zone_label"]) == ("10:15–13:15", "Kathmandu (UTC+05:45)")
    assert not when["viewer"]["other_date"]
    assert day["sessions"][0]["items"][0]["when"]["viewer"]["time"] == "10:15–10:35"


def test_an_evening_session_falls_on_the_next_date_in_fiji_and_not_in_turkiye(seedlike):
    evening = datetime.datetime(2022, 8, 24, 20, 0, tzinfo=COLOMBO)
    fiji = present(_snapshot(evening), project=seedlike, viewer_zone="Pacific/Fiji")["days"][0]["sessions"][0]
    assert fiji["when"]["viewer"]["time"] == "02:30–05:30"
    assert fiji["when"]["viewer"]["date"] == "Thu 25 Aug"
    assert fiji["when"]["viewer"]["other_date"] and fiji["when"]["viewer"]["date_note"] == "the next day"
    turkiye = present(_snapshot(evening), project=seedlike, viewer_zone="Europe/Istanbul")["days"][0]["sessions"][0]
    assert turkiye["when"]["viewer"]["time"] == "17:30–20:30"
    assert not turkiye["when"]["viewer"]["other_date"]


def test_an_early_session_falls_on_the_day_before_in_turkiye(seedlike):
    early = datetime.datetime(2022, 8, 24, 2, 0, tzinfo=COLOMBO)
    shown = present(_snapshot(early), project=seedlike, viewer_zone="Europe/Istanbul")["days"][0]["sessions"][0]
    assert shown["when"]["viewer"]["date"] == "Tue 23 Aug"
    assert shown["when"]["viewer"]["date_note"] == "the day before"


def test_no_second_column_when_the_viewer_is_in_the_projects_zone(seedlike):
    shown = present(_snapshot(), project=seedlike, viewer_zone="Asia/Colombo")
    assert shown["days"][0]["sessions"][0]["when"]["viewer"] is None


def test_the_join_link_is_only_there_when_asked_for(seedlike):
    assert present(_snapshot(), project=seedlike)["days"][0]["sessions"][0]["join_url"] == ""
    before = AUG_24 - datetime.timedelta(days=1)
    assert present(_snapshot(), project=seedlike, show_join=True, now=before)["days"][0]["sessions"][0]["join_url"]


def test_day_numbers_follow_the_projects_zone_in_tokyo():
    project = factories.ProjectFactory(
        time_zone="Asia/Tokyo", start_date=datetime.date(2030, 3, 5), end_date=datetime.date(2030, 3, 7)
    )
    start = datetime.datetime(2030, 3, 5, 8, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
    (day,) = present(_snapshot(start), project=project)["days"]
    assert (day["number"], day["date"]) == (1, datetime.date(2030, 3, 5))


def test_what_changed_is_said_in_words():
    old = _snapshot()
    new = _snapshot(AUG_24 + datetime.timedelta(hours=1))
    new["sessions"][0]["items"][0]["title"] = "Welcome"
    new["sessions"][0]["items"][0]["start_at"] = old["sessions"][0]["items"][0]["start_at"]
    new["sessions"][0]["items"][0]["end_at"] = old["sessions"][0]["items"][0]["end_at"]
    new["speakers"].append(dict(old["speakers"][0], id=6, name="Prof. Dilani Perera"))
    lines = diff_snapshots(old, new, "Asia/Colombo")
    assert lines == [
        "Session “Day 1” moved from Wed 24 Aug 2022, 10:00–13:00 Colombo (UTC+05:30) to "
        "Wed 24 Aug 2022, 11:00–14:00 Colombo (UTC+05:30).",
        "In “Day 1”, “Opening session” is now called “Welcome”.",
        "New resource person: Prof. Dilani Perera, NPS, Sri Lanka.",
    ]
    assert diff_snapshots(old, old, "Asia/Colombo") == []
