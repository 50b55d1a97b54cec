"""The APO project (a workshop) as its notification describes it, and the notification's revisions."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from ..enums import CapScope, Modality, ProjectPhase, QuotaShape
from .people import MemberCountry, validate_time_zone
from .project_types import PROJECT_TYPES, project_type_code
from .quotas import QuotaShapeMixin


def long_date(value):
    """'24 August 2022': how dates read in the portal's messages."""
    return date_format(value, "j F Y")


def end_date_problem(start_date, end_date):
    """What is wrong with a project's dates, or None: the one rule "the end is not before the start".

    Used by Project.clean (the back office) and services.validate_project (the portal's forms);
    the database enforces it too (CheckConstraint project_end_not_before_start).
    """
    if start_date and end_date and end_date < start_date:
        return f"The end date ({long_date(end_date)}) is before the start date ({long_date(start_date)})."
    return None


class ProjectQuerySet(models.QuerySet):
    def lock(self, pk):
        """The project row, locked until the transaction ends.

        Every decision on something scarce or once-only within a project (seats against the quotas
        and the cap, certificate numbers, the nomination deadline, the programme's versions) takes
        this lock first, so concurrent decisions queue instead of both passing their checks.
        """
        return self.select_for_update(of=("self",)).select_related("host_country").get(pk=pk)

    def lock_shared(self, pk):
        """The project row, share-locked until the transaction ends (PostgreSQL `FOR SHARE`).

        Nominations' saves, submissions and imports take it: they never wait for one another, but
        they wait for, and hold off, the exclusive `lock` of whoever closes, extends or publishes,
        so the deadline they check stays true until they commit. A plain read on other databases.
        """
        connection = connections[self.db]
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(self.model._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR SHARE", [pk])  # noqa: S608 - our table's name
        return self.select_related("host_country").get(pk=pk)

    def lock_country(self, project_id, country_id):
        """A lock per (project, country) until the transaction ends: one country's priorities and
        imports change one at a time. A PostgreSQL advisory lock (two int4 keys: project, country)
        taken after `lock_shared`; nothing elsewhere, where transactions are serial anyway."""
        connection = connections[self.db]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [project_id, country_id])

    def for_country(self, country):
        """The projects `country` may nominate to: invited, or the host of a project whose quotas
        give the host seats (see Project.accepts_country)."""
        return self.filter(invites_q(country) | hosted_with_seats_q(country))

    def published(self):
        return self.filter(notification_issued_at__isnull=False)


def invites_q(country):
    """Projects whose notification invites `country`: a subquery rather than a join, which would
    repeat a project once per invited country and need DISTINCT over all its columns."""
    return Q(
        Exists(Project.participating_countries.through.objects.filter(project=OuterRef("pk"), membercountry=country))
    )


def hosted_with_seats_q(country_or_countries):
    """Projects hosted by the country (or one of the countries) that give the host seats."""
    many = not isinstance(country_or_countries, MemberCountry)
    host = Q(host_country__in=country_or_countries) if many else Q(host_country=country_or_countries)
    return host & (Q(quota_shape=QuotaShape.TOTAL) | Q(local_quota__gt=0))


def default_topics():
    return []


