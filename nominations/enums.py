from django.db import models


class NominationStatus(models.TextChoices):
    """A nomination's status. Only SUBMITTED (by the NPO: made by it, or a candidate's biodata it
    endorsed) counts as submitted by the country; WITH_NPO is a candidate's biodata waiting for the
    NPO's review (`nominations.services.candidates`)."""

    DRAFT = "draft", "Draft"
    WITH_NPO = "with_npo", "With the NPO"
    SUBMITTED = "submitted", "Submitted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class NominationState(models.TextChoices):
    """What an NPO sees of a nomination: its status, and once the selection is published, the decision."""

    DRAFT = "draft", "Draft"
    WITH_NPO = "with_npo", "With the NPO"
    SUBMITTED = "submitted", "Submitted"
    WITHDRAWN = "withdrawn", "Withdrawn"
    SELECTED = "selected", "Selected"
    RESERVE = "reserve", "Reserve"
    NOT_SELECTED = "not_selected", "Not selected"


class Decision(models.TextChoices):
    SELECTED = "selected", "Selected"
    RESERVE = "reserve", "Reserve"
    DECLINED = "declined", "Not selected"


def nomination_state(status, decision, *, replacement, published):
    """What an NPO sees of a nomination (`Nomination.state`) from its columns, for lists that read
    rows without making model instances."""
    if status != NominationStatus.SUBMITTED or not published:
        return NominationState(status)
    if not decision and replacement:
        return NominationState.SUBMITTED  # a replacement awaiting the Secretariat's decision
    if decision == Decision.SELECTED:
        return NominationState.SELECTED
    if decision == Decision.RESERVE:
        return NominationState.RESERVE
    return NominationState.NOT_SELECTED


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
