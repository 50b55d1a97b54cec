"""The preview of an attendance report (reads): who the report's rows are, and what confirming
would store for each participant of the project. Nothing here writes.

Matching: e-mail first, then a unique normalized name, then the project's remembered mappings
(`ReportMapping`); what is left is for a person to resolve.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from nominations.models import Participant

from .. import zoom
from ..enums import AttendanceSource, ImportStatus
from ..intervals import intervals_json, merge_intervals, minutes, session_required_seconds, span, total_seconds
from ..models import Attendance, AttendanceImport, ReportMapping, Session
from .programme import live_certificate_holders

# A report's own meeting start further than this from the session's start gets a warning.
MEETING_START_TOLERANCE = 15 * 60


def live_import(session):
    """The session's confirmed import (the report its attendance comes from), or None."""
    return AttendanceImport.objects.filter(session=session, status=ImportStatus.CONFIRMED).first()


def row_key(row):
    email = zoom.normalize_email(row.email)
    return f"email:{email}" if email else f"name:{zoom.normalize_name(row.name)}"


# What matching and the preview read of a participant: a 2,000-person project loads in one light query.
MATCH_FIELDS = (
    "project_id",
    "status",
    "certificate_name",
    "native_name",
    "country_id",
    "user__email",
    "user__full_name",
    "nomination__email",
    "country__name",
)


class Matcher:
    """E-mail first, then a unique normalized name (display name and the name in brackets), then
    the project's remembered mappings; what is left is for a person to resolve."""

    def __init__(self, project, participants=None):
        self.participants = {
            p.pk: p
            for p in (
                participants
                if participants is not None
                else Participant.objects.active()
                .filter(project=project)
                .select_related("user", "nomination", "country")
                .only(*MATCH_FIELDS)
            )
        }
        self.by_email = {}
        by_name = {}
        for p in self.participants.values():
            for email in (p.user.email, p.nomination.email):
                if email:
                    self.by_email.setdefault(zoom.normalize_email(email), p.pk)
            for name in {p.certificate_name, p.user.full_name, p.native_name}:
                if name:
                    by_name.setdefault(zoom.normalize_name(name), set()).add(p.pk)
        self.by_name = {name: next(iter(pks)) for name, pks in by_name.items() if len(pks) == 1}
        self.mappings = {m.key: m for m in ReportMapping.objects.filter(project=project)}

    def match(self, row):
        """-> (participant_pk or None, how): how is email, name, mapping, ignored or unmatched."""
        email = zoom.normalize_email(row.email)
        if email and email in self.by_email:
            return self.by_email[email], "email"
        for name in (*zoom.name_variants(row.name), *row.alt_names):
            pk = self.by_name.get(zoom.normalize_name(name))
            if pk is not None:
                return pk, "name"
        mapping = self.mappings.get(row_key(row))
        if mapping is not None:
            if mapping.ignored:
                return None, "ignored"
            if mapping.participant_id in self.participants:
                return mapping.participant_id, "mapping"
        return None, "unmatched"


@dataclass
class PreviewLine:
    participant: Participant
    intervals: list
    seconds: int
    present: bool
    how: str
    rows: int
    current: Attendance | None
    outcome: str = ""

    @property
    def minutes(self):
        return minutes(self.seconds)

    @property
    def current_minutes(self):
        return minutes(self.current.seconds) if self.current else 0


@dataclass
class UnmatchedGroup:
    key: str
    label: str
    emails: list
    rows: int
    seconds: int
    ignored: bool = False

    @property
    def minutes(self):
        return minutes(self.seconds)


@dataclass
class OutsideRow:
    """A report row with no time within the session (another day, or read in the wrong zone)."""

    line: int
    name: str
    join: datetime.datetime
    leave: datetime.datetime


