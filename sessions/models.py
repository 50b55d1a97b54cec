"""The programme (sessions, agenda items, resource persons) and attendance. App label: agenda."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from apopms.enums import Category
from apopms.exceptions import DomainError
from apopms.models import Project
from nominations.models import Participant

from .enums import AgendaItemKind, AttendanceSource, ImportStatus

# "A session or agenda item ends after it starts": the database's CheckConstraints below and
# `check_ends_after_start` (services and forms) state the same rule.
ENDS_AFTER_START = Q(end_at__gt=F("start_at"))
END_BEFORE_START = "The end must be after the start."


def check_ends_after_start(start_at, end_at, *, field="end_at"):
    """Raise DomainError unless both times are given and the end is after the start."""
    if start_at is None or end_at is None:
        raise DomainError("Give a start and an end time.", field="start_at")
    if end_at <= start_at:
        raise DomainError(END_BEFORE_START, field=field)


class SessionQuerySet(models.QuerySet):
    def for_project(self, project):
        return self.filter(project=project)


class Session(models.Model):
    """One timed block whose attendance counts: one video-conference meeting (digital), one sitting in a
    room (in person), or both (hybrid: a room and a link)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    join_url = models.URLField("link to join", blank=True, help_text="Shown to participants only.")
    room = models.CharField(
        max_length=200, blank=True, help_text="In person or hybrid: where the session takes place (e.g. Hall B)."
    )
    # Raised by every change to the session or its agenda items: the iCalendar SEQUENCE.
    revision = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(name="session_ends_after_start", condition=ENDS_AFTER_START),
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


class ResourcePerson(models.Model):
    """An expert speaker of one project (no account needed)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="resource_persons")
    name = models.CharField(max_length=150)
    title = models.CharField(max_length=150, blank=True, help_text="Position, e.g. Director General.")
    organization = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=100, blank=True)
    email = models.EmailField(
        "e-mail", blank=True, help_text="For the Secretariat's messages to the resource persons; not published."
    )
    category = models.CharField(
        "overseas or local",
        max_length=10,
        # A resource person is overseas or local whatever the shape of the participants' quotas.
        choices=[(Category.OVERSEAS, Category.OVERSEAS.label), (Category.LOCAL, Category.LOCAL.label)],
        default=Category.OVERSEAS,
        help_text="Local: from the host country.",
    )
    biography = models.TextField(blank=True, help_text="A short biography, shown in the programme.")
    local_honorarium = models.BooleanField(
        "APO honorarium", default=False, help_text="The APO pays an honorarium for at most two local resource persons."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint("project", Lower("name"), name="resource_person_unique_name"),
            models.CheckConstraint(
                name="resource_person_honorarium_only_local",
                condition=Q(local_honorarium=False) | Q(category=Category.LOCAL),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.project_id})"


class AgendaItem(models.Model):
    """An ordered part of a session, shown in the programme but not attended separately."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=AgendaItemKind.choices, default=AgendaItemKind.PRESENTATION)
    title = models.CharField(max_length=250)
    topics = models.TextField(blank=True, help_text="One per line.")
    description = models.TextField(blank=True)
    speakers = models.ManyToManyField(ResourcePerson, blank=True, related_name="agenda_items")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="agenda_item_unique_position"),
            models.CheckConstraint(name="agenda_item_ends_after_start", condition=ENDS_AFTER_START),
        ]

    def __str__(self):
        return f"{self.position}. {self.title} ({self.session_id})"

    @property
    def topic_list(self):
        return [line.strip() for line in self.topics.splitlines() if line.strip()]


def programme_pdf_upload_to(instance, filename):
    # Under no public URL: served by the programme's view, which decides who sees participants' names.
    return f"private/programmes/{instance.project_id}/{filename}"


class ProgrammeVersion(models.Model):
    """One published state of a project's programme: numbered, with a change note and a snapshot.

    The public page, the iCalendar feed, the PDF and the e-mails are made from the snapshot,
    so what people see is exactly what was published, whatever the draft holds meanwhile.
    Its notice goes to each person once: the outbox rows keyed `NOTICE_KEY<pk>:<e-mail>` say
    to whom it was written and whether it went out.
    """

    NOTICE_KEY = "programme:"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="programme_versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    change_note = models.TextField(blank=True)
    with_participants = models.BooleanField(default=False, help_text="Announced with the selected participants.")
    snapshot = models.JSONField(encoder=DjangoJSONEncoder)
    changes = models.JSONField(default=list, blank=True, help_text="What changed since the previous version.")
    # The printable programme of this version, rendered once by the worker and served from storage:
    # for every visitor, and (when announced with participants) with their names for those taking part.
    pdf = models.FileField(upload_to=programme_pdf_upload_to, max_length=200, blank=True)
    pdf_with_participants = models.FileField(upload_to=programme_pdf_upload_to, max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="programme_version_unique_number"),
            models.CheckConstraint(name="programme_version_number_positive", condition=Q(number__gt=0)),
        ]

    def __str__(self):
        return f"Programme of {self.project_id}, version {self.number}"


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
    # Attendance import fields: the import the values came from, and a hand-made
    # change that overrides what a report said (kept, and flagged, when a corrected report arrives).
    import_ref = models.ForeignKey(
        "AttendanceImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="attendances"
    )
    manual_override = models.BooleanField(default=False, help_text="Marked by hand over an imported value.")
    report_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seconds the latest imported report gave (kept beside a hand-made change)."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "session"], name="attendance_one_per_participant_session"),
        ]

    def __str__(self):
        return f"{self.participant} @ {self.session}: {'present' if self.present else 'absent'}"


class AttendanceImport(models.Model):
    """One uploaded video-conference report for one session: its parse, then (once confirmed) its effect.

    The file itself is not kept: its parsed rows (naive local times, as in the report) are stored
    here, with the SHA-256 of the bytes so that re-importing the same report changes nothing.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance_imports")
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW)
    file_name = models.CharField(max_length=255, blank=True)
    file_hash = models.CharField(max_length=64, help_text="SHA-256 of the uploaded bytes.")
    variant = models.CharField(max_length=40, blank=True, help_text="Which Zoom report format it was.")
    time_zone = models.CharField(max_length=64, help_text="The zone the report's times are read in.")
    meta = models.JSONField(default=dict, blank=True, help_text="The report's metadata block, if any.")
    rows = models.JSONField(default=list, blank=True, help_text="Parsed connection rows.")
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session"], condition=Q(status=ImportStatus.CONFIRMED), name="attendance_import_one_live"
            ),
        ]

    def __str__(self):
        return f"Report {self.file_name or self.pk} for {self.session.title} ({self.get_status_display()})"

    @property
    def project(self):
        return self.session.project


class ReportMapping(models.Model):
    """A report row's e-mail or display name resolved by a person: to a participant, or ignored.

    Remembered per project, so the same guest or renamed device is resolved once for every session.
    `key` is ``email:<address>`` or ``name:<normalized name>``.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="report_mappings")
    key = models.CharField(max_length=300)
    label = models.CharField(max_length=300, blank=True, help_text="The name as the report showed it.")
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="report_mappings"
    )
    ignored = models.BooleanField(default=False, help_text="A guest, speaker or staff member: not a participant.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="report_mapping_one_per_key"),
            models.CheckConstraint(
                name="report_mapping_participant_xor_ignored",
                condition=Q(participant__isnull=False, ignored=False) | Q(participant__isnull=True, ignored=True),
            ),
        ]

    def __str__(self):
        target = "ignored" if self.ignored else str(self.participant_id)
        return f"{self.project_id}: {self.key} -> {target}"
