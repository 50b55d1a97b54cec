"""The project's retention reaches its report versions (apopms.signals.personal_data_purged), and a
person's data export lists those that name them (apopms.signals.person_data_requested).

- at the nominee limit ("nominees"): every version but the latest ready one, an old copy of the
  same figures, is deleted;
- at the participant limit ("participants") and when a participant is erased on request
  ("erasure"): every version that includes the participant list (it names them) is deleted.

A deleted version keeps its row (number, who generated it, when, with which options) for the
history, its files deleted after commit and `files_deleted_at` set; it can no longer be downloaded.
"""

from django.db import transaction
from django.dispatch import receiver

from apopms.signals import person_data_requested, personal_data_purged

from .enums import ReportStatus
from .models import ReportVersion


def delete_versions(versions, *, now):
    """Delete the files of `versions` after commit and mark them; the number of files deleted."""
    versions = list(versions)
    names = [(f.storage, f.name) for v in versions for f in (v.pdf, v.xlsx) if f]

    def delete():
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete)
    ReportVersion.objects.filter(pk__in=[v.pk for v in versions]).update(
        pdf="", xlsx="", pdf_size=0, xlsx_size=0, files_deleted_at=now
    )
    return len(names)


@receiver(personal_data_purged)
def purge_report_versions(sender, *, project, stage, now, **kwargs):
    kept = ReportVersion.objects.filter(project=project, files_deleted_at__isnull=True)
    if stage == "nominees":
        latest = kept.filter(status=ReportStatus.DONE).order_by("-number").first()
        doomed = kept.exclude(pk=latest.pk) if latest else kept
        doomed = doomed.exclude(status__in=(ReportStatus.QUEUED, ReportStatus.RUNNING))
    else:
        doomed = kept.filter(include_participants=True)
    return delete_versions(doomed.select_for_update(), now=now)


@receiver(person_data_requested)
def report_versions_naming(sender, *, participants, **kwargs):
    """The report versions that name the person: those with the participant list of their projects."""
    projects = {p.project_id for p in participants}
    versions = ReportVersion.objects.filter(
        project__in=projects, include_participants=True, files_deleted_at__isnull=True
    ).order_by("project_id", "number")
    return {"reports.ReportVersion": versions}
