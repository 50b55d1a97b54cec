"""The programme as plain data: snapshots, what changed between two, and how to show one.

A snapshot is JSON (datetimes as ISO 8601 UTC strings) made by `selectors.programme_snapshot`
and frozen in a `ProgrammeVersion`. Everything people see (the page, the iCalendar feed, the
PDF, the e-mails) is made from a snapshot by the pure functions here, so a published version
shows exactly what was published.
"""

import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format

from apopms.timezones import _zone, zone_label


def iso(value):
    return value.astimezone(datetime.UTC).isoformat()


def parse(value):
    return datetime.datetime.fromisoformat(value)


def time_range(start, end, zone):
    """'Wed 24 Aug 2022, 10:00–13:00 Colombo (UTC+05:30)' (the end's date too when it differs)."""
    zone = _zone(zone)
    a, b = start.astimezone(zone), end.astimezone(zone)
    end_text = date_format(b, "H:i") if a.date() == b.date() else date_format(b, "D j M, H:i")
    return f"{date_format(a, 'D j M Y, H:i')}–{end_text} {zone_label(zone, start)}"


# ---------------------------------------------------------------- what changed


def _by_id(rows):
    return {row["id"]: row for row in rows}


def diff_snapshots(old, new, zone):
    """Readable lines saying what changed from snapshot `old` to `new` (times shown in `zone`)."""
    if old is None:
        return []
    lines = []
    old_sessions, new_sessions = _by_id(old["sessions"]), _by_id(new["sessions"])
    old_speakers, new_speakers = _by_id(old["speakers"]), _by_id(new["speakers"])

    for sid, s in new_sessions.items():
        if sid not in old_sessions:
            lines.append(f"New session “{s['title']}”: {time_range(parse(s['start_at']), parse(s['end_at']), zone)}.")
            continue
        o = old_sessions[sid]
        if o["title"] != s["title"]:
            lines.append(f"Session “{o['title']}” is now called “{s['title']}”.")
        if (o["start_at"], o["end_at"]) != (s["start_at"], s["end_at"]):
            lines.append(
                f"Session “{s['title']}” moved from {time_range(parse(o['start_at']), parse(o['end_at']), zone)} "
                f"to {time_range(parse(s['start_at']), parse(s['end_at']), zone)}."
            )
        if o.get("join_url") != s.get("join_url"):
            lines.append(f"Session “{s['title']}” has a new link to join.")
        if o.get("room", "") != s.get("room", ""):
            lines.append(f"Session “{s['title']}” is now in {s.get('room') or 'a room to be announced'}.")
        lines.extend(_diff_items(o, s, old_speakers, new_speakers, zone))
    for sid, o in old_sessions.items():
        if sid not in new_sessions:
            lines.append(f"Session “{o['title']}” was removed.")

    for pid, p in new_speakers.items():
        if pid not in old_speakers:
            lines.append(f"New resource person: {_speaker_line(p)}.")
        elif _speaker_public(old_speakers[pid]) != _speaker_public(p):
            lines.append(f"Details of {p['name']} were updated.")
    for pid, p in old_speakers.items():
        if pid not in new_speakers:
            lines.append(f"{p['name']} is no longer a resource person.")

    old_people, new_people = old.get("participants"), new.get("participants")
    if old_people != new_people and new_people is not None:
        if old_people is None:
            lines.append(f"The {len(new_people)} selected participants are announced.")
        else:
            lines.append(f"The list of participants changed (now {len(new_people)}).")
    return lines


def _speaker_public(p):
    return {k: p.get(k) for k in ("name", "title", "organization", "country", "category", "biography")}


def _speaker_line(p):
    return ", ".join(part for part in (p["name"], p.get("title"), p.get("organization"), p.get("country")) if part)


def _diff_items(old_session, new_session, old_speakers, new_speakers, zone):
    lines = []
    where = f"“{new_session['title']}”"
    old_items, new_items = _by_id(old_session["items"]), _by_id(new_session["items"])
    # Items that moved along with their session are not news of their own.
    session_shift = parse(new_session["start_at"]) - parse(old_session["start_at"])
    for iid, item in new_items.items():
        if iid not in old_items:
            lines.append(
                f"Added to {where}: “{item['title']}”, {time_range(parse(item['start_at']), parse(item['end_at']), zone)}."
            )
            continue
        o = old_items[iid]
        if o["title"] != item["title"]:
            lines.append(f"In {where}, “{o['title']}” is now called “{item['title']}”.")
        moved_along = all(parse(item[k]) - parse(o[k]) == session_shift for k in ("start_at", "end_at"))
        if (o["start_at"], o["end_at"]) != (item["start_at"], item["end_at"]) and not moved_along:
            lines.append(
                f"In {where}, “{item['title']}” moved to "
                f"{time_range(parse(item['start_at']), parse(item['end_at']), zone)}."
            )
        if o["kind"] != item["kind"]:
            lines.append(f"In {where}, “{item['title']}” is now a {item['kind_label'].lower()}.")
        if (o["topics"], o["description"]) != (item["topics"], item["description"]):
            lines.append(f"In {where}, the topics or description of “{item['title']}” changed.")
        if o["speakers"] != item["speakers"]:
            names = [new_speakers[p]["name"] for p in item["speakers"] if p in new_speakers]
            lines.append(
                f"In {where}, the speakers of “{item['title']}” are now: {', '.join(names) if names else 'none'}."
            )
    for iid, o in old_items.items():
        if iid not in new_items:
            lines.append(f"Removed from {where}: “{o['title']}”.")
    if [i["id"] for i in old_session["items"] if i["id"] in new_items] != [
        i["id"] for i in new_session["items"] if i["id"] in old_items
    ]:
        lines.append(f"The order of the parts of {where} changed.")
    return lines


