import datetime
import zoneinfo

import pytest
from django.db import IntegrityError, transaction

from sessions.models import AgendaItem, ResourcePerson
from tests import factories

pytestmark = pytest.mark.django_db


def test_session_ending_before_it_starts_is_refused_by_the_database(project):
    start = datetime.datetime(2022, 8, 24, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Colombo"))
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.SessionFactory(project=project, start_at=start, end_at=start)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.SessionFactory(project=project, start_at=start, end_at=start - datetime.timedelta(minutes=1))


def test_agenda_item_ending_before_it_starts_is_refused_by_the_database(project):
    session = factories.SessionFactory(project=project)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(
            session=session, position=1, title="Opening", start_at=session.start_at, end_at=session.start_at
        )


def test_two_agenda_items_cannot_share_a_position(project):
    session = factories.SessionFactory(project=project)
    end = session.start_at + datetime.timedelta(minutes=10)
    AgendaItem.objects.create(session=session, position=1, title="A", start_at=session.start_at, end_at=end)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(session=session, position=1, title="B", start_at=session.start_at, end_at=end)


def test_only_a_local_resource_person_can_have_an_honorarium_in_the_database(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        ResourcePerson.objects.create(project=project, name="A", category="overseas", local_honorarium=True)
    ResourcePerson.objects.create(project=project, name="B", category="local", local_honorarium=True)


def test_resource_person_names_are_unique_per_project_whatever_the_case(project):
    ResourcePerson.objects.create(project=project, name="Dr. Ananya Krishnan")
    with pytest.raises(IntegrityError), transaction.atomic():
        ResourcePerson.objects.create(project=project, name="dr. ananya krishnan")


def test_day_number_counts_in_the_projects_zone_not_utc():
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    project = factories.ProjectFactory(
        time_zone="Asia/Tokyo", start_date=datetime.date(2030, 3, 5), end_date=datetime.date(2030, 3, 7)
    )
    start = datetime.datetime(2030, 3, 5, 8, 0, tzinfo=tokyo)  # 23:00 UTC on 4 March
    session = factories.SessionFactory(project=project, start_at=start, end_at=start + datetime.timedelta(hours=3))
    assert start.astimezone(datetime.UTC).date() == datetime.date(2030, 3, 4)
    assert session.day_number == 1
    third = datetime.datetime(2030, 3, 7, 8, 0, tzinfo=tokyo)
    later = factories.SessionFactory(project=project, start_at=third, end_at=third + datetime.timedelta(hours=1))
    assert later.day_number == 3
