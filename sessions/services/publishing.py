"""Announcing the programme and publishing its versions, and the e-mail notices they send.

Keyword-only, take the acting user (checked by `permissions`), one transaction under the
project's lock, an audit entry each; the notices are written to the outbox in the same transaction.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from apopms import mail
from apopms.audit import record
from apopms.enums import OutboxCause, Role
from apopms.exceptions import DomainError
from apopms.models import Membership, OutboxMessage, Project
from nominations.models import Participant

from ..models import ProgrammeVersion, Session
from ..permissions import require_manage_programme
from ..programme import diff_snapshots, present
from ..selectors import latest_programme_version, programme_snapshot
from .programme_pdf import queue_programme_pdf

NOTICE_DAYS = 14


# ---------------------------------------------------------------- announcing and versions


def programme_start(project):
    """The instant the project starts: 00:00 of its start date in its zone."""
    return datetime.datetime.combine(project.start_date, datetime.time.min, tzinfo=project.zone)


def announcement_warnings(project, now=None):
    """What the person announcing should know (the announcement goes ahead regardless)."""
    now = now or timezone.now()
    warnings = []
    due = programme_start(project) - datetime.timedelta(days=NOTICE_DAYS)
    if now > due:
        warnings.append(
            f"This is later than two weeks before the start: the notification promised the programme by "
            f"{date_format(due.astimezone(project.zone), 'j F Y')}."
        )
    if project.selection_published_at is None:
        warnings.append(
            "The selection of participants is not published yet, so the programme would be announced alone, "
            "without the participants' names."
        )
    return warnings


def announce_programme(*, project, actor, change_note="", without_participants=False, notify=True, now=None):
    """Publish the programme and speakers, with the selected participants' names: version 1.

    If the selection is not published yet, the programme is announced alone, and only when
    `without_participants` confirms it. A repeated call returns the version that exists.
    Side effects: `project.programme_published_at`; after commit, the PDF rendered by the worker, and
    e-mail to the NPO officers of the participating countries and to the participants (written to
    the outbox).
    """
    now = now or timezone.now()
    with transaction.atomic():
        project = Project.objects.lock(project.pk)
        require_manage_programme(actor, project)
        existing = latest_programme_version(project)
        if existing is not None:
            return existing
        if not Session.objects.filter(project=project).exists():
            raise DomainError("Add at least one session before announcing the programme.")
        if project.selection_published_at is None and not without_participants:
            raise DomainError(
                "The selection of participants is not published yet. Publish it first to announce the "
                "participants with the programme, or confirm that the programme is announced alone.",
                field="without_participants",
            )
        snapshot = programme_snapshot(project)
        version = ProgrammeVersion.objects.create(
            project=project,
            number=1,
            published_at=now,
            published_by=actor if getattr(actor, "is_authenticated", False) else None,
            change_note=change_note.strip(),
            with_participants=snapshot["participants"] is not None,
            snapshot=snapshot,
        )
        Project.objects.filter(pk=project.pk).update(programme_published_at=now, updated_at=now)
        record(
            "agenda.programme.announced",
            actor=actor,
            target=version,
            project=project,
            with_participants=version.with_participants,
            late=now > programme_start(project) - datetime.timedelta(days=NOTICE_DAYS),
        )
        queue_programme_pdf(version)
        if notify:
            queue_programme_notices(version)
        return version


def pending_changes(project):
    """(latest version, lines saying what the draft changes since it); (None, []) before publication."""
    latest = latest_programme_version(project)
    if latest is None:
        return None, []
    return latest, diff_snapshots(latest.snapshot, programme_snapshot(project), project.zone)


def publish_programme_update(*, project, actor, change_note, notify=True, now=None):
    """Publish the draft as a new version with a change note. Returns (version, created).

    If nothing changed since the latest version, that version is returned (created False).
    Side effects: after commit, the version's PDF rendered by the worker; e-mail to the NPO officers and
    participants, once per version.
    """
    now = now or timezone.now()
    with transaction.atomic():
        project = Project.objects.lock(project.pk)
        require_manage_programme(actor, project)
        latest = latest_programme_version(project)
        if latest is None:
            raise DomainError("The programme has not been announced yet: announce it first.")
        snapshot = programme_snapshot(project)
        if snapshot == latest.snapshot:
            return latest, False
        change_note = (change_note or "").strip()
        if not change_note:
            raise DomainError("Say briefly what changed: the note goes to everyone told.", field="change_note")
        version = ProgrammeVersion.objects.create(
            project=project,
            number=latest.number + 1,
            published_at=now,
            published_by=actor if getattr(actor, "is_authenticated", False) else None,
            change_note=change_note,
            with_participants=snapshot["participants"] is not None,
            snapshot=snapshot,
            changes=diff_snapshots(latest.snapshot, snapshot, project.zone),
        )
        record("agenda.programme.updated", actor=actor, target=version, project=project, number=version.number)
        queue_programme_pdf(version)
        if notify:
            queue_programme_notices(version)
        return version, True


def programme_notice_recipients(project):
    """[(e-mail, name, zone)] of the active participants and the NPO officers of participating countries."""
    people = {}
    for p in Participant.objects.active().filter(project=project).select_related("user", "country"):
        people.setdefault(p.user.email.lower(), (p.user.email, p.certificate_name, p.zone))
    officers = Membership.objects.filter(
        role=Role.NPO_OFFICER,
        active=True,
        user__is_active=True,
        country__in=project.nominating_countries(),
    ).select_related("user", "country")
    for m in officers:
        zone = m.user.time_zone or m.country.time_zone
        people.setdefault(m.user.email.lower(), (m.user.email, m.user.get_full_name(), zone))
    return sorted(people.values())


def queue_programme_notices(version):
    """Write one version's notice for everyone concerned to the outbox (each person once, even if
    called twice), in the caller's transaction. The outbox rows (keyed per version and person)
    are the record of who was written to and whether each message went out."""
    project = version.project
    url = mail.absolute(reverse("agenda:programme", kwargs={"code": project.code}))
    locked = ProgrammeVersion.objects.select_for_update().get(pk=version.pk)
    prefix = f"{ProgrammeVersion.NOTICE_KEY}{locked.pk}:"
    written = set(OutboxMessage.objects.filter(key__startswith=prefix).values_list("key", flat=True))
    queued = []
    for email, name, zone in programme_notice_recipients(project):
        if f"{prefix}{email.lower()}" in written:
            continue
        context = {
            "project": project,
            "version": locked,
            "name": name,
            "url": url,
            "programme": present(locked.snapshot, project=project, viewer_zone=zone),
        }
        mail.queue_email(
            project=project,
            cause=OutboxCause.PROGRAMME_VERSION,
            recipient=email,
            recipient_name=name,
            template="sessions/email/programme_notice",
            context=context,
            key=f"{prefix}{email.lower()}",
        )
        queued.append(email.lower())
    return len(queued)


def send_programme_notices(*, version_id):
    """The programme notice of a version (the task's entry point): written to the outbox if not yet."""
    with transaction.atomic():
        version = ProgrammeVersion.objects.select_related("project").filter(pk=version_id).first()
        if version is None:
            return 0
        return queue_programme_notices(version)
