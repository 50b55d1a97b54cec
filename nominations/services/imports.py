"""The nominations import: an uploaded spreadsheet read once by the worker, previewed, then imported.

The upload-job design (docs/architecture.md): the durable state is a `NominationImport` row
(status, error, summary, uploaded_by, started/finished); the worker's progress lives in the cache
as `{stage, done, total, error}` under `progress_key(job)`, polled by the page with htmx.

1. `upload_nomination_import` stores the file and queues the reading (`tasks.read_nomination_import`).
2. The task parses the file (`resources.parse_rows`, set-based) and `store_import_preview` keeps the
   rows as JSON on the row; the file is deleted. The preview page shows that JSON; nothing re-reads it.
3. `confirm_nomination_import` queues the import (`tasks.run_nomination_import`), which calls
   `import_nominations`: all or nothing, one `bulk_create`, rows already present skipped.
4. A failure puts the row in FAILED with the error; the person uploads a file again.

Locks: the import holds the project's shared lock and the (project, country) lock
(`Project.objects.lock_shared`, `lock_country`) for its few seconds, so officers' saves go on; the
unique constraints (one person per project, one priority per country) keep it consistent.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.db.models.functions import Lower
from django.utils import timezone

from apopms.audit import record
from apopms.exceptions import DomainError
from apopms.models import AuditEntry, Project
from apopms.tasks import enqueue_on_commit

from ..enums import ImportStatus, NominationStatus
from ..models import Nomination, NominationImport
from .checks import check_date_of_birth

PROGRESS_SECONDS = 24 * 3600
BATCH = 500


def progress_key(job_id):
    return f"nominations:import:{job_id}:progress"


def set_progress(job_id, **values):
    cache.set(progress_key(job_id), values, timeout=PROGRESS_SECONDS)


def get_progress(job_id):
    return cache.get(progress_key(job_id)) or {}


def _require_secretariat(actor):
    if not getattr(actor, "is_secretariat", False):
        raise PermissionDenied("Only the APO Secretariat imports nominations.")


def upload_nomination_import(*, project, country, actor, content, file_name, date_order=""):
    """Store an uploaded spreadsheet privately and queue its reading. Returns the job row.

    Side effects: audit `nominations.import.uploaded`; after commit, `tasks.read_nomination_import`.
    """
    _require_secretariat(actor)
    if not project.accepts_country(country):
        raise DomainError(f"{country} does not take part in this project.", field="country")
    ext = "xlsx" if file_name.lower().endswith(".xlsx") else "csv"
    with transaction.atomic():
        job = NominationImport(
            project=project, country=country, file_name=file_name[:255], date_order=date_order, uploaded_by=actor
        )
        job.file.save(f"{job.pk.hex}.{ext}", ContentFile(content), save=False)
        job.save()
        record(
            "nominations.import.uploaded", actor=actor, target=project, country=country.iso2, file_name=job.file_name
        )
        set_progress(job.pk, stage="reading", done=0, total=0)
        from ..tasks import read_nomination_import  # noqa: PLC0415 - the tasks call these services

        enqueue_on_commit(read_nomination_import, job_id=str(job.pk))
    return job


def store_import_preview(*, job, rows, date_order_text="", error=""):
    """Keep the parsed rows (`resources.rows_as_json`) on a job being read, or its read error; delete the file."""
    with transaction.atomic():
        job = NominationImport.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportStatus.READING:
            return job
        bad = sum(1 for r in rows if r["errors"])
        present = sum(1 for r in rows if r["present"] and not r["errors"])
        job.rows = rows
        job.summary = {
            "rows": len(rows),
            "bad": bad,
            "present": present,
            "new": len(rows) - bad - present,
            "date_order_text": date_order_text,
        }
        job.error = error
        job.status = ImportStatus.FAILED if error else ImportStatus.PREVIEW
        if error:
            job.finished_at = timezone.now()
        name = job.file.name
        job.file = ""
        job.save()
        if name:
            storage = NominationImport.file.field.storage
            transaction.on_commit(lambda: storage.delete(name))
    set_progress(job.pk, stage="failed" if error else "previewed", done=len(rows), total=len(rows), error=error)
    return job


def confirm_nomination_import(*, job, actor):
    """Queue the import of a previewed job without errors. Confirming twice queues it once.

    Side effects: after commit, `tasks.run_nomination_import`, which reports progress in the cache.
    """
    _require_secretariat(actor)
    with transaction.atomic():
        job = NominationImport.objects.select_for_update().get(pk=job.pk)
        if job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.DONE):
            return job
        if job.status != ImportStatus.PREVIEW or job.summary.get("bad") or not job.summary.get("new"):
            raise DomainError("Nothing was imported: correct the rows named below and upload the file again.")
        job.status = ImportStatus.QUEUED
        job.save(update_fields=["status"])
        set_progress(job.pk, stage="queued", done=0, total=job.summary["new"])
        from ..tasks import run_nomination_import  # noqa: PLC0415 - the tasks call these services

        enqueue_on_commit(run_nomination_import, job_id=str(job.pk))
    return job


def start_nomination_import(*, job_id):
    """Mark a queued job running; None if it is gone or not queued (a second run does nothing)."""
    with transaction.atomic():
        job = NominationImport.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ImportStatus.QUEUED:
            return None
        job.status = ImportStatus.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])
    return job


def _job_data(rows):
    """The data dicts of a job's JSON rows that are new, with their dates back as dates."""
    out = []
    for row in rows:
        if row["errors"] or row["present"]:
            continue
        data = dict(row["data"])
        if data.get("date_of_birth"):
            data["date_of_birth"] = datetime.date.fromisoformat(data["date_of_birth"])
        out.append({**data, "line": row["line"]})
    return out


