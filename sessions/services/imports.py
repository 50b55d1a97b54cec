"""The attendance report import: upload (parsing lives in `zoom`), time zone, name mapping,
discard, and confirmation, which a Celery task runs (`tasks.confirm_attendance_import_task`).

Two steps: `upload_attendance_report` parses the file into an `AttendanceImport` in preview
(nothing about attendance is saved), people map the unmatched rows, and
`confirm_attendance_import` saves everything at once with set-based writes (bulk_create /
bulk_update), all or nothing. Every service is keyword-only, takes the acting user (checked by
`permissions`), runs in one transaction and records an audit entry.

Job state: the import's `status` (preview -> queued -> confirmed, or back to preview with `error`)
is stored on the row; the running job's progress ({stage, done, total, error}) lives in the cache
under `progress_key`, written by the task and read by the progress page.
"""

import zoneinfo

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from apopms import audit
from apopms.exceptions import DomainError
from apopms.tasks import enqueue_on_commit
from nominations.models import Participant

from .. import tasks, zoom
from ..enums import AttendanceSource, ImportStatus
from ..intervals import intervals_json
from ..models import Attendance, AttendanceImport, ReportMapping, Session
from ..permissions import require_record_attendance
from ..selectors.preview import build_preview, live_import
from ..signals import attendance_changed

BATCH = 500
PROGRESS_TIMEOUT = 3600


def check_confirmable(preview, *, acknowledged):
    """Refuse a report with names still unmatched or with no time within the session, and one where
    most participants it names fall outside the session unless the uploader acknowledged what changes."""
    if preview.unmatched:
        raise DomainError(
            f"{len(preview.unmatched)} name(s) in the report are not matched yet: map each to a participant "
            "or ignore it, then confirm."
        )
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


def _check_zone(time_zone):
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise DomainError(f"“{time_zone}” is not a known time zone.", field="time_zone") from None


def upload_attendance_report(*, session, data, file_name, time_zone, actor):
    """Parse one Zoom participant report for `session` into a preview.

    Returns (attendance_import, duplicate): when the same bytes were already imported for this
    session, the live import and True (nothing changes). A bad file raises `zoom.ReportError`
    and nothing is saved. Audit: `agenda.attendance_import.uploaded`.
    """
    require_record_attendance(actor, session.project)
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
    require_record_attendance(actor, attendance_import.session.project)
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
    require_record_attendance(actor, project)
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
    require_record_attendance(actor, project)
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
    """Drop an upload still in preview: nothing about attendance was saved. Audit: `agenda.attendance_import.discarded`."""
    require_record_attendance(actor, attendance_import.session.project)
    with transaction.atomic():
        imp = AttendanceImport.objects.select_for_update().get(pk=attendance_import.pk)
        _editable(imp)
        imp.status = ImportStatus.DISCARDED
        imp.save(update_fields=["status"])
        audit.record("agenda.attendance_import.discarded", actor=actor, target=imp, project=imp.session.project)
    return imp


def request_import_confirmation(*, attendance_import, actor, acknowledged=False):
    """Check the preview can be saved and queue the save (`tasks.confirm_attendance_import_task`).

    A report with no connection within the session is refused; one where most participants it
    names fall outside the session needs `acknowledged`. Side effect: the task, after commit; it
    writes its progress to the cache."""
    with transaction.atomic():
        imp = (
            AttendanceImport.objects.select_for_update().select_related("session__project").get(pk=attendance_import.pk)
        )
        require_record_attendance(actor, imp.session.project)
        if imp.status in {ImportStatus.QUEUED, ImportStatus.CONFIRMED}:
            return imp
        _editable(imp)
        preview = build_preview(imp)
        check_confirmable(preview, acknowledged=acknowledged)
        imp.status = ImportStatus.QUEUED
        imp.error = ""
        imp.save(update_fields=["status", "error"])
        set_progress(imp.pk, stage="queued", done=0, total=len(imp.rows))
        enqueue_on_commit(
            tasks.confirm_attendance_import_task,
            import_id=imp.pk,
            actor_id=getattr(actor, "pk", None),
            acknowledged=acknowledged,
        )
    return imp


def progress_key(import_id):
    return f"agenda:attendance-import:{import_id}:progress"


def set_progress(import_id, **values):
    cache.set(progress_key(import_id), values, timeout=PROGRESS_TIMEOUT)


def get_progress(import_id):
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
        require_record_attendance(actor, session.project)
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
        attendance_changed.send(sender=type(session.project), project=session.project, actor=actor)
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
        require_record_attendance(actor, session.project)
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
        attendance_changed.send(sender=type(session.project), project=session.project, actor=actor)
    return total
