"""Small builders for the programme tests (sessions of a project, published or not)."""

import datetime

from django.utils import timezone

from sessions import services
from tests import factories


def at(project, day, hhmm):
    """An aware datetime: day `day` (1 = start date) at hh:mm in the project's zone."""
    date = project.start_date + datetime.timedelta(days=day - 1)
    return datetime.datetime.combine(date, datetime.time.fromisoformat(hhmm), tzinfo=project.zone)


def build_programme(project, actor, *, days=3, items_per_session=3, speakers=2):
    """A programme of `days` sessions 10:00-13:00 with agenda items and speakers."""
    people = [
        services.create_resource_person(
            project=project, actor=actor, name=f"Speaker {n}", organization="Institute", country="Singapore"
        )
        for n in range(speakers)
    ]
    sessions = []
    for day in range(1, days + 1):
        session = services.create_session(
            project=project,
            actor=actor,
            title=f"Day {day}",
            start_at=at(project, day, "10:00"),
            end_at=at(project, day, "13:00"),
            join_url=f"https://zoom.example/j/{day}",
        )
        minutes = 180 // max(items_per_session, 1)
        for n in range(items_per_session):
            start = at(project, day, "10:00") + datetime.timedelta(minutes=minutes * n)
            services.create_agenda_item(
                session=session,
                actor=actor,
                title=f"Part {n + 1} of day {day}",
                start_at=start,
                end_at=start + datetime.timedelta(minutes=minutes),
                topics="Topic A\nTopic B",
                speakers=people[:1] if people else [],
            )
        sessions.append(session)
    return sessions, people


def publish_selection(project, countries=("IN",)):
    """Participants as the selection's publication leaves them."""
    participants = [
        factories.ParticipantFactory(nomination__project=project, nomination__country=factories.country(iso2))
        for iso2 in countries
    ]
    project.selection_published_at = timezone.now()
    project.save(update_fields=["selection_published_at"])
    return participants