def run_job(*, job, progress=None):
    """Import a running job's rows (`import_nominations`) and mark it done. Errors propagate to `fail_job`."""
    result = import_nominations(
        project=job.project, country=job.country, actor=job.uploaded_by, rows=_job_data(job.rows), progress=progress
    )
    summary = {**job.summary, "created": len(result["created"]), "skipped": len(result["skipped"])}
    NominationImport.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE, summary=summary, error="", finished_at=timezone.now()
    )
    total = len(job.rows)
    set_progress(job.pk, stage="done", done=total, total=total)
    return result


def fail_job(*, job_id, message):
    """Put a job into FAILED with a message the person can act on (upload the file again)."""
    NominationImport.objects.filter(pk=job_id).update(
        status=ImportStatus.FAILED, error=message, finished_at=timezone.now()
    )
    set_progress(job_id, stage="failed", error=message)


def _audit(action, actor, project, nominations, **details):
    content_type = ContentType.objects.get_for_model(Nomination)
    return [
        AuditEntry(
            actor=actor,
            action=action,
            project=project,
            details={**details, **extra},
            content_type=content_type,
            object_id=str(n.pk),
            object_repr=str(n)[:300],
        )
        for n, extra in nominations
    ]


def import_nominations(*, project, country, actor, rows, progress=None):
    """Create and submit the nominations in `rows` (dicts of DATA_FIELDS, optionally with `line`) for
    `country`, all or nothing.

    Rows whose e-mail this country already nominated are skipped, so the same import twice creates
    nothing new; an e-mail another NPO nominated meanwhile fails the whole import, naming the line.
    The Secretariat imports; after the deadline the nominations are late. No acknowledgement e-mails.
    Holds the project's shared lock and the (project, country) lock, never the exclusive one.
    `progress(stage=, done=, total=)` is called per batch. Side effects: the audit entry
    `nominations.nomination.imported` of each nomination, and `nominations.import.done`.
    """
    _require_secretariat(actor)
    at = timezone.now()
    progress = progress or (lambda **kw: None)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # This transaction only: its commit does not wait for the disk. Safe: all or nothing
            # still holds (a crash loses the whole import, never part of it, and the job is simply
            # run again), and nothing is told to anyone before the worker marks the job done.
            # Officers' saves keep synchronous commits.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        project = Project.objects.lock_shared(project.pk)
        Project.objects.lock_country(project.pk, country.pk)
        if not project.accepts_country(country):
            raise DomainError(f"{country} does not take part in this project.")
        late = project.deadline_passed(at)
        present = dict(
            Nomination.objects.filter(project=project)
            .exclude(status=NominationStatus.WITHDRAWN)
            .annotate(e=Lower("email"))
            .values_list("e", "country_id")
        )
        top = (
            Nomination.objects.filter(project=project, country=country, status=NominationStatus.SUBMITTED).aggregate(
                top=Max("priority")
            )["top"]
            or 0
        )
        new, skipped = [], []
        for row in rows:
            data = {k: v for k, v in row.items() if k != "line"}
            where = f"Line {row['line']}, " if row.get("line") else ""
            email = (data.get("email") or "").strip().lower()
            if not email:
                raise DomainError(f"{where}E-mail: an e-mail address is required.")
            owner = present.get(email)
            if owner == country.pk:
                skipped.append(email)
                continue
            if owner is not None:
                raise DomainError(f"{where}E-mail: {email} is already nominated for this project by another NPO.")
            try:
                check_date_of_birth(data.get("date_of_birth"), project=project)
            except DomainError as exc:
                raise DomainError(f"{where}Date of birth: {exc.message}") from exc
            present[email] = country.pk
            new.append(
                Nomination(
                    project=project,
                    country=country,
                    category=project.category_for(country),
                    created_by=actor,
                    created_at=at,
                    is_late=late,
                    status=NominationStatus.SUBMITTED,
                    submitted_at=at,
                    priority=top + len(new) + 1,
                    **data,
                )
            )
        total = len(new)
        progress(stage="importing", done=0, total=total)
        created = []
        try:
            for start in range(0, total, BATCH):
                created.extend(Nomination.objects.bulk_create(new[start : start + BATCH]))
                progress(stage="importing", done=len(created), total=total)
        except IntegrityError as exc:
            raise DomainError(
                "One of the e-mails was nominated for this project meanwhile; upload the file again to see which."
            ) from exc
        # One entry per nomination (created and submitted at once), not two: the audit rows were
        # two thirds of what an import writes, and officers saving meanwhile wait for it to be
        # flushed to disk with their own commit.
        entries = _audit(
            "nominations.nomination.imported",
            actor,
            project,
            [(n, {"priority": n.priority}) for n in created],
            country=country.iso2,
            category=project.category_for(country),
            late=late,
            imported=True,
        )
        AuditEntry.objects.bulk_create(entries, batch_size=BATCH)
        record(
            "nominations.import.done",
            actor=actor,
            target=project,
            country=country.iso2,
            created=len(created),
            skipped=len(skipped),
        )
    return {"created": [n.pk for n in created], "skipped": skipped}