# ---------------------------------------------------------------- showing it


def _when(start, end, project_zone, viewer_zone):
    """Times of one block in the project's zone and, beside them, in the viewer's."""
    a, b = start.astimezone(project_zone), end.astimezone(project_zone)
    shown = {
        "start": a,
        "end": b,
        "time": f"{a:%H:%M}–{b:%H:%M}",
        "zone_label": zone_label(project_zone, start),
        "viewer": None,
    }
    if viewer_zone is not None:
        va, vb = start.astimezone(viewer_zone), end.astimezone(viewer_zone)
        shift = (va.date() - a.date()).days
        shown["viewer"] = {
            "start": va,
            "end": vb,
            "time": f"{va:%H:%M}–{vb:%H:%M}",
            "date": date_format(va, "D j M"),
            "zone_label": zone_label(viewer_zone, start),
            "other_date": shift != 0,
            "date_note": ("the next day" if shift == 1 else "the day before" if shift == -1 else "another date")
            if shift
            else "",
            "ends_next_day": vb.date() != va.date(),
        }
    return shown


def present(snapshot, *, project, viewer_zone=None, show_join=False, show_participants=False, now=None):
    """The view model of a programme snapshot: days, sessions, agenda items, speakers, participants.

    `viewer_zone` (a ZoneInfo or name) adds the viewer's own times beside the project's when it
    differs from the project's zone. With `show_join`, a session keeps its link to join until it
    has ended (at `now`): nobody is invited to join a session of last year.
    """
    now = now or timezone.now()
    project_zone = project.zone
    viewer = _zone(viewer_zone) if viewer_zone else None
    if viewer is not None and getattr(viewer, "key", None) == project_zone.key:
        viewer = None
    speakers = {p["id"]: p for p in snapshot["speakers"]}
    days = {}
    for s in sorted(snapshot["sessions"], key=lambda s: (s["start_at"], s["id"])):
        start, end = parse(s["start_at"]), parse(s["end_at"])
        local_date = start.astimezone(project_zone).date()
        number = (local_date - project.start_date).days + 1
        day = days.setdefault(
            number,
            {"number": number, "date": local_date, "label": date_format(local_date, "l j F Y"), "sessions": []},
        )
        items = []
        for item in s["items"]:
            items.append(
                {
                    "id": item["id"],
                    "title": item["title"],
                    "kind": item["kind"],
                    "kind_label": item["kind_label"],
                    "topics": item["topics"],
                    "description": item["description"],
                    "speakers": [speakers[p] for p in item["speakers"] if p in speakers],
                    "when": _when(parse(item["start_at"]), parse(item["end_at"]), project_zone, viewer),
                }
            )
        day["sessions"].append(
            {
                "id": s["id"],
                "title": s["title"],
                "when": _when(start, end, project_zone, viewer),
                # A link to join only where the project has links (digital or hybrid), and only until the
                # session ends; a room where it has rooms.
                "join_url": s.get("join_url", "") if show_join and project.has_links and end > now else "",
                "ended": end <= now,
                "room": s.get("room", "") if project.has_rooms else "",
                "items": items,
            }
        )
    people = snapshot.get("participants")
    by_country = {}
    for person in people or []:
        by_country.setdefault(person["country"], []).append(person["name"])
    return {
        "days": [days[n] for n in sorted(days)],
        "speakers": sorted(snapshot["speakers"], key=lambda p: p["name"].casefold()),
        "has_participants": people is not None,
        "participant_count": len(people or []),
        "country_count": len(by_country),
        "participants_by_country": sorted(by_country.items()) if show_participants else [],
        **zone_labels(project, viewer),
    }


def zone_labels(project, viewer_zone=None):
    """The project's zone and the viewer's (None when it is the project's), labelled with their
    offsets as they are during the project (summer time may differ today)."""
    project_zone = project.zone
    viewer = _zone(viewer_zone) if viewer_zone else None
    if viewer is not None and getattr(viewer, "key", None) == project_zone.key:
        viewer = None
    start = datetime.datetime.combine(project.start_date, datetime.time(12), tzinfo=project_zone)
    return {
        "project_zone_label": zone_label(project_zone, start),
        "viewer_zone": viewer,
        "viewer_zone_label": zone_label(viewer, start) if viewer else "",
    }
