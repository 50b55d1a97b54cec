from django.db import models


class Modality(models.TextChoices):
    DIGITAL_MULTICOUNTRY = "digital_multicountry", "Digital multicountry"
    IN_PERSON = "in_person", "In person"
    HYBRID = "hybrid", "Hybrid"


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", "Secretariat admin"
    NPO_OFFICER = "npo_officer", "NPO officer"
    IMPLEMENTER = "implementer", "Host-side implementer"


class Category(models.TextChoices):
    """A nominee's category: local means from the host country. A project with one total quota for
    all countries (QuotaShape.TOTAL) has a single category, `all`, the host's nominees included."""

    OVERSEAS = "overseas", "Overseas"
    LOCAL = "local", "Local"
    ALL = "all", "Participant"


class QuotaShape(models.TextChoices):
    """How a notification states its numbers of participants."""

    OVERSEAS_LOCAL = "overseas_local", "Overseas and local participants (two quotas)"
    TOTAL = "total", "One total for all countries, the host included (no local category)"


class CapScope(models.TextChoices):
    """Whom a per-country cap counts."""

    OVERSEAS = "overseas", "Overseas participants only (the host's are bounded by the local quota)"
    EVERYONE = "everyone", "Every country's participants, the host's included"


class ProjectPhase(models.TextChoices):
    DRAFT = "draft", "Draft"
    NOMINATIONS_OPEN = "nominations_open", "Nominations open"
    SELECTION = "selection", "Selection"
    PROGRAMME_PUBLISHED = "programme_published", "Programme published"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    CERTIFICATES_ISSUED = "certificates_issued", "Certificates issued"


class InvitationPurpose(models.TextChoices):
    """Why someone was invited: it decides the e-mail's wording and where they land."""

    NPO_OFFICER = "npo_officer", "NPO officer"
    IMPLEMENTER = "implementer", "Host-side implementer"
    PARTICIPANT = "participant", "Participant"
    CANDIDATE = "candidate", "Candidate"


class OutboxCause(models.TextChoices):
    """Why the portal wrote an e-mail: the outbox is filtered by it."""

    INVITATION = "invitation", "Invitation"
    INVITATION_RENEWED = "invitation_renewed", "Invitation renewed (to the inviter)"
    DEADLINE_EXTENDED = "deadline_extended", "Deadline extended"
    NOTIFICATION_ISSUED = "notification_issued", "Notification issued"
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    SELECTION_RESULTS = "selection_results", "Selection results"
    PROGRAMME_VERSION = "programme_version", "Programme version"
    CERTIFICATE_READY = "certificate_ready", "Certificate ready"
    NOMINATION_WITHDRAWN = "nomination_withdrawn", "Nomination withdrawn"
    CERTIFICATE_REVOKED = "certificate_revoked", "Certificate revoked"
    ELIGIBILITY_LOST = "eligibility_lost", "Certificate holders no longer eligible"
    MESSAGE = "message", "Written by the Secretariat"
    SEAT_REMINDER = "seat_reminder", "Seat confirmation reminder"
    REPLACEMENT_WINDOW = "replacement_window", "Replacement window opened"
    EVALUATION_REMINDER = "evaluation_reminder", "Evaluation reminder"
    CANDIDATE_READY = "candidate_ready", "A candidate's biodata is ready for the NPO"
    CHANGE_REQUESTED = "change_requested", "The NPO asks a candidate for a change"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    HELD = "held", "Not sent (held)"
    CANCELLED = "cancelled", "Cancelled"
