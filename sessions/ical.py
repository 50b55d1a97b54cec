"""The programme's sessions as an iCalendar feed (RFC 5545) that calendar programs accept.

Times are written in UTC (the "Z" form), which every calendar program converts to its
user's zone, so no VTIMEZONE is needed. Each session keeps its UID across versions, and
its SEQUENCE is the session's revision, raised by every change to it or its agenda.
"""

from urllib.parse import urlparse

from django.conf import settings
from icalendar import Calendar, Event

from .programme import parse, present


def session_uid(session_id):
    host = urlparse(settings.SITE_URL).hostname or "apopms"
    return f"agenda-session-{session_id}@{host}"


def programme_calendar(project, version, *, url, with_join_links=False):
    """The bytes of a VCALENDAR with one VEVENT per session of the published `version`."""
    snapshot = version.snapshot
    shown = present(snapshot, project=project, show_join=with_join_links)
    by_id = {s["id"]: s for day in shown["days"] for s in day["sessions"]}
    cal = Calendar()
    cal.add("prodid", "-//Asian Productivity Organization//apopms programme//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{project.title} ({project.code})")
    for session in snapshot["sessions"]:
        view = by_id[session["id"]]
        event = Event()
        event.add("uid", session_uid(session["id"]))
        event.add("dtstamp", version.published_at)
        event.add("last-modified", version.published_at)
        event.add("dtstart", parse(session["start_at"]))
        event.add("dtend", parse(session["end_at"]))
        event.add("sequence", session.get("revision", 0))
        event.add("summary", f"{session['title']} · {project.title}")
        lines = [f"{project.title} ({project.code}), version {version.number} of the programme.", ""]
        for item in view["items"]:
            speakers = ", ".join(p["name"] for p in item["speakers"])
            lines.append(
                f"{item['when']['time']} {item['when']['zone_label']}: {item['title']}"
                + (f" ({speakers})" if speakers else "")
            )
        if view["join_url"]:
            lines += ["", f"Join: {view['join_url']}"]
        where = ", ".join(part for part in (view.get("room"), project.venue if project.has_rooms else "") if part)
        if where or view["join_url"]:
            event.add("location", where or view["join_url"])
        lines += ["", url]
        event.add("description", "\n".join(lines))
        event.add("url", url)
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
