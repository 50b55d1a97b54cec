"""A finished workshop with something in every part of the report (the report's tests and its journey)."""

import datetime

from django.utils import timezone

from apopms.models import ProjectRevision
from certificates.models import Certificate
from evaluations.enums import QuestionKind
from nominations.enums import Decision, Gender, NominationStatus, OrganizationType, ParticipantStatus
from sessions.enums import AgendaItemKind
from sessions.models import AgendaItem, ProgrammeVersion, ResourcePerson
from sessions.selectors import programme_snapshot
from tests import factories
from tests.evaluations.helpers import answer, questionnaire

# (name, country, gender, organization type, sessions attended (indexes))
PEOPLE = [
    ("Anjali Sharma", "IN", Gender.FEMALE, OrganizationType.MINISTRY, (0, 1, 2)),
    ("Ravi Kumar", "IN", Gender.MALE, OrganizationType.ACADEMIC, (0, 1, 2)),
    ("Aiko Tanaka", "JP", Gender.FEMALE, OrganizationType.SME, (0, 2)),
    ("Kenji Sato", "JP", Gender.MALE, OrganizationType.MINISTRY, (0, 1, 2)),
    ("Maria Santos", "PH", Gender.FEMALE, OrganizationType.LOCAL_GOVERNMENT, (1,)),
    ("Nimal Perera", "LK", Gender.MALE, OrganizationType.PRODUCTIVITY_ORGANIZATION, (0, 1, 2)),
    ("Chathuri Silva", "LK", Gender.OTHER, OrganizationType.MINISTRY, (0, 1, 2)),
]
WITHDRAWN = ("Hiroshi Ito", "JP", Gender.MALE, OrganizationType.ENTERPRISE)


def build_workshop(*, evaluation=True):
    """The project and {name: participant}; `evaluation`: with a questionnaire and answers."""
    now = timezone.now()
    start = timezone.localdate() - datetime.timedelta(days=12)
    project = factories.ProjectFactory(
        code="25-RPT-01-GE",
        title="Lean Management for the Public Sector",
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
        nomination_deadline=now - datetime.timedelta(days=60),
        overseas_quota=6,
        local_quota=2,
        objectives="To share lean tools.\nTo plan one improvement per agency.",
        selection_published_at=now - datetime.timedelta(days=40),
    )
    ProjectRevision.objects.create(
        project=project,
        number=1,
        changes=[{"clause": "Timing", "text": "Timing changed from 3 to 4 days"}],
        note="The host asked for a site visit.",
    )
    ProjectRevision.objects.create(
        project=project, number=2, changes=[{"clause": "Venue", "text": "Venue changed to Colombo"}]
    )
    speakers = [
        ResourcePerson.objects.create(project=project, name="Dr. Lim Wei", organization="NUS", country="Singapore"),
        ResourcePerson.objects.create(
            project=project, name="Ms. Kumari Jayasena", category="local", local_honorarium=True, country="Sri Lanka"
        ),
        ResourcePerson.objects.create(project=project, name="Mr. Dilan Fernando", category="local"),
    ]
    sessions = []
    for day in range(3):
        begin = datetime.datetime.combine(start + datetime.timedelta(days=day), datetime.time(9), tzinfo=project.zone)
        session = factories.SessionFactory(
            project=project, title=f"Day {day + 1}", start_at=begin, end_at=begin + datetime.timedelta(hours=3)
        )
        for position, (kind, title) in enumerate(
            [(AgendaItemKind.PRESENTATION, f"Lean tools, part {day + 1}"), (AgendaItemKind.GROUP_DISCUSSION, "Cases")],
            start=1,
        ):
            item = AgendaItem.objects.create(
                session=session,
                position=position,
                kind=kind,
                title=title,
                start_at=begin + datetime.timedelta(minutes=90 * (position - 1)),
                end_at=begin + datetime.timedelta(minutes=90 * position),
            )
            item.speakers.set(speakers[day : day + 1])
        sessions.append(session)
    for number in (1, 2):
        ProgrammeVersion.objects.create(
            project=project,
            number=number,
            snapshot=programme_snapshot(project),
            changes=[{"text": "Day 2 moved"}] * (number - 1),
            change_note="" if number == 1 else "Day 2 starts later.",
            with_participants=number == 2,
        )
    people = {}
    for name, iso2, gender, kind, attended in PEOPLE:
        participant = factories.ParticipantFactory(
            nomination__project=project,
            nomination__country=factories.country(iso2),
            nomination__gender=gender,
            nomination__organization_type=kind,
            nomination__certificate_name=name,
        )
        for index, session in enumerate(sessions):
            if index in attended:
                factories.AttendanceFactory(participant=participant, session=session, present=True)
            elif index == 0 or iso2 == "PH":
                factories.AttendanceFactory(participant=participant, session=session, present=False, seconds=600)
        people[name] = participant
    name, iso2, gender, kind = WITHDRAWN
    gone = factories.ParticipantFactory(
        nomination__project=project,
        nomination__country=factories.country(iso2),
        nomination__gender=gender,
        nomination__organization_type=kind,
        nomination__certificate_name=name,
        status=ParticipantStatus.WITHDRAWN,
    )
    factories.AttendanceFactory(participant=gone, session=sessions[0], present=True)
    people[name] = gone
    for iso2, decision in (("IN", Decision.RESERVE), ("PH", Decision.DECLINED), ("LK", "")):
        factories.NominationFactory(project=project, country=factories.country(iso2), submitted=True, decision=decision)
    factories.NominationFactory(project=project, country=factories.country("JP"), status=NominationStatus.WITHDRAWN)
    factories.NominationFactory(project=project, country=factories.country("IN"))  # a draft
    _certificates(project, people)
    if evaluation:
        _evaluation(project, people)
    return project, people


def _certificate(project, participant, serial, **kwargs):
    return Certificate.objects.create(
        project=project,
        participant=participant,
        serial=serial,
        number=f"{project.code}-{serial:04d}",
        verification_code=f"CODE{serial}",
        snapshot={"certificate_name": participant.certificate_name},
        pdf=f"private/certificates/{project.pk}/{serial}.pdf",
        **kwargs,
    )


def _certificates(project, people):
    holders = ["Anjali Sharma", "Ravi Kumar", "Kenji Sato", "Nimal Perera"]
    for serial, name in enumerate(holders, start=1):
        _certificate(project, people[name], serial)
    revoked = _certificate(
        project,
        people["Chathuri Silva"],
        5,
        revoked_at=timezone.now(),
        revocation_reason="Name misspelt.",
    )
    _certificate(project, people["Chathuri Silva"], 6, replaces=revoked)


def _evaluation(project, people):
    questionnaire(
        project,
        (QuestionKind.RATING, "Overall, how satisfied are you with the workshop?"),
        (QuestionKind.CHOICE, "Which part was most useful?", ["Lectures", "Cases", "Site visit"]),
        (QuestionKind.TEXT, "What will you apply in your organization?"),
    )
    answer(people["Anjali Sharma"], [5, "Cases", "A daily huddle board in my division."])
    answer(people["Ravi Kumar"], [4, "Lectures", "Value stream mapping of our permit process."])
    answer(people["Kenji Sato"], [4, "Cases", None])
    answer(people["Nimal Perera"], [2, "Cases", "More time for the group work, please."])
    answer(people["Aiko Tanaka"], [5, None, None], submitted=False)  # a draft: not counted
