"""The programme (sessions, agenda items, resource persons) and attendance. App label: agenda."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from apopms.models import Project
from nominations.models import Participant

from .enums import AttendanceSource


class SessionQuerySet(models.QuerySet):
    def for_project(self, project):
        return self.filter(project=project)


class Session(models.Model):
    """One timed block whose attendance counts: normally one video-conference meeting."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    join_url = models.URLField("link to join", blank=True, help_text="Shown to participants only.")

    objects = SessionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(name="session_ends_after_start", condition=Q(end_at__gt=F("start_at"))),
        ]

    def __str__(self):
        return f"{self.title} ({self.start_at:%Y-%m-%d %H:%M} UTC)"

    @property
    def duration_seconds(self):
        return int((self.end_at - self.start_at).total_seconds())

    @property
    def day_number(self):
        """Day of the project, counted in the project's zone (1 = start date)."""
        local = self.start_at.astimezone(self.project.zone).date()
        return (local - self.project.start_date).days + 1


class Attendance(models.Model):
    """One participant at one session: derived from a report import or marked by hand."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField(default=False)
    seconds = models.PositiveIntegerField(default=0, help_text="Whole seconds attended within the session.")
    intervals = models.JSONField(
        default=list, blank=True, help_text="Merged [join, leave] pairs (ISO 8601 UTC) within the session."
    )
    source = models.CharField(max_length=10, choices=AttendanceSource.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True, help_text="Why a person changed it by hand.")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "session"], name="attendance_one_per_participant_session"),
        ]

    def __str__(self):
        return f"{self.participant} @ {self.session}: {'present' if self.present else 'absent'}"
