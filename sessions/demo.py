"""Demo data of the programme: the seed workshop's three days, speakers, published as version 1.

Runs after the nominations demo (which publishes the selection), so the programme is announced
with the participants. Idempotent: a second run changes nothing.
"""

import datetime
import zoneinfo

from django.db import transaction

from apopms.demo import DEMO_PASSWORD, SEED_CODE
from apopms.enums import Category, Role
from apopms.models import Membership, Project, User

from . import services
from .models import ProgrammeVersion, ResourcePerson, Session

COLOMBO = zoneinfo.ZoneInfo("Asia/Colombo")
IMPLEMENTER_EMAIL = "implementer.lk@apo.demo"

SPEAKERS = [
    # name, title, organization, country, category, honorarium, biography
    (
        "Dr. Ananya Krishnan",
        "Senior Fellow",
        "Centre for Public Sector Performance",
        "Singapore",
        Category.OVERSEAS,
        False,
        "Advises governments in Asia on performance frameworks and outcome budgeting; twenty years in civil "
        "service reform.",
    ),
    (
        "Prof. Park Jae-won",
        "Professor of Public Administration",
        "Graduate School of Public Policy",
        "Republic of Korea",
        Category.OVERSEAS,
        False,
        "Researches productivity measurement in public organizations and the Korean government performance "
        "evaluation system.",
    ),
    (
        "Dr. Maria Lopez-Reyes",
        "Director, Digital Government Unit",
        "Development Academy of the Philippines",
        "Philippines",
        Category.OVERSEAS,
        False,
        "Led digital transformation programmes linking e-services to agency performance scorecards.",
    ),
    (
        "Takeshi Morita",
        "Program Officer, Industry Department",
        "APO Secretariat",
        "Japan",
        Category.OVERSEAS,
        False,
        "Coordinates the APO's public-sector productivity projects.",
    ),
    (
        "Dr. Chaminda Wijesinghe",
        "Director General",
        "National Productivity Secretariat",
        "Sri Lanka",
        Category.LOCAL,
        False,
        "Heads Sri Lanka's National Productivity Secretariat, the implementing organization.",
    ),
    (
        "Prof. Dilani Perera",
        "Senior Lecturer in Public Management",
        "Postgraduate Institute of Management, University of Sri Jayewardenepura",
        "Sri Lanka",
        Category.LOCAL,
        True,
        "Teaches performance management and has evaluated public-sector reforms during the pandemic.",
    ),
    (
        "Ruwan Fernando",
        "Additional Secretary",
        "Ministry of Public Administration",
        "Sri Lanka",
        Category.LOCAL,
        True,
        "Responsible for the results-based monitoring of ministries and departments.",
    ),
    (
        "Nirmala Senanayake",
        "Deputy Director",
        "National Productivity Secretariat",
        "Sri Lanka",
        Category.LOCAL,
        False,
        "Organizes the productivity award scheme for public institutions; hosts the virtual site visit.",
    ),
]

# day -> (session title, [(start, end, kind, title, topics, speakers)])
PROGRAMME = {
    datetime.date(2022, 8, 24): (
        "Day 1: Performance management systems and digital transformation",
        [
            ("10:00", "10:20", "opening", "Opening session", "", ["Dr. Chaminda Wijesinghe", "Takeshi Morita"]),
            (
                "10:20",
                "10:30",
                "presentation",
                "Workshop overview and introduction of participants",
                "",
                ["Takeshi Morita"],
            ),
            (
                "10:30",
                "11:15",
                "presentation",
                "Definition and evolution of performance management systems in the public sector",
                "From measuring outputs to managing outcomes\nScorecards, performance agreements and OKRs in government",
                ["Dr. Ananya Krishnan"],
            ),
            ("11:15", "11:25", "break", "Break", "", []),
            (
                "11:25",
                "12:10",
                "presentation",
                "Linking digital transformation and performance management systems in the public sector",
                "Data from digital services as performance evidence\nDashboards and real-time monitoring",
                ["Dr. Maria Lopez-Reyes"],
            ),
            (
                "12:10",
                "13:00",
                "group_discussion",
                "Group discussion: performance management in our organizations",
                "",
                ["Dr. Ananya Krishnan", "Dr. Maria Lopez-Reyes"],
            ),
        ],
    ),
    datetime.date(2022, 8, 25): (
        "Day 2: Productivity and the pandemic",
        [
            (
                "10:00",
                "10:45",
                "presentation",
                "Performance management systems and productivity in the public sector",
                "Measuring public-sector productivity\nLinking individual, unit and agency performance",
                ["Prof. Park Jae-won"],
            ),
            (
                "10:45",
                "11:30",
                "presentation",
                "Challenges in performance management systems during and after the pandemic",
                "Remote and hybrid work\nMeasuring behaviour, motivation and processes in a changing environment",
                ["Prof. Dilani Perera"],
            ),
            ("11:30", "11:40", "break", "Break", "", []),
            (
                "11:40",
                "12:30",
                "site_visit",
                "Virtual site visit: a Divisional Secretariat's performance dashboard (arranged by the host)",
                "",
                ["Nirmala Senanayake", "Ruwan Fernando"],
            ),
            (
                "12:30",
                "13:00",
                "group_discussion",
                "Group discussion: lessons from the site visit",
                "",
                ["Prof. Park Jae-won", "Prof. Dilani Perera"],
            ),
        ],
    ),
    datetime.date(2022, 8, 26): (
        "Day 3: Strategic plans for adoption",
        [
            (
                "10:00",
                "10:40",
                "presentation",
                "Formulating strategic plans for advancing the adoption of performance management systems",
                "Readiness assessment\nRoadmaps, pilots and scaling up",
                ["Ruwan Fernando", "Dr. Ananya Krishnan"],
            ),
            (
                "10:40",
                "12:10",
                "planning_workshop",
                "Strategic planning workshop: action plans by country group",
                "",
                ["Dr. Ananya Krishnan", "Prof. Park Jae-won"],
            ),
            ("12:10", "12:40", "group_discussion", "Presentation of the groups' action plans", "", []),
            ("12:40", "13:00", "closing", "Closing session", "", ["Dr. Chaminda Wijesinghe", "Takeshi Morita"]),
        ],
    ),
}

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
    for name, title, org, country, category, honorarium, bio in SPEAKERS:
        if name not in people:
            people[name] = services.create_resource_person(
                project=project,
                actor=implementer,
                name=name,
                title=title,
                organization=org,
                country=country,
                category=category,
                local_honorarium=honorarium,
                biography=bio,
            )
    if not Session.objects.filter(project=project).exists():
        for number, (day, (title, items)) in enumerate(sorted(PROGRAMME.items()), start=1):
            session = services.create_session(
                project=project,
                actor=implementer,
                title=title,
                start_at=_at(day, "10:00"),
                end_at=_at(day, "13:00"),
                join_url=f"https://zoom.example/j/2245300{number}",
            )
            for start, end, kind, item_title, topics, speakers in items:
                services.create_agenda_item(
                    session=session,
                    actor=implementer,
                    kind=kind,
                    title=item_title,
                    topics=topics,
                    start_at=_at(day, start),
                    end_at=_at(day, end),
                    speakers=[people[n] for n in speakers],
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
    from .demo_attendance import load_attendance  # attendance of the seed workshop (issue 7)

    load_attendance(stdout)
