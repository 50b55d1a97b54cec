"""The in-person demo project's programme (27-SME-IP-MY): four days in a room in Kuala Lumpur, an
on-site visit on day 3, no links to join; a draft the Secretariat has not announced yet.
Idempotent: made once, through the services."""

import datetime

from apopms.demo import SME_CODE
from apopms.models import Project, User

from .. import services
from ..models import Session


def load_in_person(stdout, read_data):
    project = Project.objects.filter(code=SME_CODE).first()
    actor = User.objects.filter(email__iexact="admin@apo.demo").first()
    if project is None or actor is None or Session.objects.filter(project=project).exists():
        return
    zone = project.zone
    for day in read_data("sme_programme.json"):
        date = project.start_date + datetime.timedelta(days=day["day"] - 1)

        def at(hhmm, date=date):
            return datetime.datetime.combine(date, datetime.time.fromisoformat(hhmm), tzinfo=zone)

        session = services.create_session(
            project=project,
            actor=actor,
            title=day["title"],
            start_at=at(day["start"]),
            end_at=at(day["end"]),
            room=day["room"],
        )
        for item in day["items"]:
            services.create_agenda_item(
                session=session,
                actor=actor,
                kind=item["kind"],
                title=item["title"],
                topics="",
                start_at=at(item["start"]),
                end_at=at(item["end"]),
                speakers=[],
            )
    stdout.write(f"Programme of {project.code}: 4 days in person (draft, rooms and an on-site visit).")
