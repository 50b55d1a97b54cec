"""Certificates of attendance, the numbers reserved for them, and issuing batches."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apopms.models import Project
from nominations.models import Participant


def certificate_upload_to(instance, filename):
    # Never under a public URL: served by a permission-checked view only.
    return f"private/certificates/{instance.project_id}/{filename}"


# The outbox key of a certificate's "ready" e-mail, + its pk: that row says whether the holder was told.
READY_KEY = "certificate-ready:"


class CertificateQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)

    def revoked(self):
        return self.filter(revoked_at__isnull=False)

    def for_project(self, project):
        return self.filter(project=project)


class Certificate(models.Model):
    """One certificate of attendance: a snapshot of what it certifies and its PDF.

    A reissue is a new row (new number and code); the revoked one stays.
    """

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="certificates")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="certificates")
    serial = models.PositiveIntegerField(help_text="Running number within the project.")
    number = models.CharField(max_length=60, unique=True, help_text="Readable: project code and serial.")
    verification_code = models.CharField(max_length=40, unique=True)
    snapshot = models.JSONField(encoder=DjangoJSONEncoder, help_text="What was certified, as printed.")
    pdf = models.FileField(upload_to=certificate_upload_to, max_length=200)
    pdf_size = models.PositiveIntegerField(default=0)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.TextField(blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_live_per_participant",
            ),
            models.UniqueConstraint(fields=["project", "serial"], name="certificate_unique_serial"),
            models.CheckConstraint(
                name="certificate_revocation_has_reason",
                condition=Q(revoked_at__isnull=True, revocation_reason="")
                | (Q(revoked_at__isnull=False) & ~Q(revocation_reason="")),
            ),
        ]
        indexes = [models.Index(fields=["project", "revoked_at"])]

    def __str__(self):
        return f"{self.number} {self.snapshot.get('certificate_name', '')}".strip()

    def get_absolute_url(self):
        return reverse("certificates:download", kwargs={"number": self.number})

    @property
    def is_live(self):
        return self.revoked_at is None

    def verification_url(self):
        return settings.SITE_URL + reverse("certificates:verify", kwargs={"code": self.verification_code})


class SerialReservation(models.Model):
    """A serial number set aside for a participant before their PDF is rendered.

    Numbers are allocated under the project's row lock in a short transaction of their
    own, so that rendering (the slow part) runs in parallel; a worker that dies after
    reserving leaves only this row, which the next run reuses: no gaps, no duplicates.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="+")
    serial = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "serial"], name="reservation_unique_serial")]

    def __str__(self):
        return f"{self.project_id}/{self.serial} for {self.participant_id}"


class IssueBatchQuerySet(models.QuerySet):
    def for_project(self, project):
        return self.filter(project=project)


class IssueBatch(models.Model):
    """One "issue certificates" run of the Secretariat for a project.

    Counts are derived from the rows (eligible participants, live certificates,
    failures), never kept as counters that concurrent workers could get wrong.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="certificate_batches")
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    eligible_at_start = models.PositiveIntegerField(default=0)
    # Set for a batch of one ("Issue this one", a reissue): it ends when that participant holds a certificate.
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = IssueBatchQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "issue batches"

    def __str__(self):
        return f"Batch {self.pk} of {self.project_id} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def running(self):
        return self.finished_at is None


class IssueFailure(models.Model):
    """A participant whose certificate could not be made in a batch, and why. Deleted when it is made."""

    batch = models.ForeignKey(IssueBatch, on_delete=models.CASCADE, related_name="failures")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    attempts = models.PositiveSmallIntegerField(default=1)
    failed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "participant"], name="failure_one_per_participant")]

    def __str__(self):
        return f"{self.participant_id}: {self.reason[:60]}"
