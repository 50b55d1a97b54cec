"""Each generation of a project's end-of-project report: a numbered version and its two files."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apopms.models import Project

from .enums import ReportStatus


def report_upload_to(instance, filename):
    # Never under a public URL: served by a permission-checked (and audited) view only.
    return f"private/reports/{instance.project_id}/{filename}"


class ReportVersion(models.Model):
    """One generation of the report: who asked, with which options, when it was made, its files.

    A version is never regenerated: generating again makes the next number. Its files are deleted
    by the project's retention (`reports.receivers`): `files_deleted_at` then says when.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="report_versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    include_participants = models.BooleanField(
        "include the participant list", default=False, help_text="Names of participants, else aggregates only."
    )
    options = models.JSONField(default=dict, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    pdf = models.FileField(upload_to=report_upload_to, max_length=200, blank=True)
    xlsx = models.FileField(upload_to=report_upload_to, max_length=200, blank=True)
    pdf_size = models.PositiveIntegerField(default=0)
    xlsx_size = models.PositiveIntegerField(default=0)
    files_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="report_version_unique_number"),
            models.CheckConstraint(name="report_version_number_positive", condition=Q(number__gt=0)),
        ]

    def __str__(self):
        return f"{self.project.code} report version {self.number}"

    @property
    def running(self):
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)

    @property
    def ready(self):
        return self.status == ReportStatus.DONE and self.files_deleted_at is None
