import datetime

import pytest
from django.utils import timezone

from tests import factories


def finished_project(days_ago=10, sessions=2, **kwargs):
    """A project whose `sessions` daily sessions all ended days ago."""
    start = timezone.localdate() - datetime.timedelta(days=days_ago)
    project = factories.ProjectFactory(
        start_date=start, end_date=start + datetime.timedelta(days=max(sessions - 1, 0)), **kwargs
    )
    for day in range(sessions):
        begin = datetime.datetime.combine(start + datetime.timedelta(days=day), datetime.time(10), tzinfo=project.zone)
        factories.SessionFactory(
            project=project, title=f"Day {day + 1}", start_at=begin, end_at=begin + datetime.timedelta(hours=3)
        )
    return project


def attendee(project, *, miss=(), iso2="IN", **kwargs):
    """A participant present at every session of `project` except those whose index is in `miss`."""
    participant = factories.ParticipantFactory(
        nomination__project=project, nomination__country=factories.country(iso2), **kwargs
    )
    for index, session in enumerate(project.sessions.order_by("start_at")):
        if index in miss:
            continue
        factories.AttendanceFactory(participant=participant, session=session)
    return participant


@pytest.fixture
def done_project(db):
    return finished_project()
