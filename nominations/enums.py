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
    """Where a nominee works: the public-sector kinds first, then the others APO projects draw from
    (an agriculture workshop nominates farmers, cooperatives and agribusinesses). The statistics,
    the dashboard and the export list them in this order."""

    MINISTRY = "ministry", "Government ministry/agency"
    LOCAL_GOVERNMENT = "local_government", "Local government unit"
    ENTERPRISE = "enterprise", "Government enterprise"
    PUBLIC_ORGANIZATION = "public_organization", "Public organization"
    PRODUCTIVITY_ORGANIZATION = "productivity_organization", "National productivity organization (NPO)"
    EXTENSION_SERVICE = "extension_service", "Public extension or research service"
    PRIVATE_COMPANY = "private_company", "Private company"
    SME = "sme", "Small or medium enterprise"
    COOPERATIVE = "cooperative", "Cooperative"
    FARM = "farm", "Farm or agribusiness"
    INDUSTRY_ASSOCIATION = "industry_association", "Industry or trade association"
    NGO = "ngo", "Nongovernmental organization (NGO)"
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
