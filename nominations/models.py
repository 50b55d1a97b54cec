"""Nominations made by NPOs, the Secretariat's selection decisions, and participants."""

import uuid
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from apopms.enums import CapScope, Category
from apopms.models import MemberCountry, Project, long_date
from apopms.timezones import zone_label

from .enums import (
    Decision,
    EnglishProficiency,
    Gender,
    ImportStatus,
    NominationStatus,
    OrganizationType,
    ParticipantStatus,
    nomination_state,
)


def cv_upload_to(instance, filename):
    # Unguessable, and never under a public URL: files are served by a permission-checked view.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"private/nominations/{instance.project_id}/{uuid.uuid4().hex}.{ext}"


class NominationQuerySet(models.QuerySet):
    def for_country(self, country):
        return self.filter(country=country)

    def for_project(self, project):
        return self.filter(project=project)

    def submitted(self):
        return self.filter(status=NominationStatus.SUBMITTED)

    def holding_seats(self):
        """The nominations that take a seat: submitted, selected, and not withdrawn as participants."""
        return self.filter(status=NominationStatus.SUBMITTED, decision=Decision.SELECTED).exclude(
            participant__status=ParticipantStatus.WITHDRAWN
        )

    def seats_by_category(self):
        """{category: seats taken}, counted against the category's quota."""
        rows = self.holding_seats().order_by().values_list("category").annotate(n=models.Count("pk"))
        return dict(rows)

    def seats_by_country(self):
        """{country id: seats taken}, every category."""
        rows = self.holding_seats().order_by().values_list("country").annotate(n=models.Count("pk"))
        return dict(rows)

    def cap_seats_by_country(self, project):
        """{country id: seats taken against `project`'s per-country cap}.

        By default the cap counts overseas participants: the host's are bounded by the local quota
        and do not count. A cap for everyone (`CapScope.EVERYONE`) counts the host too
        (`Project.cap_counts_country`). Selection and the project edit both count with this.
        """
        if project.per_country_cap is None:
            return {}
        qs = self.filter(project=project)
        if project.cap_scope != CapScope.EVERYONE:
            qs = qs.exclude(country_id=project.host_country_id)
        return qs.seats_by_country()

    def visible_to(self, user, project):
        """What `user` may see of `project`'s nominations (none, if no role applies)."""
        qs = self.filter(project=project)
        if user.is_secretariat:
            return qs
        country = user.npo_country
        if user.is_implementer_of(project):
            cond = Q(country=project.host_country_id)  # the host's own people
            if country is not None:
                cond |= Q(country=country)
            return qs.filter(cond)
        if country is not None:
            return qs.filter(country=country)
        return qs.none()


