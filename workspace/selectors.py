"""Reads of the workspace: one project's numbers for its hub and dashboard, and what needs action.

Every count is taken in the database in a fixed number of queries, whatever the project's size
(tests/workspace/test_hub.py pins the hub at two sizes): the numbers of a step are the same the step's own page
shows, through the selectors of the app that owns it where one exists.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from apopms.enums import OutboxStatus
from apopms.models import OutboxMessage, Project
from certificates import selectors as certificate_selectors
from nominations.enums import Decision, Gender, NominationStatus, OrganizationType, ParticipantStatus
from nominations.models import Nomination, Participant
from sessions.models import ProgrammeVersion, Session


@dataclass
class SessionAttendance:
    title: str
    start_at: datetime.datetime
    end_at: datetime.datetime
    present: int
    absent: int
    not_recorded: int


@dataclass
class Dashboard:
    """The numbers of one project, for its hub and dashboard."""

    project: Project
    countries: list = field(default_factory=list)  # [(country name, submitted, selected overseas, cap)]
    nominations: dict = field(default_factory=dict)  # {"draft": n, "submitted": n, "withdrawn": n}
    seats: dict = field(default_factory=dict)  # {(category, decision): n} of submitted nominations
    participants: dict = field(default_factory=dict)  # {category: active participants}
    gender: list = field(default_factory=list)  # [(label, submitted nominations)]
    organization_types: list = field(default_factory=list)  # [(label, submitted nominations)]
    sessions: list = field(default_factory=list)  # [SessionAttendance]
    active_participants: int = 0
    seats_confirmed: int = 0  # active participants who confirmed their seat
    revisions: int = 0
    programme_versions: int = 0
    certificates: dict = field(default_factory=dict)  # eligible, issued, revoked, failed, to_revoke
    emails: dict = field(default_factory=dict)  # {OutboxStatus: messages of the project}

    @property
    def selected(self):
        return sum(n for (_, decision), n in self.seats.items() if decision == Decision.SELECTED)

    @property
    def reserve(self):
        return sum(n for (_, decision), n in self.seats.items() if decision == Decision.RESERVE)

    @property
    def undecided(self):
        return self.nominations.get(NominationStatus.SUBMITTED, 0) - sum(self.seats.values())

    @property
    def attendance_recorded(self):
        return sum(s.present + s.absent for s in self.sessions)

    @property
    def attendance_expected(self):
        return len(self.sessions) * self.active_participants

    def sessions_started(self, now=None):
        now = now or timezone.now()
        return [s for s in self.sessions if s.start_at <= now]

    def programme_over(self, now=None):
        """The last session has ended (sessions.selectors.programme_over, from the rows already read)."""
        now = now or timezone.now()
        return bool(self.sessions) and max(s.end_at for s in self.sessions) <= now


def project_dashboard(project):
    """The numbers of `project` (12 queries whatever its size)."""
    board = Dashboard(project=project)
    rows = list(
        Nomination.objects.filter(project=project)
        .order_by()
        .values("country_id", "category", "status", "decision", "gender", "organization_type", "participant__status")
        .annotate(n=Count("pk"))
    )
    countries = list(project.nominating_countries().order_by("name"))
    submitted_by_country, selected_by_country = Counter(), Counter()
    status_counts, seats, gender, org_types = Counter(), Counter(), Counter(), Counter()
    for row in rows:
        n = row["n"]
        status_counts[row["status"]] += n
        if row["status"] != NominationStatus.SUBMITTED:
            continue
        submitted_by_country[row["country_id"]] += n
        gender[row["gender"]] += n
        org_types[row["organization_type"]] += n
        withdrawn = row["participant__status"] == ParticipantStatus.WITHDRAWN
        if row["decision"] and not (withdrawn and row["decision"] == Decision.SELECTED):
            seats[(row["category"], row["decision"])] += n
        if row["decision"] == Decision.SELECTED and not withdrawn:
            selected_by_country[row["country_id"]] += n
    cap = project.per_country_cap
    board.countries = [
        (
            c.name,
            submitted_by_country[c.pk],
            selected_by_country[c.pk],
            cap if project.cap_counts_country(c.pk) else None,
        )
        for c in countries
    ]
    board.nominations = {status: status_counts[status] for status in NominationStatus.values}
    board.seats = dict(seats)
    board.gender = [(label, gender[value]) for value, label in Gender.choices]
    board.organization_types = [(label, org_types[value]) for value, label in OrganizationType.choices]
    participant_rows = list(
        Participant.objects.filter(project=project, status=ParticipantStatus.ACTIVE)
        .order_by()
        .values("category")
        .annotate(n=Count("pk"), confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)))
    )
    board.participants = {row["category"]: row["n"] for row in participant_rows}
    board.active_participants = sum(board.participants.values())
    board.seats_confirmed = sum(row["confirmed"] for row in participant_rows)
    active = Q(attendances__participant__status=ParticipantStatus.ACTIVE)
    board.sessions = [
        SessionAttendance(
            title=s.title,
            start_at=s.start_at,
            end_at=s.end_at,
            present=s.present,
            absent=s.absent,
            not_recorded=max(board.active_participants - s.present - s.absent, 0),
        )
        for s in Session.objects.filter(project=project)
        .annotate(
            present=Count("attendances", filter=active & Q(attendances__present=True)),
            absent=Count("attendances", filter=active & Q(attendances__present=False)),
        )
        .order_by("start_at", "pk")
    ]
    board.revisions = project.revisions.count()
    board.programme_versions = ProgrammeVersion.objects.filter(project=project).count()
    counts = certificate_selectors.project_counts(project)  # 4 queries
    counts["to_revoke"] = certificate_selectors.to_revoke(project).count()
    board.certificates = counts
    emails = Counter(
        dict(OutboxMessage.objects.for_project(project).order_by().values_list("status").annotate(n=Count("pk")))
    )
    board.emails = {status: emails[status] for status in OutboxStatus.values}
    return board
