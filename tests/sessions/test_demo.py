import datetime
import io
import zoneinfo

import pytest

from apopms import demo as core_demo
from nominations import demo as nominations_demo
from sessions import demo
from sessions.models import ProgrammeVersion, ResourcePerson, Session

pytestmark = pytest.mark.django_db

COLOMBO = zoneinfo.ZoneInfo("Asia/Colombo")


def _load():
    out = io.StringIO()
    core_demo.load(out)
    nominations_demo.load(out)
    demo.load(out)
    return out.getvalue()


def test_the_seed_programme_has_three_mornings_in_colombo_and_is_published_once():
    _load()
    sessions = list(Session.objects.filter(project__code=core_demo.SEED_CODE).order_by("start_at"))
    assert [(s.start_at.astimezone(COLOMBO), s.end_at.astimezone(COLOMBO)) for s in sessions] == [
        (
            datetime.datetime(2022, 8, day, 10, tzinfo=COLOMBO),
            datetime.datetime(2022, 8, day, 13, tzinfo=COLOMBO),
        )
        for day in (24, 25, 26)
    ]
    assert [s.day_number for s in sessions] == [1, 2, 3]
    kinds = {item.kind for s in sessions for item in s.agenda_items.all()}
    assert {
        "opening",
        "presentation",
        "group_discussion",
        "virtual_site_visit",
        "planning_workshop",
        "closing",
    } <= kinds
    titles = " ".join(item.title for s in sessions for item in s.agenda_items.all())
    for topic in (
        "Definition and evolution of performance management systems",
        "Linking digital transformation",
        "Challenges in performance management systems during and after the pandemic",
        "Formulating strategic plans",
    ):
        assert topic in titles
    people = ResourcePerson.objects.filter(project__code=core_demo.SEED_CODE)
    assert people.filter(category="local").exists() and people.filter(category="overseas").exists()
    assert people.filter(local_honorarium=True).count() == 2
    (version,) = ProgrammeVersion.objects.filter(project__code=core_demo.SEED_CODE)
    assert version.number == 1
    assert version.published_at.astimezone(COLOMBO).date() == datetime.date(2022, 8, 9)

    _load()  # idempotent
    assert Session.objects.filter(project__code=core_demo.SEED_CODE).count() == 3
    assert ProgrammeVersion.objects.filter(project__code=core_demo.SEED_CODE).count() == 1
    assert people.count() == len(demo.read_data("speakers.json"))
