"""Writes of attendance by hand, and presence re-derived when the threshold changes.

Keyword-only, take the acting user (checked by `permissions`), one transaction, an audit entry.
"""

from django.db import transaction
from django.utils import timezone

from apopms import audit
from apopms.exceptions import DomainError
from nominations.enums import ParticipantStatus

from ..enums import AttendanceSource
from ..intervals import required_seconds
from ..models import Attendance, Session
from ..permissions import require_record_attendance
from ..signals import attendance_changed


def mark_attendance(*, participant, session, present, actor, reason=""):
    """Mark one participant present or absent at one session by hand.

    Changing a value that came from a report needs a reason; the old value is kept in the
    audit entry (`agenda.attendance.marked`) and the report's seconds stay beside it. Sends
    `attendance_changed` (the Secretariat may hear of certificates no longer deserved).
    """
    reason = (reason or "").strip()
    require_record_attendance(actor, session.project)
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
        if participant.status != ParticipantStatus.ACTIVE:
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
        attendance_changed.send(sender=type(session.project), project=session.project, actor=actor)
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
