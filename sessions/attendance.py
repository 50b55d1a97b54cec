"""Attendance: interval arithmetic, the threshold, the grid, hand marking and report imports (issue 7).

Services here follow the house rules: keyword-only, take `actor`, run in `transaction.atomic()`,
raise `DomainError` with a user-safe message, record an audit entry. The import works in two
steps: `upload_attendance_report` parses the file into an `AttendanceImport` in preview (nothing
about attendance is saved), people map the unmatched rows, and `confirm_attendance_import` saves
everything at once with set-based writes (bulk_create / bulk_update), all or nothing.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from django.db import transaction
from django.utils import timezone

from apopms import audit
from apopms.exceptions import DomainError
from apopms.models import Project
from nominations.models import Participant

from . import zoom
from .enums import AttendanceSource, ImportStatus
from .models import Attendance, AttendanceImport, ReportMapping, Session
from .selectors import live_certificate_holders

ONE_SECOND = datetime.timedelta(seconds=1)
BATCH = 500

# ---------------------------------------------------------------------------------------------
# Intervals and the threshold
# ---------------------------------------------------------------------------------------------


def merge_intervals(intervals, start=None, end=None):
    """Union of [join, leave] intervals, clipped to [start, end]: overlapping, touching and repeated
    connections (drops and rejoins, two devices) count once. Returns sorted, disjoint pairs."""
    clipped = []
    for join, leave in intervals:
        if start is not None and join < start:
            join = start
        if end is not None and leave > end:
            leave = end
        if leave > join:
            clipped.append((join, leave))
    clipped.sort()
    merged = []
    for join, leave in clipped:
        if merged and join <= merged[-1][1]:
            if leave > merged[-1][1]:
                merged[-1] = (merged[-1][0], leave)
        else:
            merged.append((join, leave))
    return merged


def total_seconds(merged):
    """Whole seconds covered by disjoint intervals (a partial second does not count)."""
    return sum((leave - join) // ONE_SECOND for join, leave in merged)


def required_seconds(share, length_seconds):
    """ceil(share x length), exactly, in Decimal: 0.80 of 10,801 s is 8,640.8 s -> 8,641 s."""
    return int((Decimal(str(share)) * Decimal(length_seconds)).to_integral_value(rounding=ROUND_CEILING))


def session_required_seconds(session, share=None):
    share = session.project.min_attendance_share if share is None else share
    return required_seconds(share, session.duration_seconds)


def is_present(seconds, session, share=None):
    return seconds >= session_required_seconds(session, share)


def intervals_json(merged):
    return [
        [join.astimezone(datetime.UTC).isoformat(), leave.astimezone(datetime.UTC).isoformat()]
        for join, leave in merged
    ]


def intervals_from_json(data):
    return [(datetime.datetime.fromisoformat(a), datetime.datetime.fromisoformat(b)) for a, b in data or []]


def minutes(seconds):
    """Minutes for display only: whole minutes, rounded down (never shows more than was attended)."""
    return (seconds or 0) // 60


# ---------------------------------------------------------------------------------------------
# The grid (reads): a constant number of queries whatever the size
# ---------------------------------------------------------------------------------------------


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

    @property
    def present_count(self):
        return sum(1 for c in self.cells if c.present)

    @property
    def minutes_total(self):
        return minutes(sum(c.seconds for c in self.cells))

    @property
    def attended_every_session(self):
        return bool(self.cells) and all(c.present for c in self.cells)


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
    """Participants (rows) by sessions (columns) with totals. Three queries for any size."""
    sessions = list(Session.objects.filter(project=project).order_by("start_at", "pk"))
    for s in sessions:
        s.project = project
    participants = list(grid_participants(project) if participants is None else participants)
    ids = [p.pk for p in participants]
    records = {}
    if ids and sessions:
        for a in Attendance.objects.filter(session__project=project, participant_id__in=ids).select_related(
            "changed_by"
        ):
            records[(a.participant_id, a.session_id)] = a
    required = {s.pk: session_required_seconds(s) for s in sessions}
    rows = [GridRow(p, [Cell(p, s, records.get((p.pk, s.pk)), required[s.pk]) for s in sessions]) for p in participants]
    totals = []
    for i, s in enumerate(sessions):
        cells = [r.cells[i] for r in rows]
        totals.append(
            SessionTotal(
                session=s,
                present=sum(1 for c in cells if c.present),
                minutes=minutes(sum(c.seconds for c in cells)),
                required_minutes=-(-required[s.pk] // 60),
            )
        )
    return Grid(project=project, sessions=sessions, rows=rows, totals=totals)


def session_total(session):
    """One session's column total (present count, minutes) after a change: one aggregate query."""
    from django.db.models import Count, Q, Sum

    agg = Attendance.objects.filter(session=session, participant__status="active").aggregate(
        present=Count("pk", filter=Q(present=True)), seconds=Sum("seconds")
    )
    need = session_required_seconds(session)
    return SessionTotal(session, agg["present"], minutes(agg["seconds"] or 0), -(-need // 60))


def attendance_cell(participant, session):
    a = Attendance.objects.filter(participant=participant, session=session).select_related("changed_by").first()
    return Cell(participant, session, a, session_required_seconds(session))


def participant_attendance(participant):
    """The cells of one participant, in time order (for "My workshop" and the NPO page)."""
    grid = attendance_grid(participant.project, [participant])
    return grid.rows[0] if grid.rows else GridRow(participant, [])


# ---------------------------------------------------------------------------------------------
# Hand-made changes and the project's threshold
# ---------------------------------------------------------------------------------------------


def mark_attendance(*, participant, session, present, actor, reason=""):
    """Mark one participant present or absent at one session by hand.

    Changing a value that came from a report needs a reason; the old value is kept in the
    audit entry (`agenda.attendance.marked`) and the report's seconds stay beside it. No side effects.
    """
    reason = (reason or "").strip()
    if participant.project_id != session.project_id:
        raise DomainError("This participant is not in the session's project.")
    with transaction.atomic():
        existing = Attendance.objects.select_for_update().filter(participant=participant, session=session).first()
        if existing is not None and existing.present == present and existing.source == AttendanceSource.MANUAL:
            return existing
        imported = existing is not None and (existing.source == AttendanceSource.REPORT or existing.manual_override)
        if imported and existing.present != present and not reason:
            raise DomainError(
                "This value came from the imported report: say why you change it.",
                field="reason",
            )
        if participant.status != "active":
            raise DomainError("This participant has withdrawn.")
        now = timezone.now()
        previous = None if existing is None else {"present": existing.present, "source": existing.source}
        if existing is None:
            attendance = Attendance.objects.create(
                participant=participant,
                session=session,
                present=present,
                seconds=0,
                source=AttendanceSource.MANUAL,
                changed_by=actor,
                reason=reason,
                updated_at=now,
            )
        else:
            attendance = existing
            if attendance.source == AttendanceSource.REPORT:
                attendance.manual_override = True
                attendance.report_seconds = attendance.seconds
            attendance.present = present
            attendance.source = AttendanceSource.MANUAL
            attendance.changed_by = actor
            attendance.reason = reason
            attendance.updated_at = now
            attendance.save()
        audit.record(
            "agenda.attendance.marked",
            actor=actor,
            target=attendance,
            project=session.project,
            participant=participant.certificate_name,
            session=session.title,
            present=present,
            previous=previous,
            reason=reason,
        )
    return attendance


def rederive_presence(*, project, share):
    """Re-derive present/absent of every imported (not hand-marked) record of `project` against
    `share` of each session. Runs in the caller's transaction, when the core's
    `min_attendance_share_changed` signal says the share changed (see `receivers`); the sessions
    are locked, as an import confirmation locks its session. Returns {"participants": ids of the
    participants whose presence changed, "records": number of records changed}."""
    participants, records = set(), 0
    for session in Session.objects.select_for_update().filter(project=project).order_by("pk"):
        need = required_seconds(share, session.duration_seconds)
        imported = Attendance.objects.filter(session=session, source=AttendanceSource.REPORT)
        for rows, present in (
            (imported.filter(seconds__gte=need, present=False), True),
            (imported.filter(seconds__lt=need, present=True), False),
        ):
            flipped = list(rows.values_list("pk", "participant_id"))
            if flipped:
                Attendance.objects.filter(pk__in=[pk for pk, _ in flipped]).update(present=present)
                records += len(flipped)
                participants.update(participant_id for _, participant_id in flipped)
    return {"participants": participants, "records": records}


# ---------------------------------------------------------------------------------------------
# Matching report rows to participants
# ---------------------------------------------------------------------------------------------


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
            f"{_span(abs(offset))} {side} the session's start ({session_local:%H:%M} on {session_local:%d %b %Y} "
            f"in {project_zone.key}): check the zone chosen for the report's times, and that this is the "
            "report of this session."
        )


MEETING_START_TOLERANCE = 15 * 60


def _span(seconds):
    """'30 minutes', '5 hours 30 minutes', '1 day 2 hours' (whole minutes)."""
    days, rest = divmod(seconds // 60, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (mins, "minute")]
    words = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    return " ".join(words[:2]) or "0 minutes"


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


def check_confirmable(preview, *, acknowledged):
    """Refuse a report with no time within the session, and one where most participants it names
    fall outside the session unless the uploader acknowledged what changes."""
    if not preview.confirmable:
        raise DomainError(
            "No connection in this report falls within the session's time, so it cannot be saved for this "
            "session: upload the report of this session, or read its times in the right zone."
        )
    if preview.needs_acknowledgement and not acknowledged:
        raise DomainError(
            f"{preview.acknowledgement} Tick the box to confirm this is the report of this session.",
            field="acknowledge",
        )


# ---------------------------------------------------------------------------------------------
# Import services
# ---------------------------------------------------------------------------------------------


def _check_zone(time_zone):
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise DomainError(f"“{time_zone}” is not a known time zone.", field="time_zone") from None


def live_import(session):
    return AttendanceImport.objects.filter(session=session, status=ImportStatus.CONFIRMED).first()


def upload_attendance_report(*, session, data, file_name, time_zone, actor):
    """Parse one Zoom participant report for `session` into a preview.

    Returns (attendance_import, duplicate): when the same bytes were already imported for this
    session, the live import and True (nothing changes). A bad file raises `zoom.ReportError`
    and nothing is saved. Audit: `agenda.attendance_import.uploaded`.
    """
    _check_zone(time_zone)
    parsed = zoom.parse_report(data)
    digest = zoom.file_hash(data)
    with transaction.atomic():
        live = live_import(session)
        if live is not None and live.file_hash == digest:
            return live, True
        imp = AttendanceImport.objects.create(
            session=session,
            status=ImportStatus.PREVIEW,
            file_name=(file_name or "")[:255],
            file_hash=digest,
            variant=parsed.variant,
            time_zone=time_zone,
            meta=parsed.meta,
            rows=[row.as_json() for row in parsed.rows],
            uploaded_by=actor,
        )
        audit.record(
            "agenda.attendance_import.uploaded",
            actor=actor,
            target=imp,
            project=session.project,
            file_name=imp.file_name,
            variant=imp.variant,
            rows=len(parsed.rows),
        )
    return imp, False


def _editable(imp):
    if imp.status != ImportStatus.PREVIEW:
        raise DomainError(f"This import is {imp.get_status_display().lower()}: upload the report again to change it.")


def set_import_time_zone(*, attendance_import, time_zone, actor):
    """Read the report's times in another zone (before confirming). No side effects."""
    _check_zone(time_zone)
    with transaction.atomic():
        imp = AttendanceImport.objects.select_for_update().get(pk=attendance_import.pk)
        _editable(imp)
        imp.time_zone = time_zone
        imp.save(update_fields=["time_zone"])
    attendance_import.time_zone = time_zone
    return imp


def map_report_rows(*, project, decisions, actor, labels=None):
    """Remember, for the project, what unmatched report rows are: `decisions` maps a row key to a
    Participant (map) or None (ignore: a guest, speaker or staff member). Audit: `agenda.report_mapping.set`."""
    labels = labels or {}
    active = set(Participant.objects.active().filter(project=project).values_list("pk", flat=True))
    with transaction.atomic():
        for key, participant in decisions.items():
            if participant is not None and participant.pk not in active:
                raise DomainError("Map report rows only to active participants of this project.")
            mapping, _ = ReportMapping.objects.update_or_create(
                project=project,
                key=key,
                defaults={
                    "participant": participant,
                    "ignored": participant is None,
                    "label": (labels.get(key) or "")[:300],
                    "created_by": actor,
                    "created_at": timezone.now(),
                },
            )
            audit.record(
                "agenda.report_mapping.set",
                actor=actor,
                target=mapping,
                project=project,
                key=key,
                participant=participant.certificate_name if participant else None,
            )


def resolve_report_names(*, attendance_import, decisions, actor, labels=None, ignore_rest=False):
    """Record what unmatched names are (`map_report_rows`) and, with `ignore_rest`, ignore every
    name of the report still unmatched after that (observers, guests), all in one transaction.
    Returns the number of names resolved. Audit: `agenda.report_mapping.set` per name chosen,
    one `agenda.report_mapping.rest_ignored` for the rest."""
    imp = attendance_import
    project = imp.session.project
    with transaction.atomic():
        _editable(AttendanceImport.objects.select_for_update().get(pk=imp.pk))
        if decisions:
            map_report_rows(project=project, decisions=decisions, labels=labels, actor=actor)
        if not ignore_rest:
            return len(decisions)
        rest = build_preview(imp).unmatched
        now = timezone.now()
        ReportMapping.objects.bulk_create(
            [
                ReportMapping(
                    project=project,
                    key=group.key,
                    participant=None,
                    ignored=True,
                    label=group.label[:300],
                    created_by=actor,
                    created_at=now,
                )
                for group in rest
            ],
            update_conflicts=True,
            unique_fields=["project", "key"],
            update_fields=["participant", "ignored", "label", "created_by", "created_at"],
            batch_size=BATCH,
        )
        if rest:
            audit.record(
                "agenda.report_mapping.rest_ignored",
                actor=actor,
                target=imp,
                project=project,
                count=len(rest),
                names=[group.label for group in rest[:50]],
            )
    return len(decisions) + len(rest)


def discard_attendance_import(*, attendance_import, actor):
    with transaction.atomic():
        imp = AttendanceImport.objects.select_for_update().get(pk=attendance_import.pk)
        _editable(imp)
        imp.status = ImportStatus.DISCARDED
        imp.save(update_fields=["status"])
        audit.record("agenda.attendance_import.discarded", actor=actor, target=imp, project=imp.session.project)
    return imp


def request_import_confirmation(*, attendance_import, actor, acknowledged=False):
    """Check the preview can be saved and queue the save (`attendance_tasks.confirm_attendance_import_task`).

    A report with no connection within the session is refused; one where most participants it
    names fall outside the session needs `acknowledged`. Side effect: the task, after commit; it
    writes its progress to the cache."""
    from . import attendance_tasks

    with transaction.atomic():
        imp = (
            AttendanceImport.objects.select_for_update().select_related("session__project").get(pk=attendance_import.pk)
        )
        if imp.status in {ImportStatus.QUEUED, ImportStatus.CONFIRMED}:
            return imp
        _editable(imp)
        preview = build_preview(imp)
        if preview.unmatched:
            raise DomainError(
                f"{len(preview.unmatched)} name(s) in the report are not matched yet: map each to a participant "
                "or ignore it, then confirm."
            )
        check_confirmable(preview, acknowledged=acknowledged)
        imp.status = ImportStatus.QUEUED
        imp.error = ""
        imp.save(update_fields=["status", "error"])
        set_progress(imp.pk, stage="queued", done=0, total=len(imp.rows))
        from apopms.tasks_util import enqueue_on_commit

        enqueue_on_commit(
            attendance_tasks.confirm_attendance_import_task,
            import_id=imp.pk,
            actor_id=getattr(actor, "pk", None),
            acknowledged=acknowledged,
        )
    return imp


def progress_key(import_id):
    return f"agenda:attendance-import:{import_id}:progress"


def set_progress(import_id, **values):
    from django.core.cache import cache

    cache.set(progress_key(import_id), values, timeout=3600)


def get_progress(import_id):
    from django.core.cache import cache

    return cache.get(progress_key(import_id)) or {}


def _write_preview(imp, session, preview, now, progress):
    """Store a preview's lines set-based: report records take the new values, records marked by
    hand are kept and flagged with the report's seconds beside them. Returns (counts, records written)."""
    to_create, to_update = [], []
    counts = {"new": 0, "changed": 0, "unchanged": 0, "kept": 0}
    for line in preview.lines:
        counts[line.outcome] += 1
        merged = intervals_json(line.intervals)
        current = line.current
        if current is None:
            to_create.append(
                Attendance(
                    participant=line.participant,
                    session=session,
                    present=line.present,
                    seconds=line.seconds,
                    intervals=merged,
                    source=AttendanceSource.REPORT,
                    import_ref=imp,
                    report_seconds=line.seconds,
                    updated_at=now,
                )
            )
            continue
        if current.source == AttendanceSource.MANUAL:
            current.manual_override = True
        else:
            current.present = line.present
            current.seconds = line.seconds
            current.intervals = merged
            current.updated_at = now if line.outcome == "changed" else current.updated_at
        current.report_seconds = line.seconds
        current.import_ref = imp
        to_update.append(current)
    total = len(to_create) + len(to_update)
    done = 0
    for start in range(0, len(to_create), BATCH):
        Attendance.objects.bulk_create(to_create[start : start + BATCH])
        done += len(to_create[start : start + BATCH])
        progress(stage="saving", done=done, total=total)
    fields = ["present", "seconds", "intervals", "updated_at", "report_seconds", "import_ref", "manual_override"]
    for start in range(0, len(to_update), BATCH):
        Attendance.objects.bulk_update(to_update[start : start + BATCH], fields)
        done += len(to_update[start : start + BATCH])
        progress(stage="saving", done=done, total=total)
    return counts, total


def confirm_attendance_import(*, attendance_import, actor, progress=None, acknowledged=False):
    """Save what the preview shows, for every active participant of the project, all or nothing.

    - the same report (same bytes) as the live import of the session: nothing changes;
    - a corrected report replaces the session's earlier import (marked `replaced`);
    - records marked by hand are kept, flagged (`manual_override`) with the report's seconds beside them;
    - participants missing from the report are recorded absent with 0 seconds.
    - a report with no connection within the session is refused; one where most participants it
      names fall outside the session needs `acknowledged` (see `check_confirmable`).
    Writes are set-based: one bulk_create and one bulk_update (in batches). Audit:
    `agenda.attendance_import.confirmed` with the counts. No side effects.
    """
    progress = progress or (lambda **kw: None)
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("project").get(pk=attendance_import.session_id)
        imp = AttendanceImport.objects.select_for_update().get(pk=attendance_import.pk)
        imp.session = session
        if imp.status == ImportStatus.CONFIRMED:
            return imp
        if imp.status not in {ImportStatus.PREVIEW, ImportStatus.QUEUED}:
            raise DomainError(f"This import is {imp.get_status_display().lower()} and cannot be confirmed.")
        live = live_import(session)
        if live is not None and live.file_hash == imp.file_hash:
            imp.status = ImportStatus.DISCARDED
            imp.summary = {"duplicate_of": live.pk}
            imp.save(update_fields=["status", "summary"])
            return live
        progress(stage="matching", done=0, total=len(imp.rows))
        existing = {a.participant_id: a for a in Attendance.objects.select_for_update().filter(session=session)}
        preview = build_preview(imp, existing=existing)
        if preview.unmatched:
            raise DomainError(
                f"{len(preview.unmatched)} name(s) in the report are not matched yet: map each to a participant "
                "or ignore it, then confirm."
            )
        check_confirmable(preview, acknowledged=acknowledged)
        now = timezone.now()
        counts, total = _write_preview(imp, session, preview, now, progress)
        replaced = AttendanceImport.objects.filter(session=session, status=ImportStatus.CONFIRMED).exclude(pk=imp.pk)
        replaced_ids = list(replaced.values_list("pk", flat=True))
        replaced.update(status=ImportStatus.REPLACED)
        imp.status = ImportStatus.CONFIRMED
        imp.confirmed_by = actor
        imp.confirmed_at = now
        imp.error = ""
        imp.summary = {
            **counts,
            "present": preview.present_count,
            "participants": len(preview.lines),
            "ignored_names": len(preview.ignored),
            "rows": len(imp.rows),
            "replaced": replaced_ids,
            "kept_by_hand": [line.participant.pk for line in preview.kept_manual],
        }
        imp.save(update_fields=["status", "confirmed_by", "confirmed_at", "summary", "error"])
        audit.record(
            "agenda.attendance_import.confirmed",
            actor=actor,
            target=imp,
            project=session.project,
            session=session.title,
            **{k: v for k, v in imp.summary.items() if k != "kept_by_hand"},
        )
    progress(stage="done", done=total, total=total)
    return imp


def fail_attendance_import(*, import_id, message):
    """Put a queued import back into preview with the reason it could not be saved."""
    with transaction.atomic():
        imp = AttendanceImport.objects.select_for_update().filter(pk=import_id).first()
        if imp is None or imp.status != ImportStatus.QUEUED:
            return
        imp.status = ImportStatus.PREVIEW
        imp.error = message
        imp.save(update_fields=["status", "error"])
    set_progress(import_id, stage="failed", error=message)


def recompute_session_attendance(*, session, actor):
    """Re-derive a session's imported attendance from its live report, after its start, end or the
    project's share changed: the stored rows are clipped to the new times and measured against the
    new threshold. Hand-made records are kept (their report seconds are updated). Audit:
    `agenda.attendance.recomputed`. Returns the number of records written (0 without a live import)."""
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("project").get(pk=session.pk)
        live = live_import(session)
        if live is None:
            return 0
        live.session = session
        existing = {a.participant_id: a for a in Attendance.objects.select_for_update().filter(session=session)}
        preview = build_preview(live, existing=existing)
        counts, total = _write_preview(live, session, preview, timezone.now(), lambda **kw: None)
        audit.record(
            "agenda.attendance.recomputed",
            actor=actor,
            target=live,
            project=session.project,
            session=session.title,
            changed=counts["changed"] + counts["new"],
        )
    return total
