"""The one sentence that states a project's nomination deadline, on every page and e-mail.

"Nominations close at the end of 3 August 2022, Colombo time": the closing date in the
project's zone, named by its city. The deadline is normally the end of the closing date (the
instant the next day begins there); a deadline set to another instant reads "at 17:00 on
3 August 2022". Once the deadline has passed the sentence is in the past tense, and once the
Secretariat has closed nominations by hand it says so, with the day they did, so a page never
says "close at the end of ..." beside a closed badge.
"""

import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format

from .timezones import _zone, zone_city


def _moment(project, zone=None):
    """'the end of 3 August 2022' or '17:00 on 3 August 2022', in the project's zone (or `zone`)."""
    local = project.nomination_deadline.astimezone(zone or project.zone)
    if local.time() == datetime.time.min:
        return f"the end of {date_format(local.date() - datetime.timedelta(days=1), 'j F Y')}"
    return f"{date_format(local, 'H:i')} on {date_format(local, 'j F Y')}"


def deadline_in_zone(project, zone):
    """The same instant in someone's own zone: 'the end of 3 August 2022, Kolkata time'."""
    zone = _zone(zone)
    return f"{_moment(project, zone)}, {zone_city(zone)} time"


def deadline_sentence(project, now=None):
    """The deadline of `project` as one sentence (without the full stop), as of `now`."""
    now = now or timezone.now()
    city = zone_city(project.zone)
    moment = _moment(project)
    if not project.nominations_open and not project.deadline_passed(now):
        closed_at = project.nominations_closed_at
        if closed_at is None:
            return f"Nominations were closed by the APO Secretariat before the deadline ({moment}, {city} time)"
        day = date_format(closed_at.astimezone(project.zone), "j F Y")
        return f"Nominations were closed on {day}, {city} time, before the deadline ({moment})"
    if project.deadline_passed(now):
        return f"Nominations closed at {moment}, {city} time"
    return f"Nominations close at {moment}, {city} time"
