from django.db import models


class NominationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Decision(models.TextChoices):
    SELECTED = "selected", "Selected"
    RESERVE = "reserve", "Reserve"
    DECLINED = "declined", "Not selected"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other / prefer not to say"


class OrganizationType(models.TextChoices):
    MINISTRY = "ministry", "Government ministry/agency"
    LOCAL_GOVERNMENT = "local_government", "Local government unit"
    ENTERPRISE = "enterprise", "Government enterprise"
    PUBLIC_ORGANIZATION = "public_organization", "Public organization"
    ACADEMIC = "academic", "Academic institution"
    OTHER = "other", "Other"


class EnglishProficiency(models.TextChoices):
    FLUENT = "fluent", "Fluent"
    GOOD = "good", "Good"
    FAIR = "fair", "Fair"


class ParticipantStatus(models.TextChoices):
    ACTIVE = "active", "Participating"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ImportStatus(models.TextChoices):
    READING = "reading", "Reading the file"
    PREVIEW = "preview", "Ready to check"
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Importing"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
