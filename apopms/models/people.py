"""People: member countries and their NPOs, users, and the roles they hold."""

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from ..compiled import CompiledQuery, columns, parameter
from ..enums import Role


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

    # Roles. Memberships are prefetched once per request by the context processor. Only their
    # country is joined: the roles read `project_id`, and the project's fifty columns made this
    # query a noticeable part of every signed-in page (profiled for the load benchmark).
    def _memberships(self):
        if not hasattr(self, "_membership_cache"):
            self._membership_cache = active_memberships(self)
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


def _memberships_query():
    return Membership.objects.filter(user=parameter("user", number=True), active=True).values_list(
        *columns(Membership), *(f"country__{name}" for name in columns(MemberCountry))
    )


# Read on every signed-in page (the roles): compiled once per process, prepared on each connection.
_ACTIVE_MEMBERSHIPS = CompiledQuery(_memberships_query)


def active_memberships(user):
    """`user`'s active memberships, each with its country (if any) loaded."""
    own, country = columns(Membership), columns(MemberCountry)
    alias = Membership.objects.db
    memberships = []
    for row in _ACTIVE_MEMBERSHIPS.rows(alias, user=user.pk):
        membership = Membership.from_db(alias, own, row[: len(own)])
        if membership.country_id is not None:
            membership.country = MemberCountry.from_db(alias, country, row[len(own) :])
        memberships.append(membership)
    return memberships
