from django.db import models


class AttendanceSource(models.TextChoices):
    REPORT = "report", "Imported report"
    MANUAL = "manual", "Marked by hand"
