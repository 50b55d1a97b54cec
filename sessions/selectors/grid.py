"""The attendance grid (reads): participants by sessions, with totals, in a fixed number of queries.

Whether a participant attended every session is read from
`participants_attended_every_session` (the one definition, in the database), never re-derived
from the cells, so the grid, its export and the certificates always agree.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from apopms.models import Project
from nominations.enums import ParticipantStatus
from nominations.models import Participant

from ..enums import AttendanceSource
from ..intervals import ceil_minutes, minutes, session_required_seconds
from ..models import Attendance, Session
from .programme import participants_attended_every_session


@dataclass
class Cell:
    participant: Participant
    session: Session
    attendance: Attendance | None
    required: int

    @property
    def recorded(self):
        return self.attendance is not None

    @property
    def present(self):
        return bool(self.attendance and self.attendance.present)

    @property
    def seconds(self):
        return self.attendance.seconds if self.attendance else 0

    @property
    def minutes(self):
        return minutes(self.seconds)

    @property
    def session_minutes(self):
        return minutes(self.session.duration_seconds)

    @property
    def imported(self):
        a = self.attendance
        return bool(a and (a.source == AttendanceSource.REPORT or a.manual_override))

    @property
    def by_hand(self):
        return bool(self.attendance and self.attendance.source == AttendanceSource.MANUAL)

    @property
    def report_minutes(self):
        a = self.attendance
        return minutes(a.report_seconds) if a and a.report_seconds is not None else None

    @property
    def report_present(self):
        a = self.attendance
        return a.report_seconds >= self.required if a and a.report_seconds is not None else None

    @property
    def dom_id(self):
        return f"att-{self.participant.pk}-{self.session.pk}"


@dataclass
class GridRow:
    participant: Participant
    cells: list
    # From `participants_attended_every_session`: the certificates' rule, read from the database.
    attended_every_session: bool = False

    @property
    def present_count(self):
        return sum(1 for c in self.cells if c.present)

    @property
    def minutes_total(self):
        return minutes(sum(c.seconds for c in self.cells))


@dataclass
class SessionTotal:
    session: Session
    present: int
    minutes: int
    required_minutes: int


@dataclass
class Grid:
    project: Project
    sessions: list
    rows: list
    totals: list = field(default_factory=list)

    @property
    def attended_every_session(self):
        return [r.participant for r in self.rows if r.attended_every_session]


def grid_participants(project):
    return (
        Participant.objects.active()
        .filter(project=project)
        .select_related("country", "user", "nomination")
        .order_by("country__name", "certificate_name", "pk")
    )


def attendance_grid(project, participants=None):
    """Participants (rows) by sessions (columns) with totals: four queries for any size
    (sessions, participants, their records, who attended every session); two without sessions."""
    sessions = list(Session.objects.filter(project=project).order_by("start_at", "pk"))
    for s in sessions:
        s.project = project
    participants = list(grid_participants(project) if participants is None else participants)
    ids = [p.pk for p in participants]
    records, eligible = {}, set()
    if ids and sessions:
        for a in Attendance.objects.filter(session__project=project, participant_id__in=ids).select_related(
            "changed_by"
        ):
            records[(a.participant_id, a.session_id)] = a
        eligible = set(
            participants_attended_every_session(project, session_count=len(sessions))
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
    required = {s.pk: session_required_seconds(s) for s in sessions}
    rows = [
        GridRow(p, [Cell(p, s, records.get((p.pk, s.pk)), required[s.pk]) for s in sessions], p.pk in eligible)
        for p in participants
    ]
    totals = []
    for i, s in enumerate(sessions):
        cells = [r.cells[i] for r in rows]
        totals.append(
            SessionTotal(
                session=s,
                present=sum(1 for c in cells if c.present),
                minutes=minutes(sum(c.seconds for c in cells)),
                required_minutes=ceil_minutes(required[s.pk]),
            )
        )
    return Grid(project=project, sessions=sessions, rows=rows, totals=totals)


def session_total(session):
    """One session's column total (present count, minutes) after a change: one aggregate query."""
    agg = Attendance.objects.filter(session=session, participant__status=ParticipantStatus.ACTIVE).aggregate(
        present=Count("pk", filter=Q(present=True)), seconds=Sum("seconds")
    )
    need = session_required_seconds(session)
    return SessionTotal(session, agg["present"], minutes(agg["seconds"] or 0), ceil_minutes(need))


def attendance_cell(participant, session):
    a = Attendance.objects.filter(participant=participant, session=session).select_related("changed_by").first()
    return Cell(participant, session, a, session_required_seconds(session))


def participant_attendance(participant):
    """The cells of one participant, in time order (for "My workshop" and the NPO page)."""
    grid = attendance_grid(participant.project, [participant])
    return grid.rows[0] if grid.rows else GridRow(participant, [])
