"""Projects: create, edit, clone, issue the notification, open and close nominations, move the deadline."""

import datetime
import zoneinfo

from django.db import transaction
from django.utils import timezone

from .. import audit, emails
from ..exceptions import DomainError
from ..models import Project, long_date
from ..permissions import require_project_manager
from ..signals import project_cloned
from .attendance_share import share_changed
from .revisions import add_revision, describe_changes, notification_snapshot
from .validation import closing_date_problem, validate_project

# The fields of the notification a Secretariat admin edits in the portal.
PROJECT_FIELDS = (
    "code",
    "title",
    "modality",
    "host_country",
    "implementing_organizations",
    "start_date",
    "end_date",
    "time_zone",
    "venue",
    "notification_date",
    "quota_shape",
    "overseas_quota",
    "local_quota",
    "total_quota",
    "quotas_up_to",
    "per_country_cap",
    "cap_scope",
    "min_attendance_share",
    "qualifications",
    "nomination_procedure",
    "objectives",
    "background",
    "scope_and_methodology",
    "topics_by_day",
    "certificate_rule",
    "financial_arrangements",
    "implementation_procedures",
    "signatory_name",
    "signatory_title",
    "contact_email",
)
# Copied into a new edition by clone_project (dates are shifted, the code is new).
CLONED_FIELDS = tuple(f for f in PROJECT_FIELDS if f not in {"code", "start_date", "end_date", "notification_date"})


def _fit_quotas_to_shape(project):
    """One total has no overseas/local split, two quotas no total: the unused numbers are zero
    (the database's constraint project_quota_shape_fields says so too)."""
    if project.has_total_quota:
        project.overseas_quota = project.local_quota = 0
    else:
        project.total_quota = 0