class Nomination(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="nominations")
    country = models.ForeignKey(MemberCountry, on_delete=models.PROTECT, related_name="nominations")
    category = models.CharField(max_length=10, choices=Category.choices)
    status = models.CharField(max_length=10, choices=NominationStatus.choices, default=NominationStatus.DRAFT)
    priority = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The NPO's rank, 1 = first choice.")

    certificate_name = models.CharField(
        "name for the certificate", max_length=150, help_text="As it should appear on the certificate, Latin script."
    )
    native_name = models.CharField(
        "name in own script", max_length=150, blank=True, help_text="Optional: the name in the candidate's script."
    )
    gender = models.CharField(max_length=10, choices=Gender.choices)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField("e-mail")
    phone = models.CharField(max_length=40, blank=True)
    organization = models.CharField(max_length=200)
    organization_type = models.CharField(max_length=30, choices=OrganizationType.choices)
    position = models.CharField("position/title", max_length=150)
    years_experience = models.PositiveSmallIntegerField("years of relevant experience", null=True, blank=True)
    statement = models.TextField(
        blank=True,
        max_length=3000,
        help_text="How the candidate meets the qualifications and will apply the learning (at most 3,000 characters).",
    )
    english_proficiency = models.CharField(max_length=10, choices=EnglishProficiency.choices, blank=True)
    cv = models.FileField("CV or biodata form", upload_to=cv_upload_to, blank=True, max_length=200)
    cv_original_name = models.CharField(max_length=200, blank=True)

    is_late = models.BooleanField(default=False, help_text="Made by the Secretariat after the deadline.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    # The Secretariat's selection decision; undoable until the selection is published.
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    reserve_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Made in a country's replacement window after a dropout (`ReplacementWindow`), not in the first round.
    replacement_window = models.ForeignKey(
        "ReplacementWindow", null=True, blank=True, on_delete=models.PROTECT, related_name="nominations"
    )
    # Set when the person's data was erased (retention or request): the e-mail then reads
    # `erased-<pk>@erased.invalid`, the other personal fields are blank (apopms.privacy).
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)
    # When the NPO officer confirmed the candidate was given the privacy notice of the form.
    candidate_informed_at = models.DateTimeField(null=True, blank=True)
    # Self-service (`services.candidates`): the candidate's own account, when they last sent it to
    # the NPO, and the NPO's last request for a change (shown to the candidate until they send again).
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidacies"
    )
    handed_in_at = models.DateTimeField(null=True, blank=True)
    change_request = models.TextField(blank=True, max_length=2000)
    change_requested_at = models.DateTimeField(null=True, blank=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "project",
                Lower("email"),
                condition=~Q(status=NominationStatus.WITHDRAWN),
                name="nomination_one_per_person_and_project",
            ),
            models.UniqueConstraint(
                fields=["project", "country", "priority"],
                condition=Q(status=NominationStatus.SUBMITTED, priority__isnull=False),
                name="nomination_unique_priority",
            ),
            models.CheckConstraint(
                name="nomination_decision_only_when_submitted",
                condition=Q(decision="") | Q(status=NominationStatus.SUBMITTED),
            ),
            models.CheckConstraint(
                name="nomination_statement_at_most_3000",
                condition=LessThanOrEqual(Length("statement"), 3000),
            ),
            models.UniqueConstraint(
                fields=["project", "candidate"],
                condition=Q(candidate__isnull=False),
                name="nomination_one_per_candidate",
            ),
            models.CheckConstraint(  # waiting for the NPO: handed in by its candidate, not ranked
                name="nomination_with_npo_handed_in_unranked",
                condition=~Q(status=NominationStatus.WITH_NPO) | Q(handed_in_at__isnull=False, priority__isnull=True),
            ),
            models.CheckConstraint(
                name="nomination_reserve_rank_only_for_reserve",
                condition=Q(reserve_rank__isnull=True) | Q(decision=Decision.RESERVE),
            ),
        ]
        indexes = [models.Index(fields=["project", "country", "status"])]

    def __str__(self):
        return f"{self.certificate_name} ({self.country.iso2 if self.country_id else '?'}, {self.project_id})"

    @property
    def state(self):
        """Draft/submitted/withdrawn; after the selection is published, selected/reserve/not selected
        (a replacement stays submitted until the Secretariat decides on it).

        Decisions stay internal until `project.selection_published_at` is set.
        """
        return nomination_state(
            self.status,
            self.decision,
            replacement=self.replacement_window_id is not None,
            published=self.project.selection_published_at is not None,
        )

    def get_state_display(self):
        return self.state.label

    @property
    def is_open_for_npo(self):
        """Whether an NPO officer may still change it (before the deadline, or while the replacement
        window it was made in is open; not withdrawn, not decided)."""
        if self.status == NominationStatus.WITHDRAWN:
            return False
        if self.replacement_window_id is not None:
            return not self.decision and self.replacement_window.is_open()
        return self.project.accepts_nominations()


class ParticipantQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ParticipantStatus.ACTIVE)

    def for_project(self, project):
        return self.filter(project=project)

    def for_country(self, country):
        return self.filter(country=country)


