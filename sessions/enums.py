from django.db import models


class AttendanceSource(models.TextChoices):
    REPORT = "report", "Imported report"
    MANUAL = "manual", "Marked by hand"


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", "Preview (nothing saved yet)"
    QUEUED = "queued", "Being saved"
    CONFIRMED = "confirmed", "Confirmed"
    REPLACED = "replaced", "Replaced by a corrected report"
    DISCARDED = "discarded", "Discarded"
    FAILED = "failed", "Failed"


class AgendaItemKind(models.TextChoices):
    OPENING = "opening", "Opening"
    PRESENTATION = "presentation", "Presentation"
    GROUP_DISCUSSION = "group_discussion", "Group discussion"
    SITE_VISIT = "site_visit", "Site visit"
    VIRTUAL_SITE_VISIT = "virtual_site_visit", "Virtual site visit"
    PLANNING_WORKSHOP = "planning_workshop", "Strategic planning workshop"
    BREAK = "break", "Break"
    CLOSING = "closing", "Closing"