class Project(QuotaShapeMixin, models.Model):
    """An APO project (a workshop) as its project notification describes it."""

    code = models.CharField(max_length=40, unique=True, help_text="APO project code, e.g. 22-CP-45-GE-DLN-B.")
    title = models.CharField(max_length=250)
    edition_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="editions")
    modality = models.CharField(max_length=30, choices=Modality.choices, default=Modality.DIGITAL_MULTICOUNTRY)
    host_country = models.ForeignKey(MemberCountry, on_delete=models.PROTECT, related_name="hosted_projects")
    implementing_organizations = models.TextField(help_text="One per line.")
    participating_countries = models.ManyToManyField(
        MemberCountry,
        related_name="projects",
        help_text="The countries the notification invites. The host nominates too when the quotas give it seats "
        "(a local quota, or one total for all countries).",
    )
    notification_date = models.DateField(
        "PN issue date",
        null=True,
        blank=True,
        help_text="The date printed on the project notification (empty: the day it is issued in the portal).",
    )
    start_date = models.DateField()
    end_date = models.DateField()
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone], help_text="The host's zone.")
    venue = models.CharField(max_length=200, blank=True, help_text="For in-person and hybrid projects.")
    nomination_deadline = models.DateTimeField(
        help_text="Nominations are refused after this instant (by default the end of the closing date "
        "in the project's zone)."
    )
    nominations_open = models.BooleanField(default=True)
    nominations_closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When nominations were last closed by hand (empty while open)."
    )
    quota_shape = models.CharField(
        "numbers of participants", max_length=20, choices=QuotaShape.choices, default=QuotaShape.OVERSEAS_LOCAL
    )
    overseas_quota = models.PositiveSmallIntegerField(default=0)
    local_quota = models.PositiveSmallIntegerField(default=0)
    total_quota = models.PositiveSmallIntegerField(
        "participants from all countries",
        default=0,
        help_text="Only with one total for all countries: the host's nominees count in it.",
    )
    quotas_up_to = models.BooleanField(
        "quotas are maxima (“Up to N”)", default=False, help_text="The notification says “Up to N participants”."
    )
    per_country_cap = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="At most this many participants from one country (empty: no cap)."
    )
    cap_scope = models.CharField("the cap counts", max_length=20, choices=CapScope.choices, default=CapScope.OVERSEAS)
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
    contact_email = models.EmailField(
        blank=True, help_text="The Secretariat's contact for this project: replies to the portal's e-mails go here."
    )
    signatory_name = models.CharField(max_length=120, default="Dr. AKP Mochtan")
    signatory_title = models.CharField(max_length=120, default="Secretary-General")

    # Lifecycle, written by the services of the apps that own each step.
    notification_issued_at = models.DateTimeField(null=True, blank=True)
    selection_published_at = models.DateTimeField(null=True, blank=True)
    programme_published_at = models.DateTimeField(null=True, blank=True)
    certificates_issued_at = models.DateTimeField(null=True, blank=True)
    # Retention of personal data (apopms.privacy): blank limits follow the settings' defaults.
    cv_retention_days = models.PositiveSmallIntegerField(null=True, blank=True)
    nominee_retention_months = models.PositiveSmallIntegerField(null=True, blank=True)
    participant_retention_years = models.PositiveSmallIntegerField(null=True, blank=True)
    purge_hold_reason = models.TextField(blank=True, help_text="While set, no personal data is purged.")
    cvs_purged_at = models.DateTimeField(null=True, blank=True)
    nominees_purged_at = models.DateTimeField(null=True, blank=True)
    participants_purged_at = models.DateTimeField(null=True, blank=True)
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
            # One total has no overseas/local split; two quotas have no total.
            models.CheckConstraint(
                name="project_quota_shape_fields",
                condition=(Q(quota_shape=QuotaShape.OVERSEAS_LOCAL) & Q(total_quota=0))
                | (Q(quota_shape=QuotaShape.TOTAL) & Q(overseas_quota=0, local_quota=0)),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.code})"

    def get_absolute_url(self):
        return reverse("project_detail", kwargs={"code": self.code})

    def clean(self):
        # The closing date's rule needs the services' view of the project (services.closing_date_problem);
        # the back office's form applies it (admin.ProjectAdminForm).
        errors = {}
        problem = end_date_problem(self.start_date, self.end_date)
        if problem:
            errors["end_date"] = problem
        # The constraint project_quota_shape_fields, said in words for the back office.
        if self.quota_shape == QuotaShape.TOTAL and (self.overseas_quota or self.local_quota):
            errors["quota_shape"] = "One total for all countries has no overseas or local quota: set both to 0."
        if self.quota_shape == QuotaShape.OVERSEAS_LOCAL and self.total_quota:
            errors["total_quota"] = "With overseas and local quotas, the total for all countries stays 0."
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

    @staticmethod
    def closing_date_for(deadline, zone):
        """The closing date a deadline ends, in `zone` (the inverse of deadline_for)."""
        return (deadline.astimezone(zone) - datetime.timedelta(microseconds=1)).date()

    @property
    def closing_date(self):
        """The last day nominations are accepted, in the project's zone."""
        return self.closing_date_for(self.nomination_deadline, self.zone)

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

    @property
    def project_type(self):
        """The type segment of the code ("WSP"), or ""."""
        return project_type_code(self.code)

    @property
    def project_type_label(self):
        code = self.project_type
        return PROJECT_TYPES.get(code, code)

    @property
    def is_in_person(self):
        return self.modality == Modality.IN_PERSON

    @property
    def is_digital(self):
        return self.modality == Modality.DIGITAL_MULTICOUNTRY

    @property
    def has_rooms(self):
        """In person or hybrid: sessions happen in a room."""
        return self.modality in (Modality.IN_PERSON, Modality.HYBRID)

    @property
    def has_links(self):
        """Digital or hybrid: sessions have a link to join."""
        return self.modality in (Modality.DIGITAL_MULTICOUNTRY, Modality.HYBRID)

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
