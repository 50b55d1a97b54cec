"""Demo data of the programme: the seed workshop's three days, speakers, published as version 1,
then its attendance (`attendance`). The tables are in `data/` beside this loader.

Runs after the nominations demo (which publishes the selection), so the programme is announced
with the participants. Idempotent: a second run changes nothing.
"""

import datetime
import json
import zoneinfo
from pathlib import Path

from django.db import transaction

from apopms.demo import DEMO_PASSWORD, SEED_CODE
from apopms.enums import Role
from apopms.models import Membership, Project, User

from .. import services
from ..models import ProgrammeVersion, ResourcePerson, Session
from .attendance import load_attendance
from .in_person import load_in_person

DATA = Path(__file__).resolve().parent / "data"
COLOMBO = zoneinfo.ZoneInfo("Asia/Colombo")
IMPLEMENTER_EMAIL = "implementer.lk@apo.demo"


def read_data(name):
    """One of the demo's data tables (JSON) in `data/`."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


# Two weeks before the start, as the notification promised.
ANNOUNCED_AT = datetime.datetime(2022, 8, 9, 15, 0, tzinfo=COLOMBO)


def _at(day, hhmm):
    return datetime.datetime.combine(day, datetime.time.fromisoformat(hhmm), tzinfo=COLOMBO)


def _implementer(project):
    # The core's demo makes this account; made here too if it did not.
    user = User.objects.filter(email__iexact=IMPLEMENTER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(IMPLEMENTER_EMAIL, DEMO_PASSWORD, full_name="Sanjeewa Bandara")
    Membership.objects.get_or_create(
        user=user, role=Role.IMPLEMENTER, project=project, defaults={"country": project.host_country}
    )
    return user


@transaction.atomic
def load(stdout):
    load_in_person(stdout, read_data)
    _load_seed_programme(stdout)


def _load_seed_programme(stdout):
    project = Project.objects.filter(code=SEED_CODE).first()
    if project is None:
        return
    implementer = _implementer(project)
    actor = User.objects.filter(email__iexact="admin@apo.demo").first() or implementer
    latest = ProgrammeVersion.objects.filter(project=project).order_by("-number").first()
    if latest is not None:
        if not latest.with_participants and project.selection_published_at is not None:
            # An earlier run announced the programme before the selection was published.
            version, _ = services.publish_programme_update(
                project=project, actor=actor, change_note="The selected participants are announced.", notify=False
            )
            stdout.write(f"Programme of {project.code}: version {version.number} announces the participants.")
        else:
            stdout.write(f"Programme of {project.code}: already published (version {latest.number}).")
        return
    people = {p.name: p for p in ResourcePerson.objects.filter(project=project)}
    for speaker in read_data("speakers.json"):
        if speaker["name"] not in people:
            people[speaker["name"]] = services.create_resource_person(project=project, actor=implementer, **speaker)
    if not Session.objects.filter(project=project).exists():
        for number, day in enumerate(read_data("programme.json"), start=1):
            date = datetime.date.fromisoformat(day["day"])
            session = services.create_session(
                project=project,
                actor=implementer,
                title=day["title"],
                start_at=_at(date, day["start"]),
                end_at=_at(date, day["end"]),
                join_url=f"https://zoom.example/j/2245300{number}",
            )
            for item in day["items"]:
                services.create_agenda_item(
                    session=session,
                    actor=implementer,
                    kind=item["kind"],
                    title=item["title"],
                    topics="\n".join(item["topics"]),
                    start_at=_at(date, item["start"]),
                    end_at=_at(date, item["end"]),
                    speakers=[people[n] for n in item["speakers"]],
                )
    project.refresh_from_db()
    alone = project.selection_published_at is None
    version = services.announce_programme(
        project=project,
        actor=actor,
        without_participants=alone,
        notify=False,
        now=ANNOUNCED_AT,
        change_note="The detailed programme and the speakers, with the selected participants.",
    )
    stdout.write(
        f"Programme of {project.code}: 3 days, published as version {version.number}"
        + (" (without participants: the selection was not published)." if alone else " with the participants.")
    )
    load_attendance(stdout)
