"""The core every app depends on: member countries, users and roles, projects, audit."""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from .enums import Category, InvitationPurpose, Modality, ProjectPhase, Role


def validate_time_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"“{value}” is not a known time zone.") from exc


class MemberCountryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class MemberCountry(models.Model):
    """An APO member economy and its National Productivity Organization."""

    iso2 = models.CharField("ISO code", max_length=2, unique=True)
    name = models.CharField(max_length=100, unique=True)
    joined_year = models.PositiveSmallIntegerField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    npo_name = models.CharField("NPO name", max_length=200)
    npo_name_verified = models.BooleanField("NPO name verified", default=False)
    active = models.BooleanField(default=True, help_text="Dormant members stay listed but take no part.")

    objects = MemberCountryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "member countries"

    def __str__(self):
        return self.name

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def normalize_email(self, email):
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email__iexact=(username or "").strip())

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with the e-mail address; roles are memberships."""

    email = models.EmailField("e-mail address", max_length=254, unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(
        max_length=64, blank=True, validators=[validate_time_zone], help_text="Shown times; empty: the country's."
    )
    is_staff = models.BooleanField(default=False, help_text="May log into the Django admin.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def clean(self):
        super().clean()
        self.email = User.objects.normalize_email(self.email)

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.get_full_name()

    # Roles. Memberships are prefetched once per request by the context processor.
    def _memberships(self):
        if not hasattr(self, "_membership_cache"):
            self._membership_cache = list(self.memberships.filter(active=True).select_related("country", "project"))
        return self._membership_cache

    @property
    def is_secretariat(self):
        return self.is_superuser or any(m.role == Role.SECRETARIAT for m in self._memberships())

    @property
    def npo_countries(self):
        return [m.country for m in self._memberships() if m.role == Role.NPO_OFFICER]

    @property
    def npo_country(self):
        """The one country this person is an NPO officer of, or None."""
        countries = self.npo_countries
        return countries[0] if countries else None

    def implementer_project_ids(self):
        return {m.project_id for m in self._memberships() if m.role == Role.IMPLEMENTER}

    def is_implementer_of(self, project):
        return project.pk in self.implementer_project_ids()

    def can_manage_programme(self, project):
        return self.is_secretariat or self.is_implementer_of(project)


class Membership(models.Model):
    """A role a person holds: Secretariat staff, officer of one NPO, or implementer of one project."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    country = models.ForeignKey(
        MemberCountry, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    project = models.ForeignKey(
        "apopms.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="membership_role_scope",
                condition=(
                    Q(role=Role.SECRETARIAT, country__isnull=True, project__isnull=True)
                    | Q(role=Role.NPO_OFFICER, country__isnull=False, project__isnull=True)
                    | Q(role=Role.IMPLEMENTER, project__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(role=Role.SECRETARIAT), name="membership_one_secretariat"
            ),
            # An NPO officer acts for exactly one member country.
            models.UniqueConstraint(
                fields=["user"], condition=Q(role=Role.NPO_OFFICER), name="membership_one_npo_country"
            ),
            models.UniqueConstraint(
                fields=["user", "project"], condition=Q(role=Role.IMPLEMENTER), name="membership_one_implementer"
            ),
        ]

    def __str__(self):
        scope = self.country or self.project or "APO"
        return f"{self.user.email}: {self.get_role_display()} ({scope})"


class ProjectQuerySet(models.QuerySet):
    def lock(self, pk):
        """The project row, locked until the transaction ends.

        Every decision on something scarce or once-only within a project (seats against the quotas
        and the cap, certificate numbers, the nomination deadline, the programme's versions) takes
        this lock first, so concurrent decisions queue instead of both passing their checks.
        """
        return self.select_for_update(of=("self",)).select_related("host_country").get(pk=pk)

    def for_country(self, country):
        return self.filter(participating_countries=country)

    def visible_to(self, user):
        if user.is_secretariat:
            return self
        ids = user.implementer_project_ids()
        countries = user.npo_countries
        return self.filter(
            Q(pk__in=ids) | Q(participating_countries__in=countries, notification_issued_at__isnull=False)
        ).distinct()

    def published(self):
        return self.filter(notification_issued_at__isnull=False)


def default_topics():
    return []


class Project(models.Model):
    """An APO project (a workshop) as its project notification describes it."""

    code = models.CharField(max_length=40, unique=True, help_text="APO project code, e.g. 22-CP-45-GE-DLN-B.")
    title = models.CharField(max_length=250)
    edition_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="editions")
    modality = models.CharField(max_length=30, choices=Modality.choices, default=Modality.DIGITAL_MULTICOUNTRY)
    host_country = models.ForeignKey(MemberCountry, on_delete=models.PROTECT, related_name="hosted_projects")
    implementing_organizations = models.TextField(help_text="One per line.")
    participating_countries = models.ManyToManyField(MemberCountry, related_name="projects")
    start_date = models.DateField()
    end_date = models.DateField()
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone], help_text="The host's zone.")
    venue = models.CharField(max_length=200, blank=True, help_text="For in-person and hybrid projects.")
    nomination_deadline = models.DateTimeField(
        help_text="Nominations are refused after this instant (by default the end of the closing date "
        "in the project's zone)."
    )
    nominations_open = models.BooleanField(default=True)
    overseas_quota = models.PositiveSmallIntegerField(default=0)
    local_quota = models.PositiveSmallIntegerField(default=0)
    per_country_cap = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="At most this many participants from one country (empty: no cap)."
    )
    min_attendance_share = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default="0.80",
        help_text="Share of a session's length a participant must attend to count as present.",
    )
    qualifications = models.TextField(blank=True)
    nomination_procedure = models.TextField(
        blank=True,
        default="All nominations must be submitted through National Productivity Organizations of member countries.",
    )
    objectives = models.TextField(blank=True)
    background = models.TextField(blank=True)
    scope_and_methodology = models.TextField(blank=True)
    topics_by_day = models.JSONField(
        default=default_topics, blank=True, help_text='A list of days, each a list of topics: [["…", "…"], ["…"]].'
    )
    certificate_rule = models.TextField(blank=True)
    financial_arrangements = models.TextField(blank=True)
    implementation_procedures = models.TextField(blank=True)
    signatory_name = models.CharField(max_length=120, default="Dr. AKP Mochtan")
    signatory_title = models.CharField(max_length=120, default="Secretary-General")

    # Lifecycle, written by the services of the apps that own each step.
    notification_issued_at = models.DateTimeField(null=True, blank=True)
    selection_published_at = models.DateTimeField(null=True, blank=True)
    programme_published_at = models.DateTimeField(null=True, blank=True)
    certificates_issued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(name="project_end_not_before_start", condition=Q(end_date__gte=F("start_date"))),
            models.CheckConstraint(
                name="project_min_share_range",
                condition=Q(min_attendance_share__gt=0, min_attendance_share__lte=1),
            ),
            models.CheckConstraint(
                name="project_cap_positive", condition=Q(per_country_cap__isnull=True) | Q(per_country_cap__gt=0)
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.code})"

    def get_absolute_url(self):
        return reverse("project_detail", kwargs={"code": self.code})

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date is before the start date."
        if self.nomination_deadline and self.start_date and self.time_zone:
            try:
                closing = self.nomination_deadline.astimezone(self.zone).date()
            except zoneinfo.ZoneInfoNotFoundError:
                closing = None
            if closing and closing >= self.start_date:
                errors["nomination_deadline"] = "The closing date must be before the start date."
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @staticmethod
    def deadline_for(closing_date, time_zone):
        """The end of the closing date in the zone: the instant 00:00 of the next day begins there."""
        next_day = closing_date + datetime.timedelta(days=1)
        return datetime.datetime.combine(next_day, datetime.time.min, tzinfo=zoneinfo.ZoneInfo(time_zone))

    @property
    def closing_date(self):
        """The last day nominations are accepted, in the project's zone."""
        return (self.nomination_deadline.astimezone(self.zone) - datetime.timedelta(microseconds=1)).date()

    @property
    def days(self):
        return (self.end_date - self.start_date).days + 1

    @property
    def implementing_organization_list(self):
        return [line.strip() for line in self.implementing_organizations.splitlines() if line.strip()]

    def deadline_passed(self, at=None):
        """Whether the nomination deadline has passed at instant `at` (now): the one reading of it."""
        return (at or timezone.now()) >= self.nomination_deadline

    def accepts_nominations(self, now=None):
        return self.nominations_open and self.notification_issued_at is not None and not self.deadline_passed(now)

    def category_for(self, country):
        return Category.LOCAL if country.pk == self.host_country_id else Category.OVERSEAS

    def quota_for(self, category):
        return self.local_quota if category == Category.LOCAL else self.overseas_quota

    def phase(self, now=None):
        now = now or timezone.now()
        if self.certificates_issued_at:
            return ProjectPhase.CERTIFICATES_ISSUED
        today = now.astimezone(self.zone).date()
        if today > self.end_date:
            return ProjectPhase.FINISHED
        if today >= self.start_date:
            return ProjectPhase.RUNNING
        if self.programme_published_at:
            return ProjectPhase.PROGRAMME_PUBLISHED
        if not self.notification_issued_at:
            return ProjectPhase.DRAFT
        if self.accepts_nominations(now):
            return ProjectPhase.NOMINATIONS_OPEN
        return ProjectPhase.SELECTION


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class AuditEntry(models.Model):
    """One thing that happened: who, what (dotted action), on what, in which project, when. Never edited."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=300, blank=True)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_entries")
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit entries are never edited.")
        super().save(*args, **kwargs)


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, voided_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """A single-use link, sent by e-mail, to set a password and take up a role.

    Only a hash of the token is stored. The token itself is derived from `nonce` with the
    SECRET_KEY (see apopms.services.invitation_token), so the e-mail task can rebuild the link
    from the primary key alone and a leaked database row is of no use.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    purpose = models.CharField(max_length=20, choices=InvitationPurpose.choices)
    country = models.ForeignKey(MemberCountry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations")
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    nonce = models.CharField(max_length=64, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True, help_text="Replaced by a newer link.")
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="invitation_expires_after_creation", condition=Q(expires_at__gt=F("created_at"))
            )
        ]

    def __str__(self):
        return f"Invitation {self.pk} of {self.user.email} ({self.get_purpose_display()})"

    def state(self, now=None):
        """'accepted', 'void', 'expired' or 'pending'."""
        if self.accepted_at:
            return "accepted"
        if self.voided_at:
            return "void"
        if (now or timezone.now()) >= self.expires_at:
            return "expired"
        return "pending"

    def is_usable(self, now=None):
        return self.state(now) == "pending"


class ProjectRevision(models.Model):
    """A change to a notification already issued: the notification's change history."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # [{"clause": "Timing", "text": "Timing changed from … to …", "old": …, "new": …}, …]
    changes = models.JSONField(default=list, encoder=DjangoJSONEncoder)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="project_revision_number_unique"),
            models.CheckConstraint(name="project_revision_number_positive", condition=Q(number__gt=0)),
        ]

    def __str__(self):
        return f"{self.project.code} revision {self.number}"

    @property
    def clauses(self):
        return [change["clause"] for change in self.changes]