class Participant(models.Model):
    """A selected nominee, made when the selection is published."""

    nomination = models.OneToOneField(Nomination, on_delete=models.PROTECT, related_name="participant")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    country = models.ForeignKey(MemberCountry, on_delete=models.PROTECT, related_name="participants")
    category = models.CharField(max_length=10, choices=Category.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="participations")
    certificate_name = models.CharField(max_length=150)
    native_name = models.CharField(max_length=150, blank=True)
    status = models.CharField(max_length=10, choices=ParticipantStatus.choices, default=ParticipantStatus.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    invited_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    # The participant's answer to the selection: confirmed their seat, or declined it (a dropout,
    # so also withdrawn). A confirmed participant who leaves later is withdrawn, not declined.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="participant_one_per_user_and_project"),
            models.CheckConstraint(
                name="participant_declined_is_withdrawn",
                condition=Q(declined_at__isnull=True)
                | Q(status=ParticipantStatus.WITHDRAWN, confirmed_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.certificate_name} ({self.country.iso2 if self.country_id else '?'}, {self.project_id})"

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.user.time_zone or self.country.time_zone)


def end_of_day_text(at, project):
    """'the end of 1 February 2031, Colombo (UTC+05:30)': a deadline set as a day in the project's zone."""
    day = Project.closing_date_for(at, project.zone)
    return f"the end of {long_date(day)}, {zone_label(project.zone, at)}"


class SeatConfirmation(models.Model):
    """The date by which a project's selected participants confirm their seat, set by the Secretariat.

    `due_at` is the end of the chosen day in the project's zone; afterwards no one confirms or
    declines on the portal (the Secretariat withdraws whoever drops out later), except participants
    selected after it (replacements), whom the date does not bind.
    """

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="seat_confirmation")
    due_at = models.DateTimeField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Seats of project {self.project_id} confirmed by {self.due_at.isoformat()}"

    def is_open(self, at=None):
        return (at or timezone.now()) < self.due_at

    def binds(self, participant):
        """Whether the date applies to `participant`: not to one selected after it (a replacement)."""
        return participant.created_at < self.due_at

    def is_open_for(self, participant, at=None):
        return self.is_open(at) or not self.binds(participant)

    @property
    def due_date(self):
        return Project.closing_date_for(self.due_at, self.project.zone)

    @property
    def due_text(self):
        return end_of_day_text(self.due_at, self.project)


class ReplacementWindow(models.Model):
    """After dropouts, one country's NPO may nominate up to `seats` replacements until `closes_at`.

    Separate from the nomination deadline: it opens nothing for the other countries. One per
    project and country; a later dropout adds seats to it and may move its date.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="replacement_windows")
    country = models.ForeignKey(MemberCountry, on_delete=models.PROTECT, related_name="+")
    seats = models.PositiveSmallIntegerField()
    closes_at = models.DateTimeField(help_text="The end of the closing day in the project's zone.")
    reason = models.TextField(blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "country"], name="replacement_window_one_per_country"),
            models.CheckConstraint(name="replacement_window_at_least_one_seat", condition=Q(seats__gte=1)),
            models.CheckConstraint(
                name="replacement_window_closes_after_opening", condition=Q(closes_at__gt=models.F("opened_at"))
            ),
        ]

    def __str__(self):
        return f"Replacements for {self.country_id} in project {self.project_id} until {self.closes_at.isoformat()}"

    def is_open(self, at=None):
        return (at or timezone.now()) < self.closes_at

    @property
    def closing_date(self):
        return Project.closing_date_for(self.closes_at, self.project.zone)

    @property
    def closes_text(self):
        return end_of_day_text(self.closes_at, self.project)


class SelectionNotice(models.Model):
    """The one e-mail an NPO gets with its country's selection results, made at publication; whether it
    was sent is its outbox rows' to say (`nominations.emails.queue_selection_results`)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="selection_notices")
    country = models.ForeignKey(MemberCountry, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "country"], name="selection_notice_one_per_country"),
        ]

    def __str__(self):
        return f"Selection results for {self.country_id} in project {self.project_id}"


class NominationImport(models.Model):
    """One uploaded spreadsheet of one NPO's nominations, read once by the worker (then deleted; the rows
    kept as JSON), then imported. Progress lives in the cache (`services.imports.get_progress`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="nomination_imports")
    country = models.ForeignKey(MemberCountry, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.READING)
    file = models.FileField(upload_to="private/imports/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    date_order = models.CharField(max_length=3, blank=True, help_text="dmy or mdy as chosen, or blank.")
    rows = models.JSONField(default=list, blank=True, help_text="Parsed rows: line, data, errors, present.")
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Import {self.file_name or self.pk} for {self.country_id} in project {self.project_id}"