def _deadline_or_none(closing_date, time_zone):
    """The deadline of a closing date, or None when the date or the zone is missing or wrong
    (validate_project then names the field)."""
    if closing_date is None:
        return None
    try:
        return Project.deadline_for(closing_date, time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return None


def create_project(*, actor, participating_countries, closing_date, **fields):
    """Create a draft project (notification not yet issued). Returns it.

    `fields` are any of PROJECT_FIELDS; the deadline is the end of `closing_date` in the
    project's time zone. Validation names every wrong field (DomainError.errors).
    Audit: apopms.project.created.
    """
    require_project_manager(actor)
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown project fields: {sorted(unknown)}")
    countries = list(participating_countries)
    with transaction.atomic():
        project = Project(**fields)
        _fit_quotas_to_shape(project)
        project.nomination_deadline = _deadline_or_none(closing_date, project.time_zone)
        validate_project(project, countries, closing_date=closing_date)
        project.save()
        project.participating_countries.set(countries)
        audit.record("apopms.project.created", actor=actor, target=project, code=project.code)
    return project


def update_project(*, actor, project, participating_countries=None, closing_date=None, note="", **fields):
    """Edit a project. When its notification was already issued and a clause changed, a
    ProjectRevision records which clauses changed and how, and the NPO officers of the
    participating countries are e-mailed the revision. Returns the project; its
    `attendance_share_change` is the ShareChange when the minimum attendance share changed
    (presence re-derived as by `set_min_attendance_share`), else None.

    Locks the project row, so quotas cannot drop below seats a concurrent selection takes.
    Audit: apopms.project.updated (and apopms.project.revised, apopms.project.attendance_share_set).
    """
    require_project_manager(actor)
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown project fields: {sorted(unknown)}")
    with transaction.atomic():
        project = Project.objects.lock(project.pk)
        project.attendance_share_change = None
        old_countries = list(project.participating_countries.all())
        countries = list(participating_countries) if participating_countries is not None else old_countries
        before = notification_snapshot(project, old_countries)
        before_raw = {name: getattr(project, name) for name in (*PROJECT_FIELDS, "nomination_deadline")}
        before_closing = project.closing_date
        for name, value in fields.items():
            setattr(project, name, value)
        _fit_quotas_to_shape(project)
        # Without a new closing date, the closing date stays the same day (also in a new zone).
        if closing_date is None:
            closing_date = before_closing
        project.nomination_deadline = _deadline_or_none(closing_date, project.time_zone) or project.nomination_deadline
        validate_project(project, countries, closing_date=closing_date, previous_closing_date=before_closing)
        after = notification_snapshot(project, countries)
        changes = describe_changes(before, after)
        changed_fields = [n for n, v in before_raw.items() if getattr(project, n) != v]
        if not changes and not changed_fields:
            return project
        project.save()
        if participating_countries is not None:
            project.participating_countries.set(countries)
        audit.record("apopms.project.updated", actor=actor, target=project, fields=changed_fields)
        if "min_attendance_share" in changed_fields:
            project.attendance_share_change = share_changed(
                actor=actor, project=project, previous=before_raw["min_attendance_share"]
            )
        if project.notification_issued_at and changes:
            revision = add_revision(actor=actor, project=project, changes=changes, note=note)
            emails.queue_notification_issued(project, revision_number=revision.number, actor=actor)
    return project


def clone_project(*, actor, source, code, start_date, title=None, closing_date=None):
    """A new edition of `source` with new dates: texts, quotas, cap, countries and time zone are
    copied; dates move by the same number of days; the clone is a draft. Returns the clone.

    Sends `apopms.signals.project_cloned(source, clone, day_offset, actor)` inside the
    transaction, so the sessions app copies the programme skeleton with it.
    Audit: apopms.project.cloned.
    """
    require_project_manager(actor)
    with transaction.atomic():
        source = Project.objects.get(pk=source.pk)
        offset = (start_date - source.start_date).days
        fields = {name: getattr(source, name) for name in CLONED_FIELDS}
        fields["topics_by_day"] = [list(day) for day in (source.topics_by_day or [])]
        fields.update(
            code=code,
            title=title or source.title,
            start_date=start_date,
            end_date=source.end_date + datetime.timedelta(days=offset),
        )
        clone = create_project(
            actor=actor,
            participating_countries=source.participating_countries.all(),
            closing_date=closing_date or source.closing_date + datetime.timedelta(days=offset),
            **fields,
        )
        clone.edition_of = source
        clone.save(update_fields=["edition_of"])
        audit.record("apopms.project.cloned", actor=actor, target=clone, source=source.code, day_offset=offset)
        project_cloned.send(sender=Project, source=source, clone=clone, day_offset=offset, actor=actor)
    return clone


def issue_notification(*, actor, project):
    """Publish the project notification: the public page appears, NPOs may nominate (if open),
    and the NPO officers of the participating countries are e-mailed. Repeated calls return.

    Audit: apopms.project.notification_issued.
    """
    require_project_manager(actor)
    with transaction.atomic():
        project = Project.objects.lock(project.pk)
        if project.notification_issued_at:
            return project
        validate_project(project, list(project.participating_countries.all()))
        project.notification_issued_at = timezone.now()
        # The PN issue date is the one printed on the notification; without one, the day it is issued.
        if project.notification_date is None:
            project.notification_date = timezone.localdate(project.notification_issued_at, project.zone)
        project.save(update_fields=["notification_issued_at", "notification_date", "updated_at"])
        audit.record("apopms.project.notification_issued", actor=actor, target=project)
        emails.queue_notification_issued(project, actor=actor)
    return project


def set_nominations_open(*, actor, project, is_open):
    """Open or close nominations by hand (the deadline closes them anyway).

    Audit: apopms.project.nominations_opened / apopms.project.nominations_closed.
    """
    require_project_manager(actor)
    with transaction.atomic():
        project = Project.objects.lock(project.pk)
        if project.nominations_open == bool(is_open):
            return project
        project.nominations_open = bool(is_open)
        project.nominations_closed_at = None if is_open else timezone.now()
        project.save(update_fields=["nominations_open", "nominations_closed_at", "updated_at"])
        audit.record(
            "apopms.project.nominations_opened" if is_open else "apopms.project.nominations_closed",
            actor=actor,
            target=project,
        )
    return project


def extend_deadline(*, actor, project, closing_date, reason=""):
    """Move the closing date later. The deadline becomes the end of `closing_date` in the
    project's zone; it must be later than the current one and obey `closing_date_problem`
    (before the start, not passed), the rule the project edit applies too.
    An issued notification gets a revision ("Closing date changed from … to …"), and the NPO
    officers of the participating countries are e-mailed (written to the outbox).

    Audit: apopms.project.deadline_extended (old and new deadline, reason).
    """
    require_project_manager(actor)
    with transaction.atomic():
        project = Project.objects.lock(project.pk)
        old_deadline, old_closing = project.nomination_deadline, project.closing_date
        new_deadline = Project.deadline_for(closing_date, project.time_zone)
        problem = closing_date_problem(closing_date, project=project, previous_closing_date=old_closing)
        if problem is None and new_deadline <= old_deadline:
            problem = f"The new closing date must be after the current one ({long_date(old_closing)})."
        if problem:
            raise DomainError(problem, field="closing_date")
        project.nomination_deadline = new_deadline
        project.save(update_fields=["nomination_deadline", "updated_at"])
        audit.record(
            "apopms.project.deadline_extended",
            actor=actor,
            target=project,
            old_deadline=old_deadline,
            new_deadline=new_deadline,
            reason=reason,
        )
        if project.notification_issued_at:
            add_revision(
                actor=actor,
                project=project,
                note=reason,
                changes=[
                    {
                        "clause": "Closing date",
                        "text": f"Closing date changed from {long_date(old_closing)} to {long_date(closing_date)}.",
                        "old": long_date(old_closing),
                        "new": long_date(closing_date),
                    }
                ],
            )
        emails.queue_deadline_extended(project, old_deadline=old_deadline, new_deadline=new_deadline, actor=actor)
    return project