@dataclass
class Preview:
    attendance_import: AttendanceImport
    session: Session
    required: int
    lines: list
    unmatched: list
    ignored: list
    rows_in_session: int
    outside: list = field(default_factory=list)
    waiting_room_rows: int = 0
    meeting_start: datetime.datetime | None = None

    @property
    def present_count(self):
        return sum(1 for line in self.lines if line.present)

    @property
    def changes(self):
        return sum(1 for line in self.lines if line.outcome in {"new", "changed"})

    @property
    def kept_manual(self):
        return [line for line in self.lines if line.outcome == "kept"]

    @property
    def matched(self):
        """Participants the report names (by e-mail, name or a mapping)."""
        return [line for line in self.lines if line.rows]

    @property
    def matched_outside(self):
        """Participants the report names whose connections all fall outside the session."""
        return [line for line in self.matched if not line.intervals]

    @property
    def to_absent(self):
        """Participants now present at the session whom confirming records absent."""
        return [line for line in self.lines if line.outcome == "changed" and line.current.present and not line.present]

    @property
    def confirmable(self):
        return self.rows_in_session > 0

    @property
    def needs_acknowledgement(self):
        """Most participants the report names (or all, when it names none) have no time within the
        session: likely another session's report, or one read in the wrong zone."""
        matched, outside = len(self.matched), len(self.matched_outside)
        return self.confirmable and (matched == 0 or 2 * outside > matched)

    @property
    def acknowledgement(self):
        absent = len(self.to_absent)
        return (
            f"{absent} participant{'s' if absent != 1 else ''} now present will be marked absent: "
            f"{len(self.matched_outside)} of the {len(self.matched)} participants found in this report have no "
            f"connection within the session's time."
        )

    @property
    def meeting_start_offset(self):
        """Seconds from the session's start to the report's own meeting start, or None without one."""
        if self.meeting_start is None:
            return None
        return int((self.meeting_start - self.session.start_at).total_seconds())

    @property
    def meeting_start_warning(self):
        offset = self.meeting_start_offset
        if offset is None or abs(offset) < MEETING_START_TOLERANCE:
            return ""
        zone = self.attendance_import.time_zone
        project_zone = self.session.project.zone
        local = self.meeting_start.astimezone(zoneinfo.ZoneInfo(zone))
        session_local = self.session.start_at.astimezone(project_zone)
        side = "after" if offset > 0 else "before"
        return (
            f"The report's meeting started at {local:%H:%M} on {local:%d %b %Y} in {zone}, "
            f"{span(abs(offset))} {side} the session's start ({session_local:%H:%M} on {session_local:%d %b %Y} "
            f"in {project_zone.key}): check the zone chosen for the report's times, and that this is the "
            "report of this session."
        )


def _aware(naive, zone):
    return naive.replace(tzinfo=zone)


def build_preview(attendance_import, *, participants=None, existing=None):
    """What confirming would store, per participant; nothing is written. Three or four queries."""
    imp = attendance_import
    session = imp.session
    project = session.project
    zone = zoneinfo.ZoneInfo(imp.time_zone)
    matcher = Matcher(project, participants)
    if existing is None:
        existing = {a.participant_id: a for a in Attendance.objects.filter(session=session)}
    connections, groups = {}, {}
    rows_in_session = waiting_room_rows = 0
    outside = []
    for data in imp.rows:
        row = zoom.Row.from_json(data)
        if row.waiting_room:  # admitted later or never: waiting is not attendance
            waiting_room_rows += 1
            continue
        join, leave = _aware(row.join, zone), _aware(row.leave, zone)
        if leave > session.start_at and join < session.end_at:
            rows_in_session += 1
        else:
            outside.append(OutsideRow(row.line, row.name, join, leave))
        pk, how = matcher.match(row)
        if pk is not None:
            entry = connections.setdefault(pk, {"intervals": [], "how": how, "rows": 0})
            entry["intervals"].append((join, leave))
            entry["rows"] += 1
            if how == "email":
                entry["how"] = "email"
            continue
        key = row_key(row)
        group = groups.setdefault(key, {"label": row.name, "emails": set(), "intervals": [], "rows": 0, "how": how})
        if row.email:
            group["emails"].add(row.email.strip())
        group["intervals"].append((join, leave))
        group["rows"] += 1
    required = session_required_seconds(session)
    lines = []
    for pk, p in matcher.participants.items():
        entry = connections.get(pk, {"intervals": [], "how": "absent", "rows": 0})
        merged = merge_intervals(entry["intervals"], session.start_at, session.end_at)
        seconds = total_seconds(merged)
        line = PreviewLine(p, merged, seconds, seconds >= required, entry["how"], entry["rows"], existing.get(pk))
        cur = line.current
        if cur is None:
            line.outcome = "new"
        elif cur.source == AttendanceSource.MANUAL:
            line.outcome = "kept"
        elif cur.present == line.present and cur.seconds == seconds and cur.intervals == intervals_json(merged):
            line.outcome = "unchanged"
        else:
            line.outcome = "changed"
        lines.append(line)
    lines.sort(key=lambda line: (line.participant.country.name, line.participant.certificate_name, line.participant.pk))
    unmatched, ignored = [], []
    for key, g in sorted(groups.items(), key=lambda item: item[1]["label"].casefold()):
        group = UnmatchedGroup(
            key=key,
            label=g["label"],
            emails=sorted(g["emails"]),
            rows=g["rows"],
            seconds=total_seconds(merge_intervals(g["intervals"], session.start_at, session.end_at)),
            ignored=g["how"] == "ignored",
        )
        (ignored if group.ignored else unmatched).append(group)
    start = zoom.meeting_start(imp.meta)
    return Preview(
        imp,
        session,
        required,
        lines,
        unmatched,
        ignored,
        rows_in_session,
        outside=outside,
        waiting_room_rows=waiting_room_rows,
        meeting_start=_aware(start, zone) if start else None,
    )


def certificate_losses(preview):
    """Participants holding a live certificate who are present at the session now and whom
    confirming the preview records absent: they would no longer qualify for it."""
    at_risk = {line.participant.pk: line.participant for line in preview.to_absent}
    if not at_risk:
        return []
    holders = live_certificate_holders(preview.session.project, at_risk)
    return [at_risk[pk] for pk in at_risk if pk in holders]
