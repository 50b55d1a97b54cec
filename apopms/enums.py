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
    """A nominee's category: local means from the host country."""

    OVERSEAS = "overseas", "Overseas"
    LOCAL = "local", "Local"


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
