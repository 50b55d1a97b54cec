"""Generating the end-of-project report on the worker, and downloading it (audited).

The upload-job design (docs/architecture.md): the durable state is a `ReportVersion` row (status,
error, who asked, when it started and was generated, its files); the worker's progress lives in
the cache as `{stage, done, total, error}` under `progress_key(version)`, polled by the report
page with htmx.

1. `generate_report` numbers a new version (under the project lock) and queues `tasks.generate_report`.
2. The task reads the figures once (`reports.figures`), writes the XLSX and then the PDF from them,
   stores both files and marks the version done (`store_report`); a failure marks it failed with
   the error (`fail_report`) and the Secretariat generates again.
"""

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apopms import audit
from apopms.exceptions import DomainError
from apopms.models import Project
from apopms.tasks import enqueue_on_commit

from .enums import ReportFormat, ReportStatus
from .models import ReportVersion
from .permissions import require_report

PROGRESS_SECONDS = 24 * 3600
STAGES = ("figures", "spreadsheet", "pdf", "storing")  # in order; `done` counts those finished


def progress_key(version_id):
    return f"reports:version:{version_id}:progress"


def set_progress(version_id, **values):
    cache.set(progress_key(version_id), values, timeout=PROGRESS_SECONDS)


def get_progress(version_id):
    return cache.get(progress_key(version_id)) or {}


def generate_report(*, project, actor, include_participants=False):
    """Queue a new version of `project`'s report; returns it. Who: the Secretariat.

    A version still being generated is returned as it is (pressing the button twice makes one).
    Side effects: audit `reports.report.requested`; `tasks.generate_report` queued on commit.
    """
    require_report(actor, project)
    with transaction.atomic():
        project = Project.objects.lock(project.pk)
        running = ReportVersion.objects.filter(
            project=project, status__in=(ReportStatus.QUEUED, ReportStatus.RUNNING)
        ).first()
        if running is not None:
            return running
        number = (ReportVersion.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1
        version = ReportVersion.objects.create(
            project=project,
            number=number,
            include_participants=include_participants,
            options={"include_participants": include_participants},
            generated_by=actor,
        )
        audit.record(
            "reports.report.requested",
            actor=actor,
            target=version,
            number=number,
            include_participants=include_participants,
        )
        set_progress(version.pk, stage="queued", done=0, total=len(STAGES))
        from .tasks import generate_report as task  # noqa: PLC0415 - the tasks call these services

        enqueue_on_commit(task, version_id=version.pk)
    return version


def start_report(*, version_id):
    """Mark a queued version running; None if it is gone or not queued (a second run does nothing)."""
    with transaction.atomic():
        version = ReportVersion.objects.select_for_update().filter(pk=version_id).first()
        if version is None or version.status != ReportStatus.QUEUED:
            return None
        version.status = ReportStatus.RUNNING
        version.started_at = timezone.now()
        version.save(update_fields=["status", "started_at"])
    return ReportVersion.objects.select_related("project__host_country").get(pk=version_id)


def store_report(*, version, pdf, xlsx):
    """Keep the two files of a running version and mark it done. Audit `reports.report.generated`."""
    stem = f"report-{version.project.code}-v{version.number}"
    with transaction.atomic():
        version = ReportVersion.objects.select_for_update().select_related("project").get(pk=version.pk)
        if version.status != ReportStatus.RUNNING:
            return version
        if version.files_deleted_at is not None:  # the retention purge came first: nothing is kept
            version.status, version.error = ReportStatus.FAILED, "Deleted by the project's retention."
            version.save(update_fields=["status", "error"])
            return version
        version.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        version.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
        version.pdf_size, version.xlsx_size = len(pdf), len(xlsx)
        version.status = ReportStatus.DONE
        version.generated_at = timezone.now()
        version.error = ""
        version.save()
        audit.record("reports.report.generated", actor=version.generated_by, target=version, number=version.number)
    set_progress(version.pk, stage="done", done=len(STAGES), total=len(STAGES))
    return version


def fail_report(*, version_id, message):
    """Put a version into FAILED with a message; the Secretariat generates again."""
    ReportVersion.objects.filter(pk=version_id).update(
        status=ReportStatus.FAILED, error=message[:2000], generated_at=None
    )
    set_progress(version_id, stage="failed", error=message)


def record_download(*, version, fmt, actor):
    """The stored file of a ready version (a FieldFile) for `actor`; every download is audited.

    Side effects: audit `reports.report.downloaded`.
    """
    require_report(actor, version.project)
    if fmt not in ReportFormat.values:
        raise DomainError("Unknown format.")
    if not version.ready:
        raise DomainError(
            "This version's files were deleted by the project's retention."
            if version.files_deleted_at
            else "This version is not ready."
        )
    with transaction.atomic():
        audit.record(
            "reports.report.downloaded",
            actor=actor,
            target=version,
            number=version.number,
            format=fmt,
            include_participants=version.include_participants,
        )
    return version.pdf if fmt == ReportFormat.PDF else version.xlsx
