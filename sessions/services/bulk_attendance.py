"""Attendance by hand for a room full of people: a whole session present, one participant present at
every session, or a session's list of absentees (everyone else present). Then single cells
(`attendance.mark_attendance`) correct what is left.

Each is one transaction under the project's lock, set-based (the same number of queries for 5 or
500 participants): the cells are read once, new ones inserted and changed ones updated in bulk.
Every cell written carries who marked it and when; one audit entry per action lists the cells
it changed. A cell that came from an imported report keeps the report's value: changing one
needs a reason, given cell by cell.
"""

import dataclasses
import re

from django.db import transaction
from django.utils import timezone

from apopms import audit
from apopms.exceptions import DomainError
from apopms.models import Project
from nominations.models import Participant

from ..enums import AttendanceSource
from ..models import Attendance, Session
from ..permissions import require_record_attendance
from ..signals import attendance_changed

MAX_ABSENTEE_LINES = 1000


@dataclasses.dataclass
class BulkResult:
    """What a bulk mark did: cells changed, cells already so, cells kept as a report said."""

    changed: int = 0
    unchanged: int = 0
    kept_from_report: int = 0
    absent: int = 0  # the absentees a pasted list named

    @property
    def summary(self):
        parts = [f"{self.changed} mark{'s' if self.changed != 1 else ''} changed"]
        if self.unchanged:
            parts.append(f"{self.unchanged} already so")
        if self.kept_from_report:
            parts.append(
                f"{self.kept_from_report} kept as the imported report says (change those one by one, with a reason)"
            )
        return "; ".join(parts) + "."


def _active(project):
    return Participant.objects.active().filter(project=project)


def _apply(*, project, actor, marks, action, details):
    """Write `marks` ({(participant_id, session_id): present}) by hand. Returns a BulkResult."""
    result = BulkResult()
    if not marks:
        return result
    participant_ids = {p for p, _ in marks}
    session_ids = {s for _, s in marks}
    existing = {
        (a.participant_id, a.session_id): a
        for a in Attendance.objects.select_for_update().filter(
            participant_id__in=participant_ids, session_id__in=session_ids
        )
    }
    now = timezone.now()
    new, changed, log = [], [], []
    for (participant_id, session_id), present in sorted(marks.items()):
        row = existing.get((participant_id, session_id))
        if row is None:
            new.append(
                Attendance(
                    participant_id=participant_id,
                    session_id=session_id,
                    present=present,
                    seconds=0,
                    source=AttendanceSource.MANUAL,
                    changed_by=actor,
                    updated_at=now,
                )
            )
        elif row.present == present:
            result.unchanged += 1
            continue
        elif row.source == AttendanceSource.REPORT or row.manual_override:
            result.kept_from_report += 1
            continue
        else:
            row.present, row.changed_by, row.updated_at, row.reason = present, actor, now, ""
            changed.append(row)
        log.append([participant_id, session_id, present])
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["present", "changed_by", "updated_at", "reason"])
    result.changed = len(new) + len(changed)
    if result.changed:
        audit.record(
            "agenda.attendance.marked_in_bulk",
            actor=actor,
            target=project,
            project=project,
            way=action,
            cells=log,
            kept_from_report=result.kept_from_report,
            **details,
        )
        attendance_changed.send(sender=Project, project=project, actor=actor)
    return result


def _lock(project, actor):
    require_record_attendance(actor, project)
    return Project.objects.lock(project.pk)


def mark_session_present(*, session, actor):
    """Every active participant present at `session`. Audit: agenda.attendance.marked_in_bulk."""
    with transaction.atomic():
        project = _lock(session.project, actor)
        ids = _active(project).values_list("pk", flat=True)
        marks = {(pk, session.pk): True for pk in ids}
        return _apply(
            project=project, actor=actor, marks=marks, action="session_present", details={"session": session.title}
        )


def mark_participant_present(*, participant, actor):
    """`participant` present at every session of the project. Audit: agenda.attendance.marked_in_bulk."""
    with transaction.atomic():
        project = _lock(participant.project, actor)
        if not _active(project).filter(pk=participant.pk).exists():
            raise DomainError("This participant has withdrawn.")
        sessions = Session.objects.filter(project=project).values_list("pk", flat=True)
        marks = {(participant.pk, pk): True for pk in sessions}
        return _apply(
            project=project,
            actor=actor,
            marks=marks,
            action="participant_present",
            details={"participant": participant.certificate_name},
        )


def _normal(text):
    return re.sub(r"\s+", " ", (text or "").strip()).casefold()


def match_absentees(project, text):
    """The participants a pasted list names, one per line (a name as on the certificate, or an
    e-mail address; bullets and numbering ignored). Returns (participants, errors) with errors
    as ["Line 3: …"]: a line matching nobody, or more than one person, or someone listed twice."""
    lines = (text or "").splitlines()
    if len(lines) > MAX_ABSENTEE_LINES:
        return [], [f"The list has {len(lines)} lines; paste at most {MAX_ABSENTEE_LINES}."]
    people = list(_active(project).select_related("user").only("pk", "certificate_name", "user__email"))
    by_email, by_name = {}, {}
    for p in people:
        by_email.setdefault(_normal(p.user.email), []).append(p)
        by_name.setdefault(_normal(p.certificate_name), []).append(p)
    found, errors, seen = [], [], {}
    for number, raw in enumerate(lines, start=1):
        line = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", raw).strip().strip(",;")
        if not line:
            continue
        key = _normal(line)
        matches = by_email.get(key) if "@" in key else by_name.get(key)
        if not matches:
            errors.append(
                f"Line {number}: “{line}” is no participant of this project (give the name as on the certificate, or the e-mail)."
            )
        elif len(matches) > 1:
            errors.append(f"Line {number}: “{line}” names {len(matches)} participants; give the e-mail instead.")
        elif matches[0].pk in seen:
            errors.append(
                f"Line {number}: {matches[0].certificate_name} is already listed on line {seen[matches[0].pk]}."
            )
        else:
            seen[matches[0].pk] = number
            found.append(matches[0])
    return found, errors


def mark_absentees(*, session, actor, text):
    """Everyone at `session` present except the participants `text` lists (one per line), who are
    absent. All or nothing: a line that matches nobody, or several, refuses the whole list with a
    message per line. Audit: agenda.attendance.marked_in_bulk."""
    with transaction.atomic():
        project = _lock(session.project, actor)
        absent, errors = match_absentees(project, text)
        if errors:
            raise DomainError("; ".join(errors), field="absentees", errors={"absentees": errors})
        absent_ids = {p.pk for p in absent}
        ids = _active(project).values_list("pk", flat=True)
        marks = {(pk, session.pk): pk not in absent_ids for pk in ids}
        result = _apply(
            project=project,
            actor=actor,
            marks=marks,
            action="absentees",
            details={"session": session.title, "absent": sorted(p.certificate_name for p in absent)},
        )
        result.absent = len(absent_ids)
        return result
