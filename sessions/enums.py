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
