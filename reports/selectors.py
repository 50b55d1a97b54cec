"""Reads of the report pages."""

from .enums import ReportStatus
from .models import ReportVersion


def report_versions(project):
    """Every version of `project`'s report, newest first, with who generated it (one query)."""
    return list(ReportVersion.objects.filter(project=project).select_related("generated_by").order_by("-number"))


def running_version(project):
    return (
        ReportVersion.objects.filter(project=project, status__in=(ReportStatus.QUEUED, ReportStatus.RUNNING))
        .order_by("-number")
        .first()
    )
